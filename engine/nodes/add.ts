// Add: element-wise sum of two equal shapes (residual connections).
import { z } from 'zod';
import { add as addOp } from '../ops/add.ts';
import { defineNode } from './define.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export const add = defineNode({
  type: 'add',
  category: 'merge',
  text: {
    en: { label: 'Add', description: 'Element-wise sum of a and b (residual)' },
    ja: { label: '加算', description: 'a と b の要素ごとの和(残差接続)' },
  },
  ports: { inputs: ['a', 'b'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape([a, b]) {
    if (!same(a!, b!)) return { code: 'shape-mismatch', params: { a: [...a!], b: [...b!] } };
    return [...a!];
  },
  op: addOp,
  problems: {
    'shape-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'add')} needs equal shapes but 'a' gives ${f.shape((p.a as number[] | undefined) ?? [])} and 'b' gives ${f.shape((p.b as number[] | undefined) ?? [])}`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'add')} には同じ形が必要ですが、'a' は ${f.shape((p.a as number[] | undefined) ?? [])}、'b' は ${f.shape((p.b as number[] | undefined) ?? [])} です`,
    },
  },
});
