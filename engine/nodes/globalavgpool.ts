// GlobalAvgPool: [B, H, W, C] → [B, C], the mean of each channel over the whole image.
import { z } from 'zod';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import { IMAGE_FIXES, imageInput, imageProblems } from './spatial.ts';
import { vectorTerm } from './traceTerms.ts';

const op: Op = {
  forward(step, batch) {
    const x = step.inputs[0]!.data;
    const y = step.output.data;
    const C = step.output.size;
    const pixels = step.inputs[0]!.size / C;
    const scale = 1 / pixels;
    for (let b = 0; b < batch; b++) {
      const o = b * C;
      for (let c = 0; c < C; c++) y[o + c] = 0;
      for (let p = 0, i = b * pixels * C; p < pixels; p++, i += C)
        for (let c = 0; c < C; c++) y[o + c] = (y[o + c] as number) + (x[i + c] as number);
      for (let c = 0; c < C; c++) y[o + c] = (y[o + c] as number) * scale;
    }
  },
  backward(step, batch) {
    const dx = step.inputs[0]!.grad;
    if (!dx) return;
    const dy = step.output.grad!;
    const C = step.output.size;
    const pixels = step.inputs[0]!.size / C;
    const scale = 1 / pixels;
    for (let b = 0; b < batch; b++)
      for (let p = 0, i = b * pixels * C; p < pixels; p++, i += C)
        for (let c = 0; c < C; c++) dx[i + c] = (dx[i + c] as number) + (dy[b * C + c] as number) * scale;
  },
};

export const globalavgpool = defineNode({
  type: 'globalavgpool',
  category: 'convolution',
  text: {
    en: {
      label: 'GlobalAvgPool',
      description: 'The mean of each channel over the whole image: [h, w, c] → [c]',
      trace: {
        forward: 'GlobalAvgPool: each of the {c} channels becomes the mean of its {n} pixels.',
        backward:
          'Chain rule at GlobalAvgPool: each channel’s gradient is shared equally, 1/{n} to every pixel of that channel.',
      },
    },
    ja: {
      label: '全体平均',
      description: 'チャンネルごとに画像全体の平均を取ります: [h, w, c] → [c]',
      trace: {
        forward: '全体平均プーリング：{c} 個のチャンネルそれぞれが、その {n} 画素の平均になります。',
        backward:
          '全体平均プーリングでの連鎖律：各チャンネルの勾配を、そのチャンネルの全画素に 1/{n} ずつ等しく分けます。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape: ([input]) => imageInput(input!) ?? [input![2]!],
  layer: {
    op,
    reference: {
      forward({ batch, inputs: [x] }) {
        const [h, w, C] = x!.shape as [number, number, number];
        const out = new Float64Array(batch * C);
        for (let n = 0; n < batch; n++)
          for (let p = 0; p < h * w; p++)
            for (let c = 0; c < C; c++) out[n * C + c]! += x!.v[(n * h * w + p) * C + c]! / (h * w);
        return { v: out, shape: [C] };
      },
    },
    onnx: ({ inputs, output }) => [
      { op: 'ReduceMean', inputs, outputs: [output], attributes: { axes: { ints: [1, 2] }, keepdims: { int: 0 } } },
    ],
    pytorch: ({ inputs }) => ({ forward: `${inputs[0]}.mean(dim=(1, 2))` }),
    numpy: {
      forward: ({ inputs }) => ({
        value: `${inputs[0]}.mean(axis=(1, 2))`,
        rule: 'a = the mean of each channel over height and width',
      }),
      backward: ({ inputs, g, into }) =>
        into(
          0,
          `np.broadcast_to(${g}[:, None, None, :], ${inputs[0]}.shape) / (${inputs[0]}.shape[1] * ${inputs[0]}.shape[2])`,
          'dL/din: each channel’s δ shared equally by its H·W pixels',
        ),
    },
    trace: {
      forward: ({ inputs: [x], output }) => [
        {
          text: 'forward',
          params: { c: x!.shape[2]!, n: x!.shape[0]! * x!.shape[1]! },
          terms: [vectorTerm(x!, 'in'), { op: 'mean →' }, vectorTerm(output, 'out')],
        },
      ],
      backward: ({ inputs: [x] }) => {
        const [h, w, C] = x!.shape as [number, number, number];
        return {
          local: {
            kind: 'globalavgpool',
            text: 'backward',
            params: { n: h * w },
            terms: [{ formula: `1/${h * w}` }],
            values: {},
          },
          passDown: (_port, dy) => Float32Array.from({ length: h * w * C }, (_, i) => dy[i % C]! / (h * w)),
        };
      },
    },
  },
  fixes: IMAGE_FIXES,
  problems: { 'input-rank': imageProblems('globalavgpool')['input-rank']! },
});
