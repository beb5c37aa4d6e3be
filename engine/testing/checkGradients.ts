// The shared gradient check of the engine's tests: the engine's analytic gradients against central
// differences of the float64 reference (engine/train/reference64.ts), and the engine's loss against
// the reference's. (gradientCheck in engine/train/gradcheck.ts is the public, sampled version.)
import { expect } from 'vitest';
import { compile } from '../compiler/compile.ts';
import type { GraphDoc } from '../format/types.ts';
import { createRng } from '../prng.ts';
import { Reference64 } from '../train/reference64.ts';

export interface CheckOptions {
  batch?: number;
  seed?: number;
  /** Generates targets; default uniform [0, 1). One-hot rows for "onehot". */
  targets?: 'uniform' | 'onehot' | 'binary';
  /** Relative tolerance on each gradient element (default 2e-3). */
  rtol?: number;
}

/** Checks every parameter gradient of `doc` numerically; returns the number of elements checked. */
export function checkGradients(
  doc: GraphDoc,
  inputShape: number[],
  targetShape: number[],
  options: CheckOptions = {},
): number {
  const batch = options.batch ?? 3;
  const rng = createRng(options.seed ?? 7);
  const model = compile(doc, { inputShape, targetShape, seed: options.seed ?? 7 });
  const inSize = inputShape.reduce((a, b) => a * b, 1);
  const outSize = targetShape.reduce((a, b) => a * b, 1);
  // NOTE: inputs are kept away from 0 so relu/leaky-relu kinks are not straddled by the differences.
  const x = Float32Array.from({ length: batch * inSize }, () => {
    const v = rng.range(0.1, 1);
    return rng.uniform() < 0.5 ? -v : v;
  });
  const y = new Float32Array(batch * outSize);
  for (let r = 0; r < batch; r++) {
    if (options.targets === 'onehot') y[r * outSize + rng.int(outSize)] = 1;
    else
      for (let j = 0; j < outSize; j++) y[r * outSize + j] = options.targets === 'binary' ? rng.int(2) : rng.uniform();
  }
  const { loss, grads } = model.lossAndGrads(
    { shape: [batch, ...inputShape], data: x },
    { shape: [batch, ...targetShape], data: y },
  );
  // NOTE: the reference applies the masks of the training pass it is compared with (dropout).
  const dropoutMasks = new Map([...model.dropoutMasks()].map(([k, t]) => [k, Float32Array.from(t.data)]));
  const ref = new Reference64(doc, { batch, x, inputShape, y, targetShape, dropoutMasks });
  for (const [k, t] of model.params) ref.params.set(k, Float64Array.from(t.data));
  const refLoss = ref.loss();
  expect(Math.abs(loss - refLoss), `loss ${loss} vs reference ${refLoss}`).toBeLessThan(
    1e-5 * Math.max(1, Math.abs(refLoss)),
  );
  const rtol = options.rtol ?? 2e-3;
  const eps = 1e-6;
  let checked = 0;
  let scale = 0;
  for (const g of grads.values()) for (const v of g.data) scale = Math.max(scale, Math.abs(v));
  for (const [key, p] of ref.params) {
    const analytic = grads.get(key)!.data;
    for (let i = 0; i < p.length; i++) {
      const up = ref.lossWith(key, i, p[i]! + eps).loss;
      const down = ref.lossWith(key, i, p[i]! - eps).loss;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(analytic[i]! - numeric);
      expect(err, `${key}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`).toBeLessThanOrEqual(
        1e-5 * Math.max(scale, 1e-3) + rtol * Math.abs(numeric),
      );
      checked++;
    }
  }
  return checked;
}

/** A small document builder for tests: chains and DAGs by id. */
export function graph(
  nodes: [id: string, type: GraphDoc['nodes'][number]['type'], data?: Record<string, unknown>][],
  edges: [from: string, to: string][],
): GraphDoc {
  return {
    format: 'nodegrad-graph',
    version: 1,
    name: 'test',
    nodes: nodes.map(
      ([id, type, data]) => ({ id, type, position: { x: 0, y: 0 }, data: data ?? {} }) as GraphDoc['nodes'][number],
    ),
    edges: edges.map(([from, to], i) => {
      const [source, handle] = from.split('.');
      const sourceHandle = handle ?? (source === 'in' ? 'x' : 'out');
      const [target, targetHandle = 'in'] = to.split('.');
      return { id: `e${i}`, source: source!, sourceHandle, target: target!, targetHandle };
    }),
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 4, epochs: 1, seed: 1 },
  };
}
