// A trace's numbers as a learner reads them: small vectors and matrices as numbers, larger ones as
// heatmaps (blue negative, red positive, with their scale), always with their shape.
import { useCallback } from 'react';
import type { TraceTensor } from '../../engine/index.ts';
import { useT } from '../appContext.tsx';
import { Canvas2D, diverging } from '../train/viz/Canvas2D.tsx';
import { WeightHeatmap } from '../train/viz/small.tsx';
import { sci } from './levels.ts';

/** Up to this many values are written out as numbers. */
const MAX_NUMBERS = 16;
/** Matrices up to this many entries are written out as a grid of numbers. */
const MAX_GRID = 36;

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** A vector (or any tensor, flattened) with its shape: numbers when small, a square heatmap when large. */
export function Vec({ value, label }: { value: TraceTensor; label?: string }) {
  const n = value.values.length;
  return (
    <span className="ng-tv">
      {label && <span className="ng-tv-label">{label}</span>}
      {n <= MAX_NUMBERS ? (
        <code className="ng-tv-nums">[{Array.from(value.values, (v) => sci(v)).join(', ')}]</code>
      ) : value.shape.length === 3 && (value.shape[2] as number) > 1 ? (
        <ChannelGrid value={value} />
      ) : (
        <SquareHeat values={value.values} />
      )}
      <span className="ng-tv-shape">{value.shape.length === 0 ? '' : shapeText(value.shape)}</span>
    </span>
  );
}

/** A matrix [rows, cols] (weights, dL/dW): a grid of numbers when small, else the nodes' heatmap. */
export function Mat({ value, label }: { value: TraceTensor; label?: string }) {
  const [rows = 1, cols = value.values.length] = value.shape;
  return (
    <span className="ng-tv">
      {label && <span className="ng-tv-label">{label}</span>}
      {value.values.length <= MAX_GRID ? (
        <table className="ng-tv-grid">
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr key={r}>
                {Array.from({ length: cols }, (_, c) => (
                  <td key={c}>{sci(value.values[r * cols + c] as number)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <WeightHeatmap data={value.values} rows={rows} cols={cols} />
      )}
      <span className="ng-tv-shape">{shapeText(value.shape)}</span>
    </span>
  );
}

/** Channels shown at most (a conv layer's feature maps); the rest are counted. */
const MAX_CHANNELS = 16;

/** An image [H, W, C] (a feature map) as one small heatmap per channel, on one shared scale. */
function ChannelGrid({ value }: { value: TraceTensor }) {
  const t = useT();
  const [h, w, channels] = value.shape as [number, number, number];
  const shown = Math.min(channels, MAX_CHANNELS);
  const cell = Math.max(1, Math.min(4, Math.floor(40 / Math.max(h, w))));
  let max = 0;
  for (const v of value.values) max = Math.max(max, Math.abs(v));
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const scale = max > 0 ? 1 / max : 1;
      const gap = 2;
      for (let c = 0; c < shown; c++) {
        const ox = (c % 8) * (w * cell + gap);
        const oy = Math.floor(c / 8) * (h * cell + gap);
        for (let i = 0; i < h * w; i++) {
          const [r, g, b] = diverging((value.values[i * channels + c] as number) * scale);
          ctx.fillStyle = `rgb(${r},${g},${b})`;
          ctx.fillRect(ox + (i % w) * cell, oy + Math.floor(i / w) * cell, cell, cell);
        }
      }
    },
    [value, h, w, channels, shown, cell, max],
  );
  const across = Math.min(shown, 8);
  const down = Math.ceil(shown / 8);
  return (
    <span className="ng-heat-row">
      <Canvas2D
        width={across * (w * cell + 2) - 2}
        height={down * (h * cell + 2) - 2}
        draw={draw}
        className="ng-heatmap"
        label={t('trace.channels', { n: channels })}
        title={t('trace.channelsHint', { n: channels, shown, max: sci(max) })}
      />
      <span className="ng-heat-scale">
        <span>−{sci(max)}</span>
        <i />
        <span>+{sci(max)}</span>
      </span>
    </span>
  );
}

/** Values laid out in a near-square grid (784 pixels become the 28×28 image), scaled to ±max. */
function SquareHeat({ values }: { values: Float32Array }) {
  const t = useT();
  const n = values.length;
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const cell = Math.max(1, Math.min(8, Math.floor(84 / cols)));
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const scale = max > 0 ? 1 / max : 1;
      for (let i = 0; i < n; i++) {
        const [r, g, b] = diverging((values[i] as number) * scale);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect((i % cols) * cell, Math.floor(i / cols) * cell, cell, cell);
      }
    },
    [values, n, cols, cell, max],
  );
  return (
    <span className="ng-heat-row">
      <Canvas2D
        width={cols * cell}
        height={rows * cell}
        draw={draw}
        className="ng-heatmap"
        label={t('viz.heatmap')}
        title={t('trace.heatHint', { n, max: sci(max) })}
      />
      <span className="ng-heat-scale">
        <span>−{sci(max)}</span>
        <i />
        <span>+{sci(max)}</span>
      </span>
    </span>
  );
}
