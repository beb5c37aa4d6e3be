import type { ActivationFn } from '../../../engine/index.ts';

const CURVES: Record<ActivationFn, (x: number) => number> = {
  identity: (x) => x / 3,
  relu: (x) => Math.max(0, x) / 3,
  leaky_relu: (x) => (x >= 0 ? x : 0.1 * x) / 3,
  sigmoid: (x) => 1 / (1 + Math.exp(-2 * x)),
  tanh: (x) => Math.tanh(x),
  // softmax has no 1-D curve; its glyph is the share of one logit against a fixed other
  softmax: (x) => Math.exp(x) / (Math.exp(x) + Math.exp(0.5)),
};

/** An SVG path of the function over [-3, 3] in a w×h box (y range [-1, 1]). */
export function activationPath(fn: ActivationFn, w = 48, h = 28): string {
  const points: string[] = [];
  for (let i = 0; i <= 24; i++) {
    const x = -3 + (6 * i) / 24;
    const y = Math.max(-1, Math.min(1, CURVES[fn](x)));
    points.push(`${((i / 24) * w).toFixed(1)},${((1 - (y + 1) / 2) * h).toFixed(1)}`);
  }
  return `M${points.join('L')}`;
}
