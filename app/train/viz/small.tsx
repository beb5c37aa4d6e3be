// Tiny charts drawn inside nodes: histogram, sparkline, weight heatmap. Each has a hover tooltip
// with its numbers, and the heatmap fits a fixed box whatever the weights' shape, with its scale.
import { type ReactNode, useCallback } from 'react';
import { useT } from '../../appContext.tsx';
import { HEATMAP_BOX } from '../../nodes/nodeLook.ts';
import { Canvas2D, divergingInto } from './Canvas2D.tsx';
import { HeatScale, num } from './FeatureMaps.tsx';

export function Histogram({
  bins,
  min,
  max,
  width = 88,
  height = 24,
}: {
  bins: Float32Array;
  min: number;
  max: number;
  width?: number;
  height?: number;
}) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      let top = 0;
      for (const v of bins) top = Math.max(top, v);
      const bw = w / bins.length;
      ctx.fillStyle = '#6b7fb3';
      bins.forEach((v, i) => {
        const bh = top > 0 ? (v / top) * (h - 1) : 0;
        ctx.fillRect(i * bw, h - bh, Math.max(1, bw - 1), bh);
      });
    },
    [bins],
  );
  const title = t('viz.histogramHint', { min: num(min), max: num(max), counts: Array.from(bins).join(' ') });
  return (
    <Canvas2D width={width} height={height} draw={draw} className="ng-mini" label={t('viz.histogram')} title={title} />
  );
}

export function Sparkline({
  values,
  width = 88,
  height = 24,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
}) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      if (values.length < 2) return;
      // log scale: gradient norms span orders of magnitude
      const logs = values.map((v) => Math.log10(Math.max(v, 1e-12)));
      const lo = Math.min(...logs);
      const hi = Math.max(...logs);
      ctx.strokeStyle = '#b0413e';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      logs.forEach((v, i) => {
        const x = (i / (logs.length - 1)) * (w - 2) + 1;
        const y = hi > lo ? h - 2 - ((v - lo) / (hi - lo)) * (h - 4) : h / 2;
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    },
    [values],
  );
  const title =
    values.length > 0
      ? t('viz.sparklineHint', {
          n: values.length,
          first: num(values[0]!),
          last: num(values[values.length - 1]!),
          min: num(Math.min(...values)),
          max: num(Math.max(...values)),
        })
      : t('viz.sparkline');
  return (
    <Canvas2D width={width} height={height} draw={draw} className="ng-mini" label={t('viz.sparkline')} title={title} />
  );
}

/** The drawn size of a heatmap inside HEATMAP_BOX: MNIST tiles keep their aspect; a matrix is laid with
 * its long side across and square cells of at most HEATMAP_BOX.maxCell px (a 3×1 matrix is a small strip). */
export function heatmapLayout(rows: number, cols: number): { width: number; height: number; transpose: boolean } {
  const { width: bw, height: bh, maxCell } = HEATMAP_BOX;
  if (rows === 784) {
    const across = Math.ceil(Math.sqrt(cols));
    const down = Math.ceil(cols / across);
    const scale = Math.min(bw / (across * 28), bh / (down * 28));
    return { width: Math.round(across * 28 * scale), height: Math.round(down * 28 * scale), transpose: false };
  }
  const transpose = rows > cols;
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  const cell = Math.min(maxCell, bw / long, bh / short);
  return { width: Math.max(1, Math.round(cell * long)), height: Math.max(1, Math.round(cell * short)), transpose };
}

/**
 * W as a heatmap with its colour scale. With 784 inputs (MNIST), each unit's weights become a 28×28
 * tile in a grid, so the learned strokes are visible.
 */
export function WeightHeatmap({
  data,
  rows,
  cols,
  action,
}: {
  data: Float32Array;
  rows: number;
  cols: number;
  /** A control beside the scale (the per-unit view's button). */
  action?: ReactNode;
}) {
  const t = useT();
  let max = 0;
  for (const v of data) max = Math.max(max, Math.abs(v));
  const layout = heatmapLayout(rows, cols);
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      const scale = max > 0 ? 1 / max : 1;
      if (rows === 784) {
        const tilesPerRow = Math.ceil(Math.sqrt(cols));
        const tileRows = Math.ceil(cols / tilesPerRow);
        const img = ctx.createImageData(tilesPerRow * 28, tileRows * 28);
        for (let u = 0; u < cols; u++) {
          const tx = (u % tilesPerRow) * 28;
          const ty = Math.floor(u / tilesPerRow) * 28;
          for (let p = 0; p < 784; p++)
            divergingInto(
              img.data,
              ((ty + Math.floor(p / 28)) * img.width + tx + (p % 28)) * 4,
              (data[p * cols + u] as number) * scale,
            );
        }
        drawScaled(ctx, img, w, h);
        return;
      }
      // NOTE: transposed so the long side runs across: pixel (x, y) shows W[x][y] (row x = input x).
      const [iw, ih] = layout.transpose ? [rows, cols] : [cols, rows];
      const img = ctx.createImageData(iw, ih);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const o = layout.transpose ? c * iw + r : r * iw + c;
          divergingInto(img.data, o * 4, (data[r * cols + c] as number) * scale);
        }
      drawScaled(ctx, img, w, h);
    },
    [data, rows, cols, max, layout.transpose],
  );
  return (
    <div className="ng-heat-row">
      <Canvas2D
        width={layout.width}
        height={layout.height}
        draw={draw}
        className="ng-heatmap"
        label={t('viz.heatmap')}
        title={t('viz.heatmapHint', { rows, cols, max: num(max) })}
      />
      {/* NOTE: the scale and the button wrap where there is room: stacked beside a tall heatmap, in one row
          (the scale in one line) under a wide one; side by side in one row they ran past the node's edge (MNIST's Dense layers). */}
      <span className="ng-heat-side">
        <HeatScale max={max} title={t('viz.heatScaleHint')} compact={layout.width > 2 * layout.height} />
        {action}
      </span>
    </div>
  );
}

function drawScaled(ctx: CanvasRenderingContext2D, img: ImageData, w: number, h: number): void {
  const off = new OffscreenCanvas(img.width, img.height);
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, w, h);
}
