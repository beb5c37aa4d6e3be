// Input: one batch of features `x` and targets `y` from the node's dataset. The compiler feeds
// the batch in here; the dataset's shapes come from engine/datasets.
import { z } from 'zod';
import { datasetSchema } from '../format/schema.ts';
import { defineNode } from './define.ts';

export const input = defineNode({
  type: 'input',
  category: 'data',
  text: {
    en: {
      label: 'Input',
      description: 'A batch of features x and targets y from a dataset',
      trace: {
        forward: 'The sample enters the network: its features x, and the target y the loss will compare with.',
        backward: 'The Input holds data, not parameters: nothing to learn, backprop ends here.',
      },
    },
    ja: {
      label: '入力',
      description: 'データセットから特徴量 x と正解 y をミニバッチで取り出します',
      trace: {
        forward: 'サンプルがネットワークに入ります：特徴量 x と、損失が比べる正解 y。',
        backward: '入力ノードはデータでありパラメータではありません。学習するものはなく、逆伝播はここで終わります。',
      },
    },
  },
  ports: { inputs: [], outputs: ['x', 'y'] },
  schema: z.strictObject({ dataset: datasetSchema.optional() }),
  defaults: () => ({ dataset: { kind: 'xor' as const } }),
  fields: [],
  problems: {
    'no-dataset': {
      en: (p, f) => `${f.node(String(p.node), 'input')} has no dataset`,
      ja: (p, f) => `${f.node(String(p.node), 'input')} にデータセットがありません`,
    },
    'bad-dataset': {
      en: (p, f) => `${f.node(String(p.node), 'input')}: ${String(p.detail)}`,
      ja: (p, f) => `${f.node(String(p.node), 'input')}: データセットを読めません（${String(p.detail)}）`,
    },
  },
});
