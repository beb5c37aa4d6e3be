import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../compiler/types.ts';
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import { enableWorkerThreads } from '../node.ts';
import { createOptimizer } from '../optim/optimizers.ts';
import { nodeDefinition } from '../nodes/index.ts';
import { LAYER_DEFINITIONS } from '../testing/registry.ts';
import {
  checkLayerOnTwoThreads,
  mnistBatch as data,
  mnistDoc as doc,
  stepRows,
  TOLERANCE,
} from '../testing/twoThreads.ts';
import { cnnDoc } from '../../scripts/bench/cnnDoc.ts';
import { setThreadSpawner, TWO_THREADS_MIN_MULTIPLY_ADDS } from './threads.ts';
import { readdirSync } from 'node:fs';

const batch = doc.training.batchSize;

/** Waits until the helper thread has compiled its copy (steps run on one thread until then). */
async function whenReady(model: Model) {
  for (let i = 0; i < 600 && model.threads !== 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect(model.threads).toBe(2);
}

describe('two threads (data parallel)', () => {
  enableWorkerThreads();
  afterAll(() => setThreadSpawner(null));

  it(`lossAndGrads equals one thread's within ${TOLERANCE} (relative), also over 5 SGD steps and an odd batch`, async () => {
    const one = compile(doc, { seed: 3 });
    const two = compile(doc, { seed: 3, threads: 2 });
    await whenReady(two);
    expect(one.threads).toBe(1);
    for (const [key, t] of one.params) expect([...two.params.get(key)!.data]).toEqual([...t.data]);
    const optOne = createOptimizer({ type: 'sgd', learningRate: 0.1 }, one.params);
    const optTwo = createOptimizer({ type: 'sgd', learningRate: 0.1 }, two.params);
    for (const [step, rows] of stepRows(batch).entries()) {
      const b = data(rows, 10 + step);
      const r1 = one.lossAndGrads(b.x, b.y);
      const loss1 = r1.loss;
      const grads1 = new Map([...r1.grads].map(([k, t]) => [k, Float32Array.from(t.data)]));
      const r2 = two.lossAndGrads(b.x, b.y);
      expect(r2.loss).toBeCloseTo(loss1, 5);
      for (const [key, g1] of grads1) {
        const g2 = r2.grads.get(key)!.data;
        const scale = Math.max(...g1.map(Math.abs), 1e-6);
        for (let i = 0; i < g1.length; i++)
          expect(Math.abs(g2[i]! - g1[i]!) / scale, `${key}[${i}]`).toBeLessThan(TOLERANCE);
      }
      optOne.step(r1.grads);
      optTwo.step(r2.grads);
    }
    for (const [key, t] of one.params) {
      const p2 = two.params.get(key)!.data;
      for (let i = 0; i < t.data.length; i++) expect(p2[i]).toBeCloseTo(t.data[i]!, 5);
    }
  });

  it('after a threaded step every view holds the whole batch: activations, output gradients, non-finite reports', async () => {
    const one = compile(doc, { seed: 5 });
    const two = compile(doc, { seed: 5, threads: 2 });
    await whenReady(two);
    for (const rows of [batch, batch - 3]) {
      const b = data(rows, 20 + rows);
      one.lossAndGrads(b.x, b.y);
      two.lossAndGrads(b.x, b.y);
      expect(two.threads).toBe(2);
      const views = [
        [one.activations(), two.activations()],
        [one.outputGrads(), two.outputGrads()],
      ] as const;
      for (const [mine, theirs] of views) {
        expect([...theirs.keys()]).toEqual([...mine.keys()]);
        for (const [id, t] of mine) {
          const u = theirs.get(id)!;
          expect(u.shape, id).toEqual(t.shape);
          const n = t.shape.reduce((a, c) => a * c, 1);
          const scale = Math.max(...t.data.subarray(0, n).map(Math.abs), 1e-6);
          for (let i = 0; i < n; i++)
            expect(Math.abs(u.data[i]! - t.data[i]!) / scale, `${id}[${i}] of ${rows} rows`).toBeLessThan(TOLERANCE);
        }
      }
    }
    // A NaN in the helper's half of the batch is found where one thread finds it.
    const b = data(batch, 7);
    b.x.data[(batch - 1) * 784] = Number.NaN;
    one.lossAndGrads(b.x, b.y);
    two.lossAndGrads(b.x, b.y);
    expect(two.findNonFinite()).toEqual(one.findNonFinite());
    expect(one.findNonFinite()).not.toBeNull();
  });

  it.each(LAYER_DEFINITIONS.map((d) => [d.type, d] as const))(
    "every layer type: %s on two threads gives one thread's gradients, loss and activations (or stays on one thread)",
    (_type, def) => checkLayerOnTwoThreads(def, whenReady, async (two, x, y) => two.lossAndGrads(x, y)),
  );

  it(`auto (the default) takes two threads for steps of ≥ ${TWO_THREADS_MIN_MULTIPLY_ADDS} multiply-adds: every example, the ConvNetJS CNN`, async () => {
    const docs = readdirSync('public/examples')
      .filter((f) => f.endsWith('.json'))
      .map((f) => parseGraph(JSON.parse(readFileSync(`public/examples/${f}`, 'utf8'))));
    const cnn = cnnDoc(doc);
    const seen = new Map<string, number>();
    for (const d of [...docs, cnn]) {
      const model = compile(d);
      const work = model.info.step.multiplyAddsPerSample * model.info.step.batch;
      const splittable = model.buffers.size === 0 && d.nodes.every((n) => !nodeDefinition(n.type).layer?.op.mask);
      expect(await model.threadsReady!(), d.name).toBe(work >= TWO_THREADS_MIN_MULTIPLY_ADDS && splittable ? 2 : 1);
      seen.set(d.name, model.threads!);
      model.release!();
    }
    // The brief's two ends: XOR stays on one thread, the CNN gets two.
    expect(seen.get(docs.find((d) => d.nodes.length === 6 && d.name.startsWith('XOR'))!.name)).toBe(1);
    expect(seen.get(cnn.name)).toBe(2);
  });

  it('a batch of 1 stays on one thread and gives its loss', () => {
    const b = data(1, 2);
    const one = compile(doc, { seed: 4 }).lossAndGrads(b.x, b.y).loss;
    expect(compile(doc, { seed: 4, threads: 2 }).lossAndGrads(b.x, b.y).loss).toBe(one);
  });
});
