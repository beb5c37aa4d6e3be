import { describe, expect, it } from 'vitest';
import { createRng } from '../prng.ts';
import { placements } from '../testing/places.ts';
import type { ConvGeometry } from './conv.ts';
import { maxPoolBackward, maxPoolForward } from './pool.ts';

/** A valid pooling geometry (no padding, outC = inC). */
function pool(batch: number, inH: number, inW: number, inC: number, k: number, s: number): ConvGeometry {
  const outH = Math.floor((inH - k) / s) + 1;
  const outW = Math.floor((inW - k) / s) + 1;
  return { batch, inH, inW, inC, kh: k, kw: k, sh: s, sw: s, padTop: 0, padLeft: 0, outH, outW, outC: inC };
}

/** The definition: each window's maximum and the first offset (row-major) holding it; NaN first stays. */
function reference(x: Float32Array, g: ConvGeometry): { y: number[]; at: number[] } {
  const y: number[] = [];
  const at: number[] = [];
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let c = 0; c < g.inC; c++) {
          let best = Number.NaN;
          let where = -1;
          for (let ky = 0; ky < g.kh; ky++)
            for (let kx = 0; kx < g.kw; kx++) {
              const v = x[((b * g.inH + oy * g.sh + ky) * g.inW + ox * g.sw + kx) * g.inC + c]!;
              if (where < 0 || v > best) {
                best = v;
                where = ky * g.kw + kx;
              }
            }
          y.push(best);
          at.push(where);
        }
  return { y, at };
}

const CASES: [string, ConvGeometry][] = [
  ['2×2 stride 2, 8 channels (the MNIST layout)', pool(3, 28, 28, 8, 2, 2)],
  ['3×3 stride 3 on 14×14, 16 channels', pool(2, 14, 14, 16, 3, 3)],
  ['3×3 stride 2 (overlapping), 4 channels', pool(4, 13, 15, 4, 3, 2)],
  ['2×2, 3 channels (no SIMD: the plain loop)', pool(1, 6, 6, 3, 2, 2)],
];

describe.each(placements())('max pooling, arrays: $name', ({ put, overwritten }) => {
  it.each(CASES)('%s: maxima and first winners as defined, ties and a NaN first value kept', (_, g) => {
    const rng = createRng(9);
    // Values on a coarse grid make ties common; a few NaNs test that a NaN first value stays.
    const values = Array.from({ length: g.batch * g.inH * g.inW * g.inC }, () => Math.round(rng.uniform() * 4));
    for (let i = 0; i < values.length; i += 37) values[i] = Number.NaN;
    const x = put(Float32Array.from(values));
    const y = put(new Float32Array(g.batch * g.outH * g.outW * g.inC).fill(-7));
    const winner = put(new Float32Array(y.length).fill(-7));
    maxPoolForward(x, y, winner, g);
    const want = reference(x, g);
    expect([...y]).toEqual(want.y);
    expect([...winner]).toEqual(want.at);
    expect(overwritten()).toEqual([]);
  });
});

describe.each(placements())('max pooling backward, arrays: $name', ({ put, overwritten }) => {
  it.each(CASES)("%s: dx gains dy at each window's winner, overlapping windows adding up", (_, g) => {
    const rng = createRng(11);
    const x = put(Float32Array.from({ length: g.batch * g.inH * g.inW * g.inC }, () => Math.round(rng.uniform() * 4)));
    const outs = g.batch * g.outH * g.outW * g.inC;
    const y = put(new Float32Array(outs));
    const winner = put(new Float32Array(outs));
    maxPoolForward(x, y, winner, g);
    const dy = put(Float32Array.from({ length: outs }, () => rng.normal()));
    const start = Float32Array.from({ length: x.length }, () => rng.normal());
    const dx = put(start);
    // The definition, in float64: each output's gradient goes to the input its winner names.
    const want = Float64Array.from(start);
    for (let b = 0, o = 0; b < g.batch; b++)
      for (let oy = 0; oy < g.outH; oy++)
        for (let ox = 0; ox < g.outW; ox++)
          for (let c = 0; c < g.inC; c++, o++) {
            const at = winner[o]!;
            const ky = Math.floor(at / g.kw);
            want[((b * g.inH + oy * g.sh + ky) * g.inW + ox * g.sw + (at - ky * g.kw)) * g.inC + c]! += dy[o]!;
          }
    maxPoolBackward(dy, winner, dx, g);
    for (let i = 0; i < dx.length; i++) expect(Math.abs(dx[i]! - want[i]!), `dx[${i}]`).toBeLessThan(1e-5);
    expect(overwritten()).toEqual([]);
  });
});
