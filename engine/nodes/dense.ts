// Dense (fully connected): out = in · W + b, W is [inFeatures, units] row-major, b is [units]
// (absent when `bias` is false). A Dense takes a per-sample vector: a multi-axis input needs a
// Flatten node first.
import { z } from 'zod';
import { count, finite, initSchema } from '../format/schema.ts';
import { dense as denseOp } from '../ops/dense.ts';
import { defineNode } from './define.ts';

const schema = z.strictObject({
  units: count(1, 100_000),
  init: initSchema.optional(),
  /** Half-width for `init: "uniform"` (default 0.05). */
  scale: finite().positive().max(100).optional(),
  /** Standard deviation for `init: "normal"` (default 0.05). */
  std: finite().positive().max(100).optional(),
  /** Default true. */
  bias: z.boolean().optional(),
  /** Default "zeros". */
  biasInit: initSchema.optional(),
});
type DenseData = z.infer<typeof schema>;
const usesScale = (d: Record<string, unknown>) => d.init === 'uniform' || d.biasInit === 'uniform';
const usesStd = (d: Record<string, unknown>) => d.init === 'normal' || d.biasInit === 'normal';

export const dense = defineNode({
  type: 'dense',
  category: 'layer',
  text: {
    en: {
      label: 'Dense',
      description: 'Fully connected layer: out = in · W + b',
      fields: {
        units: 'Units',
        init: 'Weight init',
        scale: 'Scale (uniform)',
        std: 'Std (normal)',
        bias: 'Bias',
        biasInit: 'Bias init',
      },
    },
    ja: {
      label: '全結合',
      description: '全結合層: out = in · W + b',
      fields: {
        units: 'ユニット数',
        init: '重みの初期化',
        scale: '幅(一様分布)',
        std: '標準偏差(正規分布)',
        bias: 'バイアス',
        biasInit: 'バイアスの初期化',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema,
  defaults: () => ({ units: 8 }),
  fields: [
    { key: 'units', kind: 'int' },
    { key: 'init', kind: 'select' },
    { key: 'scale', kind: 'number', when: usesScale },
    { key: 'std', kind: 'number', when: usesStd },
    { key: 'bias', kind: 'bool' },
    { key: 'biasInit', kind: 'select', when: (d) => d.bias !== false },
  ],
  paramNames: (d: DenseData) => (d.bias === false ? ['W'] : ['W', 'b']),
  inferShape([input], d) {
    if (input!.length !== 1) return { code: 'input-rank', params: { shape: [...input!] } };
    return [d.units];
  },
  params(d, [input]) {
    const fanIn = input![0]!;
    const opts = { scale: d.scale, std: d.std };
    const W = {
      name: 'W',
      shape: [fanIn, d.units],
      decay: true,
      init: { kind: d.init ?? 'glorot_uniform', fanIn, fanOut: d.units, ...opts },
    };
    if (d.bias === false) return [W];
    const b = {
      name: 'b',
      shape: [d.units],
      decay: false,
      init: { kind: d.biasInit ?? 'zeros', fanIn: d.units, fanOut: d.units, ...opts },
    };
    return [W, b];
  },
  op: denseOp,
  problems: {
    'input-rank': {
      en: (p, f) =>
        `${f.node(String(p.node), 'dense')} takes a vector per sample but gets ${f.shape((p.shape as number[] | undefined) ?? [])}: insert a Flatten node before it`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'dense')} は 1 サンプルにつきベクトルを受け取りますが、${f.shape((p.shape as number[] | undefined) ?? [])} が来ています。前に平坦化ノードを入れてください`,
    },
  },
});
