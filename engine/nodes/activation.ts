// Activation: one function from engine/ops/activations.ts, element-wise (softmax along the last
// axis). A softmax/sigmoid fused into the loss still computes its output (the probabilities shown
// and predicted) but its backward is skipped: the loss writes the logits' gradient directly.
import { z } from 'zod';
import type { TraceExplain, TraceTensor } from '../train/traceTypes.ts';
import { type ActivationFn, activationFnSchema } from '../format/schema.ts';
import { ACTIVATIONS } from '../ops/activations.ts';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import type { OnnxNode, TraceBackwardRule } from './rules.ts';
import { inputsToOutput, matrixTerm, vectorTerm } from './traceTerms.ts';

const lastAxis = (shape: readonly number[]) => (shape.length === 0 ? 1 : (shape[shape.length - 1] as number));

const op: Op = {
  forward(step, batch) {
    const cols = lastAxis(step.output.shape);
    const rows = (batch * step.output.size) / cols;
    ACTIVATIONS[step.data.fn as ActivationFn].forward(step.inputs[0]!.data, step.output.data, rows, cols);
  },
  backward(step, batch) {
    const input = step.inputs[0]!;
    if (step.fused || !input.grad) return;
    const cols = lastAxis(step.output.shape);
    const rows = (batch * step.output.size) / cols;
    ACTIVATIONS[step.data.fn as ActivationFn].backward(
      input.data,
      step.output.data,
      step.output.grad!,
      input.grad,
      rows,
      cols,
    );
  },
};

/** f(x) element-wise in float64, softmax along rows of `cols`. */
function activate(fn: ActivationFn, x: Float64Array, cols: number): Float64Array {
  if (fn === 'softmax') {
    const y = new Float64Array(x.length);
    for (let r = 0; r < x.length / cols; r++) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]!);
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j]! - max);
      for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j]! - max) / sum;
    }
    return y;
  }
  const f: Record<Exclude<ActivationFn, 'softmax'>, (v: number) => number> = {
    identity: (v) => v,
    relu: (v) => Math.max(v, 0),
    leaky_relu: (v) => (v >= 0 ? v : 0.01 * v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
  };
  return x.map(f[fn]);
}

/** f′ element-wise from z and f(z) (relu′(0) = leaky_relu′(0) = 1); softmax: the Jacobian per row. */
function derivative(fn: ActivationFn, z: TraceTensor, p: TraceTensor): TraceTensor {
  if (fn === 'softmax') {
    const k = lastAxis(p.shape);
    const rows = p.values.length / k;
    const J = new Float32Array(rows * k * k);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          const pi = p.values[r * k + i]!;
          J[(r * k + i) * k + j] = (i === j ? pi : 0) - pi * p.values[r * k + j]!;
        }
    return { shape: [...p.shape, k], values: J };
  }
  const d = (i: number): number => {
    const v = z.values[i]!;
    const s = p.values[i]!;
    switch (fn) {
      case 'identity':
        return 1;
      case 'relu':
        return v < 0 ? 0 : 1;
      case 'leaky_relu':
        return v < 0 ? 0.01 : 1;
      case 'sigmoid':
        return s * (1 - s);
      case 'tanh':
        return 1 - s * s;
    }
  };
  return { shape: [...p.shape], values: Float32Array.from(p.values, (_, i) => d(i)) };
}

const ONNX: Record<ActivationFn, Omit<OnnxNode, 'inputs' | 'outputs'>> = {
  identity: { op: 'Identity' },
  relu: { op: 'Relu' },
  leaky_relu: { op: 'LeakyRelu', attributes: { alpha: { float: 0.01 } } },
  sigmoid: { op: 'Sigmoid' },
  tanh: { op: 'Tanh' },
  softmax: { op: 'Softmax', attributes: { axis: { int: -1 } } },
};

// NOTE: torch's relu'(0) is 0 where the engine's is 1 (and leaky_relu'(0) 0.01, not 1): gradients
// differ only where a pre-activation is exactly 0, which real data almost never gives.
const TORCH: Record<ActivationFn, (v: string) => string> = {
  identity: (v) => v,
  relu: (v) => `torch.relu(${v})`,
  leaky_relu: (v) => `F.leaky_relu(${v}, 0.01)`,
  sigmoid: (v) => `torch.sigmoid(${v})`,
  tanh: (v) => `torch.tanh(${v})`,
  softmax: (v) => `torch.softmax(${v}, dim=-1)`,
};

const NUMPY_FORWARD: Record<ActivationFn, (v: string) => string> = {
  identity: (v) => v,
  relu: (v) => `np.maximum(${v}, 0)`,
  leaky_relu: (v) => `np.where(${v} >= 0, ${v}, np.float32(0.01) * ${v})`,
  sigmoid: (v) => `sigmoid(${v})`,
  tanh: (v) => `np.tanh(${v})`,
  softmax: (v) => `softmax(${v})`,
};

