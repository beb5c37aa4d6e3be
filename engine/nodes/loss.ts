// Loss: the scalar that training minimises, from `pred` and the Input's targets. The compiler
// handles it (engine/ops/losses.ts holds the functions, fused with a softmax/sigmoid before it).
import { z } from 'zod';
import { lossFnSchema } from '../format/schema.ts';
import { defineNode } from './define.ts';

export const loss = defineNode({
  type: 'loss',
  category: 'loss',
  text: {
    en: {
      label: 'Loss',
      description: 'The scalar that training minimises',
      fields: { fn: 'Function' },
      trace: {
        forward: 'Loss ({fn}): how far the prediction p is from the target t.',
        backward: "The loss starts backprop: dL/dL = 1, times the loss's own derivative {formula}.",
      },
    },
    ja: {
      label: '損失',
      description: '学習が最小化するスカラー値',
      fields: { fn: '関数' },
      trace: {
        forward: '損失（{fn}）：予測 p が正解 t からどれだけ離れているか。',
        backward: '損失から逆伝播が始まります：dL/dL = 1 に損失自身の微分 {formula} を掛けます。',
      },
    },
  },
  ports: { inputs: ['pred', 'target'], outputs: [] },
  schema: z.strictObject({ fn: lossFnSchema }),
  defaults: () => ({ fn: 'mse' as const }),
  fields: [{ key: 'fn', kind: 'select' }],
  problems: {
    'shape-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'loss')} compares pred ${f.shape((p.pred as number[] | undefined) ?? [])} with target ${f.shape((p.target as number[] | undefined) ?? [])}`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'loss')} が予測 ${f.shape((p.pred as number[] | undefined) ?? [])} と正解 ${f.shape((p.target as number[] | undefined) ?? [])} を比べています（形が合いません）`,
    },
  },
});
