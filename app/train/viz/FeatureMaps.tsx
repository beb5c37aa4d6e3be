// Feature maps and filters as grids of small images: one image per channel (a node's output for one
// test image) or per filter (a Conv2D's weights), one diverging colour scale for the whole grid, so
// channels compare. Inside a node the grid fits a fixed box (nodeLook.ts); the larger view uses bigger cells.
import { useCallback } from 'react';
import { useT } from '../../appContext.tsx';
import type { NodeMaps, NodeStats } from '../../worker/protocol.ts';
import { Canvas2D, divergingInto } from './Canvas2D.tsx';

export type Filters = NonNullable<NodeStats['filters']>;

export const num = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(3);

/** The largest |value| (the colour scale's end; 0 for all zeros). */
export function maxAbs(data: Float32Array): number {
  let max = 0;
  for (const v of data) max = Math.max(max, Math.abs(v));
  return max;
}

export interface GridLayout {
  cols: number;
  rows: number;
  /** CSS px per map pixel. */
  scale: number;
  /** CSS px between images. */
  gap: number;
  width: number;
  height: number;
}

/** The layout of `n` images of h × w pixels with `gap` px between them that fills `box` with the largest cells. */
export function gridLayout(
  n: number,
  h: number,
  w: number,
  box: { width: number; height: number },
  gap = 2,
): GridLayout {
  let best: GridLayout = { cols: n, rows: 1, scale: 0, gap, width: 0, height: 0 };
  for (let rows = 1; rows <= n; rows++) {
    const cols = Math.ceil(n / rows);
    const scale = Math.min((box.width - gap * (cols - 1)) / (cols * w), (box.height - gap * (rows - 1)) / (rows * h));
    if (scale > best.scale) best = { cols, rows, scale, gap, width: 0, height: 0 };
  }
  const s = Math.max(best.scale, 0.25);
  return {
    ...best,
    scale: s,
    width: Math.ceil(best.cols * w * s + gap * (best.cols - 1)),
    height: Math.ceil(best.rows * h * s + gap * (best.rows - 1)),
  };
}

/**
 * Draws `n` planes of h × w values (plane k at data[k·h·w …], or read through `value`) into a grid,
 * each value coloured by value / max on the diverging scale.
 */
function drawPlanes(
  ctx: CanvasRenderingContext2D,
  n: number,
  h: number,
  w: number,
  layout: GridLayout,
  max: number,
  value: (plane: number, p: number) => number,
): void {
  const { gap } = layout;
  const img = new ImageData(w, h);
  const off = new OffscreenCanvas(w, h);
  const octx = off.getContext('2d')!;
  const k = max > 0 ? 1 / max : 1;
  ctx.imageSmoothingEnabled = false;
  for (let plane = 0; plane < n; plane++) {
    for (let p = 0; p < h * w; p++) divergingInto(img.data, p * 4, value(plane, p) * k);
    octx.putImageData(img, 0, 0);
    const x = (plane % layout.cols) * (w * layout.scale + gap);
    const y = Math.floor(plane / layout.cols) * (h * layout.scale + gap);
    ctx.drawImage(off, Math.round(x), Math.round(y), Math.round(w * layout.scale), Math.round(h * layout.scale));
  }
}

/** `count` planes of h × w values as one canvas of small images; `value` (memoised) reads value p of plane k. */
function PlanesCanvas({
  count,
  h,
  w,
  value,
  layout,
  max,
  label,
  className,
  title,
  testId,
}: {
  count: number;
  h: number;
  w: number;
  value: (plane: number, p: number) => number;
  layout: GridLayout;
  max: number;
  label: string;
  className?: string | undefined;
  title?: string | undefined;
  testId?: string | undefined;
}) {
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => drawPlanes(ctx, count, h, w, layout, max, value),
    [count, h, w, layout, max, value],
  );
  return (
    <Canvas2D
      width={layout.width}
      height={layout.height}
      draw={draw}
      className={className}
      label={label}
      title={title}
      testId={testId}
    />
  );
}

interface CanvasLook {
  layout: GridLayout;
  max: number;
  className?: string;
  title?: string | undefined;
}

/** A node's channels as one canvas of small images. */
export function MapsCanvas({ maps, ...look }: { maps: NodeMaps } & CanvasLook) {
  const t = useT();
  const { height: h, width: w, channels, data } = maps;
  const value = useCallback((c: number, p: number) => data[c * h * w + p]!, [data, h, w]);
  return <PlanesCanvas count={channels} h={h} w={w} value={value} label={t('viz.maps')} {...look} />;
}

/** W [kh, kw, c, f]: filter f's weight at (y, x) of input channel ch, or averaged over the input channels (ch = -1). */
export function filterValue(f: Filters, filter: number, ch: number, p: number): number {
  const { inChannels: c, filters: n, data } = f;
  if (ch >= 0) return data[(p * c + ch) * n + filter]!;
  let sum = 0;
  for (let k = 0; k < c; k++) sum += data[(p * c + k) * n + filter]!;
  return sum / c;
}

/** The colour scale's end for the filters as drawn (per input channel, or averaged: −1). */
export function filtersMax(f: Filters, inChannel: number): number {
  if (inChannel >= 0 || f.inChannels === 1) return maxAbs(f.data);
  let max = 0;
  for (let filter = 0; filter < f.filters; filter++)
    for (let p = 0; p < f.kh * f.kw; p++) max = Math.max(max, Math.abs(filterValue(f, filter, -1, p)));
  return max;
}

/** A Conv2D's filters as one canvas: one image per filter (`inChannel` -1: averaged over the input channels). */
export function FiltersCanvas({
  filters,
  inChannel = -1,
  ...look
}: { filters: Filters; inChannel?: number } & CanvasLook) {
  const t = useT();
  const value = useCallback((f: number, p: number) => filterValue(filters, f, inChannel, p), [filters, inChannel]);
  return (
    <PlanesCanvas
      count={filters.filters}
      h={filters.kh}
      w={filters.kw}
      value={value}
      label={t('viz.filters')}
      {...look}
    />
  );
}

/** The diverging colour scale from −max to +max, as in the weight heatmaps; `compact`: one line, "±max". */
export function HeatScale({ max, title, compact = false }: { max: number; title: string; compact?: boolean }) {
  return compact ? (
    <span className="ng-heat-scale compact" title={title}>
      <i />
      <span>±{num(max)}</span>
    </span>
  ) : (
    <span className="ng-heat-scale" title={title}>
      <span>−{num(max)}</span>
      <i />
      <span>+{num(max)}</span>
    </span>
  );
}
