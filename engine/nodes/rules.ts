// What a layer's node module holds besides its definition: forward/backward (its Op), the float64
// reference, the ONNX / PyTorch / NumPy emitters and the step-through. Generic code (compiler,
// gradient check, exporters, trace) asks the module through these interfaces and never switches
// on a node type: a type without one of them does not type-check (tldraw's ShapeUtil keeps a
// shape's export with the shape in the same way).
import type { TraceExplain, TraceLocal, TraceTensor } from '../train/traceTypes.ts';
import type { Op } from '../ops/types.ts';

/** All of a layer's rules; `input` and `loss` have none (the compiler handles them). */
export interface LayerRules<D> {
  op: Op;
  reference: ReferenceRule<D>;
  onnx: (c: OnnxContext<D>) => OnnxNode[];
  pytorch: (c: PyTorchContext<D>) => PyTorchLayer;
  numpy: NumpyRule<D>;
  trace: TraceRule<D>;
}

// --- float64 reference (engine/train/reference64.ts) ---

/** One node's value for the whole batch in float64: [batch × size(shape)] row-major. */
export interface RefValue {
  v: Float64Array;
  shape: number[];
}

export interface RefContext<D> {
  batch: number;
  data: D;
  /** Input values in port order. */
  inputs: RefValue[];
  /** A parameter by name ("W", "b"), or undefined when the node has none of that name. */
  param(name: string): Float64Array | undefined;
  /** Dropout: the multiplier of each element from the model's last training pass, if any. */
  mask: ArrayLike<number> | undefined;
}

export interface ReferenceRule<D> {
  /**
   * The output, written straight from DESIGN.md's formula with naive loops (no engine code).
   * `pattern` is where the function is not smooth (relu's signs, max-pool's winners): when a
   * perturbation changes it, the gradient check knows it crossed a kink.
   */
  forward(c: RefContext<D>): RefValue & { pattern?: ArrayLike<number> };
  /** The output after parameter `name`[index] moved by `delta`, from `base` (a shortcut; optional). */
  paramDelta?(c: RefContext<D>, base: RefValue, name: string, index: number, delta: number): RefValue;
}

// --- ONNX (engine/export/onnx.ts) ---

export type OnnxAttribute = { int: number } | { ints: number[] } | { float: number };

/** One ONNX operator, as plain data (engine/export/onnx.ts encodes it). */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface ExportLayerView<D> {
  id: string;
  data: D;
  /** Per-sample output shape. */
  shape: number[];
  /** Per-sample shape of each input, in port order. */
  inputShapes: number[][];
  /** Names of the parameters the node holds (W, b, gamma…), in its definition's order. */
  params: string[];
  /** Set on a softmax/sigmoid the loss fuses. */
  fused: boolean;
}

export interface OnnxContext<D> {
  layer: ExportLayerView<D>;
  data: D;
  /** Tensor names of the inputs in port order, and of the output. */
  inputs: string[];
  output: string;
  /** Adds parameter or buffer `name` as an initializer (axes permuted when given: ONNX's order of the engine's axes); its tensor name. */
  param(name: string, permutation?: number[]): string;
  /** A fresh name for an intermediate tensor. */
  temp(what: string): string;
  /** An int64 constant (a shape for Reshape, pads); its tensor name. */
  ints(what: string, values: number[]): string;
}

// --- PyTorch (engine/export/pytorch.ts) ---

export interface PyTorchContext<D> {
  layer: ExportLayerView<D>;
  data: D;
  /** The module attribute this layer may own ("self.c1"). */
  self: string;
  /** Python expressions of the inputs in port order. */
  inputs: string[];
}

export interface PyTorchLayer {
  /** The nn.Module made in __init__ and assigned to `self`, if the layer has one. */
  module?: string;
  /** The expression of the output. */
  forward: string;
  /**
   * Each parameter and buffer: its state_dict name under `self` ("weight", "running_mean") and the
   * permutation that takes the engine's layout to torch's (absent: the same layout).
   */
  state?: Record<string, { name: string; permute?: number[] }>;
}

// --- NumPy (engine/export/numpy.ts) ---

export interface NumpyContext<D> {
  layer: ExportLayerView<D>;
  data: D;
  /** Python expressions of the inputs' values (a["h"]) in port order, and of this node's output. */
  inputs: string[];
  out: string;
  /** dL/d(this node's output), da["h"]. */
  g: string;
  /** The expression of parameter or buffer `name` (params["h.W"], buffers["bn.runningMean"]). */
  param(name: string): string;
  /** The expression a parameter's gradient is assigned to (grads["h.W"]). */
  grad(name: string): string;
  /** A line adding `value` to input `port`'s gradient, commented with `rule` (nothing for the Input's x). */
  into(port: number, value: string, rule: string): string[];
}

export interface NumpyRule<D> {
  /** Lines before the value (optional), the value of the output, and the rule it applies (a comment). */
  forward(c: NumpyContext<D>): { lines?: string[]; value: string; rule: string };
  /** The backward lines, each commented with the chain-rule step it takes. */
  backward(c: NumpyContext<D>): string[];
  /** Python functions the lines call (im2col…), printed once per file. */
  helpers?: string;
}

// --- step-through (engine/train/trace.ts) ---

export interface TraceContext<D> {
  id: string;
  data: D;
  /** Input values in port order (one sample) and the output. */
  inputs: TraceTensor[];
  output: TraceTensor;
  /** Parameters and buffers as used, by name, with their gradients (buffers: zeros). */
  params: Map<string, { value: TraceTensor; grad: TraceTensor }>;
  /** dL/d(output) (null when fused into the loss). */
  gradOut: TraceTensor | null;
  /** Dropout: its mask. */
  mask: TraceTensor | undefined;
  /** Set on the softmax/sigmoid the loss fuses, with the loss node's id. */
  fusedInto: string | null;
}

export interface TraceRule<D> {
  /** What the node computes, as rows of terms (the first is the main one). */
  forward(c: TraceContext<D>): TraceExplain[];
  /** The local derivative, and the gradient passed down input `port` (index) given dL/d(output). */
  backward(c: TraceContext<D>): TraceBackwardRule;
}

export interface TraceBackwardRule {
  local: TraceLocal;
  passDown(port: number, gradOut: Float32Array): Float32Array;
  /** Rows after the chain rule: the parameter gradients, a window's share… */
  rows?: TraceExplain[];
}
