// AvgPool2D: the mean of each window per channel (`valid` windows, stride = size by default).
import { avgPoolBackward, avgPoolForward } from '../kernels/pool.ts';
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

const op: Op = {
  forward(step, batch) {
    avgPoolForward(step.inputs[0]!.data, step.output.data, stepGeometry(step, batch));
  },
  backward(step, batch) {
    const dx = step.inputs[0]!.grad;
    if (dx) avgPoolBackward(step.output.grad!, dx, stepGeometry(step, batch));
  },
};

export const avgpool2d = defineNode({
  type: 'avgpool2d',
  category: 'convolution',
  featureMaps: true,
  text: {
    en: {
      label: 'AvgPool2D',
      description: 'The mean of each window, per channel',
      fields: { size: 'Window', stride: 'Stride' },
      trace: {
        forward: 'AvgPool2D: each {size} window becomes its mean, per channel.',
        window: 'The window at row {row}, column {col} of channel {channel}: its mean is {value}.',
        backward:
          'Chain rule at AvgPool2D: each output’s gradient is shared equally, 1/{n} to each of the {n} inputs its window covers.',
      },
    },
    ja: {
      label: '平均プール',
      description: 'チャンネルごとに各窓の平均を取ります',
      fields: { size: '窓', stride: 'ストライド' },
      trace: {
        forward: '平均プーリング：{size} の窓ごとに、チャンネルごとの平均を取ります。',
        window: 'チャンネル {channel} の {row} 行 {col} 列の窓：平均は {value} です。',
        backward: '平均プーリングでの連鎖律：各出力の勾配を窓の全ての入力に 1/{n} ずつ等しく分けます。',
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
        const { inH, inW, inC, kh, kw, sh, sw, outH, outW } = poolGeometry(data, x!.shape);
        const out = new Float64Array(batch * outH * outW * inC);
        for (let n = 0; n < batch; n++)
          for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++)
              for (let c = 0; c < inC; c++) {
                let s = 0;
                for (let ky = 0; ky < kh; ky++)
                  for (let kx = 0; kx < kw; kx++) s += x!.v[((n * inH + oy * sh + ky) * inW + ox * sw + kx) * inC + c]!;
                out[((n * outH + oy) * outW + ox) * inC + c] = s / (kh * kw);
              }
        return { v: out, shape: [outH, outW, inC] };
      },
    },
    onnx: (c) => onnxPool('AveragePool', c),
    pytorch: ({ layer, data, self, inputs }) => torchPool('AvgPool2d', data, layer.inputShapes[0]!, self, inputs[0]!),
    numpy: {
      helpers: CONV_NUMPY_HELPERS,
      forward: ({ layer, data, inputs }) => ({
        value: `${numpyWindows(data, layer.inputShapes[0]!, inputs[0]!)}.mean(axis=3)`,
        rule: 'a = the mean of each window, per channel',
      }),
      backward: ({ layer, data, inputs, g, into }) => {
        const geo = poolGeometry(data, layer.inputShapes[0]!);
        const n = geo.kh * geo.kw;
        return into(
          0,
          `col2im(np.repeat(${g}[:, :, :, None, :] / ${n}, ${n}, axis=3).reshape(len(${inputs[0]}), ${geo.outH}, ${geo.outW}, -1), ${inputs[0]}.shape, ${geo.kh}, ${geo.kw}, ${geo.sh}, ${geo.sw}, (0, 0, 0, 0))`,
          `dL/din: each window’s δ shared equally, δ/${n} to each of its inputs`,
        );
      },
    },
    trace: {
      forward: ({ data, inputs: [x], output }) => poolTraceForward(data, x!, output, 'mean →'),
      backward: ({ data, inputs: [x] }): TraceBackwardRule => {
        const g = poolGeometry(data, x!.shape);
        return {
          local: {
            kind: 'avgpool2d',
            text: 'backward',
            params: { n: g.kh * g.kw },
            terms: [{ formula: `1/${g.kh * g.kw}` }],
            values: {},
          },
          passDown: (_port, dy) => {
            const dx = new Float32Array(x!.values.length);
            avgPoolBackward(dy, dx, g);
            return dx;
          },
        };
      },
    },
  },
  fixes: IMAGE_FIXES,
  problems: imageProblems('avgpool2d'),
});
