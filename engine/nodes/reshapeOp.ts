// The op of Flatten and Reshape: row-major data keeps its order, so forward and backward are copies.
import type { Op } from '../ops/types.ts';

export const copyOp: Op = {
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
