// Two threads by messages (messages.ts, messageHelper.ts), forced in Node: no thread spawner, a
// message spawner over worker_threads, so models take a helper that shares no memory even though
// SharedArrayBuffer exists; it must equal one thread as the shared-memory helper does (threads.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../compiler/types.ts';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import type { GraphDoc } from '../format/types.ts';
import { enableMessageWorkers, loadMnistFile } from '../node.ts';
import { createOptimizer } from '../optim/optimizers.ts';
import { LAYER_DEFINITIONS } from '../testing/registry.ts';
import {
  checkLayerOnTwoThreads,
  copyGrads as copy,
  mnistBatch as data,
  mnistDoc as doc,
  relDiff,
  stepRows,
  TOLERANCE,
} from '../testing/twoThreads.ts';
import { createTrainer } from '../train/trainer.ts';
import { cnnDoc } from '../../scripts/bench/cnnDoc.ts';
import { setMessageSpawner } from './messages.ts';
import { setThreadSpawner, TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS } from './threads.ts';

const batch = doc.training.batchSize;

async function whenReady(model: Model) {
  expect(await model.threadsReady!()).toBe(2);
  expect(model.threadsBy).toBe('messages');
}

describe('two threads by messages (no shared memory)', () => {
  beforeAll(() => {
    setThreadSpawner(null);
    enableMessageWorkers();
  });
  afterAll(() => setMessageSpawner(null));

  it(`lossAndGradsAsync equals one thread's within ${TOLERANCE} over 5 SGD steps and odd batches; every view covers the whole batch`, async () => {
    const one = compile(doc, { seed: 3 });
    const two = compile(doc, { seed: 3, threads: 2 });
    await whenReady(two);
    expect(one.threadsBy).toBeUndefined();
    const [optOne, optTwo] = [one, two].map((m) => createOptimizer({ type: 'sgd', learningRate: 0.1 }, m.params));
    for (const [step, rows] of stepRows(batch).entries()) {
      const { x, y } = data(rows, 10 + step);
      const r1 = one.lossAndGrads(x, y);
      const grads1 = copy(r1.grads);
      const r2 = await two.lossAndGradsAsync!(x, y);
      expect(Math.abs(r2.loss - r1.loss) / Math.max(1, Math.abs(r1.loss))).toBeLessThan(TOLERANCE);
      for (const [key, g] of grads1) expect(relDiff(g, r2.grads.get(key)!.data), key).toBeLessThan(TOLERANCE);
      for (const [mine, theirs] of [
        [one.activations(), two.activations()],
        [one.outputGrads(), two.outputGrads()],
      ] as const) {
        expect([...theirs.keys()]).toEqual([...mine.keys()]);
        for (const [id, t] of mine) {
          const n = t.shape.reduce((a, c) => a * c, 1);
          expect(relDiff(t.data, theirs.get(id)!.data, n), `${id} of ${rows} rows`).toBeLessThan(TOLERANCE);
        }
      }
      optOne!.step(r1.grads);
      optTwo!.step(r2.grads);
    }
    for (const [key, t] of one.params) expect(relDiff(t.data, two.params.get(key)!.data), key).toBeLessThan(TOLERANCE);
    // A NaN in the helper's half is found where one thread finds it.
    const b = data(batch, 7);
    b.x.data[(batch - 1) * 784] = Number.NaN;
    one.lossAndGrads(b.x, b.y);
    await two.lossAndGradsAsync!(b.x, b.y);
    expect(one.findNonFinite()).not.toBeNull();
    expect(two.findNonFinite()).toEqual(one.findNonFinite());
    two.release!();
  });

  it('the synchronous lossAndGrads of a model with a message helper runs on one thread (the same numbers)', async () => {
    const one = compile(doc, { seed: 4 });
    const two = compile(doc, { seed: 4, threads: 2 });
    await whenReady(two);
    const b = data(batch, 3);
    const grads1 = copy(one.lossAndGrads(b.x, b.y).grads);
    const r2 = two.lossAndGrads(b.x, b.y);
    for (const [key, g] of grads1) expect([...r2.grads.get(key)!.data]).toEqual([...g]);
    two.release!();
  });

  it.each(LAYER_DEFINITIONS.map((d) => [d.type, d] as const))(
    "every layer type: %s by messages gives one thread's gradients, loss and activations (or stays on one thread)",
    (_type, def) => checkLayerOnTwoThreads(def, whenReady, (two, x, y) => two.lossAndGradsAsync!(x, y)),
  );

  it('a warm step makes no new ArrayBuffer: the three buffers go back and forth', async () => {
    const two = compile(doc, { seed: 6, threads: 2 });
    await whenReady(two);
    const b = data(batch, 5);
    for (let i = 0; i < 3; i++) await two.lossAndGradsAsync!(b.x, b.y);
    const made: number[] = [];
    const Real = globalThis.ArrayBuffer;
    const RealFloats = globalThis.Float32Array;
    // NOTE: counts `new ArrayBuffer(n)` and `new Float32Array(n)` (a view of a buffer made nothing).
    globalThis.ArrayBuffer = new Proxy(Real, {
      construct: (target, args) => {
        made.push(args[0] as number);
        return Reflect.construct(target, args);
      },
    });
    globalThis.Float32Array = new Proxy(RealFloats, {
      construct: (target, args) => {
        if (typeof args[0] === 'number') made.push(args[0]);
        return Reflect.construct(target, args);
      },
    });
    try {
      for (let i = 0; i < 5; i++) await two.lossAndGradsAsync!(b.x, b.y);
    } finally {
      globalThis.ArrayBuffer = Real;
      globalThis.Float32Array = RealFloats;
    }
    expect(made).toEqual([]);
    expect(two.threadsBy).toBe('messages');
    two.release!();
  });

  it('a few trainer epochs by trainStepAsync equal one thread’s trainStep', async () => {
    const small: GraphDoc = { ...doc, training: { ...doc.training, epochs: 2 } };
    const spec = doc.nodes.find((n) => n.type === 'input')!.data;
    const dataset = () => loadDataset((spec as { dataset: never }).dataset, { seed: 1, mnist: loadMnistFile() });
    const one = createTrainer(small, dataset(), { threads: 1 });
    const two = createTrainer(small, dataset(), { threads: 2 });
    await whenReady(two.model);
    while (one.epoch < 2) one.trainStep();
    while (two.epoch < 2) await two.trainStepAsync();
    expect(two.history.length).toBe(2);
    for (let e = 0; e < 2; e++) {
      const [a, b] = [one.history[e]!, two.history[e]!];
      expect(Math.abs(b.trainLoss - a.trainLoss) / a.trainLoss).toBeLessThan(1e-3);
      expect(Math.abs(b.testLoss - a.testLoss) / a.testLoss).toBeLessThan(1e-3);
      expect(Math.abs(b.trainAccuracy! - a.trainAccuracy!)).toBeLessThan(2e-3);
      expect(Math.abs(b.testAccuracy! - a.testAccuracy!)).toBeLessThan(2e-3);
    }
    two.model.release!();
  });

  it(`auto takes two threads by messages for steps of ≥ ${TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS} multiply-adds: the ConvNetJS CNN, not the MNIST MLP`, async () => {
    for (const [d, expected] of [
      [doc, 1],
      [cnnDoc(doc), 2],
    ] as const) {
      const model = compile(d);
      const work = model.info.step.multiplyAddsPerSample * model.info.step.batch;
      expect(work >= TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS, d.name).toBe(expected === 2);
      expect(await model.threadsReady!(), d.name).toBe(expected);
      model.release!();
    }
  });
});
