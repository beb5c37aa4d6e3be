// What Max- and AvgPool2D share: their data (`size`, default 2; `stride`, default = size; `valid`
// windows only), the geometry, the shape rule and the emitters' framing.
import { z } from 'zod';
import type { TraceExplain, TraceTensor } from '../train/traceTypes.ts';
import type { ConvGeometry } from '../kernels/conv.ts';
import type { Step } from '../ops/types.ts';
import type { ShapeResult } from './define.ts';
import type { OnnxContext, OnnxNode } from './rules.ts';
import { imageInput, loudestPixel, type Pair, pairSchema, tooSmall, windowGeometry } from './spatial.ts';
import { matrixTerm, vectorTerm } from './traceTerms.ts';
import { toNchw, toNhwc } from './spatialExport.ts';

export const poolSchema = z.strictObject({
  /** Window size, n or [h, w]; default 2. */
  size: pairSchema(64).optional(),
  /** Default: the window size. */
  stride: pairSchema(64).optional(),
});
export type PoolData = z.infer<typeof poolSchema>;

export const poolGeometry = (d: PoolData, input: readonly number[], batch = 1) =>
  windowGeometry(input, d.size ?? 2, d.stride ?? d.size ?? 2, 'valid', input[2]!, batch);

// NOTE: one geometry per compiled step (a plan is per batch size): warm steps allocate nothing.
const geometries = new WeakMap<Step, ConvGeometry>();
export function stepGeometry(step: Step, batch: number): ConvGeometry {
  let g = geometries.get(step);
  if (!g) {
    g = poolGeometry(step.data as PoolData, step.inputs[0]!.shape, batch);
    geometries.set(step, g);
  }
  return g;
}

export function poolShape(input: readonly number[], d: PoolData): ShapeResult {
  const bad = imageInput(input);
  if (bad) return bad;
  const g = poolGeometry(d, input);
  if (g.outH < 1 || g.outW < 1) return tooSmall(input, (d.size ?? 2) as Pair);
  return [g.outH, g.outW, input[2]!];
}

export const poolFields = [
  { key: 'size', kind: 'ints' },
  { key: 'stride', kind: 'ints' },
] as const;

/** Transpose to NCHW, the pool, transpose back. */
export function onnxPool(op: 'MaxPool' | 'AveragePool', c: OnnxContext<PoolData>): OnnxNode[] {
  const g = poolGeometry(c.data, c.layer.inputShapes[0]!);
  const nchw = c.temp('nchw');
  const pooled = c.temp('pool');
  return [
    toNchw(c.inputs[0]!, nchw),
    {
      op,
      inputs: [nchw],
      outputs: [pooled],
      attributes: { kernel_shape: { ints: [g.kh, g.kw] }, strides: { ints: [g.sh, g.sw] } },
    },
    toNhwc(pooled, c.output),
  ];
}

/** The nn module of a pool and its forward around NCHW. */
export function torchPool(
  module: 'MaxPool2d' | 'AvgPool2d',
  d: PoolData,
  input: readonly number[],
  self: string,
  x: string,
) {
  const g = poolGeometry(d, input);
  return {
    module: `nn.${module}((${g.kh}, ${g.kw}), stride=(${g.sh}, ${g.sw}))`,
    forward: `${self}(${x}.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)`,
  };
}

/** im2col without padding, each window's values on their own axis: [B, OH, OW, kh·kw, C]. */
export function numpyWindows(d: PoolData, input: readonly number[], x: string): string {
  const g = poolGeometry(d, input);
  return `im2col(${x}, ${g.kh}, ${g.kw}, ${g.sh}, ${g.sw}, (0, 0, 0, 0)).reshape(len(${x}), ${g.outH}, ${g.outW}, ${g.kh * g.kw}, ${g.inC})`;
}

/** One window of one channel ([kh, kw]) at output pixel (oy, ox), channel c. */
export function poolWindow(x: TraceTensor, g: ConvGeometry, oy: number, ox: number, c: number): TraceTensor {
  const values = new Float32Array(g.kh * g.kw);
  for (let ky = 0; ky < g.kh; ky++)
    for (let kx = 0; kx < g.kw; kx++)
      values[ky * g.kw + kx] = x.values[((oy * g.sh + ky) * g.inW + ox * g.sw + kx) * g.inC + c]!;
  return { shape: [g.kh, g.kw], values };
}

/** The step-through's forward rows of a pool: the whole map, then its loudest window and what it gives. */
export function poolTraceForward(d: PoolData, x: TraceTensor, output: TraceTensor, op: string): TraceExplain[] {
  const g = poolGeometry(d, x.shape);
  const at = loudestPixel(output);
  const value = output.values[at.index]!;
  return [
    {
      text: 'forward',
      params: { size: `${g.kh}×${g.kw}` },
      terms: [vectorTerm(x, 'in'), { op: '→' }, vectorTerm(output, 'out')],
    },
    {
      text: 'window',
      params: { row: at.oy, col: at.ox, channel: at.c, value: value.toPrecision(4) },
      terms: [
        matrixTerm(poolWindow(x, g, at.oy, at.ox, at.c), 'window'),
        { op },
        vectorTerm({ shape: [], values: Float32Array.of(value) }, 'out'),
      ],
    },
  ];
}
