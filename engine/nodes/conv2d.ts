// Conv2D: 2-D convolution (cross-correlation, as in every framework) of [B, H, W, C] (channels last)
// with W [kh, kw, C, filters] plus b [filters], giving [B, H′, W′, filters]. `same` pads as
// TensorFlow does (an odd extra row/column at the bottom/right). The loops are the kernels'
// (engine/kernels: getConvKernels), shared with the WebAssembly ones.
import { z } from 'zod';
import type { TraceExplain, TraceTensor } from '../train/traceTypes.ts';
import { count, initSchema } from '../format/schema.ts';
import { getConvKernels } from '../kernels/backend.ts';
import { type ConvGeometry, tsConvKernels } from '../kernels/conv.ts';
import type { Op, Step } from '../ops/types.ts';
import { defineNode } from './define.ts';
import type { TraceBackwardRule } from './rules.ts';
import { CONV_NUMPY_HELPERS, toNchw, toNhwc } from './spatialExport.ts';
import {
  imageInput,
  IMAGE_FIXES,
  imageProblems,
  loudestPixel,
  type Pair,
  type Padding,
  pair,
  pairSchema,
  tooSmall,
  windowGeometry,
} from './spatial.ts';
import { matrixTerm, vectorTerm } from './traceTerms.ts';

const schema = z.strictObject({
  filters: count(1, 4096),
  kernelSize: pairSchema(64),
  /** Default 1. */
  stride: pairSchema(64).optional(),
  /** Default "valid". */
  padding: z.enum(['valid', 'same']).optional(),
  /** Default true. */
  bias: z.boolean().optional(),
  init: initSchema.optional(),
  biasInit: initSchema.optional(),
});
type ConvData = z.infer<typeof schema>;

const geometryOf = (d: ConvData, input: readonly number[], batch = 1) =>
  windowGeometry(input, d.kernelSize, d.stride ?? 1, (d.padding ?? 'valid') as Padding, d.filters, batch);

// NOTE: one geometry per compiled step (a plan is per batch size): warm steps allocate nothing.
const geometries = new WeakMap<Step, ConvGeometry>();
function geometry(step: Step, batch: number): ConvGeometry {
  let g = geometries.get(step);
  if (!g) {
    g = geometryOf(step.data as ConvData, step.inputs[0]!.shape, batch);
    geometries.set(step, g);
  }
  return g;
}

const op: Op = {
  forward(step, batch) {
    const b = step.params[1];
    getConvKernels().conv2dForward(
      step.inputs[0]!.data,
      step.params[0]!.value.data,
      b ? b.value.data : null,
      step.output.data,
      geometry(step, batch),
    );
  },
  backward(step, batch) {
    const g = geometry(step, batch);
    const input = step.inputs[0]!;
    const dy = step.output.grad!;
    const kernels = getConvKernels();
    const b = step.params[1];
    kernels.conv2dBackwardFilter(input.data, dy, step.params[0]!.grad.data, b ? b.grad.data : null, g);
    if (input.grad) kernels.conv2dBackwardInput(dy, step.params[0]!.value.data, input.grad, g);
  },
};

/** The window of one output pixel ([kh, kw] for one channel, else [kh·kw, C]) and filter f's weights alike. */
function windowAt(x: TraceTensor, W: TraceTensor, g: ConvGeometry, oy: number, ox: number, f: number) {
  const { inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outC } = g;
  const win = new Float32Array(kh * kw * inC);
  const ker = new Float32Array(kh * kw * inC);
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++)
      for (let c = 0; c < inC; c++) {
        const iy = oy * sh - padTop + ky;
        const ix = ox * sw - padLeft + kx;
        const k = (ky * kw + kx) * inC + c;
        win[k] = iy < 0 || iy >= inH || ix < 0 || ix >= inW ? 0 : x.values[(iy * inW + ix) * inC + c]!;
        ker[k] = W.values[k * outC + f]!;
      }
  const shape = inC === 1 ? [kh, kw] : [kh * kw, inC];
  return { window: { shape, values: win }, kernel: { shape: [...shape], values: ker } };
}

const scalar = (v: number): TraceTensor => ({ shape: [], values: Float32Array.of(v) });

