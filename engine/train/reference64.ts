// An independent float64 reference of a graph's loss, written straight from DESIGN.md's formulas
// with naive loops (it shares no op code with the engine). gradientCheck differentiates it
// numerically and compares with the engine's analytic gradients (float32, tiled kernels, fused
// losses); the engine's own tests do the same on random graphs (engine/testing/checkGradients.ts).
import { analyzeStructure } from '../compiler/analyze.ts';
import { topologicalOrder } from '../compiler/topo.ts';
import type { GraphDoc, GraphNode, LossNode } from '../format/types.ts';
import { findNodeDefinition } from '../nodes/index.ts';
import type { RefContext, RefValue as Val, ReferenceRule } from '../nodes/rules.ts';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export interface ReferenceData {
  /** Rows in the batch. */
  batch: number;
  /** Features, [batch × size(inputShape)] (longer arrays are read from the start). */
  x: ArrayLike<number>;
  inputShape: number[];
  /** Targets, [batch × size(targetShape)]. */
  y: ArrayLike<number>;
  targetShape: number[];
  /** Per dropout node id, the multiplier of each element ([batch × size]); a dropout without one is the identity. */
  dropoutMasks?: Map<string, ArrayLike<number>>;
}

const lastAxis = (shape: readonly number[]) => (shape.length === 0 ? 1 : shape[shape.length - 1]!);

/**
 * The loss of a document in float64, with parameters set by the caller (`params`, keys as in
 * Model.params). `loss()` evaluates everything and keeps each node's value; `lossWith` then changes
 * one parameter element and re-evaluates only the nodes downstream of it.
 *
 * @example
 * const ref = new Reference64(doc, { batch: 4, x, inputShape: [2], y, targetShape: [1] });
 * for (const [k, t] of model.params) ref.params.set(k, Float64Array.from(t.data));
 * ref.loss();
 */
export class Reference64 {
  readonly params = new Map<string, Float64Array>();
  /** Nodes between the input and the loss, in topological order. */
  private readonly order: GraphNode[];
  private readonly wires = new Map<string, Map<string, { node: string; handle: string }>>();
  private readonly input: GraphNode;
  private readonly lossNode: LossNode;
  /** The softmax/sigmoid fused into the loss (DESIGN.md's rule), if any. */
  private readonly fused: GraphNode | undefined;
  private readonly downstreamOf = new Map<string, GraphNode[]>();
  private readonly x: Val;
  private readonly y: Val;
  private base = new Map<string, Val>();
  /** Per node with kinks (relu, max-pool), where it was not smooth in the last `loss()`. */
  private readonly basePattern = new Map<string, ArrayLike<number>>();

  constructor(
    doc: GraphDoc,
    private readonly data: ReferenceData,
  ) {
    const input = doc.nodes.find((n) => n.type === 'input');
    const loss = doc.nodes.find((n): n is LossNode => n.type === 'loss');
    if (!input || !loss) throw new Error('reference: the graph needs one input and one loss node');
    this.input = input;
    this.lossNode = loss;
    for (const e of doc.edges) {
      const ports = this.wires.get(e.target) ?? new Map<string, { node: string; handle: string }>();
      ports.set(e.targetHandle, { node: e.source, handle: e.sourceHandle });
      this.wires.set(e.target, ports);
    }
    const { order } = topologicalOrder(
      doc.nodes.map((n) => n.id),
      doc.edges.map((e) => [e.source, e.target] as const),
    );
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    this.order = order.map((id) => byId.get(id)!).filter((n) => n.type !== 'input' && n.type !== 'loss');
    // NOTE: which softmax/sigmoid the loss fuses is the compiler's rule (DESIGN.md), read from it.
    const fusedId = analyzeStructure(doc, { inputShape: data.inputShape, targetShape: data.targetShape }).fusedNode;
    this.fused = fusedId !== undefined ? byId.get(fusedId) : undefined;
    const n = data.batch;
    this.x = {
      v: Float64Array.from({ length: n * size(data.inputShape) }, (_, i) => data.x[i]!),
      shape: data.inputShape,
    };
    this.y = {
      v: Float64Array.from({ length: n * size(data.targetShape) }, (_, i) => data.y[i]!),
      shape: data.targetShape,
    };
  }

  /** The loss with the current parameters; keeps every node's value for `lossWith`. */
  loss(): number {
    this.base = new Map([[this.input.id, this.x]]);
    this.basePattern.clear();
    const get = (id: string) => this.base.get(id)!;
    for (const n of this.order) this.base.set(n.id, this.evaluate(n, get, null));
    return this.lossValue(get);
  }

