// BatchNorm: normalises each channel (the last axis) over all other axes, as PyTorch's
// BatchNorm1d/2d. In lossAndGrads with the batch's mean and biased variance, updating the running
// statistics (running = (1 − momentum)·running + momentum·batch, the variance unbiased); in predict
// and loss with the running statistics. Parameters gamma (ones) and beta (zeros); buffers
// runningMean (zeros) and runningVar (ones), all [C], saved beside the parameters.
import { z } from 'zod';
import type { TraceExplain, TraceTensor } from '../train/traceTypes.ts';
import { finite } from '../format/schema.ts';
import { pyFloat } from '../export/python.ts';
import type { Op, Step } from '../ops/types.ts';
import { defineNode } from './define.ts';
import type { OnnxNode, TraceBackwardRule } from './rules.ts';
import { vectorTerm } from './traceTerms.ts';

const schema = z.strictObject({
  /** Default 0.1. */
  momentum: finite().min(0).max(1).optional(),
  /** Default 1e-5. */
  epsilon: finite().positive().max(1).optional(),
});
type BatchNormData = z.infer<typeof schema>;
const momentumOf = (d: BatchNormData) => d.momentum ?? 0.1;
const epsilonOf = (d: BatchNormData) => d.epsilon ?? 1e-5;
const channelsOf = (shape: readonly number[]) => shape[shape.length - 1]!;

/** Per-channel statistics of the last training pass (float64 sums: a channel may span millions of values). */
interface Stats {
  mean: Float64Array;
  invStd: Float64Array;
  dGamma: Float64Array;
  dBeta: Float64Array;
}
// NOTE: allocated once per compiled step: warm steps allocate nothing.
const statsOf = new WeakMap<Step, Stats>();
function stats(step: Step): Stats {
  let s = statsOf.get(step);
  if (!s) {
    const C = channelsOf(step.output.shape);
    s = {
      mean: new Float64Array(C),
      invStd: new Float64Array(C),
      dGamma: new Float64Array(C),
      dBeta: new Float64Array(C),
    };
    statsOf.set(step, s);
  }
  return s;
}

const op: Op = {
  // x̂ of the last training pass, for backward.
  scratch: (size) => size,
  forward(step, batch, ctx) {
    const d = step.data as BatchNormData;
    const x = step.inputs[0]!.data;
    const y = step.output.data;
    const xhat = step.scratch;
    const gamma = step.params[0]!.value.data;
    const beta = step.params[1]!.value.data;
    const runningMean = step.buffers[0]!;
    const runningVar = step.buffers[1]!;
    const C = channelsOf(step.output.shape);
    const total = batch * step.output.size;
    const n = total / C;
    const eps = epsilonOf(d);
    const s = stats(step);
    if (ctx.training) {
      s.mean.fill(0);
      for (let i = 0; i < total; i++) s.mean[i % C]! += x[i] as number;
      for (let c = 0; c < C; c++) s.mean[c]! /= n;
      s.invStd.fill(0);
      for (let i = 0; i < total; i++) s.invStd[i % C]! += ((x[i] as number) - s.mean[i % C]!) ** 2;
      const m = momentumOf(d);
      for (let c = 0; c < C; c++) {
        const variance = s.invStd[c]! / n;
        runningMean.data[c] = (1 - m) * runningMean.data[c]! + m * s.mean[c]!;
        // NOTE: PyTorch keeps the unbiased variance; with one value per channel it would be 0/0: kept as it was.
        if (n > 1) runningVar.data[c] = (1 - m) * runningVar.data[c]! + (m * variance * n) / (n - 1);
        s.invStd[c] = 1 / Math.sqrt(variance + eps);
      }
    } else {
      for (let c = 0; c < C; c++) {
        s.mean[c] = runningMean.data[c]!;
        s.invStd[c] = 1 / Math.sqrt(runningVar.data[c]! + eps);
      }
    }
    for (let i = 0; i < total; i++) {
      const c = i % C;
      const h = ((x[i] as number) - s.mean[c]!) * s.invStd[c]!;
      xhat[i] = h;
      y[i] = (gamma[c] as number) * h + (beta[c] as number);
    }
  },
  backward(step, batch) {
    const dy = step.output.grad!;
    const xhat = step.scratch;
    const gamma = step.params[0]!.value.data;
    const C = channelsOf(step.output.shape);
    const total = batch * step.output.size;
    const n = total / C;
    const s = stats(step);
    s.dGamma.fill(0);
    s.dBeta.fill(0);
    for (let i = 0; i < total; i++) {
      const c = i % C;
      s.dGamma[c]! += (dy[i] as number) * (xhat[i] as number);
      s.dBeta[c]! += dy[i] as number;
    }
    const dg = step.params[0]!.grad.data;
    const db = step.params[1]!.grad.data;
    for (let c = 0; c < C; c++) {
      dg[c] = s.dGamma[c]!;
      db[c] = s.dBeta[c]!;
    }
    const dx = step.inputs[0]!.grad;
    if (!dx) return;
    // x̂ depends on x directly and through the batch mean and variance; the three paths sum to
    // dx = γ·invStd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)).
    for (let i = 0; i < total; i++) {
      const c = i % C;
      const k = ((gamma[c] as number) * s.invStd[c]!) / n;
      dx[i] = (dx[i] as number) + k * (n * (dy[i] as number) - s.dBeta[c]! - (xhat[i] as number) * s.dGamma[c]!);
    }
  },
};

