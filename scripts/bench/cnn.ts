// The CNN benchmark row: ConvNetJS's own MNIST layout (conv 5×5×8 same → relu → maxpool 2 →
// conv 5×5×16 same → relu → maxpool 3 → dense 10 → softmax / cross-entropy, batch 20, plain SGD)
// trained by nodegrad through the public API, by ConvNetJS and by TensorFlow.js on the same digits.
import * as tf from '@tensorflow/tfjs-core';
import * as convnetjs from 'convnetjs';
import { compile, createOptimizer, type GraphDoc, type Model, type Tensor } from '../../engine/index.ts';
import { CNN_BATCH, cnnDoc, LEARNING_RATE } from './cnnDoc.ts';
import type { Data } from './nodegradRuns.ts';

export { CNN_BATCH, cnnDoc };

/** The CNN compiled for the benchmark; `threads: 2` where helper threads can start. */
export function compileCnn(mnistDoc: GraphDoc, threads = 1): Model {
  return compile(cnnDoc(mnistDoc), { seed: 1, inputShape: [784], targetShape: [10], threads });
}

/** Samples per second over `samples` training digits (after a short warm-up). */
function timed(samples: number, data: Data, step: (start: number) => void): number {
  for (let i = 0; i < 2; i++) step(0);
  const t0 = performance.now();
  let done = 0;
  for (let start = 0; start + CNN_BATCH <= samples; start += CNN_BATCH) {
    step(start % (data.n - CNN_BATCH + 1));
    done += CNN_BATCH;
  }
  return done / ((performance.now() - t0) / 1000);
}

/** nodegrad: compile() + lossAndGrads + the SGD optimizer, the kernels the caller installed. */
export function nodegradCnn(mnistDoc: GraphDoc, data: Data, samples: number, model = compileCnn(mnistDoc)): number {
  const doc = cnnDoc(mnistDoc);
  const opt = createOptimizer(doc.training.optimizer, model.params);
  const x: Tensor = { shape: [CNN_BATCH, 784], data: new Float32Array(0) };
  const y: Tensor = { shape: [CNN_BATCH, 10], data: new Float32Array(0) };
  return timed(samples, data, (start) => {
    x.data = data.x.subarray(start * 784, (start + CNN_BATCH) * 784);
    y.data = data.y.subarray(start * 10, (start + CNN_BATCH) * 10);
    opt.step(model.lossAndGrads(x, y).grads);
  });
}

/** ConvNetJS: its own network definition and SGD trainer (one sample at a time, updates per batch). */
export function convnetjsCnn(data: Data, samples: number): number {
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 3, stride: 3 },
    { type: 'softmax', num_classes: 10 },
  ]);
  const trainer = new convnetjs.SGDTrainer(net, {
    method: 'sgd',
    learning_rate: LEARNING_RATE,
    momentum: 0,
    batch_size: CNN_BATCH,
    l2_decay: 0,
  });
  const vol = new convnetjs.Vol(28, 28, 1, 0);
  return timed(samples, data, (start) => {
    for (let s = start; s < start + CNN_BATCH; s++) {
      for (let i = 0; i < 784; i++) vol.w[i] = data.x[s * 784 + i]!;
      let label = 0;
      for (let j = 1; j < 10; j++) if (data.y[s * 10 + j]! > data.y[s * 10 + label]!) label = j;
      trainer.train(vol, label);
    }
  });
}

/** TensorFlow.js (the backend selected by the caller): tf.variable + optimizer.minimize. */
export function tfCnn(data: Data, samples: number): number {
  const he = (shape: number[], fanIn: number, seed: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const w1 = he([5, 5, 1, 8], 25, 1);
  const b1 = tf.variable(tf.zeros([8]));
  const w2 = he([5, 5, 8, 16], 200, 2);
  const b2 = tf.variable(tf.zeros([16]));
  const w3 = he([256, 10], 256, 3);
  const b3 = tf.variable(tf.zeros([10]));
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const logits = (x: tf.Tensor4D) => {
    const h1 = tf.maxPool(
      tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'), b1)) as tf.Tensor4D,
      2,
      2,
      'valid',
    );
    const h2 = tf.maxPool(
      tf.relu(tf.add(tf.conv2d(h1, w2 as tf.Tensor4D, 1, 'same'), b2)) as tf.Tensor4D,
      3,
      3,
      'valid',
    );
    return tf.add(tf.matMul(tf.reshape(h2, [-1, 256]), w3 as tf.Tensor2D), b3);
  };
  const rate = timed(samples, data, (start) => {
    tf.tidy(() => {
      const xs = tf.tensor4d(data.x.subarray(start * 784, (start + CNN_BATCH) * 784), [CNN_BATCH, 28, 28, 1]);
      const ys = tf.tensor2d(data.y.subarray(start * 10, (start + CNN_BATCH) * 10), [CNN_BATCH, 10]);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)) as tf.Scalar);
    });
  });
  tf.dispose([w1, b1, w2, b2, w3, b3]);
  optimizer.dispose();
  return rate;
}
