// MaxPool2D: the maximum of each window per channel (`valid` windows, stride = size by default).
// Its gradient goes to the first maximum in row-major order; the winners are kept for backward.
import type { TraceTensor } from '../train/traceTypes.ts';
import { maxPoolBackward, maxPoolForward } from '../kernels/pool.ts';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import type { TraceBackwardRule } from './rules.ts';
import {
  numpyWindows,
  onnxPool,
  poolFields,
  poolGeometry,
  poolSchema,
  poolShape,
  poolTraceForward,
  stepGeometry,
  torchPool,
} from './pooling.ts';
import { IMAGE_FIXES, imageProblems } from './spatial.ts';
import { CONV_NUMPY_HELPERS } from './spatialExport.ts';
import { vectorTerm } from './traceTerms.ts';

const op: Op = {
  // The winner of each output value's window (its offset in the window).
  scratch: (size) => size,
  forward(step, batch) {
    maxPoolForward(step.inputs[0]!.data, step.output.data, step.scratch, stepGeometry(step, batch));
  },
  backward(step, batch) {
    const dx = step.inputs[0]!.grad;
    if (dx) maxPoolBackward(step.output.grad!, step.scratch, dx, stepGeometry(step, batch));
  },
};

/** Where each window's maximum sits: 1 at the winner of the window (first in row-major order), else 0. */
function winners(x: TraceTensor, out: TraceTensor, g: ReturnType<typeof poolGeometry>): Float32Array {
  const y = new Float32Array(out.values.length);
  const at = new Float32Array(out.values.length);
  maxPoolForward(x.values, y, at, g);
  const mask = new Float32Array(x.values.length);
  maxPoolBackward(new Float32Array(out.values.length).fill(1), at, mask, g);
  return mask;
}

export const maxpool2d = defineNode({
  type: 'maxpool2d',
  category: 'convolution',
  featureMaps: true,
  text: {
    en: {
      label: 'MaxPool2D',
      description: 'The largest value of each window, per channel: halves an image with size 2',
      fields: { size: 'Window', stride: 'Stride' },
      trace: {
        forward: 'MaxPool2D: each {size} window keeps its largest value, per channel.',
        window: 'The window at row {row}, column {col} of channel {channel}: the largest value, {value}, wins.',
        backward:
          'Chain rule at MaxPool2D: the gradient of each output goes to the one input that won its window; the others get 0.',
      },
    },
    ja: {
      label: '最大プール',
      description: 'チャンネルごとに各窓の最大値を取ります（サイズ 2 なら画像が半分に）',
      fields: { size: '窓', stride: 'ストライド' },
      trace: {
        forward: '最大プーリング：{size} の窓ごとに、チャンネルごとの最大値を残します。',
        window: 'チャンネル {channel} の {row} 行 {col} 列の窓：最大値 {value} が選ばれます。',
        backward: '最大プーリングでの連鎖律：各出力の勾配は、その窓で選ばれた 1 つの入力だけに行き、他は 0 です。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: poolSchema,
  defaults: () => ({ size: 2 }),
  fields: poolFields,
  inferShape: ([input], d) => poolShape(input!, d),
  layer: {
    op,
    reference: {
      forward({ batch, data, inputs: [x] }) {
        const g = poolGeometry(data, x!.shape);
        const { inH, inW, inC, kh, kw, sh, sw, outH, outW } = g;
        const out = new Float64Array(batch * outH * outW * inC);
        const pattern = new Uint16Array(out.length);
        for (let n = 0; n < batch; n++)
          for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++)
              for (let c = 0; c < inC; c++) {
                let best = Number.NEGATIVE_INFINITY;
                let at = -1;
                for (let ky = 0; ky < kh; ky++)
                  for (let kx = 0; kx < kw; kx++) {
                    const v = x!.v[((n * inH + oy * sh + ky) * inW + ox * sw + kx) * inC + c]!;
                    if (at < 0 || v > best) [best, at] = [v, ky * kw + kx];
                  }
                const o = ((n * outH + oy) * outW + ox) * inC + c;
                out[o] = best;
                pattern[o] = at;
              }
        // NOTE: the winners are where max is not smooth: a change of winner is a kink.
        return { v: out, shape: [outH, outW, inC], pattern };
      },
    },
    onnx: (c) => onnxPool('MaxPool', c),
    pytorch: ({ layer, data, self, inputs }) => torchPool('MaxPool2d', data, layer.inputShapes[0]!, self, inputs[0]!),
    numpy: {
      helpers: CONV_NUMPY_HELPERS,
      forward: ({ layer, data, inputs }) => ({
        value: `${numpyWindows(data, layer.inputShapes[0]!, inputs[0]!)}.max(axis=3)`,
        rule: 'a = the largest value of each window, per channel',
      }),
      backward: ({ layer, data, inputs, g, into }) => {
        const geo = poolGeometry(data, layer.inputShapes[0]!);
        const windows = numpyWindows(data, layer.inputShapes[0]!, inputs[0]!);
        return [
          `    win = ${windows}`,
          `    won = np.arange(${geo.kh * geo.kw})[None, None, None, :, None] == win.argmax(axis=3)[:, :, :, None, :]  # the first maximum of each window`,
          ...into(
            0,
            `col2im((won * ${g}[:, :, :, None, :]).reshape(len(${inputs[0]}), ${geo.outH}, ${geo.outW}, -1), ${inputs[0]}.shape, ${geo.kh}, ${geo.kw}, ${geo.sh}, ${geo.sw}, (0, 0, 0, 0))`,
            'dL/din: each window’s δ goes to its winner only',
          ),
        ];
      },
    },
    trace: {
      forward: ({ data, inputs: [x], output }) => poolTraceForward(data, x!, output, 'max →'),
      backward: ({ data, inputs: [x], output }): TraceBackwardRule => {
        const g = poolGeometry(data, x!.shape);
        const won = { shape: [...x!.shape], values: winners(x!, output, g) };
        return {
          local: {
            kind: 'maxpool2d',
            text: 'backward',
            params: {},
            terms: [vectorTerm(won, 'winners')],
            values: { winners: won },
          },
          passDown: (_port, dy) => {
            const at = new Float32Array(output.values.length);
            maxPoolForward(x!.values, new Float32Array(output.values.length), at, g);
            const dx = new Float32Array(x!.values.length);
            maxPoolBackward(dy, at, dx, g);
            return dx;
          },
        };
      },
    },
  },
  fixes: IMAGE_FIXES,
  problems: imageProblems('maxpool2d'),
});