/** The batch statistics of a per-sample tensor (one sample in the step-through): mean, variance, x̂. */
function batchStats(x: TraceTensor, eps: number) {
  const C = channelsOf(x.shape);
  const n = x.values.length / C;
  const mean = new Float32Array(C);
  const variance = new Float32Array(C);
  for (let i = 0; i < x.values.length; i++) mean[i % C]! += x.values[i]! / n;
  for (let i = 0; i < x.values.length; i++) variance[i % C]! += (x.values[i]! - mean[i % C]!) ** 2 / n;
  const xhat = Float32Array.from(x.values, (v, i) => (v - mean[i % C]!) / Math.sqrt(variance[i % C]! + eps));
  return { mean, variance, xhat, n, C };
}

/** Channels to axis 1 (ONNX's BatchNormalization reads [N, C, …]) and back. */
function toChannelsFirst(rank: number): { to: number[]; back: number[] } | null {
  if (rank === 1) return null;
  const to = [0, rank, ...Array.from({ length: rank - 1 }, (_, i) => i + 1)];
  const back = [0, ...Array.from({ length: rank - 1 }, (_, i) => i + 2), 1];
  return { to, back };
}

const BATCHNORM_NUMPY = `
def batchnorm_forward(x, gamma, beta, mean_key, var_key, momentum, eps, train):
    """Normalises each channel (the last axis) over every other axis, then y = gamma * xhat + beta."""
    axes = tuple(range(x.ndim - 1))
    if train:  # the batch's mean and (biased) variance; the running statistics follow them
        mu, var = x.mean(axis=axes), x.var(axis=axes)
        n = x.size // x.shape[-1]
        buffers[mean_key] = (1 - momentum) * buffers[mean_key] + momentum * mu
        if n > 1:  # PyTorch keeps the unbiased variance
            buffers[var_key] = (1 - momentum) * buffers[var_key] + momentum * var * n / (n - 1)
    else:
        mu, var = buffers[mean_key], buffers[var_key]
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(g, x, gamma, eps):
    """dL/dx, dL/dgamma, dL/dbeta of the training pass (the batch's statistics)."""
    axes = tuple(range(x.ndim - 1))
    n = x.size // x.shape[-1]
    mu, var = x.mean(axis=axes), x.var(axis=axes)
    xhat = (x - mu) / np.sqrt(var + eps)
    dgamma = (g * xhat).sum(axis=axes)  # y = gamma * xhat + beta: dL/dgamma = Σ dL/dy * xhat
    dbeta = g.sum(axis=axes)  # dL/dbeta = Σ dL/dy
    # xhat depends on x directly and through mu and var: the three chain-rule paths sum to
    dx = gamma / np.sqrt(var + eps) / n * (n * g - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
`;

