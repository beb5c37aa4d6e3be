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
}

/** A canvas redrawn whenever `draw` changes (callers memoise it on their data). */
export const Canvas2D = memo(({ width, height, draw, className, label, testId, title }: Props) => {
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
    />
  );
});

/** Blue (negative) – white – red (positive) for v in [-1, 1]. */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0
    ? [Math.round(255 + t * 200), Math.round(255 + t * 150), 255]
    : [255, Math.round(255 - t * 170), Math.round(255 - t * 200)];
}
