// An independent float64 reference of a graph's loss, written straight from DESIGN.md's formulas
// with naive loops (it shares no op code with the engine). gradientCheck differentiates it
// numerically and compares with the engine's analytic gradients (float32, tiled kernels, fused
// losses); the engine's own tests do the same on random graphs (engine/testing/checkGradients.ts).
import { topologicalOrder } from '../compiler/topo.ts';
import type { ActivationFn, GraphDoc, GraphNode, LossNode } from '../format/types.ts';

/** One node's value for the whole batch: [batch × size(shape)] row-major, `shape` per sample. */
interface Val {
  v: Float64Array;
  shape: number[];
}

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

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
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
  /** Per relu/leaky-relu node, which inputs were negative in the last `loss()`. */
  private readonly baseNegative = new Map<string, Uint8Array>();

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
    const pred = this.source(loss.id, 'pred');
    const producer = byId.get(pred.node);
    const consumers = doc.edges.filter((e) => e.source === producer?.id).length;
    const fusable =
      (loss.data.fn === 'cross_entropy' && producer?.type === 'activation' && producer.data.fn === 'softmax') ||
      (loss.data.fn === 'binary_cross_entropy' && producer?.type === 'activation' && producer.data.fn === 'sigmoid');
    this.fused = fusable && consumers === 1 ? producer : undefined;
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
    this.baseNegative.clear();
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
        const own = n.id === nodeId && n.type === 'dense';
        changed.set(n.id, own ? this.denseColumn(n, key, index, value - keep, get) : this.evaluate(n, get, kink));
      }
      return { loss: this.lossValue(get), crossedKink: kink.crossed };
    } finally {
      p[index] = keep;
    }
  }

  /**
   * A Dense output after W[k, j] or b[j] changed by `delta`: only column j moves, by delta · x[:, k]
   * (resp. delta), so the rest is the base value — a 784×64 layer costs a column, not a matmul.
   */
  private denseColumn(n: GraphNode, key: string, index: number, delta: number, get: (id: string) => Val): Val {
    const base = this.base.get(n.id)!;
    const units = base.shape[0]!;
    const out = base.v.slice();
    const isBias = key.endsWith('.b');
    const j = isBias ? index : index % units;
    const k = isBias ? 0 : Math.floor(index / units);
    const x = get(this.source(n.id, 'in').node);
    const features = x.v.length / this.data.batch;
    for (let r = 0; r < this.data.batch; r++)
      out[r * units + j] = out[r * units + j]! + (isBias ? delta : delta * x.v[r * features + k]!);
    return { v: out, shape: base.shape };
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

  private evaluate(n: GraphNode, get: (id: string) => Val, kink: { crossed: boolean } | null): Val {
    const B = this.data.batch;
    const inp = (port: string) => {
      const s = this.source(n.id, port);
      return s.handle === 'y' ? this.y : get(s.node);
    };
    switch (n.type) {
      case 'dense': {
        const x = inp('in');
        const features = size(x.shape);
        const units = n.data.units;
        const W = this.params.get(`${n.id}.W`);
        if (!W || W.length !== features * units) throw new Error(`reference: '${n.id}.W' is missing or misfits`);
        const b = this.params.get(`${n.id}.b`);
        const out = new Float64Array(B * units);
        for (let r = 0; r < B; r++)
          for (let j = 0; j < units; j++) {
            let s = b ? b[j]! : 0;
            for (let k = 0; k < features; k++) s += x.v[r * features + k]! * W[k * units + j]!;
            out[r * units + j] = s;
          }
        return { v: out, shape: [units] };
      }
      case 'activation': {
        const x = inp('in');
        const fn = n.data.fn;
        if (fn === 'relu' || fn === 'leaky_relu') this.trackKinks(n.id, x.v, kink);
        return { v: activate(fn, x.v, lastAxis(x.shape)), shape: x.shape };
      }
      case 'add': {
        const a = inp('a');
        const b = inp('b');
        return { v: a.v.map((v, i) => v + b.v[i]!), shape: a.shape };
      }
      case 'concat': {
        const a = inp('a');
        const b = inp('b');
        const ca = lastAxis(a.shape);
        const cb = lastAxis(b.shape);
        const rows = a.v.length / ca;
        const out = new Float64Array(a.v.length + b.v.length);
        for (let r = 0, o = 0; r < rows; r++) {
          for (let j = 0; j < ca; j++) out[o++] = a.v[r * ca + j]!;
          for (let j = 0; j < cb; j++) out[o++] = b.v[r * cb + j]!;
        }
        return { v: out, shape: [...a.shape.slice(0, -1), ca + cb] };
      }
      case 'flatten': {
        const x = inp('in');
        return { v: x.v, shape: [size(x.shape)] };
      }
      case 'dropout': {
        const x = inp('in');
        const mask = this.data.dropoutMasks?.get(n.id);
        return { v: mask ? x.v.map((v, i) => v * mask[i]!) : x.v, shape: x.shape };
      }
      default:
        throw new Error(`reference: no rule for node type '${n.type}'`);
    }
  }

  /** Base pass: remembers the signs; perturbed pass: flags a sign change. */
  private trackKinks(id: string, x: Float64Array, kink: { crossed: boolean } | null): void {
    if (!kink) {
      this.baseNegative.set(
        id,
        Uint8Array.from(x, (v) => (v < 0 ? 1 : 0)),
      );
      return;
    }
    const was = this.baseNegative.get(id)!;
    for (let i = 0; i < x.length && !kink.crossed; i++) if ((x[i]! < 0 ? 1 : 0) !== was[i]) kink.crossed = true;
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

/** f(x) element-wise, softmax along rows of `cols`. */
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
