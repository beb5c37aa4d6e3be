// Dropout (inverted): while training (lossAndGrads) out = in · mask / (1 − rate), mask ~ Bernoulli(1 − rate)
// from the model's seeded PRNG; identity in predict and loss. The mask is kept for backward.
import { z } from 'zod';
import { finite } from '../format/schema.ts';
import { pyFloat } from '../export/python.ts';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import { inputsToOutput, vectorTerm } from './traceTerms.ts';

const op: Op = {
  scratch: (size) => size,
  mask: true,
  forward(step, batch, ctx) {
    const x = step.inputs[0]!.data;
    const y = step.output.data;
    const n = batch * step.output.size;
    const rate = (step.data.rate as number | undefined) ?? 0.5;
    const mask = step.scratch;
    if (!ctx.training || rate === 0) {
      y.set(x.subarray(0, n));
      mask.fill(1, 0, n);
      return;
    }
    const keep = 1 / (1 - rate);
    for (let i = 0; i < n; i++) {
      const m = ctx.rng.uniform() < rate ? 0 : keep;
      mask[i] = m;
      y[i] = (x[i] as number) * m;
    }
  },
  backward(step, batch) {
    const dx = step.inputs[0]!.grad;
    if (!dx) return;
    const dy = step.output.grad!;
    const mask = step.scratch;
    for (let i = 0, n = batch * step.output.size; i < n; i++)
      dx[i] = (dx[i] as number) + (dy[i] as number) * (mask[i] as number);
  },
};

export const dropout = defineNode({
  type: 'dropout',
  category: 'regularization',
  text: {
    en: {
      label: 'Dropout',
      description: 'While training, zeroes a random share of values (rate) and scales the rest',
      fields: { rate: 'Rate' },
      trace: {
        forward: 'Dropout: while training, some values are set to 0 and the rest scaled up.',
        backward: 'Dropout passes the gradient only where it kept the value (rate {rate}), scaled the same way.',
      },
    },
    ja: {
      label: 'ドロップアウト',
      description: '学習中だけ、値の一部（割合 rate）をランダムに 0 にして残りを拡大します',
      fields: { rate: '割合' },
      trace: {
        forward: 'ドロップアウト：学習中は一部の値を 0 にし、残りを拡大します。',
        backward: 'ドロップアウトは値を残した所だけに勾配を渡し（率 {rate}）、同じ倍率を掛けます。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({ rate: finite().min(0).lt(1, 'must be below 1').optional() }),
  defaults: () => ({ rate: 0.5 }),
  fields: [{ key: 'rate', kind: 'number' }],
  inferShape: ([input]) => [...input!],
  layer: {
    op,
    reference: {
      forward: ({ inputs: [x], mask }) => ({ v: mask ? x!.v.map((v, i) => v * mask[i]!) : x!.v, shape: x!.shape }),
    },
    // NOTE: inference only: dropout is the identity in `predict`.
    onnx: ({ inputs, output }) => [{ op: 'Identity', inputs, outputs: [output] }],
    pytorch: ({ data, self, inputs }) => ({
      module: `nn.Dropout(${pyFloat(data.rate ?? 0.5)})`,
      forward: `${self}(${inputs[0]})`,
    }),
    numpy: {
      forward: ({ data, inputs }) => ({
        value: inputs[0]!,
        rule: `dropout (rate ${data.rate ?? 0.5}) is the identity here: its random mask is for training`,
      }),
      backward: ({ g, into }) => into(0, g, 'dropout as the identity (see forward)'),
    },
    trace: {
      forward: ({ inputs, output }) => [
        { text: 'forward', params: {}, terms: inputsToOutput(inputs, output, { inputs: ['in'] }) },
      ],
      backward: ({ data, mask }) => ({
        local: {
          kind: 'dropout',
          text: 'backward',
          params: { rate: data.rate ?? 0.5 },
          terms: [vectorTerm(mask!, 'mask')],
          values: { mask: mask! },
        },
        passDown: (_port, g) => Float32Array.from(g, (v, i) => v * mask!.values[i]!),
      }),
    },
  },
});
