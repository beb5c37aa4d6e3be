import { memo, useEffect, useRef } from 'react';

interface Props {
  width: number;
  height: number;
  draw(ctx: CanvasRenderingContext2D, width: number, height: number): void;
  className?: string;
  label: string;
  testId?: string;
  /** Hover text (the numbers behind a tiny chart). */
  title?: string;
  /** A click at (x, y) in CSS pixels from the canvas' top-left corner. */
  onPick?: ((x: number, y: number) => void) | undefined;
}

/** A canvas redrawn whenever `draw` changes (callers memoise it on their data). */
export const Canvas2D = memo(({ width, height, draw, className, label, testId, title, onPick }: Props) => {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    draw(ctx, width, height);
  }, [draw, width, height]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className={className}
      role="img"
      aria-label={label}
      data-testid={testId}
      title={title}
      style={onPick ? { cursor: 'crosshair' } : undefined}
      onClick={
        onPick
          ? (e) => {
              const r = e.currentTarget.getBoundingClientRect();
              onPick(((e.clientX - r.left) * width) / r.width, ((e.clientY - r.top) * height) / r.height);
            }
          : undefined
      }
    />
  );
});

/**
 * Writes the colour of v in [-1, 1] (blue negative – white – red positive) as an opaque RGBA pixel at `o`.
 * NOTE: no allocation: a Dense layer's heatmap draws 100,000 of them a few times a second.
 */
export function divergingInto(out: Uint8ClampedArray, o: number, v: number): void {
  const t = Math.max(-1, Math.min(1, v));
  out[o] = t < 0 ? 255 + t * 200 : 255;
  out[o + 1] = t < 0 ? 255 + t * 150 : 255 - t * 170;
  out[o + 2] = t < 0 ? 255 : 255 - t * 200;
  out[o + 3] = 255;
}

const pixel = new Uint8ClampedArray(4);

/** Blue (negative) – white – red (positive) for v in [-1, 1]. */
export function diverging(v: number): [number, number, number] {
  divergingInto(pixel, 0, v);
  return [pixel[0]!, pixel[1]!, pixel[2]!];
}

/**
 * Draws image `index` of uint8 pixels [N, h, w, c] (c = 1 grey, 3 RGB, 4 RGBA) at the canvas' origin;
 * `invert` draws light-on-dark data (MNIST) as dark ink on white.
 */
export function drawPixels(
  ctx: CanvasRenderingContext2D,
  data: ArrayLike<number>,
  index: number,
  size: { height: number; width: number; channels: number },
  invert = false,
): void {
  const { height: h, width: w, channels: c } = size;
  const offset = index * h * w * c;
  const img = ctx.createImageData(w, h);
  for (let p = 0; p < w * h; p++) {
    for (let k = 0; k < 3; k++) {
      const v = data[offset + p * c + (c >= 3 ? k : 0)] as number;
      img.data[p * 4 + k] = invert ? 255 - v : v;
    }
    img.data[p * 4 + 3] = c === 4 ? (data[offset + p * c + 3] as number) : 255;
  }
  ctx.putImageData(img, 0, 0);
}
