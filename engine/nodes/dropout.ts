// Dropout (inverted): while training (lossAndGrads) out = in · mask / (1 − rate), mask ~ Bernoulli(1 − rate)
// from the model's seeded PRNG; identity in predict and loss. The mask is kept for backward.
import { z } from 'zod';
import { finite } from '../format/schema.ts';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';

const dropoutOp: Op = {
  scratch: (size) => size,
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
    },
    ja: {
      label: 'ドロップアウト',
      description: '学習中だけ、値の一部(割合 rate)をランダムに 0 にして残りを拡大します',
      fields: { rate: '割合' },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({ rate: finite().min(0).lt(1, 'must be below 1').optional() }),
  defaults: () => ({ rate: 0.5 }),
  fields: [{ key: 'rate', kind: 'number' }],
  inferShape: ([input]) => [...input!],
  op: dropoutOp,
});
