// Concat: joins 'a' and 'b' along the last (feature) axis, a's features first. Leading per-sample
// axes must agree. Backward splits dy back into the two inputs.
import type { Op, Step } from './types.ts';

export const concat: Op = {
  forward(step: Step, batch: number): void {
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

  backward(step: Step, batch: number): void {
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

function lastAxis(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
}
