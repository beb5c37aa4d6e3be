// Activation: one function from engine/ops/activations.ts, element-wise (softmax along the last axis).
import { z } from 'zod';
import { activationFnSchema } from '../format/schema.ts';
import { activation as activationOp } from '../ops/activation.ts';
import { defineNode } from './define.ts';

export const activation = defineNode({
  type: 'activation',
  category: 'activation',
  text: {
    en: { label: 'Activation', description: 'Element-wise nonlinearity (softmax per row)', fields: { fn: 'Function' } },
    ja: { label: '活性化', description: '要素ごとの非線形関数(softmax は行ごと)', fields: { fn: '関数' } },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({ fn: activationFnSchema }),
  defaults: () => ({ fn: 'relu' as const }),
  fields: [{ key: 'fn', kind: 'select' }],
  inferShape: ([input]) => [...input!],
  op: activationOp,
});
