// The nodegrad side of the MNIST benchmark rows, free of Node APIs so the same code runs in
// the benchmark's Node process and in a browser Web Worker (scripts/bench/browser.ts).
import {
  compile,
  createOptimizer,
  type GraphDoc,
  loadDataset,
  type MnistData,
  type Model,
  type Tensor,
} from '../../engine/index.ts';

export interface Data {
  x: Float32Array;
  y: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
  n: number;
  nTest: number;
}

/** The benchmark's MNIST split: 8,000 training and 2,000 test digits, seed 1. */
export function mnistSplit(mnist: MnistData): Data {
  const ds = loadDataset({ kind: 'mnist', train: 8000, test: 2000 }, { seed: 1, mnist });
  return { x: ds.train.x.data, y: ds.train.y.data, testX: ds.test.x.data, testY: ds.test.y.data, n: 8000, nTest: 2000 };
}

/** An MLP with relu hidden layers and softmax-cross-entropy, built on the MNIST example's input node. */
export function mlpDoc(doc: GraphDoc, sizes: number[], batch: number): GraphDoc {
  const nodes: GraphDoc['nodes'] = [doc.nodes[0]!];
  const edges: GraphDoc['edges'] = [];
  let prev = 'in';
  let prevHandle = 'x';
  sizes.slice(1).forEach((units, i) => {
    const last = i === sizes.length - 2;
    nodes.push({ id: `d${i}`, type: 'dense', position: { x: 0, y: 0 }, data: { units } });
    nodes.push({ id: `a${i}`, type: 'activation', position: { x: 0, y: 0 }, data: { fn: last ? 'softmax' : 'relu' } });
    edges.push({ id: `e${i}a`, source: prev, sourceHandle: prevHandle, target: `d${i}`, targetHandle: 'in' });
    edges.push({ id: `e${i}b`, source: `d${i}`, sourceHandle: 'out', target: `a${i}`, targetHandle: 'in' });
    prev = `a${i}`;
    prevHandle = 'out';
  });
  nodes.push({ id: 'L', type: 'loss', position: { x: 0, y: 0 }, data: { fn: 'cross_entropy' } });
  edges.push(
    { id: 'p', source: prev, sourceHandle: 'out', target: 'L', targetHandle: 'pred' },
    { id: 't', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' },
  );
  return { ...doc, nodes, edges, training: { ...doc.training, batchSize: batch } };
}

/** The MLP compiled for the benchmark; `threads: 2` where helper threads can start (see CompileOptions). */
export function compileMlp(mnistDoc: GraphDoc, sizes: number[], batch: number, threads = 1): Model {
  return compile(mlpDoc(mnistDoc, sizes, batch), { seed: 1, inputShape: [784], targetShape: [10], threads });
}

/** Samples per second for one pass over `samples` rows in mini-batches, and test accuracy after it. */
export function nodegradEpoch(
  mnistDoc: GraphDoc,
  sizes: number[],
  batch: number,
  data: Data,
  samples: number,
  model: Model = compileMlp(mnistDoc, sizes, batch),
): { rate: number; accuracy: number } {
  const opt = createOptimizer({ type: 'sgd', learningRate: 0.1 }, model.params);
  const x: Tensor = { shape: [batch, 784], data: new Float32Array(0) };
  const y: Tensor = { shape: [batch, 10], data: new Float32Array(0) };
  const step = (start: number) => {
    x.data = data.x.subarray(start * 784, (start + batch) * 784);
    y.data = data.y.subarray(start * 10, (start + batch) * 10);
    opt.step(model.lossAndGrads(x, y).grads);
  };
  for (let i = 0; i < 3; i++) step(0);
  const t0 = performance.now();
  let done = 0;
  for (let start = 0; start + batch <= samples; start += batch) {
    step(start % (data.n - batch + 1));
    done += batch;
  }
  const rate = done / ((performance.now() - t0) / 1000);
  const p = model.predict({ shape: [data.nTest, 784], data: data.testX });
  let ok = 0;
  for (let r = 0; r < data.nTest; r++) {
    let best = 0;
    let want = 0;
    for (let j = 1; j < 10; j++) {
      if (p.data[r * 10 + j]! > p.data[r * 10 + best]!) best = j;
      if (data.testY[r * 10 + j]! > data.testY[r * 10 + want]!) want = j;
    }
    if (best === want) ok++;
  }
  return { rate, accuracy: ok / data.nTest };
}