export const batchnorm = defineNode({
  type: 'batchnorm',
  category: 'regularization',
  featureMaps: true,
  text: {
    en: {
      label: 'BatchNorm',
      description: 'Normalises each channel over the batch, then scales by γ and shifts by β',
      fields: { momentum: 'Momentum', epsilon: 'Epsilon' },
      trace: {
        forward:
          'BatchNorm: each of the {c} channels is normalised with the mean and variance over the batch ({n} values per channel here), then scaled by γ and shifted by β.',
        stats: 'x̂ = (x − μ) / √(σ² + ε) with the batch mean μ and variance σ² (ε = {eps}); out = γ · x̂ + β.',
        backward:
          'Chain rule at BatchNorm: x̂ depends on x directly and through μ and σ², so dL/dx = γ/√(σ² + ε) · (dL/dout − mean(dL/dout) − x̂ · mean(dL/dout · x̂)).',
        params:
          'What the optimizer uses: dL/dγ = Σ dL/dout · x̂ and dL/dβ = Σ dL/dout. The running mean and variance are not trained: each step moves them {momentum} of the way to the batch’s.',
      },
    },
    ja: {
      label: 'バッチ正規化',
      description: 'チャンネルごとにバッチで正規化し、γ 倍して β を足します',
      fields: { momentum: 'モーメンタム', epsilon: 'イプシロン' },
      trace: {
        forward:
          'バッチ正規化：{c} 個のチャンネルそれぞれをバッチの平均と分散（ここではチャンネルあたり {n} 個の値）で正規化し、γ 倍して β を足します。',
        stats: 'x̂ = (x − μ) / √(σ² + ε)、μ と σ² はバッチの平均と分散（ε = {eps}）。出力 = γ · x̂ + β。',
        backward:
          'バッチ正規化での連鎖律：x̂ は x に直接、そして μ と σ² を通して依存するので、dL/dx = γ/√(σ² + ε) · (dL/dout − mean(dL/dout) − x̂ · mean(dL/dout · x̂))。',
        params:
          'オプティマイザが使うもの：dL/dγ = Σ dL/dout · x̂、dL/dβ = Σ dL/dout。移動平均と移動分散は学習されず、毎ステップ {momentum} だけバッチの値に近づきます。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema,
  defaults: () => ({}),
  fields: [
    { key: 'momentum', kind: 'number' },
    { key: 'epsilon', kind: 'number' },
  ],
  paramNames: () => ['gamma', 'beta', 'runningMean', 'runningVar'],
  inferShape: ([input]) => [...input!],
  params(_d, [input]) {
    const C = channelsOf(input!);
    return [
      { name: 'gamma', shape: [C], decay: false, init: { kind: 'ones', fanIn: C, fanOut: C } },
      { name: 'beta', shape: [C], decay: false, init: { kind: 'zeros', fanIn: C, fanOut: C } },
    ];
  },
  buffers(_d, [input]) {
    const C = channelsOf(input!);
    return [
      { name: 'runningMean', shape: [C], fill: 0 },
      { name: 'runningVar', shape: [C], fill: 1 },
    ];
  },
  layer: {
    op,
    reference: {
      forward({ data, inputs: [x], param }) {
        const C = channelsOf(x!.shape);
        const n = x!.v.length / C;
        const gamma = param('gamma')!;
        const beta = param('beta')!;
        const mean = new Float64Array(C);
        const variance = new Float64Array(C);
        for (let i = 0; i < x!.v.length; i++) mean[i % C]! += x!.v[i]! / n;
        for (let i = 0; i < x!.v.length; i++) variance[i % C]! += (x!.v[i]! - mean[i % C]!) ** 2 / n;
        const eps = epsilonOf(data);
        const v = x!.v.map((value, i) => {
          const c = i % C;
          return (gamma[c]! * (value - mean[c]!)) / Math.sqrt(variance[c]! + eps) + beta[c]!;
        });
        return { v, shape: x!.shape };
      },
    },
    onnx: ({ layer, data, inputs, output, param, temp }) => {
      const perm = toChannelsFirst(layer.shape.length);
      const state = ['gamma', 'beta', 'runningMean', 'runningVar'].map((name) => param(name));
      const bn = (from: string, to: string): OnnxNode => ({
        op: 'BatchNormalization',
        inputs: [from, ...state],
        outputs: [to],
        attributes: { epsilon: { float: epsilonOf(data) }, momentum: { float: 1 - momentumOf(data) } },
      });
      if (!perm) return [bn(inputs[0]!, output)];
      const first = temp('channels_first');
      const normed = temp('normalised');
      return [
        { op: 'Transpose', inputs, outputs: [first], attributes: { perm: { ints: perm.to } } },
        bn(first, normed),
        { op: 'Transpose', inputs: [normed], outputs: [output], attributes: { perm: { ints: perm.back } } },
      ];
    },
    pytorch: ({ layer, data, self, inputs }) => {
      const C = channelsOf(layer.shape);
      const args = `${C}, eps=${epsilonOf(data)}, momentum=${pyFloat(momentumOf(data))}`;
      const state = {
        gamma: { name: 'weight' },
        beta: { name: 'bias' },
        runningMean: { name: 'running_mean' },
        runningVar: { name: 'running_var' },
      };
      const x = inputs[0]!;
      if (layer.shape.length === 1) return { module: `nn.BatchNorm1d(${args})`, forward: `${self}(${x})`, state };
      if (layer.shape.length === 3)
        return {
          module: `nn.BatchNorm2d(${args})`,
          forward: `${self}(${x}.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)`,
          state,
        };
      // NOTE: normalising over every axis but the last is BatchNorm1d on the rows of [-1, C].
      return {
        module: `nn.BatchNorm1d(${args})`,
        forward: `${self}(${x}.reshape(-1, ${C})).reshape(${x}.shape)`,
        state,
      };
    },
    numpy: {
      helpers: BATCHNORM_NUMPY,
      forward: ({ layer, data, inputs, param }) => ({
        value: `batchnorm_forward(${inputs[0]}, ${param('gamma')}, ${param('beta')}, ${JSON.stringify(`${layer.id}.runningMean`)}, ${JSON.stringify(`${layer.id}.runningVar`)}, ${momentumOf(data)}, ${epsilonOf(data)}, train)`,
        rule: 'a = γ · (x − μ) / √(σ² + ε) + β per channel (the batch’s μ, σ² when training, else the running ones)',
      }),
      backward: ({ data, inputs, g, param, grad, into }) => [
        `    dx, ${grad('gamma')}, ${grad('beta')} = batchnorm_backward(${g}, ${inputs[0]}, ${param('gamma')}, ${epsilonOf(data)})  # through x̂, μ and σ²`,
        ...into(0, 'dx', 'dL/din = γ/√(σ² + ε) · (δ − mean δ − x̂ · mean(δ · x̂))'),
      ],
    },
    trace: {
      forward: ({ data, inputs: [x], output, params }): TraceExplain[] => {
        const s = batchStats(x!, epsilonOf(data));
        const C = { shape: [s.C] };
        return [
          {
            text: 'forward',
            params: { c: s.C, n: s.n },
            terms: [vectorTerm(x!, 'x'), { op: '→' }, vectorTerm(output, 'out')],
          },
          {
            text: 'stats',
            params: { eps: epsilonOf(data) },
            terms: [
              vectorTerm({ ...C, values: s.mean }, 'μ'),
              vectorTerm({ ...C, values: s.variance }, 'σ²'),
              vectorTerm({ shape: [...x!.shape], values: s.xhat }, 'x̂'),
              vectorTerm(params.get('gamma')!.value, 'γ'),
              vectorTerm(params.get('beta')!.value, 'β'),
            ],
          },
        ];
      },
      backward: ({ data, inputs: [x], params }): TraceBackwardRule => {
        const s = batchStats(x!, epsilonOf(data));
        const gamma = params.get('gamma')!;
        const beta = params.get('beta')!;
        const factor = Float32Array.from(gamma.value.values, (g, c) => g / Math.sqrt(s.variance[c]! + epsilonOf(data)));
        return {
          local: {
            kind: 'batchnorm',
            text: 'backward',
            params: {},
            terms: [vectorTerm({ shape: [s.C], values: factor }, 'γ/√(σ² + ε)')],
            values: { factor: { shape: [s.C], values: factor } },
          },
          passDown: (_port, dy) => {
            const sumDy = new Float64Array(s.C);
            const sumDyX = new Float64Array(s.C);
            dy.forEach((v, i) => {
              sumDy[i % s.C]! += v;
              sumDyX[i % s.C]! += v * s.xhat[i]!;
            });
            return Float32Array.from(dy, (v, i) => {
              const c = i % s.C;
              return (factor[c]! / s.n) * (s.n * v - sumDy[c]! - s.xhat[i]! * sumDyX[c]!);
            });
          },
          rows: [
            {
              text: 'params',
              params: { momentum: momentumOf(data) },
              terms: [vectorTerm(gamma.grad, 'dL/dγ'), vectorTerm(beta.grad, 'dL/dβ')],
            },
          ],
        };
      },
    },
  },
});
