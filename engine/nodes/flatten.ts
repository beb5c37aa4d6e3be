// Flatten: [B, d1, d2, …] → [B, d1·d2·…] (images into a Dense layer). Row-major data is already
// flat, so forward and backward are copies.
import { z } from 'zod';
import { defineNode } from './define.ts';
import { copyOp } from './reshapeOp.ts';
import { inputsToOutput, passThrough } from './traceTerms.ts';

export const flatten = defineNode({
  type: 'flatten',
  category: 'layer',
  text: {
    en: {
      label: 'Flatten',
      description: 'Turns each sample into one vector: [B, h, w, c] → [B, h·w·c]',
      trace: {
        forward: 'Flatten: the same values, one vector per sample.',
        backward: 'Flatten reshapes the gradient back to {shape}.',
      },
    },
    ja: {
      label: '平坦化',
      description: '各サンプルを 1 本のベクトルにします: [B, h, w, c] → [B, h·w·c]',
      trace: {
        forward: '平坦化：同じ値をサンプルごとに 1 本のベクトルにします。',
        backward: '平坦化は勾配を {shape} の形に戻します。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape: ([input]) => [input!.reduce((a, b) => a * b, 1)],
  layer: {
    op: copyOp,
    reference: {
      forward: ({ inputs: [x] }) => ({ v: x!.v, shape: [sizeOf(x!.shape)] }),
    },
    onnx: ({ inputs, output }) => [{ op: 'Flatten', inputs, outputs: [output], attributes: { axis: { int: 1 } } }],
    pytorch: ({ inputs }) => ({ forward: `torch.flatten(${inputs[0]}, 1)` }),
    numpy: {
      forward: ({ inputs }) => ({
        value: `${inputs[0]}.reshape(len(${inputs[0]}), -1)`,
        rule: 'a = in as one vector per sample',
      }),
      backward: ({ inputs, g, into }) => into(0, `${g}.reshape(${inputs[0]}.shape)`, 'back to the input shape'),
    },
    trace: {
      forward: ({ inputs, output }) => [
        { text: 'forward', params: {}, terms: inputsToOutput(inputs, output, { inputs: ['in'] }) },
      ],
      backward: ({ inputs: [x] }) => ({
        local: {
          kind: 'flatten',
          text: 'backward',
          params: { shape: `[${x!.shape.join(', ')}]` },
          terms: [{ formula: '1' }],
          values: {},
        },
        passDown: passThrough,
      }),
    },
  },
});

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
