// TensorFlow.js reference implementations of the benchmark rows (forward + backward + SGD update
// through tf.variable and optimizer.minimize).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackend = 'cpu' | 'wasm';

export async function selectTfBackend(name: TfBackend): Promise<void> {
  if (name === 'wasm') {
    const require = createRequire(join(process.cwd(), 'package.json'));
    setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  }
  await tf.setBackend(name);
  await tf.ready();
}

/** An MLP with relu hidden layers and a softmax-cross-entropy loss; returns a step function. */
export function tfMlp(sizes: number[], learningRate: number, seed: number) {
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const limit = Math.sqrt(6 / (sizes[i]! + sizes[i + 1]!));
    vars.push(tf.variable(tf.randomUniform([sizes[i]!, sizes[i + 1]!], -limit, limit, 'float32', seed + i)));
    vars.push(tf.variable(tf.zeros([sizes[i + 1]!])));
  }
  const optimizer = tf.train.sgd(learningRate);
  const logits = (x: tf.Tensor2D) => {
    let h: tf.Tensor2D = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h, vars[i] as tf.Variable<tf.Rank.R2>), vars[i + 1]!) as tf.Tensor2D;
      if (i + 2 < vars.length) h = tf.relu(h);
    }
    return h;
  };
  return {
    step(x: Float32Array, y: Float32Array, batch: number): void {
      tf.tidy(() => {
        const xs = tf.tensor2d(x, [batch, sizes[0]!]);
        const ys = tf.tensor2d(y, [batch, sizes[sizes.length - 1]!]);
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)) as tf.Scalar);
      });
    },
    accuracy(x: Float32Array, y: Float32Array, n: number): number {
      return tf.tidy(() => {
        const pred = tf.argMax(logits(tf.tensor2d(x, [n, sizes[0]!])), 1).dataSync();
        const want = tf.argMax(tf.tensor2d(y, [n, sizes[sizes.length - 1]!]), 1).dataSync();
        let ok = 0;
        for (let i = 0; i < n; i++) if (pred[i] === want[i]) ok++;
        return ok / n;
      });
    },
    dispose: () => {
      for (const v of vars) v.dispose();
      optimizer.dispose();
    },
  };
}

/** XOR 2-3-1, sigmoid, squared error, full batch. */
export function tfXor(seed: number) {
  const W1 = tf.variable(tf.randomUniform([2, 3], -1, 1, 'float32', seed));
  const b1 = tf.variable(tf.zeros([3]));
  const W2 = tf.variable(tf.randomUniform([3, 1], -1, 1, 'float32', seed + 1));
  const b2 = tf.variable(tf.zeros([1]));
  const x = tf.keep(tf.tensor2d([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]));
  const y = tf.keep(tf.tensor2d([0, 1, 1, 0], [4, 1]));
  const optimizer = tf.train.sgd(2);
  return {
    step(): void {
      tf.tidy(() => {
        optimizer.minimize(() => {
          const h = tf.sigmoid(tf.add(tf.matMul(x, W1), b1));
          const p = tf.sigmoid(tf.add(tf.matMul(h, W2), b2));
          return tf.mul(0.5 / 4, tf.sum(tf.square(tf.sub(p, y)))) as tf.Scalar;
        });
      });
    },
    dispose: () => tf.dispose([W1, b1, W2, b2, x, y]),
  };
}

/** Seconds per C = op(A)·op(B) for the given orientation. */
export function tfMatmul(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean) {
  const a = tf.keep(tf.randomUniform(transposeA ? [k, m] : [m, k]) as tf.Tensor2D);
  const b = tf.keep(tf.randomUniform(transposeB ? [n, k] : [k, n]) as tf.Tensor2D);
  return {
    run(): void {
      tf.tidy(() => {
        tf.matMul(a, b, transposeA, transposeB).dataSync();
      });
    },
    dispose: () => tf.dispose([a, b]),
  };
}
