// Add: element-wise sum of two equal shapes (residual connections). Both inputs receive dy.
import type { Op, Step } from './types.ts';

export const add: Op = {
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
