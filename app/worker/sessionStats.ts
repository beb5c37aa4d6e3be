// Per-node statistics for the live view, measured on a fixed probe batch so numbers are
// comparable over time (the training batches change every step).
import {
  type ActivationFn,
  type Dataset,
  deadFraction,
  histogram,
  keepBuffers,
  MAX_ACTIVATION_BYTES,
  l2norm,
  summarize,
  type Tensor,
  type Trainer,
} from '../../engine/index.ts';
import type { NodeStats } from './protocol.ts';

export interface Probe {
  x: Tensor;
  y: Tensor;
}

const PROBE_ROWS = 128;
const BINS = 24;
const MAX_HEATMAP = 200_000;

/** The first rows of the training split, copied once. */
/** `bytesPerSample`: the model's activation memory per row (the analysis' step cost); the probe stays
 * within the engine's MAX_ACTIVATION_BYTES like a training batch does. */
export function makeProbe(dataset: Dataset, bytesPerSample = 0): Probe {
  const fits = bytesPerSample > 0 ? Math.max(1, Math.floor(MAX_ACTIVATION_BYTES / bytesPerSample)) : PROBE_ROWS;
  const n = Math.min(PROBE_ROWS, fits, dataset.train.x.shape[0] as number);
  const inSize = dataset.train.x.data.length / (dataset.train.x.shape[0] as number);
  const outSize = dataset.train.y.data.length / (dataset.train.y.shape[0] as number);
  return {
    x: { shape: [n, ...dataset.inputShape], data: dataset.train.x.data.slice(0, n * inSize) },
    y: { shape: [n, ...dataset.targetShape], data: dataset.train.y.data.slice(0, n * outSize) },
  };
}

export function computeNodeStats(
  trainer: Trainer,
  probe: Probe,
  withWeights: boolean,
  activations: ReadonlyMap<string, ActivationFn>,
): NodeStats[] {
  const model = trainer.model;
  // NOTE: the probe is a look, not a training step: BatchNorm's running statistics stay as they were.
  const { grads } = keepBuffers(model, () => model.lossAndGrads(probe.x, probe.y));
  const acts = model.activations();
  const outGrads = model.outputGrads();
  const lr = trainer.optimizer.learningRate;
  const out: NodeStats[] = [];
  for (const info of model.info.nodes) {
    const a = acts.get(info.id);
    if (!a) continue;
    const n = a.data.length;
    const s = summarize(a.data, n);
    const g = outGrads.get(info.id);
    const stats: NodeStats = {
      id: info.id,
      shape: a.shape.slice(1),
      mean: s.mean,
      std: s.std,
      min: s.min,
      max: s.max,
      histogram: histogram(a.data, n, s.min, s.max, new Float32Array(BINS)),
      gradRms: g ? summarize(g.data).rms : null,
      gradNorm: g ? l2norm(g.data) : null,
    };
    const fn = info.fusedIntoLoss ? undefined : activations.get(info.id);
    if (fn === 'relu') {
      const rows = a.shape[0] as number;
      stats.dead = deadFraction(a.data, rows, a.data.length / rows);
    } else if (fn === 'sigmoid' || fn === 'tanh') stats.saturated = saturatedFraction(a.data, fn);
    // The node's weights (the first parameter that decays: Dense W, Conv2D's filters) and bias.
    const weight = info.params.find((p) => p.decay);
    const bias = info.params.find((p) => !p.decay);
    if (weight) {
      const W = model.params.get(weight.key)!;
      const b = bias && model.params.get(bias.key);
      stats.weightNorm = l2norm(W.data);
      if (b) stats.biasNorm = l2norm(b.data);
      stats.updateRatio = stats.weightNorm > 0 ? (lr * l2norm(grads.get(weight.key)!.data)) / stats.weightNorm : 0;
      if (withWeights && W.data.length <= MAX_HEATMAP && W.shape.length === 2)
        stats.weights = { data: W.data.slice(), rows: W.shape[0] as number, cols: W.shape[1] as number };
      if (withWeights && W.data.length <= MAX_HEATMAP && W.shape.length === 4) {
        const [kh, kw, inChannels, filters] = W.shape as [number, number, number, number];
        stats.filters = { data: W.data.slice(), kh, kw, inChannels, filters };
      }
    }
    out.push(stats);
  }
  return out;
}

/** Share of outputs where the activation's slope is under a tenth of its peak (sigmoid: y(1−y) < 0.025,
 * tanh: 1 − y² < 0.1): there almost no gradient passes back. */
export function saturatedFraction(y: Float32Array, fn: 'sigmoid' | 'tanh'): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (fn === 'sigmoid' ? v * (1 - v) < 0.025 : 1 - v * v < 0.1) n++;
  }
  return y.length > 0 ? n / y.length : 0;
}
