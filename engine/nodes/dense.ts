// Dense (fully connected): out = in · W + b, W is [inFeatures, units] row-major, b is [units]
// (absent when `bias` is false). A Dense takes a per-sample vector: a multi-axis input needs a
// Flatten node first.
import { z } from 'zod';
import { count, finite, initSchema } from '../format/schema.ts';
import { getKernels } from '../kernels/backend.ts';
import { simdAddBias, simdColumnSums } from '../kernels/elementwise.ts';
import type { Op } from '../ops/types.ts';
import { defineNode } from './define.ts';
import { matrixTerm, vectorTerm } from './traceTerms.ts';

const schema = z.strictObject({
  units: count(1, 100_000),
  init: initSchema.optional(),
  /** Half-width for `init: "uniform"` (default 0.05). */
  scale: finite().positive().max(100).optional(),
  /** Standard deviation for `init: "normal"` (default 0.05). */
  std: finite().positive().max(100).optional(),
  /** Default true. */
  bias: z.boolean().optional(),
  /** Default "zeros". */
  biasInit: initSchema.optional(),
});
type DenseData = z.infer<typeof schema>;
const usesScale = (d: Record<string, unknown>) => d.init === 'uniform' || d.biasInit === 'uniform';
const usesStd = (d: Record<string, unknown>) => d.init === 'normal' || d.biasInit === 'normal';

/** A multi-dimensional per-sample input is read as flat (row-major): [28, 28] feeds 784 features. */
const op: Op = {
  forward(step, batch) {
    const input = step.inputs[0]!;
    const out = step.output;
    const W = step.params[0]!.value.data;
    const units = out.size;
    getKernels().matmulNN(input.data, W, out.data, batch, input.size, units, false);
    const b = step.params[1];
    if (b && !simdAddBias(out.data, b.value.data, batch, units)) {
      const bias = b.value.data;
      const y = out.data;
      for (let r = 0, o = 0; r < batch; r++)
        for (let j = 0; j < units; j++, o++) y[o] = (y[o] as number) + (bias[j] as number);
    }
  },
  backward(step, batch) {
    const input = step.inputs[0]!;
    const dy = step.output.grad!;
    const units = step.output.size;
    const features = input.size;
    const kernels = getKernels();
    const W = step.params[0]!;
    // dW = inᵀ · dy   ([features × B] · [B × units])
    kernels.matmulTN(input.data, dy, W.grad.data, features, batch, units, false);
    const b = step.params[1];
    if (b && !simdColumnSums(dy, b.grad.data, batch, units)) {
      const db = b.grad.data;
      db.fill(0);
      for (let r = 0, o = 0; r < batch; r++)
        for (let j = 0; j < units; j++, o++) db[j] = (db[j] as number) + (dy[o] as number);
    }
    // d(in) += dy · Wᵀ   ([B × units] · [units × features])
    if (input.grad) kernels.matmulNT(dy, W.value.data, input.grad, batch, units, features, true);
  },
};

