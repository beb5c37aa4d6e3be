import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import type { GraphDoc } from '../format/types.ts';
import { encodeWeights } from '../format/weights.ts';
import { createOptimizer } from '../optim/optimizers.ts';
import { createRng } from '../prng.ts';
import { selectFastestKernels, selectTsKernels } from '../kernels/select.ts';
import { compile } from './compile.ts';
import { bytes, bytesPerCall } from '../testing/heap.ts';
import { sharedArena } from '../kernels/wasm/arena.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

describe('compiled model', () => {
  it('initialises bit-identically for the same document and seed, differently for another seed', () => {
    const a = compile(example('mnist'));
    const b = compile(example('mnist'));
    const c = compile(example('mnist'), { seed: 2 });
    for (const [key, t] of a.params) {
      expect(bytes(t.data).equals(bytes(b.params.get(key)!.data)), key).toBe(true);
    }
    expect(a.params.get('h.W')!.data[0]).not.toBe(c.params.get('h.W')!.data[0]);
    // he_normal: std √(2/784) ≈ 0.0505
    const w = a.params.get('h.W')!.data;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.048);
    expect(std).toBeLessThan(0.053);
    expect([...a.params.get('h.b')!.data].every((v) => v === 0)).toBe(true);
  });

  it('predict returns probabilities after the fused softmax; activations and gradients per node', () => {
    const model = compile(example('mnist'), { inputShape: [784], targetShape: [10] });
    const rng = createRng(3);
    const x = { shape: [5, 784], data: Float32Array.from({ length: 5 * 784 }, () => rng.uniform()) };
    const y = { shape: [5, 10], data: new Float32Array(50) };
    for (let r = 0; r < 5; r++) y.data[r * 10 + r] = 1;
    const p = model.predict(x);
    expect(p.shape).toEqual([5, 10]);
    for (let r = 0; r < 5; r++) expect(p.data.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    model.lossAndGrads(x, y);
    expect([...model.activations().keys()]).toEqual(['in', 'h', 'ha', 'o', 'oa']);
    expect([...model.outputGrads().keys()]).toEqual(['h', 'ha', 'o']);
    expect(model.fusedActivation).toBe('softmax');
  });

  it('loads saved weights from the document', () => {
    const doc = example('xor');
    const trained = compile(doc, { seed: 99 });
    const copy = parseGraph(JSON.parse(JSON.stringify({ ...doc, weights: undefined })));
    copy.weights = encodeWeights(trained.params);
    const restored = compile(copy);
    for (const [k, t] of trained.params) expect([...restored.params.get(k)!.data]).toEqual([...t.data]);
  });

  for (const kernels of ['ts', 'wasm-simd'] as const)
    it(`allocates nothing per lossAndGrads call once warm (${kernels} kernels)`, () => {
      if (kernels === 'wasm-simd') selectFastestKernels();
      else selectTsKernels();
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const doc = example('mnist');
      const model = compile(doc);
      const data = loadDataset({ kind: 'xor' }, { seed: 1 }); // only to exercise the import; MNIST shapes below
      expect(data.train.x.shape).toEqual([4, 2]);
      const rng = createRng(1);
      const x = { shape: [32, 784], data: Float32Array.from({ length: 32 * 784 }, () => rng.uniform()) };
      const y = { shape: [32, 10], data: new Float32Array(320) };
      // NOTE: warm up well past V8's optimising compiles, whose code objects also live on the heap.
      for (let i = 0; i < 300; i++) model.lossAndGrads(x, y);
      try {
        let grown = 0;
        const created = countFloat32Arrays(() => {
          gc();
          const before = process.memoryUsage().heapUsed;
          for (let i = 0; i < 1000; i++) model.lossAndGrads(x, y);
          grown = process.memoryUsage().heapUsed - before;
        });
        expect(created).toBe(0);
        // NOTE: V8 boxes a few returned doubles (≈ 300 B per call, measured); one batch-sized
        // buffer would be ≥ 8 KB per call here, so 0.5 KB per call separates the two.
        expect(grown / 1000).toBeLessThan(512);
      } finally {
        selectTsKernels();
      }
    });

  /** Floats copied into the shared arena by one warm lossAndGrads of `doc` on a batch of `rows` from outside it. */
  function floatsCopiedIn(doc: GraphDoc, rows: number, inputs: number, outputs: number): number {
    selectFastestKernels();
    const arena = sharedArena();
    if (!arena) throw new Error('this test needs the shared arena');
    const model = compile(doc);
    const rng = createRng(4);
    const x = { shape: [rows, inputs], data: Float32Array.from({ length: rows * inputs }, () => rng.uniform()) };
    const y = { shape: [rows, outputs], data: new Float32Array(rows * outputs) };
    for (let r = 0; r < rows; r++) y.data[r * outputs + (r % outputs)] = 1;
    model.lossAndGrads(x, y);
    const realSet = Float32Array.prototype.set;
    let copied = 0;
    Float32Array.prototype.set = function (this: Float32Array, src: ArrayLike<number>, offset?: number) {
      if (arena.offsetOf(this) >= 0) copied += src.length;
      return realSet.call(this, src, offset);
    };
    try {
      const { loss } = model.lossAndGrads(x, y);
      expect(Number.isFinite(loss)).toBe(true);
    } finally {
      Float32Array.prototype.set = realSet;
      selectTsKernels();
    }
    return copied;
  }

  it('copies a batch given from outside the arena into it once per step: both products read it in place', () => {
    // Before: the forward product and the weights' gradient each copied x (2 × 78,400 floats, ≈ 26 µs each).
    expect(floatsCopiedIn(example('mnist'), 100, 784, 10)).toBe(100 * 784);
  });

  it('a small batch (XOR) is read where it is: its products run in TypeScript, a copy would only cost', () => {
    // Copied, XOR's step took 1.3–1.5 µs against 1.1.
    expect(floatsCopiedIn(example('xor'), 4, 2, 1)).toBe(0);
  });

  it('a CNN training step (convolutions, pooling, relu, BatchNorm, dense, Adam) allocates nothing once warm on the SIMD kernels', () => {
    selectFastestKernels();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const doc = example('mnist-cnn');
    const model = compile(doc);
    const opt = createOptimizer(doc.training.optimizer, model.params);
    const rng = createRng(2);
    const x = { shape: [32, 784], data: Float32Array.from({ length: 32 * 784 }, () => rng.uniform()) };
    const y = { shape: [32, 10], data: new Float32Array(320) };
    for (let r = 0; r < 32; r++) y.data[r * 10 + (r % 10)] = 1;
    const step = () => opt.step(model.lossAndGrads(x, y).grads);
    for (let i = 0; i < 60; i++) step();
    try {
      let perStep = 0;
      const created = countFloat32Arrays(() => {
        gc();
        // NOTE: the median step: a mean also counts V8's optimising compiles (code objects live on the heap).
        perStep = bytesPerCall(step);
      });
      expect(created).toBe(0);
      // One activation of this CNN is ≥ 100 KB; a few boxed doubles are a few hundred bytes a step.
      expect(perStep).toBeLessThan(4096);
    } finally {
      selectTsKernels();
    }
  });
});

/** How many Float32Arrays `run` constructs (the global constructor counted, then restored). */
function countFloat32Arrays(run: () => void): number {
  const RealFloat32Array = globalThis.Float32Array;
  let created = 0;
  globalThis.Float32Array = new Proxy(RealFloat32Array, {
    construct(target, args) {
      created++;
      return Reflect.construct(target, args);
    },
  });
  try {
    run();
  } finally {
    globalThis.Float32Array = RealFloat32Array;
  }
  return created;
}
