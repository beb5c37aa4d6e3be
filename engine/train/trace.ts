// traceSample: the numbers of one forward and backward pass on one sample, step by step, for the
// app's step-through of backprop. It reads the engine's own values (activations, outputGrads,
// parameter gradients, dropout masks) from one lossAndGrads call; what the engine does not keep —
// each consumer's share of a fanned-out gradient, the local derivatives — it computes from them.
import type {
  Model,
  NodeInfo,
  TraceBackwardStep,
  TraceContribution,
  TraceForwardStep,
  TraceGrad,
  TraceLocal,
  TraceStep,
  TraceTensor,
} from '../api.ts';
import type { ActivationFn, LossFn } from '../format/types.ts';
import { sizeOf, type Tensor } from '../tensor.ts';

/**
 * Runs `model.lossAndGrads` on one sample (x [1, ...], y [1, ...]) and returns its forward steps
 * (Input → Loss, topological order) then its backward steps (Loss → Input). Every array is a copy.
 *
 * @example
 * const steps = traceSample(model, { shape: [1, 2], data: x }, { shape: [1, 1], data: y });
 * steps.find((s) => s.phase === 'backward' && s.nodeId === 'h'); // gradOut, local W, gradIn, dW, db
 */
export function traceSample(model: Model, x: Tensor, y: Tensor): TraceStep[] {
  if (x.shape[0] !== 1 || y.shape[0] !== 1)
    throw new RangeError(
      `traceSample traces one sample: x and y need a batch axis of 1, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`,
    );
  const { loss, grads } = model.lossAndGrads(x, y);
  const info = model.info;
  const nodes = new Map(info.nodes.map((n) => [n.id, n]));
  const inputNode = info.nodes.find((n) => n.type === 'input')!;
  const lossNode = info.nodes.find((n) => n.type === 'loss')!;
  const shapeOf = (id: string) => (id === inputNode.id ? info.inputShape! : nodes.get(id)!.outputShape!);
  const copy = (t: Tensor | undefined, shape: number[]): TraceTensor | null =>
    t ? { shape: [...shape], values: t.data.slice(0, sizeOf(shape)) } : null;
  // NOTE: everything is copied now: the model's buffers are overwritten by its next call.
  const acts = new Map([...model.activations()].map(([id, t]) => [id, copy(t, shapeOf(id))!]));
  const outGrads = new Map([...model.outputGrads()].map(([id, t]) => [id, copy(t, shapeOf(id))!]));
  const masks = new Map([...model.dropoutMasks()].map(([id, t]) => [id, copy(t, shapeOf(id))!]));
  const target = copy(y, info.targetShape!)!;
  const param = (key: string) => {
    const shape = model.params.get(key)!.shape;
    return { value: copy(model.params.get(key), shape)!, grad: copy(grads.get(key), shape)! };
  };
  const wireValue = (node: string, handle: string) => (handle === 'y' ? target : acts.get(node)!);
  const fusedNode = info.nodes.find((n) => n.fusedIntoLoss);
  const logitsNode = fusedNode?.inputs[0]?.node;

  const forward: TraceForwardStep[] = info.nodes.map((n) => {
    const inputs = n.inputs.map((w) => ({
      port: w.port,
      from: w.node,
      fromPort: w.handle,
      ...wireValue(w.node, w.handle),
    }));
    const output = n.type === 'loss' ? { shape: [], values: Float32Array.of(loss) } : acts.get(n.id)!;
    const step: TraceForwardStep = { phase: 'forward', nodeId: n.id, type: n.type, inputs, output };
    if (n.type === 'input') step.target = target;
    if (n.type === 'dense') step.params = n.params.map((p) => ({ key: p.key, name: p.name, ...param(p.key).value }));
    if (n.fusedIntoLoss) step.fused = true;
    if (n.type === 'loss') {
      step.fused = fusedNode !== undefined;
      step.loss = {
        fn: model.lossFn,
        activation: model.fusedActivation,
        prediction: inputs.find((i) => i.port === 'pred')!,
        logits: logitsNode !== undefined ? acts.get(logitsNode)! : null,
      };
    }
    return step;
  });

  // How many inputs each node's output feeds (the Loss's target is not a gradient path).
  const consumers = new Map<string, number>();
  for (const n of info.nodes)
    for (const w of n.inputs) if (w.handle !== 'y') consumers.set(w.node, (consumers.get(w.node) ?? 0) + 1);
  const received = new Map<string, TraceContribution[]>();
  const backward: TraceBackwardStep[] = [];
  for (const n of [...info.nodes].reverse()) {
    const gradOut = n.type === 'loss' ? { shape: [], values: Float32Array.of(1) } : (outGrads.get(n.id) ?? null);
    const local = localDerivative(n, acts, masks, lossNode.id, model, param);
    const step: TraceBackwardStep = { phase: 'backward', nodeId: n.id, type: n.type, gradOut, local, gradIn: [] };
    const shares = received.get(n.id);
    if ((consumers.get(n.id) ?? 0) > 1 && shares) step.contributions = shares;
    for (const w of n.inputs) {
      if (w.handle === 'y' || w.node === inputNode.id) continue;
      let values: Float32Array | undefined;
      const grad: Partial<TraceGrad> = {};
      if (n.type === 'loss' && fusedNode) {
        values = outGrads.get(logitsNode!)?.values;
        grad.wrt = 'logits';
      } else if (n.type === 'loss' || n.fusedIntoLoss || consumers.get(w.node) === 1) {
        values = outGrads.get(n.fusedIntoLoss ? logitsNode! : w.node)?.values;
      } else if (gradOut) {
        values = passDown(n, w.port, gradOut, local, acts);
      }
      if (!values) continue;
      step.gradIn.push({ port: w.port, to: w.node, shape: [...shapeOf(w.node)], values, ...grad });
      const list = received.get(w.node) ?? [];
      list.push({ to: n.id, port: w.port, values });
      received.set(w.node, list);
    }
    if (n.type === 'dense') {
      const [W, b] = n.params;
      step.dW = param(W!.key).grad;
      if (b) step.db = param(b.key).grad;
    }
    backward.push(step);
  }
  return [...forward, ...backward];
}

