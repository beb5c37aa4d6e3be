// ConvNetJS's own MNIST layout as a nodegrad graph (the CNN benchmark row and the two-thread tests).
import type { GraphDoc } from '../../engine/index.ts';

export const CNN_BATCH = 20;
export const LEARNING_RATE = 0.01;

/** The layout as a nodegrad graph on the MNIST example's input node. */
export function cnnDoc(mnistDoc: GraphDoc): GraphDoc {
  const layers: [string, string, Record<string, unknown>][] = [
    ['img', 'reshape', { shape: [28, 28, 1] }],
    ['c1', 'conv2d', { filters: 8, kernelSize: 5, padding: 'same' }],
    ['r1', 'activation', { fn: 'relu' }],
    ['p1', 'maxpool2d', { size: 2 }],
    ['c2', 'conv2d', { filters: 16, kernelSize: 5, padding: 'same' }],
    ['r2', 'activation', { fn: 'relu' }],
    ['p2', 'maxpool2d', { size: 3 }],
    ['f', 'flatten', {}],
    ['o', 'dense', { units: 10 }],
    ['oa', 'activation', { fn: 'softmax' }],
  ];
  const nodes: GraphDoc['nodes'] = [mnistDoc.nodes.find((n) => n.type === 'input')!];
  const edges: GraphDoc['edges'] = [];
  let prev = nodes[0]!.id;
  let handle = 'x';
  for (const [id, type, data] of layers) {
    nodes.push({ id, type, position: { x: 0, y: 0 }, data } as GraphDoc['nodes'][number]);
    edges.push({ id: `e-${id}`, source: prev, sourceHandle: handle, target: id, targetHandle: 'in' });
    prev = id;
    handle = 'out';
  }
  nodes.push({ id: 'L', type: 'loss', position: { x: 0, y: 0 }, data: { fn: 'cross_entropy' } });
  edges.push(
    { id: 'e-pred', source: prev, sourceHandle: 'out', target: 'L', targetHandle: 'pred' },
    { id: 'e-target', source: nodes[0]!.id, sourceHandle: 'y', target: 'L', targetHandle: 'target' },
  );
  return {
    ...mnistDoc,
    name: 'ConvNetJS MNIST layout',
    nodes,
    edges,
    training: { ...mnistDoc.training, optimizer: { type: 'sgd', learningRate: LEARNING_RATE }, batchSize: CNN_BATCH },
  };
}
