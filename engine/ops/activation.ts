// Activation node: applies one function from engine/ops/activations.ts. Softmax works along the
// last axis. A softmax/sigmoid fused into the loss still computes its output (the probabilities
// shown and predicted) but its backward is skipped: the loss writes the logits' gradient directly.
import { ACTIVATIONS } from './activations.ts';
import type { ActivationFn } from '../format/schema.ts';
import type { Op, Step } from './types.ts';

const lastAxis = (shape: readonly number[]) => (shape.length === 0 ? 1 : (shape[shape.length - 1] as number));

export const activation: Op = {
  forward(step: Step, batch: number): void {
    const cols = lastAxis(step.output.shape);
    const rows = (batch * step.output.size) / cols;
    ACTIVATIONS[step.data.fn as ActivationFn].forward(step.inputs[0]!.data, step.output.data, rows, cols);
  },

  backward(step: Step, batch: number): void {
    const input = step.inputs[0]!;
    if (step.fused || !input.grad) return;
    const cols = lastAxis(step.output.shape);
    const rows = (batch * step.output.size) / cols;
    ACTIVATIONS[step.data.fn as ActivationFn].backward(
      input.data,
      step.output.data,
      step.output.grad!,
      input.grad,
      rows,
      cols,
    );
  },
};
