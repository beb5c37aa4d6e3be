// Tiny charts drawn inside nodes: histogram, sparkline, weight heatmap.
import { useT } from '../../appContext.tsx';
import { useCallback } from 'react';
import { Canvas2D, diverging } from './Canvas2D.tsx';

export function Histogram({ bins, width = 120, height = 26 }: { bins: Float32Array; width?: number; height?: number }) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      let max = 0;
      for (const v of bins) max = Math.max(max, v);
      const bw = w / bins.length;
      ctx.fillStyle = '#6b7fb3';
      bins.forEach((v, i) => {
        const bh = max > 0 ? (v / max) * (h - 1) : 0;
        ctx.fillRect(i * bw, h - bh, Math.max(1, bw - 1), bh);
      });
    },
    [bins],
  );
  return <Canvas2D width={width} height={height} draw={draw} className="ng-mini" label={t('viz.histogram')} />;
}

export function Sparkline({
  values,
  width = 120,
  height = 22,
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
  return <Canvas2D width={width} height={height} draw={draw} className="ng-mini" label={t('viz.sparkline')} />;
}

/**
 * W as a heatmap. With 784 inputs (MNIST), each unit's weights become a 28×28 tile in a grid,
 * so the learned strokes are visible.
 */
export function WeightHeatmap({
  data,
  rows,
  cols,
  size = 120,
}: {
  data: Float32Array;
  rows: number;
  cols: number;
  size?: number;
}) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      let max = 0;
      for (const v of data) max = Math.max(max, Math.abs(v));
      const scale = max > 0 ? 1 / max : 1;
      if (rows === 784) {
        const tilesPerRow = Math.ceil(Math.sqrt(cols));
        const tileRows = Math.ceil(cols / tilesPerRow);
        const img = ctx.createImageData(tilesPerRow * 28, tileRows * 28);
        for (let u = 0; u < cols; u++) {
          const tx = (u % tilesPerRow) * 28;
          const ty = Math.floor(u / tilesPerRow) * 28;
          for (let p = 0; p < 784; p++) {
            const [r, g, b] = diverging((data[p * cols + u] as number) * scale);
            const o = ((ty + Math.floor(p / 28)) * img.width + tx + (p % 28)) * 4;
            img.data[o] = r;
            img.data[o + 1] = g;
            img.data[o + 2] = b;
            img.data[o + 3] = 255;
          }
        }
        drawScaled(ctx, img, w, h);
        return;
      }
      const img = ctx.createImageData(cols, rows);
      for (let i = 0; i < rows * cols; i++) img.data.set([...diverging((data[i] as number) * scale), 255], i * 4);
      drawScaled(ctx, img, w, h);
    },
    [data, rows, cols],
  );
  const aspect = rows === 784 ? 1 : Math.min(3, Math.max(1 / 3, rows / cols));
  return (
    <Canvas2D
      width={size}
      height={Math.round(size * aspect)}
      draw={draw}
      className="ng-heatmap"
      label={t('viz.heatmap')}
    />
  );
}

function drawScaled(ctx: CanvasRenderingContext2D, img: ImageData, w: number, h: number): void {
  const off = new OffscreenCanvas(img.width, img.height);
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, w, h);
}
