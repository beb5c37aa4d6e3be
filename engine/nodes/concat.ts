// Concat: joins 'a' and 'b' along the last (feature) axis, a's features first. Leading per-sample
// axes must agree. Backward splits dy back into the two inputs.
import { z } from 'zod';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import { inputsToOutput } from './traceTerms.ts';

const lastAxis = (shape: readonly number[]) => (shape.length === 0 ? 1 : (shape[shape.length - 1] as number));

const op: Op = {
  forward(step, batch) {
    const [a, b] = step.inputs as [typeof step.output, typeof step.output];
    const colsA = lastAxis(a.shape);
    const colsB = lastAxis(b.shape);
    const rows = (batch * a.size) / colsA;
    const y = step.output.data;
    for (let r = 0, o = 0; r < rows; r++) {
      for (let j = 0, s = r * colsA; j < colsA; j++) y[o++] = a.data[s + j] as number;
      for (let j = 0, s = r * colsB; j < colsB; j++) y[o++] = b.data[s + j] as number;
    }
  },
  backward(step, batch) {
    const [a, b] = step.inputs as [typeof step.output, typeof step.output];
    const colsA = lastAxis(a.shape);
    const colsB = lastAxis(b.shape);
    const rows = (batch * a.size) / colsA;
    const dy = step.output.grad!;
    for (let r = 0, o = 0; r < rows; r++) {
      const da = a.grad;
      const db = b.grad;
      if (da) for (let j = 0, s = r * colsA; j < colsA; j++) da[s + j] = (da[s + j] as number) + (dy[o + j] as number);
      o += colsA;
      if (db) for (let j = 0, s = r * colsB; j < colsB; j++) db[s + j] = (db[s + j] as number) + (dy[o + j] as number);
      o += colsB;
    }
  },
};

export const concat = defineNode({
  type: 'concat',
  category: 'merge',
  text: {
    en: {
      label: 'Concat',
      description: "Joins a and b's features",
      trace: {
        forward: 'Concat: the two inputs are joined along the last axis.',
        backward: 'Concat splits the gradient: the first {split} values go to a, the rest to b.',
      },
    },
    ja: {
      label: '連結',
      description: 'a と b の特徴量をつなげます',
      trace: {
        forward: '結合：2 つの入力を最後の軸でつなぎます。',
        backward: '結合は勾配を分けます：最初の {split} 個が a へ、残りが b へ。',
      },
    },
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
  layer: {
    op,
    reference: {
      forward({ inputs: [a, b] }) {
        const ca = lastAxis(a!.shape);
        const cb = lastAxis(b!.shape);
        const rows = a!.v.length / ca;
        const out = new Float64Array(a!.v.length + b!.v.length);
        for (let r = 0, o = 0; r < rows; r++) {
          for (let j = 0; j < ca; j++) out[o++] = a!.v[r * ca + j]!;
          for (let j = 0; j < cb; j++) out[o++] = b!.v[r * cb + j]!;
        }
        return { v: out, shape: [...a!.shape.slice(0, -1), ca + cb] };
      },
    },
    onnx: ({ inputs, output }) => [{ op: 'Concat', inputs, outputs: [output], attributes: { axis: { int: -1 } } }],
    pytorch: ({ inputs }) => ({ forward: `torch.cat([${inputs[0]}, ${inputs[1]}], dim=-1)` }),
    numpy: {
      forward: ({ inputs }) => ({
        value: `np.concatenate([${inputs[0]}, ${inputs[1]}], axis=-1)`,
        rule: 'a = [in_a, in_b] joined along the last axis',
      }),
      backward: ({ layer, g, into }) => {
        const cut = lastAxis(layer.inputShapes[0]!);
        return [
          ...into(0, `${g}[..., :${cut}]`, `dL/din_a: the first ${cut} features`),
          ...into(1, `${g}[..., ${cut}:]`, 'dL/din_b: the rest'),
        ];
      },
    },
    trace: {
      forward: ({ inputs, output }) => [
        { text: 'forward', params: {}, terms: inputsToOutput(inputs, output, { inputs: ['a', 'b'] }) },
      ],
      backward: ({ inputs: [a, b] }) => {
        const ca = lastAxis(a!.shape);
        const cb = lastAxis(b!.shape);
        return {
          local: { kind: 'concat', text: 'backward', params: { split: ca }, terms: [{ formula: '1' }], values: {} },
          passDown: (port, g) => {
            const [from, width] = port === 0 ? [0, ca] : [ca, cb];
            const rows = g.length / (ca + cb);
            const out = new Float32Array(rows * width);
            for (let r = 0; r < rows; r++)
              for (let j = 0; j < width; j++) out[r * width + j] = g[r * (ca + cb) + from + j]!;
            return out;
          },
        };
      },
    },
  },
  problems: {
    'shape-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'concat')} can only join shapes that differ in the last axis, but 'a' gives ${f.shape((p.a as number[] | undefined) ?? [])} and 'b' gives ${f.shape((p.b as number[] | undefined) ?? [])}`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'concat')} は最後の軸だけが違う形しかつなげませんが、「a」は ${f.shape((p.a as number[] | undefined) ?? [])}、「b」は ${f.shape((p.b as number[] | undefined) ?? [])} です`,
    },
  },
});
