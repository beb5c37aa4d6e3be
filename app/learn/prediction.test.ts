import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadDataset, parseGraph, type TraceStep, traceSample } from '../../engine/index.ts';
import { isHit, predictionTarget } from './prediction.ts';

function xorTrace(): TraceStep[] {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  const model = compile(doc);
  const data = loadDataset({ kind: 'xor' }, { seed: 1 });
  const one = (t: { shape: number[]; data: Float32Array }) => ({
    shape: [1, ...t.shape.slice(1)],
    data: t.data.slice(0, t.data.length / t.shape[0]!),
  });
  return traceSample(model, one(data.train.x), one(data.train.y));
}

describe('predict before you see', () => {
  it("asks at every backward step that passes a gradient down (or has dL/dW) for the engine's first value", () => {
    const steps = xorTrace();
    for (const step of steps) {
      const target = predictionTarget(step);
      if (step.phase === 'forward') {
        expect(target).toBeNull();
        continue;
      }
      const expected = step.gradIn[0]?.values[0] ?? step.paramGrads[0]?.values[0];
      if (expected === undefined) {
        expect(target, step.nodeId).toBeNull();
        continue;
      }
      expect(target!.value, step.nodeId).toBe(expected);
      expect(target!.to).toBe(step.gradIn[0]?.to ?? null);
      // Three different choices, exactly one of them right.
      expect(target!.choices).toHaveLength(3);
      expect(target!.choices.filter((c) => isHit(c, expected))).toEqual([expected]);
    }
    expect(steps.filter((s) => predictionTarget(s) !== null).length).toBeGreaterThanOrEqual(5);
  });

  it('counts a guess within 5% (+0.005 near zero) as a hit', () => {
    expect([isHit(0.1, 0.104), isHit(0.1, 0.2), isHit(-0.12, 0.12), isHit(0.004, 0), isHit(Number.NaN, 0)]).toEqual([
      true,
      false,
      false,
      true,
      false,
    ]);
  });
});