const LOSS_FORMULAS: Record<LossFn, string> = {
  squared_error: 'p − t',
  mse: '2(p − t)/N',
  cross_entropy: '−t/(p + 1e-7)',
  binary_cross_entropy: '−(t/(p + 1e-7) − (1 − t)/(1 − p + 1e-7))/N',
};
const FUSED_FORMULAS: Partial<Record<LossFn, string>> = { cross_entropy: 'p − t', binary_cross_entropy: '(p − t)/N' };

function localDerivative(
  n: NodeInfo,
  acts: Map<string, TraceTensor>,
  masks: Map<string, TraceTensor>,
  lossId: string,
  model: Model,
  param: (key: string) => { value: TraceTensor },
): TraceLocal {
  switch (n.type) {
    case 'input':
      return { kind: 'input' };
    case 'loss': {
      const fused = model.fusedActivation;
      const pred = n.inputs.find((w) => w.port === 'pred')!;
      return {
        kind: 'loss',
        fn: model.lossFn,
        activation: fused,
        wrt: fused ? 'logits' : 'pred',
        formula: (fused && FUSED_FORMULAS[model.lossFn]) || LOSS_FORMULAS[model.lossFn],
        n: acts.get(pred.node)!.values.length,
      };
    }
    case 'activation':
      if (n.fusedIntoLoss) return { kind: 'fused', loss: lossId, activation: n.data.fn };
      return {
        kind: 'activation',
        fn: n.data.fn,
        derivative: derivative(n.data.fn, acts.get(n.inputs[0]!.node)!, acts.get(n.id)!),
      };
    case 'dense':
      return { kind: 'dense', W: param(n.params[0]!.key).value };
    case 'add':
      return { kind: 'add' };
    case 'concat': {
      const a = acts.get(n.inputs[0]!.node)!.shape;
      return { kind: 'concat', split: a.length === 0 ? 1 : a[a.length - 1]! };
    }
    case 'flatten':
      return { kind: 'flatten', inputShape: [...acts.get(n.inputs[0]!.node)!.shape] };
    case 'dropout':
      return { kind: 'dropout', rate: n.data.rate ?? 0.5, mask: masks.get(n.id)! };
  }
}

/** f′ element-wise from z and f(z) (relu′(0) = leaky_relu′(0) = 1); softmax: the Jacobian per row. */
function derivative(fn: ActivationFn, z: TraceTensor, p: TraceTensor): TraceTensor {
  if (fn === 'softmax') {
    const k = p.shape.length === 0 ? 1 : p.shape[p.shape.length - 1]!;
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

/** The gradient node `n` passes down input `port`, from its gradOut and local derivative (float64, stored float32). */
function passDown(
  n: NodeInfo,
  port: string,
  gradOut: TraceTensor,
  local: TraceLocal,
  acts: Map<string, TraceTensor>,
): Float32Array {
  const g = gradOut.values;
  switch (local.kind) {
    case 'dense': {
      // δ · Wᵀ
      const W = local.W.values;
      const [features, units] = local.W.shape as [number, number];
      return Float32Array.from({ length: features }, (_, k) => {
        let s = 0;
        for (let j = 0; j < units; j++) s += g[j]! * W[k * units + j]!;
        return s;
      });
    }
    case 'activation': {
      const d = local.derivative.values;
      if (local.fn !== 'softmax') return Float32Array.from(g, (v, i) => v * d[i]!);
      const k = local.derivative.shape[local.derivative.shape.length - 1]!;
      return Float32Array.from(g, (_, i) => {
        const r = Math.floor(i / k);
        let s = 0;
        for (let j = 0; j < k; j++) s += d[i * k + j]! * g[r * k + j]!;
        return s;
      });
    }
    case 'add':
    case 'flatten':
      return g.slice();
    case 'concat': {
      const shapeA = acts.get(n.inputs[0]!.node)!.shape;
      const shapeB = acts.get(n.inputs[1]!.node)!.shape;
      const last = (s: number[]) => (s.length === 0 ? 1 : s[s.length - 1]!);
      const ca = last(shapeA);
      const cb = last(shapeB);
      const [from, width] = port === 'a' ? [0, ca] : [ca, cb];
      const rows = g.length / (ca + cb);
      const out = new Float32Array(rows * width);
      for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r * width + j] = g[r * (ca + cb) + from + j]!;
      return out;
    }
    case 'dropout':
      return Float32Array.from(g, (v, i) => v * local.mask.values[i]!);
    default:
      throw new Error(`traceSample: no gradient rule for ${n.type} '${n.id}'`);
  }
}
