// What the image nodes (conv2d, the pools, globalavgpool) share: the "n or [h, w]" fields, the
// channels-last input check, and the window geometry with TensorFlow's `same` padding split.
import { z } from 'zod';
import type { TraceTensor } from '../train/traceTypes.ts';
import { count } from '../format/schema.ts';
import type { ConvGeometry } from '../kernels/conv.ts';
import type { Texts } from '../problems.ts';
import type { QuickFixSpec, ShapeResult } from './define.ts';

/** A window size or stride: n, or [height, width]. */
export const pairSchema = (max: number) => z.union([count(1, max), z.tuple([count(1, max), count(1, max)])]);

export type Pair = number | [number, number];

/** [height, width] of an "n or [h, w]" field. */
export const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

export type Padding = 'valid' | 'same';

/** Output size and padding of one axis: `valid` windows only, or `same` (⌈n/s⌉, the odd extra at the end). */
export function axis(
  n: number,
  k: number,
  s: number,
  padding: Padding,
): { out: number; before: number; after: number } {
  if (padding === 'valid') return { out: n >= k ? Math.floor((n - k) / s) + 1 : 0, before: 0, after: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  // NOTE: TensorFlow's split: an odd extra row/column of zeros goes to the bottom/right.
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** The geometry of a window op on a per-sample [H, W, C] input. */
export function windowGeometry(
  input: readonly number[],
  kernel: Pair,
  stride: Pair,
  padding: Padding,
  outC: number,
  batch = 1,
): ConvGeometry & { padBottom: number; padRight: number } {
  const [inH, inW, inC] = input as [number, number, number];
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(stride);
  const y = axis(inH, kh, sh, padding);
  const x = axis(inW, kw, sw, padding);
  return {
    batch,
    inH,
    inW,
    inC,
    kh,
    kw,
    sh,
    sw,
    padTop: y.before,
    padLeft: x.before,
    padBottom: y.after,
    padRight: x.after,
    outH: y.out,
    outW: x.out,
    outC,
  };
}

/**
 * The shape rule's checks every image node makes: a per-sample [H, W, C] input (a flat one needs a
 * Reshape), and a window that fits.
 */
export function imageInput(input: readonly number[]): ShapeResult | null {
  if (input.length !== 3) return { code: 'input-rank', params: { shape: [...input] } };
  return null;
}

/** The window does not fit the input (valid padding on a small image). */
export const tooSmall = (input: readonly number[], kernel: Pair): ShapeResult => ({
  code: 'too-small',
  params: { shape: [...input], window: `${pair(kernel).join('×')}` },
});

/** The problems every image node has, in its own words ("Conv2D 'c1'"). */
export function imageProblems(type: string): Record<string, Texts> {
  const shape = (p: Record<string, unknown>, f: { shape(s: readonly number[]): string }) =>
    f.shape((p.shape as number[] | undefined) ?? []);
  return {
    'input-rank': {
      en: (p, f) =>
        `${f.node(String(p.node), type)} takes an image per sample, [height, width, channels], but gets ${shape(p, f)}: insert a Reshape node before it (e.g. [28, 28, 1] for MNIST)`,
      ja: (p, f) =>
        `${f.node(String(p.node), type)} は 1 サンプルにつき画像 [高さ, 幅, チャンネル] を受け取りますが、${shape(p, f)} が来ています。前に形状変更ノードを入れてください（MNIST なら [28, 28, 1]）`,
    },
    'too-small': {
      en: (p, f) =>
        `${f.node(String(p.node), type)}'s ${String(p.window)} window does not fit its input ${shape(p, f)}: use a smaller window or 'same' padding`,
      ja: (p, f) =>
        `${f.node(String(p.node), type)} の ${String(p.window)} の窓が入力 ${shape(p, f)} に収まりません。窓を小さくするか padding を「same」にしてください`,
    },
  };
}

/** The image a flat input of n values most likely is: [√n, √n, 1], [√(n/3), √(n/3), 3], else [n, 1, 1]. */
export function guessImage(shape: readonly number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  for (const channels of [1, 3]) {
    const side = Math.round(Math.sqrt(n / channels));
    if (side * side * channels === n) return [side, side, channels];
  }
  return [n, 1, 1];
}

/** The fix every image node offers for a flat input: a Reshape into the likeliest image. */
export const IMAGE_FIXES: Readonly<Record<string, QuickFixSpec>> = {
  'input-rank': { insert: 'reshape', data: (p) => ({ shape: guessImage((p.shape as number[] | undefined) ?? [1]) }) },
};

/** One channel of a per-sample [H, W, C] tensor as an [H, W] matrix (for the step-through). */
export function channel(t: TraceTensor, c: number): TraceTensor {
  const [h, w, channels] = t.shape as [number, number, number];
  const values = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) values[i] = t.values[i * channels + c]!;
  return { shape: [h, w], values };
}

/** The output position and channel with the largest |value| (the window the step-through explains). */
export function loudestPixel(out: TraceTensor): { oy: number; ox: number; c: number; index: number } {
  const [, outW, channels] = out.shape as [number, number, number];
  let index = 0;
  for (let i = 1; i < out.values.length; i++) if (Math.abs(out.values[i]!) > Math.abs(out.values[index]!)) index = i;
  const c = index % channels;
  const pixel = (index - c) / channels;
  return { oy: Math.floor(pixel / outW), ox: pixel % outW, c, index };
}
