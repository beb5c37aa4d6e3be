// 2-D convolution kernels, channels last (as the `arrays` images and DESIGN.md's conv2d):
// x [B, inH, inW, inC], w [kh, kw, inC, outC], y [B, outH, outW, outC]. Cross-correlation, as in
// every framework. The geometry (output size, TensorFlow's padding split) is the caller's; these
// kernels only loop. The TypeScript kernels here are the reference every faster kernel is tested
// against (engine/kernels/backend.ts picks the kernels in use).

/** One convolution's sizes. `padTop`/`padLeft` rows/columns of zeros sit before the input. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
  outC: number;
}

export interface ConvKernels {
  name: string;
  /** y = conv(x, w) (+ bias[outC] when given); overwrites y. */
  conv2dForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, g: ConvGeometry): void;
  /** dx += the gradient of the loss w.r.t. x, given dy (ADDS, as every op's backward does into inputs). */
  conv2dBackwardInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: ConvGeometry): void;
  /** dw = the gradient w.r.t. w; db = Σ dy over batch and pixels when given (both OVERWRITTEN). */
  conv2dBackwardFilter(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    db: Float32Array | null,
    g: ConvGeometry,
  ): void;
}

/** The plain loops: output pixel by output pixel, the innermost loop over the contiguous filters axis. */
export const tsConvKernels: ConvKernels = {
  name: 'ts',

  conv2dForward(x, w, bias, y, g) {
    const { batch, inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW, outC } = g;
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const o = ((b * outH + oy) * outW + ox) * outC;
          for (let f = 0; f < outC; f++) y[o + f] = bias ? (bias[f] as number) : 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - padTop + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - padLeft + kx;
              if (ix < 0 || ix >= inW) continue;
              const xi = ((b * inH + iy) * inW + ix) * inC;
              const wi = (ky * kw + kx) * inC * outC;
              for (let c = 0; c < inC; c++) {
                const v = x[xi + c] as number;
                if (v === 0) continue;
                const wr = wi + c * outC;
                for (let f = 0; f < outC; f++) y[o + f] = (y[o + f] as number) + v * (w[wr + f] as number);
              }
            }
          }
        }
      }
    }
  },

  conv2dBackwardInput(dy, w, dx, g) {
    const { batch, inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW, outC } = g;
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const o = ((b * outH + oy) * outW + ox) * outC;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - padTop + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - padLeft + kx;
              if (ix < 0 || ix >= inW) continue;
              const xi = ((b * inH + iy) * inW + ix) * inC;
              const wi = (ky * kw + kx) * inC * outC;
              for (let c = 0; c < inC; c++) {
                const wr = wi + c * outC;
                let s = 0;
                for (let f = 0; f < outC; f++) s += (dy[o + f] as number) * (w[wr + f] as number);
                dx[xi + c] = (dx[xi + c] as number) + s;
              }
            }
          }
        }
      }
    }
  },

  conv2dBackwardFilter(x, dy, dw, db, g) {
    const { batch, inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW, outC } = g;
    dw.fill(0, 0, kh * kw * inC * outC);
    if (db) db.fill(0, 0, outC);
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const o = ((b * outH + oy) * outW + ox) * outC;
          if (db) for (let f = 0; f < outC; f++) db[f] = (db[f] as number) + (dy[o + f] as number);
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - padTop + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - padLeft + kx;
              if (ix < 0 || ix >= inW) continue;
              const xi = ((b * inH + iy) * inW + ix) * inC;
              const wi = (ky * kw + kx) * inC * outC;
              for (let c = 0; c < inC; c++) {
                const v = x[xi + c] as number;
                if (v === 0) continue;
                const wr = wi + c * outC;
                for (let f = 0; f < outC; f++) dw[wr + f] = (dw[wr + f] as number) + v * (dy[o + f] as number);
              }
            }
          }
        }
      }
    }
  },
};
