// Add: element-wise sum of two equal shapes (residual connections). Both inputs receive dy.
import type { Op, Step } from './types.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export const add: Op = {
  type: 'add',
  inferShape([a, b]) {
    if (!same(a!, b!)) return `needs equal shapes but 'a' gives [${a!.join(', ')}] and 'b' gives [${b!.join(', ')}]`;
    return [...a!];
  },

  forward(step: Step, batch: number): void {
    const a = step.inputs[0]!.data;
    const b = step.inputs[1]!.data;
    const y = step.output.data;
    for (let i = 0, n = batch * step.output.size; i < n; i++) y[i] = (a[i] as number) + (b[i] as number);
  },

  backward(step: Step, batch: number): void {
    const dy = step.output.grad!;
    const n = batch * step.output.size;
    for (let k = 0; k < step.inputs.length; k++) {
      const dx = step.inputs[k]!.grad;
      if (!dx) continue;
      for (let i = 0; i < n; i++) dx[i] = (dx[i] as number) + (dy[i] as number);
    }
  },
};
