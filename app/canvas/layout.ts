// Auto-layout: a left-to-right layered drawing (Sugiyama's scheme, kept small): layers by longest path
// from the inputs, an order within each layer that reduces crossings (barycentre sweeps), then
// columns and rows from the measured node boxes. Every step is a loop over arrays indexed by node
// position — no recursion, so a 10,000-node chain (MAX_NODES) lays out as easily as XOR, and no
// plain object is keyed by a node id (ids such as `__proto__` are valid).
// NOTE: dagre did this before; its depth-first searches recurse once per node and overflowed the
// stack at ≈ 4,000 nodes in a chain.
import type { GraphDoc, Position } from '../../engine/index.ts';

const NODE_GAP = 40;
const LAYER_GAP = 80;
const MARGIN = 20;
const SWEEPS = 4;
const DEFAULT_SIZE = { width: 180, height: 80 };

/** Layer of each node: the longest path to it from a node without inputs (cycles are cut where found). */
function layersOf(count: number, inputs: readonly number[][], outputs: readonly number[][]): number[] {
  const layer = new Array<number>(count).fill(0);
  const waiting = inputs.map((list) => list.length);
  const queued = new Array<boolean>(count).fill(false);
  const queue: number[] = [];
  const enqueue = (v: number) => {
    queued[v] = true;
    queue.push(v);
  };
  for (let v = 0; v < count; v++) if (waiting[v] === 0) enqueue(v);
  let unqueued = 0;
  for (let next = 0; next < count; next++) {
    // NOTE: a cycle leaves its nodes waiting forever: the first of them in document order goes next.
    if (next === queue.length) {
      while (queued[unqueued]) unqueued++;
      enqueue(unqueued);
    }
    const v = queue[next] as number;
    for (const w of outputs[v] as number[]) {
      if (queued[w]) continue;
      layer[w] = Math.max(layer[w] as number, (layer[v] as number) + 1);
      if (--(waiting[w] as number) === 0) enqueue(w);
    }
  }
  return layer;
}

/** Nodes of each layer, ordered to reduce crossings: the mean row of their neighbours, swept both ways. */
function orderLayers(layer: readonly number[], inputs: readonly number[][], outputs: readonly number[][]): number[][] {
  const depth = layer.reduce((a, b) => Math.max(a, b + 1), 0);
  const layers: number[][] = Array.from({ length: depth }, () => []);
  for (const [v, l] of layer.entries()) (layers[l] as number[]).push(v);
  const row = new Float64Array(layer.length);
  const number = (list: number[]) => {
    for (const [i, v] of list.entries()) row[v] = i;
  };
  for (const list of layers) number(list);
  const sweep = (list: number[], neighbours: readonly number[][]) => {
    const key = new Map<number, number>();
    for (const v of list) {
      const near = neighbours[v] as number[];
      key.set(
        v,
        near.length === 0 ? (row[v] as number) : near.reduce((sum, w) => sum + (row[w] as number), 0) / near.length,
      );
    }
    list.sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || (row[a] as number) - (row[b] as number));
    number(list);
  };
  for (let s = 0; s < SWEEPS; s++) {
    for (let l = 1; l < layers.length; l++) sweep(layers[l] as number[], inputs);
    for (let l = layers.length - 2; l >= 0; l--) sweep(layers[l] as number[], outputs);
  }
  return layers;
}

/**
 * Left-to-right layered layout; sizes are the measured node boxes (180×80 where unmeasured), each node
 * centred in its layer's column.
 * Returns each node's top-left corner, in document order.
 */
export function autoLayout(
  doc: GraphDoc,
  measured: ReadonlyMap<string, { width: number; height: number }>,
): [string, Position][] {
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const inputs: number[][] = doc.nodes.map(() => []);
  const outputs: number[][] = doc.nodes.map(() => []);
  for (const e of doc.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    (outputs[s] as number[]).push(t);
    (inputs[t] as number[]).push(s);
  }
  const sizes = doc.nodes.map((n) => measured.get(n.id) ?? DEFAULT_SIZE);
  const layers = orderLayers(layersOf(doc.nodes.length, inputs, outputs), inputs, outputs);
  // Columns as wide as their widest node; each layer's stack centred on one horizontal line.
  const heights = layers.map(
    (list) => list.reduce((h, v) => h + (sizes[v] as { height: number }).height, 0) + NODE_GAP * (list.length - 1),
  );
  const tallest = heights.reduce((a, b) => Math.max(a, b), 0);
  const out = new Array<[string, Position]>(doc.nodes.length);
  let x = MARGIN;
  for (const [l, list] of layers.entries()) {
    let y = MARGIN + (tallest - (heights[l] as number)) / 2;
    const width = list.reduce((w, v) => Math.max(w, (sizes[v] as { width: number }).width), 0);
    // NOTE: centred in their column, as dagre placed them (wrapRows finds a layer by its centre).
    for (const v of list) {
      const size = sizes[v] as { width: number; height: number };
      out[v] = [(doc.nodes[v] as { id: string }).id, { x: x + (width - size.width) / 2, y }];
      y += size.height + NODE_GAP;
    }
    x += width + LAYER_GAP;
  }
  return out;
}
