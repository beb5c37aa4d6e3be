// Condition groups many lessons share (one place for "the output layer" and "the loss, wired").
import type { ActivationFn, LossFn } from '../../format/types.ts';
import type { Condition } from '../types.ts';

/** One hidden layer before it, and an output layer of `units` with one of `fn` after it. */
export const outputLayer = (units: number, fn: readonly ActivationFn[]): Condition[] => [
  { kind: 'hiddenLayers', count: { min: 1, max: 1 } },
  { kind: 'outputUnits', units },
  { kind: 'outputActivation', fn },
];

/** The Loss with one of `fn`, its pred reached from the Input's x and its target fed by y, and no problems. */
export const lossWired = (fn: readonly LossFn[]): Condition[] => [
  { kind: 'loss', fn },
  { kind: 'wired' },
  { kind: 'compiles' },
];