/** dL/din from g = dL/da, its input z and its output a, with the rule it applies. */
const NUMPY_BACKWARD: Record<ActivationFn, (g: string, z: string, a: string) => [string, string]> = {
  identity: (g) => [g, 'identity: dL/dz = dL/da'],
  relu: (g, z) => [`${g} * (${z} >= 0)`, "relu'(z) = 1 where z ≥ 0, else 0"],
  leaky_relu: (g, z) => [
    `${g} * np.where(${z} >= 0, np.float32(1), np.float32(0.01))`,
    "leaky_relu'(z) = 1 where z ≥ 0, else 0.01",
  ],
  sigmoid: (g, _z, a) => [`${g} * ${a} * (1 - ${a})`, "σ'(z) = σ(z)(1 − σ(z))"],
  tanh: (g, _z, a) => [`${g} * (1 - ${a} ** 2)`, "tanh'(z) = 1 − tanh(z)²"],
  softmax: (g, _z, a) => [
    `${a} * (${g} - (${g} * ${a}).sum(axis=-1, keepdims=True))`,
    'softmax: dL/dz_i = s_i (dL/ds_i − Σ_j dL/ds_j s_j)',
  ],
};

export const activation = defineNode({
  type: 'activation',
  category: 'activation',
  text: {
    en: {
      label: 'Activation',
      description: 'Element-wise nonlinearity (softmax per row)',
      fields: { fn: 'Function' },
      trace: {
        forward: 'Activation: a = {fn}(z), applied to each value on its own.',
        fusedForward: 'Fused into the loss: the Loss computes it together with the loss, for numerical stability.',
        backward: "Chain rule at {fn}: each value's gradient is multiplied by the slope {fn}′(z) at that value.",
        fused: '{fn} is fused into the loss: the Loss already gave dL/dz, which passes on unchanged.',
      },
    },
    ja: {
      label: '活性化',
      description: '要素ごとの非線形関数（softmax は行ごと）',
      fields: { fn: '関数' },
      trace: {
        forward: '活性化：a = {fn}(z) を値ごとに適用します。',
        fusedForward: '損失に融合：数値的に安定させるため、損失ノードが損失と一緒に計算します。',
        backward: '{fn} での連鎖律：各値の勾配に、その値での傾き {fn}′(z) を掛けます。',
        fused: '{fn} は損失に融合されています：損失ノードがすでに dL/dz を出しており、そのまま渡します。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema: z.strictObject({ fn: activationFnSchema }),
  defaults: () => ({ fn: 'relu' as const }),
  fields: [{ key: 'fn', kind: 'select' }],
  inferShape: ([input]) => [...input!],
  layer: {
    op,
    reference: {
      forward({ data, inputs: [x] }) {
        const kinked = data.fn === 'relu' || data.fn === 'leaky_relu';
        return {
          v: activate(data.fn, x!.v, lastAxis(x!.shape)),
          shape: x!.shape,
          ...(kinked ? { pattern: Uint8Array.from(x!.v, (v) => (v < 0 ? 1 : 0)) } : {}),
        };
      },
    },
    onnx: ({ data, inputs, output }) => [{ ...ONNX[data.fn], inputs, outputs: [output] }],
    pytorch: ({ data, inputs }) => ({ forward: TORCH[data.fn](inputs[0]!) }),
    numpy: {
      forward: ({ data, inputs }) => ({
        value: NUMPY_FORWARD[data.fn](inputs[0]!),
        rule: `a = ${data.fn}(in)${data.fn === 'softmax' ? ' along the last axis' : ''}`,
      }),
      backward: ({ data, inputs, out, g, into }) => {
        const [value, rule] = NUMPY_BACKWARD[data.fn](g, inputs[0]!, out);
        return into(0, value, `dL/dz = dL/da · f'(z); ${rule}`);
      },
    },
    trace: {
      forward: ({ data, inputs, output, fusedInto }): TraceExplain[] => [
        {
          text: 'forward',
          params: { fn: data.fn },
          terms: inputsToOutput(inputs, output, { inputs: ['z'], output: 'a' }),
        },
        ...(fusedInto ? [{ text: 'fusedForward', params: {}, terms: [] }] : []),
      ],
      backward: ({ data, inputs: [z], output, fusedInto }): TraceBackwardRule => {
        if (fusedInto)
          return {
            local: { kind: 'fused', text: 'fused', params: { fn: data.fn, loss: fusedInto }, terms: [], values: {} },
            passDown: (_port, g) => g.slice(),
          };
        const d = derivative(data.fn, z!, output);
        const softmax = data.fn === 'softmax';
        return {
          local: {
            kind: 'activation',
            text: 'backward',
            params: { fn: data.fn },
            terms: [softmax ? matrixTerm(d, `∂p/∂z (${data.fn})`) : vectorTerm(d, `${data.fn}′(z)`)],
            values: { derivative: d },
          },
          passDown: (_port, g) => {
            if (!softmax) return Float32Array.from(g, (v, i) => v * d.values[i]!);
            const k = d.shape[d.shape.length - 1]!;
            return Float32Array.from(g, (_, i) => {
              const r = Math.floor(i / k);
              let s = 0;
              for (let j = 0; j < k; j++) s += d.values[i * k + j]! * g[r * k + j]!;
              return s;
            });
          },
        };
      },
    },
  },
});
