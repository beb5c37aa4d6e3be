import { readdirSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import type { GraphDoc } from '../format/types.ts';
import { encodeWeights } from '../format/weights.ts';
import { loadMnistFile } from '../node.ts';
import { bytesPerCall } from '../testing/heap.ts';
import type { TrainingSnapshot } from './types.ts';
import { snapshotProblem } from './snapshot.ts';
import { createTrainer, thinHistory } from './trainer.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const datasetOf = (doc: GraphDoc, seed = doc.training.seed) => {
  const spec = doc.nodes.find((n) => n.type === 'input')!.data;
  const dataset = 'dataset' in spec ? spec.dataset! : undefined;
  return loadDataset(dataset!, { seed, mnist: dataset?.kind === 'mnist' ? loadMnistFile() : undefined });
};
const trainFor = (doc: GraphDoc, epochs = doc.training.epochs) => {
  const trainer = createTrainer(doc, datasetOf(doc));
  while (trainer.epoch < epochs) expect(trainer.trainEpoch().nonFinite).toBeNull();
  return trainer;
};

describe('every example reaches its target', () => {
  it('XOR: 4/4 correct', () => {
    const t = trainFor(example('xor'));
    expect(t.evaluate().trainAccuracy).toBe(1);
    expect(t.evaluate().trainLoss).toBeLessThan(0.01);
  });
  it('AND: 4/4 correct', () => {
    expect(trainFor(example('and')).evaluate().trainAccuracy).toBe(1);
  });
  it('function fit: test MSE < 0.01', () => {
    const t = trainFor(example('function-fit'));
    expect(t.evaluate().testLoss).toBeLessThan(0.01);
  });
  it('MNIST 784-64-10: ≥ 90% test accuracy within 10 epochs on 8,000/2,000', () => {
    const doc = example('mnist');
    const trainer = createTrainer(doc, datasetOf(doc));
    let best = 0;
    while (trainer.epoch < 10 && best < 0.9) best = Math.max(best, trainer.trainEpoch().epochEnded!.testAccuracy!);
    expect(best).toBeGreaterThanOrEqual(0.9);
  });
  it('MNIST "is it a 3?": ≥ 95% test accuracy', () => {
    expect(trainFor(example('mnist-binary'), 3).evaluate().testAccuracy).toBeGreaterThanOrEqual(0.95);
  });
  // NOTE: ≈ 40 s of CPU here (minutes of wall time when the machine is shared): the CLI's number.
  it('MNIST CNN: ≥ 97% test accuracy after its epochs on 8,000/2,000', () => {
    const doc = example('mnist-cnn');
    const trainer = createTrainer(doc, datasetOf(doc));
    let last = 0;
    while (trainer.epoch < doc.training.epochs) last = trainer.trainEpoch().epochEnded?.testAccuracy ?? last;
    expect(last).toBeGreaterThanOrEqual(0.97);
  }, 900_000);
});

describe('evaluation', () => {
  it('says after each chunk that it is alive (a worker’s watchdog listens)', () => {
    const doc = example('mnist');
    let chunks = 0;
    const trainer = createTrainer(doc, datasetOf(doc), { onEvaluateChunk: () => chunks++ });
    trainer.evaluate();
    expect(chunks).toBeGreaterThanOrEqual(2);
  });
});