export const conv2d = defineNode({
  type: 'conv2d',
  category: 'convolution',
  featureMaps: true,
  text: {
    en: {
      label: 'Conv2D',
      description: 'Slides filters over an image [h, w, c]: each output value is a window × a filter + bias',
      fields: {
        filters: 'Filters',
        kernelSize: 'Kernel size',
        stride: 'Stride',
        padding: 'Padding',
        bias: 'Bias',
        init: 'Weight init',
        biasInit: 'Bias init',
      },
      trace: {
        forward:
          'Conv2D: {filters} filters of {kernel} slide over the input (stride {stride}, {padding} padding); each gives one output channel.',
        window:
          'One output value: the {kernel} window at row {row}, column {col} times filter {filter}, summed, plus its bias = {value}.',
        windowNoBias:
          'One output value: the {kernel} window at row {row}, column {col} times filter {filter}, summed = {value} (this layer adds no b).',
        backward:
          'Chain rule at Conv2D: every output value sends δ × its filter back to the window it read; the filter collects δ × the window over all positions.',
        windowGrad:
          'The value at row {row}, column {col}, filter {filter} got δ = {delta}: δ × the filter goes back to its window, δ × the window into the filter’s gradient.',
        params:
          'What the optimizer uses: dL/dW (every filter, [kh·kw·c, filters]) and dL/db (δ summed over all positions).',
        paramsNoBias: 'What the optimizer uses: dL/dW (every filter, [kh·kw·c, filters]).',
      },
    },
    ja: {
      label: '畳み込み',
      description: '画像 [h, w, c] の上でフィルタをずらします。出力の各値は 窓 × フィルタ + バイアス です',
      fields: {
        filters: 'フィルタ数',
        kernelSize: 'カーネルサイズ',
        stride: 'ストライド',
        padding: 'パディング',
        bias: 'バイアス',
        init: '重みの初期化',
        biasInit: 'バイアスの初期化',
      },
      trace: {
        forward:
          '畳み込み：{kernel} のフィルタ {filters} 枚が入力の上をずれていきます（ストライド {stride}、パディング {padding}）。フィルタ 1 枚が出力の 1 チャンネルになります。',
        window: '出力の 1 つの値：{row} 行 {col} 列の {kernel} の窓 × フィルタ {filter} の和 + バイアス = {value}。',
        windowNoBias:
          '出力の 1 つの値：{row} 行 {col} 列の {kernel} の窓 × フィルタ {filter} の和 = {value}（この層は b を足しません）。',
        backward:
          '畳み込みでの連鎖律：出力の各値は δ × フィルタ を読んだ窓へ返し、フィルタの勾配には全ての位置の δ × 窓 が集まります。',
        windowGrad:
          '{row} 行 {col} 列・フィルタ {filter} の値の勾配は δ = {delta}：δ × フィルタ が窓へ戻り、δ × 窓 がフィルタの勾配に加わります。',
        params: 'オプティマイザが使うもの：dL/dW（全フィルタ、[kh·kw·c, フィルタ数]）と dL/db（全ての位置の δ の和）。',
        paramsNoBias: 'オプティマイザが使うもの：dL/dW（全フィルタ、[kh·kw·c, フィルタ数]）。',
      },
    },
  },
  ports: { inputs: ['in'], outputs: ['out'] },
  schema,
  defaults: () => ({ filters: 8, kernelSize: 3, padding: 'same' as const }),
  fields: [
    { key: 'filters', kind: 'int' },
    { key: 'kernelSize', kind: 'ints' },
    { key: 'stride', kind: 'ints' },
    { key: 'padding', kind: 'select' },
    { key: 'bias', kind: 'bool' },
    { key: 'init', kind: 'select' },
    { key: 'biasInit', kind: 'select', when: (d) => d.bias !== false },
  ],
  paramNames: (d: ConvData) => (d.bias === false ? ['W'] : ['W', 'b']),
  inferShape([input], d) {
    const bad = imageInput(input!);
    if (bad) return bad;
    const g = geometryOf(d, input!);
    if (g.outH < 1 || g.outW < 1) return tooSmall(input!, d.kernelSize);
    return [g.outH, g.outW, d.filters];
  },
  params(d, [input]) {
    const [kh, kw] = pair(d.kernelSize);
    const C = input![input!.length - 1]!;
    const W = {
      name: 'W',
      shape: [kh, kw, C, d.filters],
      decay: true,
      // NOTE: Glorot and He use fan-in kh·kw·C and fan-out kh·kw·filters (DESIGN.md).
      init: { kind: d.init ?? 'glorot_uniform', fanIn: kh * kw * C, fanOut: kh * kw * d.filters },
    };
    if (d.bias === false) return [W];
    return [
      W,
      {
        name: 'b',
        shape: [d.filters],
        decay: false,
        init: { kind: d.biasInit ?? 'zeros', fanIn: d.filters, fanOut: d.filters },
      },
    ];
  },
  multiplyAdds(d, [input], output) {
    const [kh, kw] = pair(d.kernelSize);
    // forward, dW and dx: each output value costs kh·kw·C multiply-adds three times
    return 3 * (output[0]! * output[1]! * d.filters * kh * kw * input![2]!) + 3 * output[0]! * output[1]! * d.filters;
  },
  layer: {
    op,
    reference: {
      forward({ batch, data, inputs: [x], param }) {
        const g = geometryOf(data, x!.shape);
        const { inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW, outC } = g;
        const W = param('W');
        if (!W || W.length !== kh * kw * inC * outC) throw new Error('reference: W is missing or misfits');
        const b = param('b');
        const out = new Float64Array(batch * outH * outW * outC);
        for (let n = 0; n < batch; n++)
          for (let oy = 0; oy < outH; oy++)
            for (let ox = 0; ox < outW; ox++)
              for (let f = 0; f < outC; f++) {
                let s = b ? b[f]! : 0;
                for (let ky = 0; ky < kh; ky++)
                  for (let kx = 0; kx < kw; kx++) {
                    const iy = oy * sh - padTop + ky;
                    const ix = ox * sw - padLeft + kx;
                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
                    for (let c = 0; c < inC; c++)
                      s += x!.v[((n * inH + iy) * inW + ix) * inC + c]! * W[((ky * kw + kx) * inC + c) * outC + f]!;
                  }
                out[((n * outH + oy) * outW + ox) * outC + f] = s;
              }
        return { v: out, shape: [outH, outW, outC] };
      },
    },
    onnx: ({ layer, data, inputs, output, param, temp }) => {
      const g = geometryOf(data, layer.inputShapes[0]!);
      const nchw = temp('nchw');
      const conv = temp('conv');
      const weights = [param('W', [3, 2, 0, 1]), ...(layer.params.includes('b') ? [param('b')] : [])];
      return [
        toNchw(inputs[0]!, nchw),
        {
          op: 'Conv',
          inputs: [nchw, ...weights],
          outputs: [conv],
          attributes: {
            kernel_shape: { ints: [g.kh, g.kw] },
            strides: { ints: [g.sh, g.sw] },
            // NOTE: ONNX pads are [top, left, bottom, right]: TensorFlow's odd extra goes to the end.
            pads: { ints: [g.padTop, g.padLeft, g.padBottom, g.padRight] },
          },
        },
        toNhwc(conv, output),
      ];
    },
    pytorch: ({ layer, data, self, inputs }) => {
      const g = geometryOf(data, layer.inputShapes[0]!);
      const symmetric = g.padTop === g.padBottom && g.padLeft === g.padRight;
      const bias = layer.params.includes('b') ? '' : ', bias=False';
      const padding = symmetric ? `, padding=(${g.padTop}, ${g.padLeft})` : '';
      const x = `${inputs[0]}.permute(0, 3, 1, 2)`;
      // NOTE: `same` with an odd total pads one more at the bottom/right (TensorFlow's split), which
      // nn.Conv2d's symmetric padding cannot say: F.pad takes (left, right, top, bottom).
      const padded = symmetric ? x : `F.pad(${x}, (${g.padLeft}, ${g.padRight}, ${g.padTop}, ${g.padBottom}))`;
      return {
        module: `nn.Conv2d(${g.inC}, ${g.outC}, (${g.kh}, ${g.kw}), stride=(${g.sh}, ${g.sw})${padding}${bias})`,
        forward: `${self}(${padded}).permute(0, 2, 3, 1)`,
        state: { W: { name: 'weight', permute: [3, 2, 0, 1] }, b: { name: 'bias' } },
      };
    },
    numpy: {
      helpers: CONV_NUMPY_HELPERS,
      forward: ({ layer, data, inputs, param }) => {
        const g = geometryOf(data, layer.inputShapes[0]!);
        const bias = layer.params.includes('b') ? ` + ${param('b')}` : '';
        return {
          value: `im2col(${inputs[0]}, ${g.kh}, ${g.kw}, ${g.sh}, ${g.sw}, ${pads(g)}) @ ${param('W')}.reshape(-1, ${g.outC})${bias}`,
          rule: `each output pixel's ${g.kh}×${g.kw}×${g.inC} window (a row of im2col) · W as [kh·kw·c, filters]${bias ? ' + b' : ''}`,
        };
      },
      backward: ({ layer, data, inputs, g: grad, param, grad: gradOf, into }) => {
        const g = geometryOf(data, layer.inputShapes[0]!);
        const cols = `im2col(${inputs[0]}, ${g.kh}, ${g.kw}, ${g.sh}, ${g.sw}, ${pads(g)})`;
        return [
          `    cols = ${cols}  # the windows again, one row per output pixel`,
          `    ${gradOf('W')} = (cols.reshape(-1, cols.shape[-1]).T @ ${grad}.reshape(-1, ${g.outC})).reshape(${param('W')}.shape)  # dL/dW = Σ windowᵀ · δ over every pixel`,
          ...(layer.params.includes('b')
            ? [`    ${gradOf('b')} = ${grad}.sum(axis=(0, 1, 2))  # dL/db = Σ δ over batch and pixels`]
            : []),
          ...into(
            0,
            `col2im(${grad} @ ${param('W')}.reshape(-1, ${g.outC}).T, ${inputs[0]}.shape, ${g.kh}, ${g.kw}, ${g.sh}, ${g.sw}, ${pads(g)})`,
            'dL/din: δ · Wᵀ per pixel, added back onto the window it read (col2im)',
          ),
        ];
      },
    },
    trace: {
      forward: ({ data, inputs: [x], output, params }): TraceExplain[] => {
        const g = geometryOf(data, x!.shape);
        const W = params.get('W')!.value;
        const b = params.get('b')?.value;
        const at = loudestPixel(output);
        const { window, kernel } = windowAt(x!, W, g, at.oy, at.ox, at.c);
        return [
          {
            text: 'forward',
            params: {
              filters: g.outC,
              kernel: `${g.kh}×${g.kw}×${g.inC}`,
              stride: g.sh === g.sw ? g.sh : `${g.sh}×${g.sw}`,
              padding: data.padding ?? 'valid',
            },
            terms: [
              vectorTerm(x!, 'x'),
              { op: '∗' },
              matrixTerm({ shape: [g.kh * g.kw * g.inC, g.outC], values: W.values }, 'W'),
              { op: '→' },
              vectorTerm(output, 'z'),
            ],
          },
          {
            text: b ? 'window' : 'windowNoBias',
            params: {
              kernel: `${g.kh}×${g.kw}`,
              row: at.oy,
              col: at.ox,
              filter: at.c,
              value: output.values[at.index]!.toPrecision(4),
            },
            terms: [
              matrixTerm(window, 'window'),
              { op: '⊙' },
              matrixTerm(kernel, `W[…, ${at.c}]`),
              ...(b ? [{ op: '+' }, vectorTerm(scalar(b.values[at.c]!), `b[${at.c}]`)] : []),
              { op: '=' },
              vectorTerm(scalar(output.values[at.index]!), 'z'),
            ],
          },
        ];
      },
      backward: ({ data, inputs: [x], output, params, gradOut }): TraceBackwardRule => {
        const g = geometryOf(data, x!.shape);
        const W = params.get('W')!;
        const b = params.get('b');
        const at = loudestPixel(output);
        const { window, kernel } = windowAt(x!, W.value, g, at.oy, at.ox, at.c);
        const delta = gradOut?.values[at.index] ?? 0;
        const times = (t: TraceTensor) => ({ shape: t.shape, values: t.values.map((v) => v * delta) });
        return {
          local: {
            kind: 'conv2d',
            text: 'backward',
            params: {},
            terms: [matrixTerm({ shape: [g.kh * g.kw * g.inC, g.outC], values: W.value.values }, 'W')],
            values: { W: W.value },
          },
          passDown: (_port, dy) => {
            const dx = new Float32Array(x!.values.length);
            tsConvKernels.conv2dBackwardInput(dy, W.value.values, dx, g);
            return dx;
          },
          rows: [
            {
              text: 'windowGrad',
              params: { row: at.oy, col: at.ox, filter: at.c, delta: delta.toPrecision(4) },
              terms: [
                vectorTerm(scalar(delta), 'δ'),
                { op: '×' },
                matrixTerm(kernel, `W[…, ${at.c}]`),
                { op: '→' },
                matrixTerm(times(kernel), 'dL/dwindow'),
                { op: ';' },
                matrixTerm(times(window), `δ × window → dL/dW[…, ${at.c}]`),
              ],
            },
            {
              text: b ? 'params' : 'paramsNoBias',
              params: {},
              terms: [
                matrixTerm({ shape: [g.kh * g.kw * g.inC, g.outC], values: W.grad.values }, 'dL/dW'),
                ...(b ? [vectorTerm(b.grad, 'dL/db = Σ δ')] : []),
              ],
            },
          ],
        };
      },
    },
  },
  fixes: IMAGE_FIXES,
  problems: imageProblems('conv2d'),
});

/** im2col's padding argument: (top, bottom, left, right). */
const pads = (g: ReturnType<typeof geometryOf>) => `(${g.padTop}, ${g.padBottom}, ${g.padLeft}, ${g.padRight})`;

export type { Pair };
