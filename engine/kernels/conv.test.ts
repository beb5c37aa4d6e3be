import { describe, expect, it } from 'vitest';
import { enableRelaxedSimd } from '../node.ts';
import { createRng } from '../prng.ts';
import { closeness } from '../testing/close.ts';
import { bytesPerCall } from '../testing/heap.ts';
import { placements } from '../testing/places.ts';
import { type ConvGeometry, type ConvKernels, tsConvKernels } from './conv.ts';
import { createGemmConvKernels, gemmConvKernels } from './convGemm.ts';
import { createSimdConvKernels } from './wasm/simdConv.ts';

// NOTE: minMultiplyAdds 0: every case runs in WebAssembly (by default tiny ones stay in TypeScript).
const simd = createSimdConvKernels({ relaxed: false, minMultiplyAdds: 0 });
enableRelaxedSimd();
const relaxed = createSimdConvKernels({ minMultiplyAdds: 0 });

/** Every convolution kernel set to test; a faster one joins this list. */
const KERNELS: readonly ConvKernels[] = [
  tsConvKernels,
  gemmConvKernels,
  createGemmConvKernels(100),
  simd,
  relaxed,
].filter((k): k is ConvKernels => k !== null);

/** TensorFlow's geometry for `valid` / `same`. */
function geometry(
  batch: number,
  inH: number,
  inW: number,
  inC: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  same: boolean,
  outC: number,
): ConvGeometry {
  const outH = same ? Math.ceil(inH / sh) : Math.floor((inH - kh) / sh) + 1;
  const outW = same ? Math.ceil(inW / sw) : Math.floor((inW - kw) / sw) + 1;
  const padH = same ? Math.max(0, (outH - 1) * sh + kh - inH) : 0;
  const padW = same ? Math.max(0, (outW - 1) * sw + kw - inW) : 0;
  return {
    batch,
    inH,
    inW,
    inC,
    kh,
    kw,
    sh,
    sw,
    padTop: Math.floor(padH / 2),
    padLeft: Math.floor(padW / 2),
    outH,
    outW,
    outC,
  };
}

/** Every product x·w of the definition: its output's, input's and weight's index (padding skipped). */
function forEachProduct(g: ConvGeometry, visit: (yi: number, xi: number, wi: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let f = 0; f < g.outC; f++)
          for (let ky = 0; ky < g.kh; ky++)
            for (let kx = 0; kx < g.kw; kx++)
              for (let c = 0; c < g.inC; c++) {
                const iy = oy * g.sh - g.padTop + ky;
                const ix = ox * g.sw - g.padLeft + kx;
                if (iy < 0 || ix < 0 || iy >= g.inH || ix >= g.inW) continue;
                visit(
                  ((b * g.outH + oy) * g.outW + ox) * g.outC + f,
                  ((b * g.inH + iy) * g.inW + ix) * g.inC + c,
                  ((ky * g.kw + kx) * g.inC + c) * g.outC + f,
                );
              }
}

/** The definition in float64: each output is its bias plus the sum of its products. */
function convRef(x: Float32Array, w: Float32Array, bias: Float32Array | null, g: ConvGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outH * g.outW * g.outC).map((_, i) => (bias ? bias[i % g.outC]! : 0));
  forEachProduct(g, (yi, xi, wi) => {
    y[yi] = y[yi]! + x[xi]! * w[wi]!;
  });
  return y;
}

/**
 * The gradients of Σ y·dy by the definition's own sum: each product x·w of an output adds w·dy to
 * x's gradient and x·dy to w's, in float64 (every entry, in the time of one convolution).
 */
function convGradsRef(x: Float32Array, w: Float32Array, dy: Float32Array, g: ConvGeometry) {
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  forEachProduct(g, (yi, xi, wi) => {
    dx[xi] = dx[xi]! + w[wi]! * dy[yi]!;
    dw[wi] = dw[wi]! + x[xi]! * dy[yi]!;
  });
  return { dx, dw };
}

