// An independent float64 reference of a graph's loss, written straight from DESIGN.md's formulas
// with naive loops. Tests differentiate it numerically and compare with the engine's analytic
// gradients (float32, tiled kernels, fused losses).
import type { ActivationFn, GraphDoc, GraphNode } from '../format/types.ts';

type Vec = Float64Array;

function activate(fn: ActivationFn, x: Vec, cols: number): Vec {
  const y = new Float64Array(x.length);
  if (fn === 'softmax') {
    for (let r = 0; r < x.length / cols; r++) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]!);
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j]! - max);
      for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j]! - max) / sum;
    }
    return y;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] =
      fn === 'identity'
        ? v
        : fn === 'relu'
          ? v >= 0
            ? v
            : 0
          : fn === 'leaky_relu'
            ? v >= 0
              ? v
              : 0.01 * v
            : fn === 'sigmoid'
              ? 1 / (1 + Math.exp(-v))
              : Math.tanh(v);
  }
  return y;
}

export interface ReferenceInput {
  doc: GraphDoc;
  params: Map<string, Vec>;
  x: Vec;
  y: Vec;
  batch: number;
  /** Per-sample feature count of x. */
  inSize: number;
}

/** The loss of `doc` on (x, y) with `params`, in float64. */
export function referenceLoss({ doc, params, x, y, batch, inSize }: ReferenceInput): number {
  const values = new Map<string, { v: Vec; cols: number }>();
  const into = (id: string, port: string) => doc.edges.find((e) => e.target === id && e.targetHandle === port)!;
  const inputValue = (id: string, port: string) => {
    const e = into(id, port);
    return e.sourceHandle === 'y' ? { v: y, cols: y.length / batch } : values.get(e.source);
  };
  const input = doc.nodes.find((n) => n.type === 'input')!;
  values.set(input.id, { v: x, cols: inSize });
  const pending: GraphNode[] = doc.nodes.filter((n) => n.type !== 'input');
  while (pending.length > 0) {
    const i = pending.findIndex(
      (n) =>
        n.type !== 'loss' &&
        ['in', 'a', 'b'].every(
          (p) => !doc.edges.some((e) => e.target === n.id && e.targetHandle === p) || inputValue(n.id, p),
        ),
    );
    if (i < 0) break;
    const n = pending.splice(i, 1)[0]!;
    if (n.type === 'dense') {
      const inp = inputValue(n.id, 'in')!;
      const W = params.get(`${n.id}.W`)!;
      const b = params.get(`${n.id}.b`);
      const units = n.data.units;
      const out = new Float64Array(batch * units);
      for (let r = 0; r < batch; r++)
        for (let j = 0; j < units; j++) {
          let s = b ? b[j]! : 0;
          for (let k = 0; k < inp.cols; k++) s += inp.v[r * inp.cols + k]! * W[k * units + j]!;
          out[r * units + j] = s;
        }
      values.set(n.id, { v: out, cols: units });
    } else if (n.type === 'activation') {
      const inp = inputValue(n.id, 'in')!;
      values.set(n.id, { v: activate(n.data.fn, inp.v, inp.cols), cols: inp.cols });
    } else if (n.type === 'flatten' || n.type === 'dropout') {
      // NOTE: dropout as in inference (identity); its training mask is tested in engine/nodes.
      values.set(n.id, inputValue(n.id, 'in')!);
    } else if (n.type === 'add') {
      const a = inputValue(n.id, 'a')!;
      const b = inputValue(n.id, 'b')!;
      values.set(n.id, { v: a.v.map((v, i) => v + b.v[i]!), cols: a.cols });
    } else if (n.type === 'concat') {
      const a = inputValue(n.id, 'a')!;
      const b = inputValue(n.id, 'b')!;
      const cols = a.cols + b.cols;
      const out = new Float64Array(batch * cols);
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < a.cols; j++) out[r * cols + j] = a.v[r * a.cols + j]!;
        for (let j = 0; j < b.cols; j++) out[r * cols + a.cols + j] = b.v[r * b.cols + j]!;
      }
      values.set(n.id, { v: out, cols });
    }
  }
  const loss = doc.nodes.find((n) => n.type === 'loss')!;
  if (loss.type !== 'loss') throw new Error('no loss');
  const predEdge = into(loss.id, 'pred');
  const producer = doc.nodes.find((n) => n.id === predEdge.source)!;
  const p = values.get(producer.id)!.v;
  const t = y;
  const N = p.length;
  const B = batch;
  const single = doc.edges.filter((e) => e.source === producer.id).length === 1;
  const fusedSoftmax =
    loss.data.fn === 'cross_entropy' && producer.type === 'activation' && producer.data.fn === 'softmax' && single;
  const fusedSigmoid =
    loss.data.fn === 'binary_cross_entropy' &&
    producer.type === 'activation' &&
    producer.data.fn === 'sigmoid' &&
    single;
  let s = 0;
  if (fusedSoftmax || fusedSigmoid) {
    const z = inputValue(producer.id, 'in')!;
    if (fusedSigmoid) {
      const softplus = (v: number) => Math.log(1 + Math.exp(v));
      for (let i = 0; i < N; i++) s += t[i]! * softplus(-z.v[i]!) + (1 - t[i]!) * softplus(z.v[i]!);
      return s / N;
    }
    for (let r = 0; r < B; r++) {
      let sum = 0;
      for (let j = 0; j < z.cols; j++) sum += Math.exp(z.v[r * z.cols + j]!);
      for (let j = 0; j < z.cols; j++) s += t[r * z.cols + j]! * (z.v[r * z.cols + j]! - Math.log(sum));
    }
    return -s / B;
  }
  switch (loss.data.fn) {
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
