// "A CNN for these images": the graph the import dialog offers after images arrive (the cat/non-cat
// HDF5 files, an image folder). It keeps the Input node and its data and builds a small convolutional
// network sized to them: two blocks of Conv2D 3×3 (same) → ReLU → MaxPool 2, Flatten, one Dense for
// the classes, and the loss that suits them (sigmoid + binary cross-entropy for two, softmax +
// cross-entropy for more). Input stays at the left; the rest wraps into rows like the examples.
import type { GraphDoc, GraphNode } from '../../engine/index.ts';

/** Filters of the two convolution blocks. */
const FILTERS = [8, 16] as const;
/** Nodes per row and the spacing of the examples (graph units). */
const PER_ROW = 5;
const STEP = { x: 210, y: 270 } as const;

/**
 * The CNN for `doc`'s image data (per-sample `inputShape` [H, W, C], per-sample `targetShape`):
 * null when the input is not an image. `name`: the new graph's name.
 */
export function cnnForImages(
  doc: GraphDoc,
  inputShape: readonly number[],
  targetShape: readonly number[],
  name: string,
): GraphDoc | null {
  const input = doc.nodes.find((n) => n.type === 'input');
  if (!input || inputShape.length !== 3 || targetShape.length !== 1) return null;
  const [h, w] = inputShape as [number, number, number];
  const outputs = targetShape[0]!;
  const binary = outputs === 1;
  // NOTE: a block halves the image; images under 4 pixels a side get one block, under 2 none.
  const blocks = FILTERS.filter((_, i) => Math.min(h, w) >= 2 ** (i + 1));
  const layers: [string, GraphNode['type'], Record<string, unknown>][] = [];
  blocks.forEach((filters, i) => {
    layers.push([`c${i + 1}`, 'conv2d', { filters, kernelSize: 3, padding: 'same', init: 'he_normal' }]);
    layers.push([`r${i + 1}`, 'activation', { fn: 'relu' }]);
    layers.push([`p${i + 1}`, 'maxpool2d', { size: 2 }]);
  });
  layers.push(['f', 'flatten', {}]);
  layers.push(['o', 'dense', { units: outputs }]);
  layers.push(['oa', 'activation', { fn: binary ? 'sigmoid' : 'softmax' }]);
  layers.push(['L', 'loss', { fn: binary ? 'binary_cross_entropy' : 'cross_entropy' }]);
  const at = (i: number) => ({ x: (i % PER_ROW) * STEP.x, y: Math.floor(i / PER_ROW) * STEP.y });
  const ids = [input.id, ...layers.map(([id]) => id)];
  // NOTE: ids are fixed names; one that equals the Input's id gets a suffix.
  const idOf = (id: string) => (id === input.id ? `${id}_` : id);
  const nodes = [
    { ...input, position: at(0) },
    ...layers.map(([id, type, data], i) => ({ id: idOf(id), type, position: at(i + 1), data }) as GraphNode),
  ];
  const chain = ids.map((id, i) => (i === 0 ? id : idOf(id)));
  const edges = chain.slice(1).map((target, i) => {
    const source = chain[i]!;
    const isLoss = i === chain.length - 2;
    return {
      id: `e${i + 1}`,
      source,
      sourceHandle: i === 0 ? 'x' : 'out',
      target,
      targetHandle: isLoss ? 'pred' : 'in',
    };
  });
  edges.push({
    id: `e${chain.length}`,
    source: input.id,
    sourceHandle: 'y',
    target: chain.at(-1)!,
    targetHandle: 'target',
  });
  const { weights: _, ...graph } = doc;
  return {
    ...graph,
    name,
    nodes,
    edges,
    training: { ...doc.training, optimizer: { type: 'adam', learningRate: 0.002 }, batchSize: 16, epochs: 30 },
  };
}
