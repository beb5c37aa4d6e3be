// Concat: joins 'a' and 'b' along the last (feature) axis, a's features first.
import { z } from 'zod';
import { concat as concatOp } from '../ops/concat.ts';
import { defineNode } from './define.ts';

export const concat = defineNode({
  type: 'concat',
  category: 'merge',
  text: {
    en: { label: 'Concat', description: "Joins a and b's features" },
    ja: { label: '連結', description: 'a と b の特徴量をつなげます' },
  },
  ports: { inputs: ['a', 'b'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape([a, b]) {
    const lead = (s: readonly number[]) => s.slice(0, -1).join(', ');
    if (a!.length !== b!.length || lead(a!) !== lead(b!))
      return { code: 'shape-mismatch', params: { a: [...a!], b: [...b!] } };
    if (a!.length === 0) return [2];
    return [...a!.slice(0, -1), (a![a!.length - 1] as number) + (b![b!.length - 1] as number)];
  },
  op: concatOp,
  problems: {
    'shape-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'concat')} can only join shapes that differ in the last axis, but 'a' gives ${f.shape((p.a as number[] | undefined) ?? [])} and 'b' gives ${f.shape((p.b as number[] | undefined) ?? [])}`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'concat')} は最後の軸だけが違う形しかつなげませんが、'a' は ${f.shape((p.a as number[] | undefined) ?? [])}、'b' は ${f.shape((p.b as number[] | undefined) ?? [])} です`,
    },
  },
});
