// Summary statistics of tensors for the live view: allocation-free when given output buffers.

export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Root mean square (the typical magnitude). */
  rms: number;
}

/** Mean, std, min, max and RMS of the first `n` values. */
export function summarize(data: Float32Array, n = data.length): Summary {
  if (n === 0) return { mean: 0, std: 0, min: 0, max: 0, rms: 0 };
  let sum = 0;
  let sq = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    sum += v;
    sq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), min, max, rms: Math.sqrt(sq / n) };
}

/** Euclidean norm of the first `n` values. */
export function l2norm(data: Float32Array, n = data.length): number {
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (data[i] as number) * (data[i] as number);
  return Math.sqrt(sq);
}

/**
 * Counts of the first `n` values in `out.length` equal bins over [lo, hi]; values outside are
 * clamped into the end bins. Writes into `out` (no allocation).
 */
export function histogram(data: Float32Array, n: number, lo: number, hi: number, out: Float32Array): Float32Array {
  out.fill(0);
  const bins = out.length;
  const width = hi - lo || 1;
  for (let i = 0; i < n; i++) {
    const b = Math.floor((((data[i] as number) - lo) / width) * bins);
    const k = b < 0 ? 0 : b >= bins ? bins - 1 : b;
    out[k] = (out[k] as number) + 1;
  }
  return out;
}

/** Share of units (columns) that are exactly zero for every sample (row): dead ReLUs. */
export function deadFraction(data: Float32Array, rows: number, cols: number): number {
  if (rows === 0 || cols === 0) return 0;
  let dead = 0;
  for (let j = 0; j < cols; j++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) if ((data[r * cols + j] as number) !== 0) alive = true;
    if (!alive) dead++;
  }
  return dead / cols;
}
