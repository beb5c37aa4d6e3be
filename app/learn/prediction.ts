// "Predict before you see": which backward value of a step-through step the learner predicts (the
// first value passed down, else the first of its first parameter gradient, dL/dW), three choices to pick from, and when a guess counts.
import type { TraceStep } from '../../engine/index.ts';

export interface PredictionTarget {
  value: number;
  /** The node the gradient is passed down to; null for dL/dW. */
  to: string | null;
  /** Three values, the right one among two typical mistakes (the local derivative left out, the sign flipped, …). */
  choices: readonly number[];
}

/** A guess counts when it is within 5% of the value, plus 0.005 for values near zero. */
export const isHit = (guess: number, value: number): boolean =>
  Number.isFinite(guess) && Math.abs(guess - value) <= 0.05 * Math.abs(value) + 0.005;

/** The value to predict at a backward step; null at forward steps and where nothing is passed down. */
export function predictionTarget(step: TraceStep): PredictionTarget | null {
  if (step.phase !== 'backward') return null;
  const down = step.gradIn[0];
  const value = down?.values[0] ?? step.paramGrads[0]?.values[0];
  if (value === undefined || !Number.isFinite(value)) return null;
  const fromAbove = step.gradOut?.values[0];
  const mistakes = [fromAbove, -value, 2 * value, value / 2, value + 1];
  const choices = [value];
  for (const m of mistakes)
    if (
      choices.length < 3 &&
      m !== undefined &&
      Number.isFinite(m) &&
      choices.every((c) => !isHit(m, c) && !isHit(c, m))
    )
      choices.push(m);
  // NOTE: the right answer's place depends on the step, not on chance, so a re-render keeps the order.
  const turn = (step.nodeId.length + step.gradIn.length) % choices.length;
  return { value, to: down ? down.to : null, choices: [...choices.slice(turn), ...choices.slice(0, turn)] };
}
