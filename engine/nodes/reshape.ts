// Reshape: the same values in a new per-sample shape (the sizes multiply to the same count), e.g.
// MNIST's 784 pixels as a [28, 28, 1] image for a convolution. Row-major data keeps its order.
import { z } from 'zod';
import { count } from '../format/schema.ts';
import { defineNode } from './define.ts';
import { copyOp } from './reshapeOp.ts';
import { inputsToOutput, passThrough } from './traceTerms.ts';

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

export const reshape = defineNode({
  type: 'reshape',
  category: 'convolution',
  featureMaps: true,
  text: {
    en: {
      label: 'Reshape',
      description: 'The same values in a new shape per sample, e.g. 784 → [28, 28, 1]',
      fields: { shape: 'Shape' },
      trace: {
        forward: 'Reshape: the same values, read as {shape}.',
        backward: 'Reshape passes the gradient back in the input’s shape {input}: the values do not change.',
      },
    },
    ja: {
      label: '形状変更',
      description: '各サンプルの値はそのままで形を変えます（例: 784 → [28, 28, 1]）',
      fields: { shape: '形' },
      trace: {
        forward: '形状変更：同じ値を {shape} として読みます。',
        backward: '形状変更は勾配を入力の形 {input} に戻して渡します。値は変わりません。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({
    /** The per-sample shape, e.g. [28, 28, 1]. */
    shape: z.array(count(1, 10_000_000)).min(1, 'needs at least one axis').max(7, 'at most 7 axes'),
  }),
  defaults: () => ({ shape: [28, 28, 1] }),
  fields: [{ key: 'shape', kind: 'ints' }],
  inferShape([input], d) {
    if (sizeOf(input!) !== sizeOf(d.shape))
      return { code: 'size-mismatch', params: { shape: [...input!], target: [...d.shape], n: sizeOf(input!) } };
    return [...d.shape];
  },
  layer: {
    op: copyOp,
    reference: { forward: ({ data, inputs: [x] }) => ({ v: x!.v, shape: [...data.shape] }) },
    onnx: ({ data, inputs, output, ints }) => [
      { op: 'Reshape', inputs: [inputs[0]!, ints('shape', [-1, ...data.shape])], outputs: [output] },
    ],
    pytorch: ({ data, inputs }) => ({ forward: `${inputs[0]}.reshape(-1, ${data.shape.join(', ')})` }),
    numpy: {
      forward: ({ data, inputs }) => ({
        value: `${inputs[0]}.reshape(len(${inputs[0]}), ${data.shape.join(', ')})`,
        rule: `a = in read as ${shapeText(data.shape)} per sample`,
      }),
      backward: ({ inputs, g, into }) => into(0, `${g}.reshape(${inputs[0]}.shape)`, 'back to the input shape'),
    },
    trace: {
      forward: ({ data, inputs, output }) => [
        {
          text: 'forward',
          params: { shape: shapeText(data.shape) },
          terms: inputsToOutput(inputs, output, { inputs: ['in'] }),
        },
      ],
      backward: ({ inputs: [x] }) => ({
        local: {
          kind: 'reshape',
          text: 'backward',
          params: { input: shapeText(x!.shape) },
          terms: [{ formula: '1' }],
          values: {},
        },
        passDown: passThrough,
      }),
    },
  },
  problems: {
    'size-mismatch': {
      en: (p, f) =>
        `${f.node(String(p.node), 'reshape')} cannot read ${f.shape((p.shape as number[] | undefined) ?? [])} (${f.count(Number(p.n))} values) as ${f.shape((p.target as number[] | undefined) ?? [])}: the sizes must multiply to the same count`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'reshape')} は ${f.shape((p.shape as number[] | undefined) ?? [])}（${f.count(Number(p.n))} 個の値）を ${f.shape((p.target as number[] | undefined) ?? [])} として読めません。各軸の積が同じ数になる必要があります`,
    },
  },
});