const random = (n: number, rng: () => number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

const CASES: [string, ConvGeometry][] = [
  ['valid 3×3 stride 1', geometry(2, 5, 6, 2, 3, 3, 1, 1, false, 3)],
  ['same 5×5 (MNIST layout)', geometry(1, 7, 7, 1, 5, 5, 1, 1, true, 4)],
  ['same stride 2, odd padding to the bottom/right', geometry(2, 6, 5, 3, 2, 3, 2, 2, true, 2)],
  ['valid stride [2, 3], 1×2 kernel', geometry(1, 7, 8, 2, 1, 2, 2, 3, false, 5)],
  ['batch 1, one channel in and out', geometry(1, 9, 11, 1, 3, 3, 1, 1, true, 1)],
  ['64 channels in, 64 filters', geometry(2, 4, 5, 64, 3, 3, 1, 1, true, 64)],
  ['same: the kernel larger than the padded input', geometry(2, 3, 2, 3, 5, 6, 1, 1, true, 9)],
  ['same stride 3, 4×4 kernel, outC not a multiple of 8', geometry(3, 10, 11, 5, 4, 4, 3, 3, true, 13)],
  ['valid stride 2, the last rows of a chunk ragged', geometry(7, 13, 9, 6, 3, 2, 2, 2, false, 10)],
  ['MNIST layout, second conv (chunked, many rows)', geometry(3, 14, 14, 8, 5, 5, 1, 1, true, 16)],
];

describe.each(KERNELS)('convolution kernels: $name', (k) => {
  const cases = CASES.flatMap(([name, g]) => placements().map((p) => [`${name}, ${p.name}`, g, p] as const));
  it.each(cases)('%s: forward equals the definition; both backward products equal the transposed sums', (_, g, p) => {
    const put = p.put;
    const rng = createRng(7);
    const next = () => rng.uniform();
    const x = put(random(g.batch * g.inH * g.inW * g.inC, next));
    const w = put(random(g.kh * g.kw * g.inC * g.outC, next));
    const bias = put(random(g.outC, next));
    const y = put(new Float32Array(g.batch * g.outH * g.outW * g.outC).fill(Number.NaN));
    k.conv2dForward(x, w, bias, y, g);
    const ref = convRef(x, w, bias, g);
    // NOTE: the tolerance of toBeCloseTo(…, 4), checked in one assertion (one per element cost seconds).
    const forward = closeness(y, ref, 'forward');
    expect(forward.difference, forward.message).toBeLessThan(5e-5);
    // The loss Σ y·dy is linear in x and in w: its gradients are the definition's partial sums.
    const dy = put(random(y.length, next));
    const dx = put(new Float32Array(x.length).fill(0.5));
    k.conv2dBackwardInput(dy, w, dx, g);
    const dw = put(new Float32Array(w.length).fill(Number.NaN));
    const db = put(new Float32Array(g.outC).fill(Number.NaN));
    k.conv2dBackwardFilter(x, dy, dw, db, g);
    const grads = convGradsRef(x, w, dy, g);
    // NOTE: dx started at 0.5: the kernel adds to it. The tolerance of toBeCloseTo(…, 3), every entry.
    const input = closeness(
      Array.from(dx, (v) => v - 0.5),
      grads.dx,
      'backward input',
    );
    expect(input.difference, input.message).toBeLessThan(5e-4);
    const filter = closeness(dw, grads.dw, 'backward filter');
    expect(filter.difference, filter.message).toBeLessThan(5e-4);
    for (let f = 0; f < g.outC; f++) {
      let s = 0;
      for (let i = f; i < dy.length; i += g.outC) s += dy[i]!;
      expect(db[f]).toBeCloseTo(s, 4);
    }
    expect(p.overwritten(), 'values past an output were overwritten').toEqual([]);
  });
});

/**
 * ConvNetJS's MNIST layout: the two convolutions one training step runs. NOTE: at batch 4, not its 20:
 * what a call allocates does not depend on the batch (the 100-float chunks still run many chunks), and
 * the TypeScript loops took 10 s at 20.
 */
const MNIST_LAYERS: [string, ConvGeometry][] = [
  ['conv 5×5×8 on 28×28×1', geometry(4, 28, 28, 1, 5, 5, 1, 1, true, 8)],
  ['conv 5×5×16 on 14×14×8', geometry(4, 14, 14, 8, 5, 5, 1, 1, true, 16)],
  ['conv 3×3×10 stride 2 on 9×9×3 (outC not a multiple of 8)', geometry(4, 9, 9, 3, 3, 3, 2, 2, true, 10)],
];

describe.each(KERNELS)('convolution kernels: $name', (k) => {
  it('allocate nothing per call once warm, whatever geometries they saw first', () => {
    const rng = createRng(3);
    const next = () => rng.uniform();
    const calls: [string, () => void][] = [];
    for (const [name, g] of MNIST_LAYERS) {
      const x = random(g.batch * g.inH * g.inW * g.inC, next);
      const w = random(g.kh * g.kw * g.inC * g.outC, next);
      const bias = random(g.outC, next);
      const y = new Float32Array(g.batch * g.outH * g.outW * g.outC);
      const dx = new Float32Array(x.length);
      const dw = new Float32Array(w.length);
      const db = new Float32Array(g.outC);
      calls.push(
        [`${name} forward`, () => k.conv2dForward(x, w, bias, y, g)],
        [`${name} backward input`, () => k.conv2dBackwardInput(y, w, dx, g)],
        [`${name} backward filter`, () => k.conv2dBackwardFilter(x, y, dw, db, g)],
      );
    }
    for (const [, run] of calls) run();
    for (const [name, run] of calls) {
      for (let i = 0; i < 20; i++) run();
      // Every result here is ≥ 2 KB; process.memoryUsage() itself costs a few hundred bytes.
      expect(bytesPerCall(run, 1024), name).toBeLessThan(1024);
    }
  });
});

describe('WebAssembly SIMD convolution', () => {
  it('is available in this Node, with a relaxed SIMD variant, and is the default', async () => {
    expect(simd?.name).toBe('wasm-simd-conv');
    expect(relaxed?.name).toBe('wasm-relaxed-simd-conv');
    const { getConvKernels } = await import('./backend.ts');
    expect(getConvKernels().name).toMatch(/^wasm-/);
  });
});