describe('trainer', () => {
  it('is deterministic: the same seed gives the same loss curve bit for bit, another seed another', () => {
    const curve = (seed: number) => {
      const doc = example('function-fit');
      doc.training.seed = seed;
      const t = createTrainer(doc, datasetOf(doc));
      return Array.from({ length: 30 }, () => t.trainStep().loss);
    };
    expect(curve(3)).toEqual(curve(3));
    expect(curve(4)).not.toEqual(curve(3));
  });

  it('steps one batch at a time and reports epochs', () => {
    const doc = example('function-fit');
    const t = createTrainer(doc, datasetOf(doc));
    expect(t.batchesPerEpoch).toBe(8); // 160 training samples / 20
    for (let i = 0; i < 7; i++) expect(t.trainStep().epochEnded).toBeNull();
    const r = t.trainStep();
    expect(r.epochEnded).toMatchObject({ epoch: 1 });
    expect(r.samples).toBe(160);
    expect(t.history).toHaveLength(1);
  });

  it('stops at the first NaN/Inf, names the node, rolls back to healthy parameters; a lower rate trains on', () => {
    const doc = example('function-fit');
    doc.training.optimizer = { type: 'sgd', learningRate: 1e6 };
    const t = createTrainer(doc, datasetOf(doc));
    const initial = t.evaluate().trainLoss;
    let report = null;
    for (let i = 0; i < 50 && !report; i++) report = t.trainStep().nonFinite;
    expect(report).not.toBeNull();
    expect(doc.nodes.map((n) => n.id)).toContain(report!.nodeId);
    expect(report!.message.length).toBeGreaterThan(10);
    for (const p of t.model.params.values()) expect(p.data.every(Number.isFinite)).toBe(true);
    // Not the last finite parameters of the diverging run (useless), but the last healthy ones.
    expect(t.evaluate().trainLoss).toBeLessThanOrEqual(2 * initial);
    expect(t.trainStep().nonFinite).toBe(report);
    // A lower learning rate lifts the stop and training goes on from there (no Reset needed).
    t.setLearningRate(0.05);
    expect(t.nonFinite).toBeNull();
    for (let i = 0; i < 200; i++) expect(t.trainStep().nonFinite).toBeNull();
    expect(t.evaluate().trainLoss).toBeLessThan(initial);
  });

  // A model whose loss is finite but whose gradient breaks (as a float32 overflow in backward can make it).
  const breakGradient = (t: ReturnType<typeof createTrainer>, value: number) => {
    const { model } = t;
    const lossAndGrads = model.lossAndGrads.bind(model);
    model.lossAndGrads = (x, y) => {
      const out = lossAndGrads(x, y);
      out.grads.values().next().value!.data[0] = value;
      return out;
    };
  };
  const paramsOf = (t: ReturnType<typeof createTrainer>) => [...t.model.params.values()].map((p) => [...p.data]);

  for (const [what, value, message] of [
    [
      'an update that overflows',
      3.4e38,
      /^the update overflowed parameter h\.W to NaN\/Infinity: lower the learning rate/,
    ],
    ['a NaN gradient with a finite loss', Number.NaN, /h' parameter W \(or its gradient\) holds NaN/],
  ] as const)
    it(`${what} stops, says so and rolls back to the last healthy parameters`, () => {
      const doc = example('xor');
      doc.training.optimizer = { type: 'sgd', learningRate: 10 };
      const t = createTrainer(doc, datasetOf(doc));
      expect(t.model.params.keys().next().value).toBe('h.W');
      const seen: number[][][] = [];
      for (let i = 0; i < 3; i++) {
        seen.push(paramsOf(t));
        expect(t.trainStep().nonFinite).toBeNull();
      }
      breakGradient(t, value);
      const r = t.trainStep();
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.nonFinite).toMatchObject({ nodeId: 'h', where: 'parameter' });
      expect(r.nonFinite!.message).toMatch(message);
      // Where the last healthy loss (the previous step's) was measured.
      expect(paramsOf(t)).toEqual(seen[2]);
    });

  it('continues a run from a snapshot: restored moments and counters give the uninterrupted run', () => {
    const doc = example('function-fit');
    doc.training.batchSize = 1000; // one full batch per epoch: the data order cannot matter
    const data = datasetOf(doc);
    const straight = createTrainer(doc, data);
    for (let i = 0; i < 30; i++) straight.trainStep();
    const snapshot = straight.snapshot();
    const resumedDoc = { ...doc, weights: encodeWeights(straight.model.params) };
    const later: number[] = [];
    for (let i = 0; i < 5; i++) later.push(straight.trainStep().loss);

    const resumed = createTrainer(resumedDoc, data);
    resumed.restore(snapshot);
    expect(resumed.epoch).toBe(30);
    expect(resumed.history.map((m) => m.epoch)).toEqual(straight.history.slice(0, 30).map((m) => m.epoch));
    expect(resumed.samples).toBe(30 * 160);
    const again = Array.from({ length: 5 }, () => resumed.trainStep().loss);
    for (const [i, loss] of again.entries()) expect(loss).toBeCloseTo(later[i]!, 6);
    // Without the optimizer state Adam restarts its moments and the loss jumps.
    const fresh = createTrainer(resumedDoc, data);
    for (let i = 0; i < 5; i++) fresh.trainStep();
    expect(Math.abs(fresh.lastLoss - later[4]!)).toBeGreaterThan(10 * Math.abs(again[4]! - later[4]!) + 1e-6);
  });

  it('refuses a damaged snapshot with what is damaged, not a TypeError from inside', () => {
    const doc = example('xor');
    const trainer = createTrainer(doc, datasetOf(doc));
    trainer.trainStep();
    const good = trainer.snapshot();
    const damaged: [unknown, string][] = [
      [null, 'it is not an object'],
      [{ ...good, optimizer: { step: 3 } }, 'optimizer.slots is not a Map'],
      [{ ...good, optimizer: { step: 3, slots: {} } }, 'optimizer.slots is not a Map'],
      [
        { ...good, optimizer: { step: 3, slots: new Map([['h.W', null]]) } },
        "optimizer.slots holds a damaged entry for 'h.W'",
      ],
      [{ ...good, epoch: '7' }, 'epoch is not a whole number'],
      [{ ...good, history: [null] }, "history[0] is not an epoch's metrics"],
    ];
    for (const [snapshot, problem] of damaged) {
      expect(snapshotProblem(snapshot)).toBe(problem);
      expect(() => createTrainer(doc, datasetOf(doc)).restore(snapshot as TrainingSnapshot)).toThrow(
        `The saved training state is damaged (${problem})`,
      );
    }
    expect(snapshotProblem(structuredClone(good))).toBeNull();
  });

  it('thins a long history for snapshots: at most the limit, the newest half whole, the first epoch kept', () => {
    const history = Array.from({ length: 10_000 }, (_, i) => ({
      epoch: i + 1,
      trainLoss: 1 / (i + 1),
      testLoss: 1,
      seconds: 0,
    }));
    const thin = thinHistory(history, 1000);
    expect(thin.length).toBeLessThanOrEqual(1000);
    expect(thin[0]!.epoch).toBe(1);
    expect(thin.slice(-500).map((m) => m.epoch)).toEqual(history.slice(-500).map((m) => m.epoch));
    expect(thin.map((m) => m.epoch)).toEqual([...thin.map((m) => m.epoch)].sort((a, b) => a - b));
  });
});

