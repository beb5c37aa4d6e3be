import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import type { OptimizerConfig } from '../format/types.ts';
import { setStepKernels } from '../kernels/backend.ts';
import { createSimdStepKernels } from '../kernels/wasm/simdStep.ts';
import { placements } from '../testing/places.ts';
import type { Tensor } from '../tensor.ts';
import { createOptimizer } from './optimizers.ts';

const setup = () => {
  const params = new Map<string, Tensor>([
    ['d.W', { shape: [2], data: Float32Array.from([1, -2]) }],
    ['d.b', { shape: [1], data: Float32Array.from([0.5]) }],
  ]);
  const grads = new Map<string, Tensor>([
    ['d.W', { shape: [2], data: Float32Array.from([0.1, 0.2]) }],
    ['d.b', { shape: [1], data: Float32Array.from([-0.4]) }],
  ]);
  return { params, grads, W: params.get('d.W')!.data, b: params.get('d.b')!.data };
};

describe('optimizers', () => {
  it('SGD: p ← p − lr·(g + λ·p), decay on weights only', () => {
    const { params, grads, W, b } = setup();
    const opt = createOptimizer({ type: 'sgd', learningRate: 0.5 }, params, {
      weightDecay: 0.1,
      decayKeys: new Set(['d.W']),
    });
    opt.step(grads);
    expect(W[0]).toBeCloseTo(1 - 0.5 * (0.1 + 0.1 * 1), 6);
    expect(W[1]).toBeCloseTo(-2 - 0.5 * (0.2 + 0.1 * -2), 6);
    expect(b[0]).toBeCloseTo(0.5 - 0.5 * -0.4, 6);
  });

  it('weightDecay without decayKeys decays every given parameter (PyTorch weight_decay), never nothing', () => {
    const { params, grads, W, b } = setup();
    createOptimizer({ type: 'sgd', learningRate: 0.5 }, params, { weightDecay: 0.1 }).step(grads);
    expect(W[0]).toBeCloseTo(1 - 0.5 * (0.1 + 0.1 * 1), 6);
    expect(b[0]).toBeCloseTo(0.5 - 0.5 * (-0.4 + 0.1 * 0.5), 6);
  });

  it('a compiled model says which params weight decay applies to (its Dense weights) and has its buffers', () => {
    const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
    const model = compile(doc);
    const weights = model.info.nodes.flatMap((n) => n.params.filter((p) => p.decay).map((p) => p.key));
    expect([...model.decayKeys].sort()).toEqual(weights.sort());
    expect([...model.decayKeys].every((k) => k.endsWith('.W'))).toBe(true);
    expect(model.decayKeys.size).toBeGreaterThan(0);
    expect(model.buffers).toBeInstanceOf(Map);
    expect(model.buffers.size).toBe(0);
  });

  it('momentum: v ← μv + g, p ← p − lr·v', () => {
    const { params, grads, W } = setup();
    const opt = createOptimizer({ type: 'momentum', learningRate: 0.1, momentum: 0.9 }, params);
    opt.step(grads);
    expect(W[0]).toBeCloseTo(1 - 0.1 * 0.1, 6);
    opt.step(grads);
    expect(W[0]).toBeCloseTo(1 - 0.01 - 0.1 * (0.9 * 0.1 + 0.1), 6);
  });

  it('Adam: bias-corrected first steps move each parameter by about lr', () => {
    const { params, grads, W, b } = setup();
    const opt = createOptimizer({ type: 'adam', learningRate: 0.01 }, params);
    opt.step(grads);
    // step 1: m̂ = g, v̂ = g² → Δ = lr·g/(|g| + ε)
    expect(W[0]).toBeCloseTo(1 - 0.01, 6);
    expect(b[0]).toBeCloseTo(0.5 + 0.01, 6);
    grads.get('d.W')!.data[0] = 0.3;
    opt.step(grads);
    const m = 0.9 * 0.1 * 0.1 + 0.1 * 0.3;
    const v = 0.999 * 0.001 * 0.01 + 0.001 * 0.09;
    const mHat = m / (1 - 0.9 ** 2);
    const vHat = v / (1 - 0.999 ** 2);
    expect(W[0]).toBeCloseTo(1 - 0.01 - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 6);
  });

  it('setLearningRate takes effect on the next step', () => {
    const { params, grads, b } = setup();
    const opt = createOptimizer({ type: 'sgd', learningRate: 1 }, params);
    opt.setLearningRate(0);
    opt.step(grads);
    expect(b[0]).toBe(0.5);
  });
});

describe('SIMD updates (parameters in the WebAssembly arena) equal the TypeScript loops', () => {
  const arena = placements().find((p) => p.name === 'arena');
  const configs: OptimizerConfig[] = [
    { type: 'sgd', learningRate: 0.3 },
    { type: 'momentum', learningRate: 0.1, momentum: 0.8 },
    { type: 'adam', learningRate: 0.01, beta1: 0.85, beta2: 0.99, epsilon: 1e-7 },
  ];
  it.skipIf(!arena).each(configs)('$type, with weight decay, sizes with and without a tail of < 4', (config) => {
    // NOTE: below SIMD_MIN_FLOATS the loops run in both cases; 260 and 1001 go through SIMD (+ a tail).
    const sizes = [1, 7, 260, 1001];
    const run = (put: (a: Float32Array) => Float32Array) => {
      const params = new Map<string, Tensor>();
      const grads = new Map<string, Tensor>();
      for (const n of sizes) {
        params.set(`n${n}.W`, { shape: [n], data: put(Float32Array.from({ length: n }, (_, i) => Math.sin(i + n))) });
        grads.set(`n${n}.W`, { shape: [n], data: put(new Float32Array(n)) });
      }
      const opt = createOptimizer(config, params, { weightDecay: 0.01, decayKeys: new Set(['n7.W', 'n1001.W']) });
      for (let step = 0; step < 5; step++) {
        for (const g of grads.values()) for (let i = 0; i < g.data.length; i++) g.data[i] = Math.cos(step * 7 + i);
        opt.step(grads);
      }
      return params;
    };
    const simd = createSimdStepKernels();
    expect(simd).not.toBeNull();
    setStepKernels(null);
    const ts = run((a) => a);
    setStepKernels(simd);
    const resident = run((a) => arena!.put(a));
    for (const [key, t] of ts)
      for (let i = 0; i < t.data.length; i++)
        expect(resident.get(key)!.data[i], `${key}[${i}]`).toBeCloseTo(t.data[i]!, 5);
  });
});