  /**
   * The loss with element `index` of parameter `key` set to `value` (the rest as in the last
   * `loss()` call, which must come first), and whether a relu or leaky-relu input changed sign on
   * the way: then the loss is not smooth between the two points.
   */
  lossWith(key: string, index: number, value: number): { loss: number; crossedKink: boolean } {
    const p = this.params.get(key);
    if (!p) throw new Error(`reference: no parameter '${key}'`);
    const nodeId = key.slice(0, key.lastIndexOf('.'));
    if (!this.order.some((n) => n.id === nodeId))
      throw new Error(`reference: '${key}' belongs to no node of the graph`);
    const keep = p[index]!;
    p[index] = value;
    const changed = new Map<string, Val>();
    const get = (id: string) => changed.get(id) ?? this.base.get(id)!;
    const kink = { crossed: false };
    try {
      for (const n of this.downstream(nodeId)) {
        const rule = n.id === nodeId ? this.rule(n).paramDelta : undefined;
        const name = key.slice(nodeId.length + 1);
        changed.set(
          n.id,
          rule
            ? rule(this.context(n, get), this.base.get(n.id)!, name, index, value - keep)
            : this.evaluate(n, get, kink),
        );
      }
      return { loss: this.lossValue(get), crossedKink: kink.crossed };
    } finally {
      p[index] = keep;
    }
  }

  /** The node and every node that depends on it, in topological order. */
  private downstream(nodeId: string): GraphNode[] {
    let list = this.downstreamOf.get(nodeId);
    if (!list) {
      const hit = new Set([nodeId]);
      list = this.order.filter((n) => {
        const ports = this.wires.get(n.id);
        if (n.id === nodeId || (ports && [...ports.values()].some((s) => hit.has(s.node)))) {
          hit.add(n.id);
          return true;
        }
        return false;
      });
      this.downstreamOf.set(nodeId, list);
    }
    return list;
  }

  private source(id: string, port: string): { node: string; handle: string } {
    const s = this.wires.get(id)?.get(port);
    if (!s) throw new Error(`reference: port '${port}' of '${id}' is not connected`);
    return s;
  }

  private rule(n: GraphNode): ReferenceRule<unknown> {
    const rule = findNodeDefinition(n.type)?.layer?.reference;
    if (!rule) throw new Error(`reference: no rule for node type '${n.type}'`);
    return rule as ReferenceRule<unknown>;
  }

  private context(n: GraphNode, get: (id: string) => Val): RefContext<unknown> {
    const ports = findNodeDefinition(n.type)!.ports.inputs;
    return {
      batch: this.data.batch,
      data: n.data,
      inputs: ports.map((port) => {
        const s = this.source(n.id, port);
        return s.handle === 'y' ? this.y : get(s.node);
      }),
      param: (name) => this.params.get(`${n.id}.${name}`),
      mask: this.data.dropoutMasks?.get(n.id),
    };
  }

  private evaluate(n: GraphNode, get: (id: string) => Val, kink: { crossed: boolean } | null): Val {
    const { pattern, ...value } = this.rule(n).forward(this.context(n, get));
    if (pattern) this.trackKinks(n.id, pattern, kink);
    return value;
  }

  /** Base pass: remembers where the node is not smooth; perturbed pass: flags a change. */
  private trackKinks(id: string, pattern: ArrayLike<number>, kink: { crossed: boolean } | null): void {
    if (!kink) {
      this.basePattern.set(id, pattern);
      return;
    }
    const was = this.basePattern.get(id)!;
    for (let i = 0; i < pattern.length && !kink.crossed; i++) if (pattern[i] !== was[i]) kink.crossed = true;
  }

  private lossValue(get: (id: string) => Val): number {
    const { fn } = this.lossNode.data;
    const t = this.y.v;
    const B = this.data.batch;
    let s = 0;
    if (this.fused) {
      const z = get(this.source(this.fused.id, 'in').node);
      if (fn === 'binary_cross_entropy') {
        // mean of t·softplus(−z) + (1 − t)·softplus(z)
        const softplus = (v: number) => Math.log(1 + Math.exp(v));
        for (let i = 0; i < t.length; i++) s += t[i]! * softplus(-z.v[i]!) + (1 - t[i]!) * softplus(z.v[i]!);
        return s / t.length;
      }
      // −(1/B) Σ t · log_softmax(z), along the last axis
      const cols = lastAxis(z.shape);
      for (let r = 0; r < z.v.length / cols; r++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += Math.exp(z.v[r * cols + j]!);
        for (let j = 0; j < cols; j++) s += t[r * cols + j]! * (z.v[r * cols + j]! - Math.log(sum));
      }
      return -s / B;
    }
    const p = get(this.source(this.lossNode.id, 'pred').node).v;
    const N = p.length;
    switch (fn) {
      case 'squared_error':
        for (let i = 0; i < N; i++) s += 0.5 * (p[i]! - t[i]!) ** 2;
        return s / B;
      case 'mse':
        for (let i = 0; i < N; i++) s += (p[i]! - t[i]!) ** 2;
        return s / N;
      case 'cross_entropy':
        for (let i = 0; i < N; i++) s += t[i]! * Math.log(p[i]! + 1e-7);
        return -s / B;
      case 'binary_cross_entropy':
        for (let i = 0; i < N; i++) s += t[i]! * Math.log(p[i]! + 1e-7) + (1 - t[i]!) * Math.log(1 - p[i]! + 1e-7);
        return -s / N;
    }
  }
}
