// What the two-thread tests share (shared memory: parallel/threads.test.ts; messages:
// parallel/messages.test.ts): the tolerance a threaded step must meet, the MNIST MLP and random
// batches for it, and the registry loop's check of one layer type on two threads.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compile } from '../compiler/compile.ts';
import type { Model } from '../compiler/types.ts';
import { parseGraph } from '../format/parse.ts';
import type { NodeDefinition } from '../nodes/index.ts';
import { createRng } from '../prng.ts';
import type { Tensor } from '../tensor.ts';
import { layerCase } from './registry.ts';

/** Threaded = one thread up to float32 summation order: this relative tolerance on every gradient entry. */
export const TOLERANCE = 1e-4;

/** The MNIST MLP example (784-64-10). */
export const mnistDoc = parseGraph(JSON.parse(readFileSync('public/examples/mnist.json', 'utf8')));

/** The rows of five SGD steps compared on one and two threads: full batches, one short by a row, and 7. */
export const stepRows = (batch: number): number[] => [batch, batch, batch - 1, batch, 7];

/** `rows` random MNIST-shaped inputs with one-hot targets (row r is class r mod 10). */
export function mnistBatch(rows: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const x = { shape: [rows, 784], data: Float32Array.from({ length: rows * 784 }, () => rng.uniform()) };
  const y = { shape: [rows, 10], data: new Float32Array(rows * 10) };
  for (let r = 0; r < rows; r++) y.data[r * 10 + (r % 10)] = 1;
  return { x, y };
}

/** The largest difference of two arrays (of the first `n` floats), relative to the first's largest entry. */
export function relDiff(a: Float32Array, b: Float32Array, n = a.length): number {
  let scale = 1e-6;
  let worst = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i]!));
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

/** Copies of a step's gradients (the model reuses its arrays). */
export const copyGrads = (grads: ReadonlyMap<string, Tensor>) =>
  new Map([...grads].map(([k, t]) => [k, Float32Array.from(t.data)]));

/**
 * The registry loop's case for one layer type: its small graph on one thread and with `threads: 2`
 * (awaited with `whenReady` where its batch splits: no masks, no buffers), one step of 9 rows each
 * (`step` on the two-thread model); loss, gradients and activations must agree within TOLERANCE.
 */
export async function checkLayerOnTwoThreads(
  def: NodeDefinition,
  whenReady: (model: Model) => Promise<void>,
  step: (model: Model, x: Tensor, y: Tensor) => Promise<{ loss: number; grads: Map<string, Tensor> }>,
): Promise<void> {
  const c = layerCase(def);
  const options = { seed: 9, inputShape: c.inputShape, targetShape: c.targetShape };
  const one = compile(c.doc, options);
  const two = compile(c.doc, { ...options, threads: 2 });
  const independent = !def.layer!.op.mask && two.buffers.size === 0;
  if (independent) await whenReady(two);
  const rows = 9;
  const inSize = c.inputShape.reduce((a, b) => a * b, 1);
  const rng = createRng(31);
  const x = {
    shape: [rows, ...c.inputShape],
    data: Float32Array.from({ length: rows * inSize }, () => rng.normal()),
  };
  const y = { shape: [rows, 3], data: new Float32Array(rows * 3) };
  for (let r = 0; r < rows; r++) y.data[r * 3 + (r % 3)] = 1;
  const r1 = one.lossAndGrads(x, y);
  const loss1 = r1.loss;
  const grads1 = copyGrads(r1.grads);
  const r2 = await step(two, x, y);
  expect(two.threads).toBe(independent ? 2 : 1);
  expect(Math.abs(r2.loss - loss1) / Math.max(1, Math.abs(loss1))).toBeLessThan(TOLERANCE);
  for (const [key, g] of grads1) expect(relDiff(g, r2.grads.get(key)!.data), key).toBeLessThan(TOLERANCE);
  for (const [id, t] of one.activations()) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    expect(relDiff(t.data, two.activations().get(id)!.data, n), id).toBeLessThan(TOLERANCE);
  }
  two.release?.();
}
