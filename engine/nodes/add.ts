// Add: element-wise sum of two equal shapes (residual connections). Both inputs receive dy.
import { z } from 'zod';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import { inputsToOutput, passThrough } from './traceTerms.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

const op: Op = {
  forward(step, batch) {
    const a = step.inputs[0]!.data;
    const b = step.inputs[1]!.data;
    const y = step.output.data;
    for (let i = 0, n = batch * step.output.size; i < n; i++) y[i] = (a[i] as number) + (b[i] as number);
  },
  backward(step, batch) {
    const dy = step.output.grad!;
    const n = batch * step.output.size;
    for (let k = 0; k < step.inputs.length; k++) {
      const dx = step.inputs[k]!.grad;
      if (!dx) continue;
      for (let i = 0; i < n; i++) dx[i] = (dx[i] as number) + (dy[i] as number);
    }
  },
};

export const add = defineNode({
  type: 'add',
  category: 'merge',
  text: {
    en: {
      label: 'Add',
      description: 'Element-wise sum of a and b (residual)',
      trace: {
        forward: 'Add: the two inputs are summed element by element.',
        backward: 'Add passes the gradient to both inputs unchanged (its local derivative is 1).',
      },
    },
    ja: {
      label: '加算',
      description: 'a と b の要素ごとの和（残差接続）',
      trace: {
        forward: '加算：2 つの入力を要素ごとに足します。',
        backward: '加算は勾配を両方の入力にそのまま渡します（局所的な微分は 1）。',
      },
    },
  },
  ports: { inputs: ['a', 'b'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape([a, b]) {
    if (!same(a!, b!)) return { code: 'shape-mismatch', params: { a: [...a!], b: [...b!] } };
    return [...a!];
  },
  layer: {
    op,
    reference: {
      forward: ({ inputs: [a, b] }) => ({ v: a!.v.map((v, i) => v + b!.v[i]!), shape: a!.shape }),
    },
    onnx: ({ inputs, output }) => [{ op: 'Add', inputs, outputs: [output] }],
    pytorch: ({ inputs }) => ({ forward: `${inputs[0]} + ${inputs[1]}` }),
    numpy: {
      forward: ({ inputs }) => ({ value: `${inputs[0]} + ${inputs[1]}`, rule: 'a = in_a + in_b (element-wise)' }),
      backward: ({ g, into }) => [...into(0, g, 'dL/din_a = dL/da'), ...into(1, g, 'dL/din_b = dL/da')],
    },
    trace: {
      forward: ({ inputs, output }) => [
        { text: 'forward', params: {}, terms: inputsToOutput(inputs, output, { inputs: ['a', 'b'], op: '+' }) },
      ],
      backward: () => ({
        local: { kind: 'add', text: 'backward', params: {}, terms: [{ formula: '1' }], values: {} },
        passDown: passThrough,
      }),
    },
  },
  problems: {
    'shape-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'add')} needs equal shapes but 'a' gives ${f.shape((p.a as number[] | undefined) ?? [])} and 'b' gives ${f.shape((p.b as number[] | undefined) ?? [])}`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'add')} には同じ形が必要ですが、「a」は ${f.shape((p.a as number[] | undefined) ?? [])}、「b」は ${f.shape((p.b as number[] | undefined) ?? [])} です`,
    },
  },
});
