// Flatten: [B, d1, d2, …] → [B, d1·d2·…] (images into a Dense layer). Row-major data is already
// flat, so forward and backward are copies.
import { z } from 'zod';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';

const flattenOp: Op = {
  forward(step, batch) {
    step.output.data.set(step.inputs[0]!.data.subarray(0, batch * step.output.size));
  },
  backward(step, batch) {
    const dx = step.inputs[0]!.grad;
    if (!dx) return;
    const dy = step.output.grad!;
    for (let i = 0, n = batch * step.output.size; i < n; i++) dx[i] = (dx[i] as number) + (dy[i] as number);
  },
};

export const flatten = defineNode({
  type: 'flatten',
  category: 'layer',
  text: {
    en: { label: 'Flatten', description: 'Turns each sample into one vector: [B, h, w, c] → [B, h·w·c]' },
    ja: { label: '平坦化', description: '各サンプルを 1 本のベクトルにします: [B, h, w, c] → [B, h·w·c]' },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({}),
  defaults: () => ({}),
  fields: [],
  inferShape: ([input]) => [input!.reduce((a, b) => a * b, 1)],
  op: flattenOp,
});
