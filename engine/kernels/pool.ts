// Pooling kernels, channels last: x [B, inH, inW, C] → y [B, outH, outW, C] over `valid` windows
// (ConvGeometry with kh × kw windows, strides sh × sw, no padding, outC = inC). Plain loops, and
// max pooling (forward and backward) on SIMD where the arrays live in the WebAssembly arena.
import type { ConvGeometry } from './conv.ts';
import { simdMaxPool, simdMaxPoolBackward } from './elementwise.ts';

/** y = the maximum of each window per channel; `winner` keeps its offset ky·kw + kx in the window (first in row-major order). */
export function maxPoolForward(x: Float32Array, y: Float32Array, winner: Float32Array, g: ConvGeometry): void {
  // Arrays in the WebAssembly arena (a resident model's), 4 channels at a time: the same rule on SIMD.
  if (simdMaxPool(x, y, winner, g)) return;
  const { batch, inH, inW, inC, kh, kw, sh, sw, outH, outW } = g;
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * inC;
        for (let c = 0; c < inC; c++) {
          const first = ((b * inH + oy * sh) * inW + ox * sw) * inC + c;
          let best = x[first] as number;
          let at = 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const v = x[first + (ky * inW + kx) * inC] as number;
              // NOTE: `>` keeps the first maximum in row-major order (DESIGN.md); a NaN first value stays.
              if (v > best) {
                best = v;
                at = ky * kw + kx;
              }
            }
          y[o + c] = best;
          winner[o + c] = at;
        }
      }
}

/** dx += dy at each window's winner. */
export function maxPoolBackward(dy: Float32Array, winner: Float32Array, dx: Float32Array, g: ConvGeometry): void {
  // Arrays in the WebAssembly arena, 4 channels at a time: each window position adds dy where it won.
  if (simdMaxPoolBackward(dy, winner, dx, g)) return;
  const { batch, inH, inW, inC, kw, sh, sw, outH, outW } = g;
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * inC;
        for (let c = 0; c < inC; c++) {
          const at = winner[o + c] as number;
          const ky = Math.floor(at / kw);
          const i = ((b * inH + oy * sh + ky) * inW + ox * sw + (at - ky * kw)) * inC + c;
          dx[i] = (dx[i] as number) + (dy[o + c] as number);
        }
      }
}

/** y = the mean of each window per channel. */
export function avgPoolForward(x: Float32Array, y: Float32Array, g: ConvGeometry): void {
  const { batch, inH, inW, inC, kh, kw, sh, sw, outH, outW } = g;
  const scale = 1 / (kh * kw);
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * inC;
        for (let c = 0; c < inC; c++) y[o + c] = 0;
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const i = ((b * inH + oy * sh + ky) * inW + ox * sw + kx) * inC;
            for (let c = 0; c < inC; c++) y[o + c] = (y[o + c] as number) + (x[i + c] as number);
          }
        for (let c = 0; c < inC; c++) y[o + c] = (y[o + c] as number) * scale;
      }
}

/** dx += dy / (kh·kw) at every input a window covers (the mean's share). */
export function avgPoolBackward(dy: Float32Array, dx: Float32Array, g: ConvGeometry): void {
  const { batch, inH, inW, inC, kh, kw, sh, sw, outH, outW } = g;
  const scale = 1 / (kh * kw);
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * inC;
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const i = ((b * inH + oy * sh + ky) * inW + ox * sw + kx) * inC;
            for (let c = 0; c < inC; c++) dx[i + c] = (dx[i + c] as number) + (dy[o + c] as number) * scale;
          }
      }
}