export const dense = defineNode({
  type: 'dense',
  category: 'layer',
  text: {
    en: {
      label: 'Dense',
      description: 'Fully connected layer: out = in · W + b',
      fields: {
        units: 'Units',
        init: 'Weight init',
        scale: 'Scale (uniform)',
        std: 'Std (normal)',
        bias: 'Bias',
        biasInit: 'Bias init',
      },
      trace: {
        forward: 'Dense: every unit sums its weighted inputs plus its bias, z = x · W + b.',
        backward: 'Chain rule at Dense: the gradient passed down is δ · Wᵀ; the weights get xᵀ · δ, the bias δ.',
        params: 'What the optimizer uses: the gradient of the loss with respect to the weights and the bias.',
      },
    },
    ja: {
      label: '全結合',
      description: '全結合層: out = in · W + b',
      fields: {
        units: 'ユニット数',
        init: '重みの初期化',
        scale: '幅（一様分布）',
        std: '標準偏差（正規分布）',
        bias: 'バイアス',
        biasInit: 'バイアスの初期化',
      },
      trace: {
        forward: '全結合層：各ユニットが入力の重み付き和にバイアスを足します。z = x · W + b',
        backward: '全結合層での連鎖律：下に渡す勾配は δ · Wᵀ、重みの勾配は xᵀ · δ、バイアスの勾配は δ です。',
        params: 'オプティマイザが使うもの：重みとバイアスについての損失の勾配。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema,
  defaults: () => ({ units: 8 }),
  fields: [
    { key: 'units', kind: 'int' },
    { key: 'init', kind: 'select' },
    { key: 'scale', kind: 'number', when: usesScale },
    { key: 'std', kind: 'number', when: usesStd },
    { key: 'bias', kind: 'bool' },
    { key: 'biasInit', kind: 'select', when: (d) => d.bias !== false },
  ],
  paramNames: (d: DenseData) => (d.bias === false ? ['W'] : ['W', 'b']),
  inferShape([input], d) {
    if (input!.length !== 1) return { code: 'input-rank', params: { shape: [...input!] } };
    return [d.units];
  },
  params(d, [input]) {
    const fanIn = input![0]!;
    const opts = { scale: d.scale, std: d.std };
    const W = {
      name: 'W',
      shape: [fanIn, d.units],
      decay: true,
      init: { kind: d.init ?? 'glorot_uniform', fanIn, fanOut: d.units, ...opts },
    };
    if (d.bias === false) return [W];
    const b = {
      name: 'b',
      shape: [d.units],
      decay: false,
      init: { kind: d.biasInit ?? 'zeros', fanIn: d.units, fanOut: d.units, ...opts },
    };
    return [W, b];
  },
  layer: {
    op,
    reference: {
      forward({ batch, data, inputs: [x], param }) {
        const features = x!.v.length / batch;
        const units = data.units;
        const W = param('W');
        if (!W || W.length !== features * units) throw new Error('reference: W is missing or misfits');
        const b = param('b');
        const out = new Float64Array(batch * units);
        for (let r = 0; r < batch; r++)
          for (let j = 0; j < units; j++) {
            let s = b ? b[j]! : 0;
            for (let k = 0; k < features; k++) s += x!.v[r * features + k]! * W[k * units + j]!;
            out[r * units + j] = s;
          }
        return { v: out, shape: [units] };
      },
      // W[k, j] or b[j] moved by delta: only column j changes, by delta · x[:, k] (resp. delta), so a
      // 784×64 layer costs a column, not a matmul.
      paramDelta({ batch, inputs: [x] }, base, name, index, delta) {
        const units = base.shape[0]!;
        const out = base.v.slice();
        const isBias = name === 'b';
        const j = isBias ? index : index % units;
        const k = isBias ? 0 : Math.floor(index / units);
        const features = x!.v.length / batch;
        for (let r = 0; r < batch; r++)
          out[r * units + j] = out[r * units + j]! + (isBias ? delta : delta * x!.v[r * features + k]!);
        return { v: out, shape: base.shape };
      },
    },
    onnx: ({ layer, inputs, output, param }) => [
      { op: 'Gemm', inputs: [...inputs, ...layer.params.map((p) => param(p))], outputs: [output] },
    ],
    pytorch: ({ layer, self, inputs }) => ({
      module: `nn.Linear(${layer.inputShapes[0]![0]}, ${layer.shape[0]}${layer.params.includes('b') ? '' : ', bias=False'})`,
      forward: `${self}(${inputs[0]})`,
      // NOTE: nn.Linear keeps its weight as [out, in]; the engine's W is [in, out].
      state: { W: { name: 'weight', permute: [1, 0] }, b: { name: 'bias' } },
    }),
    numpy: {
      forward: ({ layer, inputs, param }) =>
        layer.params.includes('b')
          ? { value: `${inputs[0]} @ ${param('W')} + ${param('b')}`, rule: 'a = in · W + b' }
          : { value: `${inputs[0]} @ ${param('W')}`, rule: 'a = in · W' },
      backward: ({ layer, inputs, g, param, grad, into }) => [
        `    ${grad('W')} = ${inputs[0]}.T @ ${g}  # dL/dW = inᵀ · dL/da`,
        ...(layer.params.includes('b')
          ? [`    ${grad('b')} = ${g}.sum(axis=0)  # dL/db = Σ over the batch of dL/da`]
          : []),
        ...into(0, `${g} @ ${param('W')}.T`, 'dL/din = dL/da · Wᵀ'),
      ],
    },
    trace: {
      forward: ({ inputs: [x], params, output }) => {
        const b = params.get('b');
        return [
          {
            text: 'forward',
            params: {},
            terms: [
              vectorTerm(x!, 'x'),
              { op: '·' },
              matrixTerm(params.get('W')!.value, 'W'),
              ...(b ? [{ op: '+' }, vectorTerm(b.value, 'b')] : []),
              { op: '=' },
              vectorTerm(output, 'z'),
            ],
          },
        ];
      },
      backward: ({ params }) => {
        const W = params.get('W')!;
        const b = params.get('b');
        return {
          local: {
            kind: 'dense',
            text: 'backward',
            params: {},
            terms: [matrixTerm(W.value, 'W')],
            values: { W: W.value },
          },
          // δ · Wᵀ
          passDown: (_port, g) => {
            const [features, units] = W.value.shape as [number, number];
            return Float32Array.from({ length: features }, (_, k) => {
              let s = 0;
              for (let j = 0; j < units; j++) s += g[j]! * W.value.values[k * units + j]!;
              return s;
            });
          },
          rows: [
            {
              text: 'params',
              params: {},
              terms: [matrixTerm(W.grad, 'dL/dW = xᵀ·δ'), ...(b ? [vectorTerm(b.grad, 'dL/db = δ')] : [])],
            },
          ],
        };
      },
    },
  },
  fixes: { 'input-rank': { insert: 'flatten' } },
  problems: {
    'input-rank': {
      en: (p, f) =>
        `${f.node(String(p.node), 'dense')} takes a vector per sample but gets ${f.shape((p.shape as number[] | undefined) ?? [])}: insert a Flatten node before it`,
      ja: (p, f) =>
        `${f.node(String(p.node), 'dense')} は 1 サンプルにつきベクトルを受け取りますが、${f.shape((p.shape as number[] | undefined) ?? [])} が来ています。前に平坦化ノードを入れてください`,
    },
  },
});
