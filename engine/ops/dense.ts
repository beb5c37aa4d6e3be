// Dense (fully connected): out = in · W + b, W is [inFeatures, units]. A multi-dimensional
// per-sample input is read as flat (row-major), so [28, 28] feeds 784 features.
import { getKernels } from '../kernels/backend.ts';
import { simdAddBias, simdColumnSums } from '../kernels/elementwise.ts';
import type { Op, Step } from './types.ts';

export const dense: Op = {
  forward(step: Step, batch: number): void {
    const input = step.inputs[0]!;
    const out = step.output;
    const W = step.params[0]!.value.data;
    const units = out.size;
    getKernels().matmulNN(input.data, W, out.data, batch, input.size, units, false);
    const b = step.params[1];
    if (b && !simdAddBias(out.data, b.value.data, batch, units)) {
      const bias = b.value.data;
      const y = out.data;
      for (let r = 0, o = 0; r < batch; r++)
        for (let j = 0; j < units; j++, o++) y[o] = (y[o] as number) + (bias[j] as number);
    }
  },

  backward(step: Step, batch: number): void {
    const input = step.inputs[0]!;
    const dy = step.output.grad!;
    const units = step.output.size;
    const features = input.size;
    const kernels = getKernels();
    const W = step.params[0]!;
    // dW = inᵀ · dy   ([features × B] · [B × units])
    kernels.matmulTN(input.data, dy, W.grad.data, features, batch, units, false);
    const b = step.params[1];
    if (b && !simdColumnSums(dy, b.grad.data, batch, units)) {
      const db = b.grad.data;
      db.fill(0);
      for (let r = 0, o = 0; r < batch; r++)
        for (let j = 0; j < units; j++, o++) db[j] = (db[j] as number) + (dy[o] as number);
    }
    // d(in) += dy · Wᵀ   ([B × units] · [units × features])
    if (input.grad) kernels.matmulNT(dy, W.value.data, input.grad, batch, units, features, true);
  },
};