describe('the per-step work around lossAndGrads', () => {
  const names = readdirSync('public/examples').map((f) => f.replace(/\.json$/, ''));
  for (const name of names)
    it(`${name}: a warm training step allocates nothing (no views of the data per row)`, () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const doc = example(name);
      const data = datasetOf(doc);
      // NOTE: steps within an epoch: an epoch's end evaluates (and records metrics) once per epoch.
      const rows = data.train.x.shape[0] as number;
      doc.training.batchSize = Math.min(doc.training.batchSize, Math.ceil(rows / 8));
      const t = createTrainer(doc, data);
      // NOTE: warm well past V8's optimising compiles (their code objects live on the heap too).
      const warm = performance.now();
      for (let i = 0; i < 100 || performance.now() - warm < 500; i++) t.trainStep();
      gc();
      // NOTE: the median of 51 steps, up to 3 rounds (bytesPerCall): an epoch's end (which evaluates)
      // falls in at most one of them, and on a loaded machine V8's optimising compile may finish late.
      const perStep = bytesPerCall(() => {
        if (t.trainStep().nonFinite) throw new Error(`${name} stopped on NaN/Inf`);
      }, 1024);
      // A view per gathered row would be ≥ 60 B each (an MNIST batch of 100: ≥ 12 KB); boxed doubles a few hundred.
      expect(perStep).toBeLessThan(1024);
    });
});
