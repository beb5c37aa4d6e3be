// What the output panel shows, computed in the worker from the current parameters: the decision
// surface of a 2-D classifier, the fitted curve of a 1-D regression, or test images (digits, photos) with a confusion matrix.
import { argmaxRow, type Tensor, type Trainer } from '../../engine/index.ts';
import type { OutputView } from './protocol.ts';

const GRID = 40;
/** How many test images the output view shows (and feature maps can be picked from). */
export const SHOWN_TEST_IMAGES = 24;

/** The view for the trainer's data; the confusion matrix (the whole test split) only when asked. */
export function outputView(trainer: Trainer, withConfusion: boolean): OutputView | null {
  const d = trainer.dataset;
  const { inputSize: inSize, outputSize: outSize, image } = trainer.info;
  const train = d.train;
  const n = train.x.shape[0] as number;
  if (inSize === 2 && outSize === 1) {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, train.x.data[2 * i]!);
      x1 = Math.max(x1, train.x.data[2 * i]!);
      y0 = Math.min(y0, train.x.data[2 * i + 1]!);
      y1 = Math.max(y1, train.x.data[2 * i + 1]!);
    }
    const mx = (x1 - x0) * 0.15 || 0.5;
    const my = (y1 - y0) * 0.15 || 0.5;
    [x0, x1, y0, y1] = [x0 - mx, x1 + mx, y0 - my, y1 + my];
    const grid: Tensor = { shape: [GRID * GRID, 2], data: new Float32Array(GRID * GRID * 2) };
    for (let r = 0; r < GRID; r++)
      for (let c = 0; c < GRID; c++) {
        grid.data[2 * (r * GRID + c)] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
        grid.data[2 * (r * GRID + c) + 1] = y1 - ((r + 0.5) / GRID) * (y1 - y0);
      }
    const count = Math.min(n, 600);
    return {
      kind: 'surface',
      size: GRID,
      x0,
      x1,
      y0,
      y1,
      grid: trainer.predictAll(grid),
      points: train.x.data.slice(0, 2 * count),
      labels: train.y.data.slice(0, count),
    };
  }
  if (inSize === 1 && outSize === 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, train.x.data[i]!);
      hi = Math.max(hi, train.x.data[i]!);
    }
    const xs = Float32Array.from({ length: 120 }, (_, i) => lo + ((hi - lo) * i) / 119);
    const count = Math.min(n, 500);
    return {
      kind: 'curve',
      xs,
      ys: trainer.predictAll({ shape: [120, 1], data: xs }),
      sampleX: train.x.data.slice(0, count),
      sampleY: train.y.data.slice(0, count),
    };
  }
  if (image) {
    const test = d.test;
    const total = test.x.shape[0] as number;
    const shown = Math.min(SHOWN_TEST_IMAGES, total);
    const classes = outSize === 1 ? 2 : outSize;
    const label = (y: Float32Array, r: number) =>
      outSize === 1 ? ((y[r] as number) >= 0.5 ? 1 : 0) : argmaxRow(y, r, outSize);
    const images = new Uint8Array(shown * inSize);
    // NOTE: image inputs are in [0, 1] (bytes × 1/255); anything else is clipped for display.
    for (let i = 0; i < shown * inSize; i++) images[i] = Math.min(255, Math.max(0, Math.round(test.x.data[i]! * 255)));
    const rows = withConfusion ? total : shown;
    const pred = trainer.predictAll({ shape: [rows, inSize], data: test.x.data.subarray(0, rows * inSize) });
    const labels = new Uint8Array(shown);
    const predicted = new Uint8Array(shown);
    for (let r = 0; r < shown; r++) {
      labels[r] = label(test.y.data, r);
      predicted[r] = label(pred, r);
    }
    let confusion: Int32Array | null = null;
    if (withConfusion) {
      confusion = new Int32Array(classes * classes);
      for (let r = 0; r < total; r++) {
        const k = label(test.y.data, r) * classes + label(pred, r);
        confusion[k] = (confusion[k] as number) + 1;
      }
    }
    const classNames = d.classNames && d.classNames.length === classes ? d.classNames : null;
    return {
      kind: 'digits',
      images,
      ...image,
      invert: d.spec.kind === 'mnist',
      labels,
      predicted,
      confusion,
      classes,
      classNames,
    };
  }
  return null;
}
