// traceSample: the numbers of one forward and backward pass on one sample, step by step, for the
// app's step-through of backprop. It reads the engine's own values (activations, outputGrads,
// parameter gradients, dropout masks) from one lossAndGrads call; what the engine does not keep —
// each consumer's share of a fanned-out gradient, the local derivatives — each node module's trace
// rule computes from them. The Input and the Loss are the graph's ends and are traced here.
import type { Model, NodeInfo } from '../compiler/types.ts';
import type {
  TraceBackwardStep,
  TraceContribution,
  TraceExplain,
  TraceForwardStep,
  TraceGrad,
  TraceLocal,
  TraceStep,
  TraceTensor,
} from './traceTypes.ts';
import type { LossFn } from '../format/types.ts';
import { nodeDefinition } from '../nodes/index.ts';
import type { TraceBackwardRule, TraceContext, TraceRule } from '../nodes/rules.ts';
import { inputsToOutput, vectorTerm } from '../nodes/traceTerms.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import { keepBuffers } from './keepBuffers.ts';

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
  // NOTE: a look, not a training step: BatchNorm's running statistics stay as they were.
  const { loss, grads } = keepBuffers(model, () => model.lossAndGrads(x, y));
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
    const t = model.params.get(key) ?? model.buffers.get(key)!;
    const g = grads.get(key);
    return {
      value: copy(t, t.shape)!,
      grad: g ? copy(g, t.shape)! : { shape: [...t.shape], values: new Float32Array(sizeOf(t.shape)) },
    };
  };
  const wireValue = (node: string, handle: string) => (handle === 'y' ? target : acts.get(node)!);
  const fusedNode = info.nodes.find((n) => n.fusedIntoLoss);
  const logitsNode = fusedNode?.inputs[0]?.node;
  const paramsOf = (n: NodeInfo) => n.params.map((p) => ({ key: p.key, name: p.name, ...param(p.key).value }));
  const rules = new Map<string, { rule: TraceRule<unknown>; context: TraceContext<unknown> }>();
  const ruleOf = (n: NodeInfo) => {
    let r = rules.get(n.id);
    if (!r) {
      const rule = nodeDefinition(n.type).layer?.trace as TraceRule<unknown> | undefined;
      if (!rule) throw new Error(`traceSample: no trace rule for ${n.type} '${n.id}'`);
      const bufferKeys = [...model.buffers.keys()].filter((k) => k.slice(0, k.lastIndexOf('.')) === n.id);
      const context: TraceContext<unknown> = {
        id: n.id,
        data: n.data,
        inputs: n.inputs.map((w) => wireValue(w.node, w.handle)),
        output: acts.get(n.id)!,
        params: new Map(
          [...n.params.map((p) => p.key), ...bufferKeys].map((k) => [k.slice(n.id.length + 1), param(k)]),
        ),
        gradOut: outGrads.get(n.id) ?? null,
        mask: masks.get(n.id),
        fusedInto: n.fusedIntoLoss ? lossNode.id : null,
      };
      r = { rule, context };
      rules.set(n.id, r);
    }
    return r;
  };

  const forward: TraceForwardStep[] = info.nodes.map((n) => {
    const inputs = n.inputs.map((w) => ({
      port: w.port,
      from: w.node,
      fromPort: w.handle,
      ...wireValue(w.node, w.handle),
    }));
    const output = n.type === 'loss' ? { shape: [], values: Float32Array.of(loss) } : acts.get(n.id)!;
    const step: TraceForwardStep = {
      phase: 'forward',
      nodeId: n.id,
      type: n.type,
      inputs,
      output,
      params: paramsOf(n),
      rows: [],
    };
    if (n.type === 'input') {
      step.target = target;
      step.rows = [
        {
          text: 'forward',
          params: {},
          terms: [vectorTerm(output, 'x'), { tensor: target, label: 'y', labelKey: 'target' }],
        },
      ];
    } else if (n.type === 'loss') {
      step.fused = fusedNode !== undefined;
      const prediction = inputs.find((i) => i.port === 'pred')!;
      const logits = logitsNode !== undefined ? acts.get(logitsNode)! : null;
      step.loss = { fn: model.lossFn, activation: model.fusedActivation, prediction, logits };
      step.rows = [
        {
          text: 'forward',
          params: { fn: model.lossFn },
          terms: [
            ...(logits ? [{ tensor: logits, label: 'z', labelKey: 'logits' }] : []),
            ...inputsToOutput([prediction, target], output, { inputs: ['p', 't'], output: 'L' }),
          ],
        },
      ];
    } else {
      if (n.fusedIntoLoss) step.fused = true;
      step.rows = ruleOf(n).rule.forward(ruleOf(n).context);
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
    const rule: TraceBackwardRule | null =
      n.type === 'input' || n.type === 'loss' ? null : ruleOf(n).rule.backward(ruleOf(n).context);
    const local = rule?.local ?? endLocal(n, model, acts.get(n.inputs[0]?.node ?? '')?.values.length ?? 0);
    const step: TraceBackwardStep = {
      phase: 'backward',
      nodeId: n.id,
      type: n.type,
      gradOut,
      local,
      gradIn: [],
      paramGrads: n.params.map((p) => ({ key: p.key, name: p.name, ...param(p.key).grad })),
      rows: rule?.rows ?? [],
    };
    const shares = received.get(n.id);
    if ((consumers.get(n.id) ?? 0) > 1 && shares) step.contributions = shares;
    n.inputs.forEach((w, port) => {
      if (w.handle === 'y' || w.node === inputNode.id) return;
      let values: Float32Array | undefined;
      const grad: Partial<TraceGrad> = {};
      if (n.type === 'loss' && fusedNode) {
        values = outGrads.get(logitsNode!)?.values;
        grad.wrt = 'logits';
      } else if (n.type === 'loss' || n.fusedIntoLoss || consumers.get(w.node) === 1) {
        values = outGrads.get(n.fusedIntoLoss ? logitsNode! : w.node)?.values;
      } else if (gradOut && rule) {
        values = rule.passDown(port, gradOut.values);
      }
      if (!values) return;
      step.gradIn.push({ port: w.port, to: w.node, shape: [...shapeOf(w.node)], values, ...grad });
      const list = received.get(w.node) ?? [];
      list.push({ to: n.id, port: w.port, values });
      received.set(w.node, list);
    });
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

/** The local derivative at the graph's ends: the Input (none) and the Loss (its formula). */
function endLocal(n: NodeInfo, model: Model, n_: number): TraceLocal {
  if (n.type === 'input') return { kind: 'input', text: 'backward', params: {}, terms: [{ formula: '—' }], values: {} };
  const fused = model.fusedActivation;
  const formula = (fused && FUSED_FORMULAS[model.lossFn]) || LOSS_FORMULAS[model.lossFn];
  return {
    kind: 'loss',
    text: 'backward',
    params: { fn: model.lossFn, activation: fused ?? '', wrt: fused ? 'logits' : 'pred', formula, n: n_ },
    terms: [{ formula }],
    values: {},
  };
}

export type { TraceExplain };
