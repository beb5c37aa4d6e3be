// The divergence guard on a real trainer: when a loss counts as exploded, where it rolls back to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTrainer, loadDataset, parseGraph, type StepResult, type Trainer } from '../../engine/index.ts';
import { createDivergenceGuard, EXPLODE_FACTOR, LOSS_FLOOR } from './divergence.ts';

function xorTrainer(): Trainer {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  doc.training.optimizer = { type: 'adam', learningRate: 0.1 };
  const input = doc.nodes.find((n) => n.type === 'input')!;
  if (input.type !== 'input') throw new Error('no input');
  return createTrainer(doc, loadDataset(input.data.dataset!, { seed: 1 }));
}

const step = (loss: number, nonFinite: StepResult['nonFinite'] = null): StepResult => ({
  loss,
  epoch: 0,
  batch: 1,
  samples: 4,
  epochEnded: null,
  nonFinite,
});

const params = (t: Trainer) => new Map([...t.model.params].map(([k, v]) => [k, Float32Array.from(v.data)]));

describe('divergence guard', () => {
  it(`stops at a loss over ${EXPLODE_FACTOR} × the start and rolls back to the last healthy checkpoint`, () => {
    const t = xorTrainer();
    for (let i = 0; i < 5; i++) t.trainStep();
    const guard = createDivergenceGuard(t, 0.5);
    guard.checkpoint();
    const healthy = params(t);
    expect(guard.check(step(0.4))).toBeNull(); // measured at the checkpoint: it becomes the rollback point
    t.model.params.get('h.W')!.data[0]! += 1;
    guard.checkpoint();
    expect(guard.check(step(0.9))).toBeNull(); // over 2 × the best (0.4): not a rollback point
    for (const x of t.model.params.get('o.W')!.data.keys()) t.model.params.get('o.W')!.data[x]! *= 1000;
    expect(guard.check(step(49))).toBeNull(); // under the limit, 100 × 0.5
    const report = guard.check(step(51))!;
    expect(report).toMatchObject({ cause: 'exploded', nodeId: 'o', where: 'parameter', loss: 51, limit: 50 });
    expect(report.message).toMatch(
      /the loss exploded to 51.0 \(over 100 × its starting 0.500\); the parameters of 'o'/,
    );
    expect(guard.stopped).toBe(report);
    expect(params(t)).toEqual(healthy);
    // Adam's moments saw the explosion: forgotten.
    const moments = t.snapshot().optimizer;
    expect(moments.step).toBe(0);
    for (const slot of moments.slots.values()) expect(Math.max(...slot.m.map(Math.abs))).toBe(0);
    guard.clear();
    expect(guard.stopped).toBeNull();
  });

  it('passes on the trainer’s own NaN/Infinity stop without touching the parameters', () => {
    const t = xorTrainer();
    const guard = createDivergenceGuard(t, 0.5);
    const before = params(t);
    const nan = { nodeId: 'ha', where: 'output' as const, message: "Activation 'ha' output holds NaN" };
    expect(guard.check(step(Number.NaN, nan))).toMatchObject({ ...nan, cause: 'nonFinite', limit: Infinity });
    expect(params(t)).toEqual(before);
  });

  it(`measures from at least ${LOSS_FLOOR} (a resumed, trained run), and not at all from a NaN start`, () => {
    const t = xorTrainer();
    const trained = createDivergenceGuard(t, 0.001);
    expect(trained.check(step(9))).toBeNull();
    expect(trained.check(step(11))?.limit).toBeCloseTo(EXPLODE_FACTOR * LOSS_FLOOR);
    expect(createDivergenceGuard(t, Number.NaN).check(step(1e30))).toBeNull();
  });
});
