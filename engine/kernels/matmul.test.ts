import { spawnSync } from 'node:child_process';
import { enableRelaxedSimd } from '../node.ts';
import { describe, expect, it } from 'vitest';
import { createRng } from '../prng.ts';
import { closeness } from '../testing/close.ts';
import { bytesPerCall } from '../testing/heap.ts';
import { placements } from '../testing/places.ts';
import type { MatmulKernels } from './backend.ts';
import { tsKernels } from './matmul.ts';
import { createSimdKernels } from './wasm/simdKernels.ts';

/** Reference product in float64: C = op(A)·op(B). */
function naive(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[p * m + i]! : a[i * k + p]!;
        const bv = tb ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  return c;
}

const random = (size: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.range(-1, 1));
};

const simd = createSimdKernels();
enableRelaxedSimd();
const relaxed = createSimdKernels();

for (const kernels of [tsKernels, simd, relaxed].filter((k): k is MatmulKernels => k !== null))
  describe(`${kernels.name} kernels agree with a naive product`, () => {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 13, 17, 33];
    const cases: [number, number, number][] = [];
    for (const m of sizes) for (const n of [1, 3, 4, 9, 17]) for (const k of [1, 5, 16]) cases.push([m, k, n]);
    cases.push([100, 784, 64], [64, 100, 784], [784, 100, 64], [13, 65, 7], [17, 33, 9], [33, 17, 13], [5, 200, 9]);
    // m not a multiple of 4, n of 8 (a two-thread step's half): whole groups of rows in place, the rest not.
    cases.push([50, 784, 64], [13, 65, 16], [7, 100, 8], [50, 10, 784]);

    for (const [name, ta, tb] of [
      ['matmulNN', false, false],
      ['matmulNT', false, true],
      ['matmulTN', true, false],
    ] as const) {
      it.each(placements())(`${name} on odd and real sizes, overwrite and accumulate, operands: $name`, (p) => {
        for (const [m, k, n] of kernels !== tsKernels ? cases.filter(([m, k, n]) => m * k * n >= 4096) : cases) {
          const a = p.put(random(m * k, m * 31 + k));
          const b = p.put(random(k * n, n * 17 + k));
          const expected = naive(a, b, m, k, n, ta, tb);
          const c = p.put(new Float32Array(m * n).fill(Number.NaN));
          kernels[name](a, b, c, m, k, n, false);
          const tol = 1e-5 * Math.sqrt(k);
          const once = closeness(c, expected, `${name} ${m}x${k}x${n}`);
          expect(once.difference, once.message).toBeLessThan(tol);
          kernels[name](a, b, c, m, k, n, true);
          const twice = closeness(
            c,
            expected.map((v) => 2 * v),
            `${name} acc ${m}x${k}x${n}`,
          );
          expect(twice.difference, twice.message).toBeLessThan(2 * tol);
          expect(p.overwritten(), `${name} ${m}x${k}x${n}: values past C were overwritten`).toEqual([]);
        }
      });
    }
  });

for (const kernels of [tsKernels, simd, relaxed].filter((k): k is MatmulKernels => k !== null))
  it(`${kernels.name} kernels allocate nothing per call once warm, whatever shapes they saw first`, () => {
    // NOTE: small odd shapes first, as a model's output layer feeds them; an un-inlined helper
    // taking the 16 tile sums as arguments then boxed each one (TS Aᵀ·B: ≈ 800 KB per call here).
    for (let i = 0; i < 5; i++) {
      kernels.matmulNN(random(5 * 64, 1), random(64 * 10, 2), new Float32Array(50), 5, 64, 10, false);
      kernels.matmulTN(random(5 * 64, 3), random(5 * 10, 4), new Float32Array(640), 64, 5, 10, false);
      kernels.matmulNT(random(5 * 10, 5), random(64 * 10, 6), new Float32Array(320), 5, 10, 64, false);
    }
    const x = random(32 * 784, 7);
    const w = random(784 * 64, 8);
    const h = random(32 * 64, 9);
    const gw = new Float32Array(784 * 64);
    const products: [string, () => void][] = [
      ['matmulNN', () => kernels.matmulNN(x, w, h, 32, 784, 64, false)],
      ['matmulNT', () => kernels.matmulNT(h, w, x, 32, 64, 784, false)],
      ['matmulTN', () => kernels.matmulTN(x, h, gw, 784, 32, 64, true)],
    ];
    for (const [name, run] of products) {
      for (let i = 0; i < 300; i++) run();
      // A product's output here is ≥ 8 KB; process.memoryUsage() itself costs a few hundred bytes.
      expect(bytesPerCall(run, 1024), name).toBeLessThan(1024);
    }
  });

describe('WebAssembly SIMD kernel', () => {
  it('is available in this Node (SIMD is standard since Node 16)', () => {
    expect(simd?.name).toBe('wasm-simd-4x8');
  });
  it('has a fused multiply-add variant where relaxed SIMD is on', () => {
    expect(relaxed?.name).toBe('wasm-relaxed-simd-4x8');
    expect(createSimdKernels({ relaxed: false })?.name).toBe('wasm-simd-4x8');
  });
  it('the committed module matches gemm.wat (run `node scripts/build-wasm.mjs` after editing it)', () => {
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
