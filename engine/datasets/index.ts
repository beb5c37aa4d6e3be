// Datasets of the Input node: shapes without loading (for the compiler and the editor) and the
// seeded train/test split itself (for training).
import type { Dataset, Task } from './types.ts';
import type { DatasetSpec } from '../format/types.ts';
import { createRng } from '../prng.ts';
import { sizeOf } from '../tensor.ts';
import { arraysInfo, arraysSamples } from './arrays.ts';
import { csvSamples, readCsvFacts, readCsvTable, standardise } from './csv.ts';
import { type MnistData, mnistSamples } from './mnist.ts';
import { DEFAULT_TEST_FRACTION, splitSamples, take, testCount } from './split.ts';
import { functionSamples, logicGate, planarSamples, probeFunction } from './synthetic.ts';

export interface DatasetShapes {
  inputShape: number[];
  targetShape: number[];
  task: Task;
  /** Rows of the training split (the largest batch a training step takes). */
  trainSamples: number;
}

const trainRows = (n: number, testFraction = DEFAULT_TEST_FRACTION) => n - testCount(n, testFraction);

/**
 * Per-sample shapes, task and training rows of a dataset, without generating data (a CSV is read,
 * once per text; a function is tried at a few points). Throws a DatasetError (with a problem code)
 * or an Error with a readable message for an unusable dataset.
 */
export function datasetShapes(spec: DatasetSpec): DatasetShapes {
  switch (spec.kind) {
    case 'xor':
    case 'and':
    case 'or':
      return { inputShape: [2], targetShape: [1], task: 'binary', trainSamples: 4 };
    case 'circle':
    case 'spiral':
    case 'gauss':
    case 'xor_cloud':
      return { inputShape: [2], targetShape: [1], task: 'binary', trainSamples: trainRows(spec.samples) };
    case 'function':
      probeFunction(spec);
      return { inputShape: [1], targetShape: [1], task: 'regression', trainSamples: trainRows(spec.samples) };
    case 'mnist':
      return spec.binaryDigit === undefined
        ? { inputShape: [784], targetShape: [10], task: 'multiclass', trainSamples: spec.train }
        : { inputShape: [784], targetShape: [1], task: 'binary', trainSamples: spec.train };
    case 'csv': {
      const table = readCsvFacts(spec);
      const trainSamples = trainRows(table.rowCount, spec.testFraction);
      return table.categorical
        ? {
            inputShape: [table.featureColumns.length],
            targetShape: [table.classNames.length],
            task: 'multiclass',
            trainSamples,
          }
        : { inputShape: [table.featureColumns.length], targetShape: [1], task: 'regression', trainSamples };
    }
    case 'arrays': {
      const { inputShape, targetShape, task, trainSamples } = arraysInfo(spec);
      return { inputShape, targetShape, task, trainSamples };
    }
  }
}

export interface LoadOptions {
  seed: number;
  /** The decoded MNIST file (decodeMnist), needed for `kind: "mnist"`. */
  mnist?: MnistData;
}

/**
 * Generates or reads a dataset and splits it into train and test with the seed.
 *
 * @example
 * const data = loadDataset({ kind: 'xor' }, { seed: 1 }); // data.train.x is [4, 2]
 */
export function loadDataset(spec: DatasetSpec, options: LoadOptions): Dataset {
  const rng = createRng(options.seed);
  const shapes = datasetShapes(spec);
  const base = { spec, task: shapes.task, inputShape: shapes.inputShape, targetShape: shapes.targetShape };
  switch (spec.kind) {
    case 'xor':
    case 'and':
    case 'or': {
      const all = logicGate(spec.kind);
      const everything = [0, 1, 2, 3];
      return { ...base, train: take(all, everything), test: take(all, everything), featureNames: ['x1', 'x2'] };
    }
    case 'function': {
      const { train, test } = splitSamples(functionSamples(spec, rng), rng, DEFAULT_TEST_FRACTION);
      return { ...base, train, test, featureNames: ['x'] };
    }
    case 'circle':
    case 'spiral':
    case 'gauss':
    case 'xor_cloud': {
      const { train, test } = splitSamples(
        planarSamples(spec.kind, spec.samples, spec.noise, rng),
        rng,
        DEFAULT_TEST_FRACTION,
      );
      return { ...base, train, test, featureNames: ['x1', 'x2'] };
    }
    case 'mnist': {
      if (!options.mnist) throw new Error('the MNIST data is not loaded (public/data/mnist.bin; run `npm run data`)');
      const all = mnistSamples(options.mnist, spec.train + spec.test, rng, spec.binaryDigit);
      const idx = (from: number, count: number) => Uint32Array.from({ length: count }, (_, i) => from + i);
      const classNames =
        spec.binaryDigit === undefined ? [...'0123456789'] : [`not ${spec.binaryDigit}`, `${spec.binaryDigit}`];
      return {
        ...base,
        train: take(all, idx(0, spec.train)),
        test: take(all, idx(spec.train, spec.test)),
        classNames,
        featureNames: Array.from({ length: 784 }, (_, i) => `p${i}`),
        image: { height: 28, width: 28, channels: 1 },
      };
    }
    case 'csv': {
      const table = readCsvTable(spec);
      const { train, test } = splitSamples(csvSamples(table), rng, spec.testFraction ?? DEFAULT_TEST_FRACTION);
      if (spec.standardize !== false)
        standardise(train.x.data, [test.x.data, train.x.data], table.featureColumns.length);
      const featureNames = table.featureColumns.map((c) => table.header[c] as string);
      return table.categorical
        ? { ...base, train, test, classNames: table.classNames, featureNames }
        : { ...base, train, test, featureNames };
    }
    case 'arrays': {
      const info = arraysInfo(spec);
      const all = arraysSamples(spec, info, 'train');
      const { train, test } = spec.testX
        ? {
            train: take(all, everyRow(all.n)),
            test: take(arraysSamples(spec, info, 'test'), everyRow(spec.testX.shape[0]!)),
          }
        : splitSamples(all, rng, spec.testFraction ?? DEFAULT_TEST_FRACTION);
      const features = sizeOf(info.inputShape);
      const prefix = info.image ? 'p' : 'x';
      const featureNames = Array.from({ length: features }, (_, i) => `${prefix}${i}`);
      const extra = {
        ...(info.classNames ? { classNames: info.classNames } : {}),
        ...(info.image ? { image: info.image } : {}),
      };
      return { ...base, train, test, featureNames, ...extra };
    }
  }
}

const everyRow = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

export { type ArrayData, decodeArray, encodeArray } from './arrays.ts';
export { DatasetError, MAX_CLASSES } from './errors.ts';
export type { MnistData } from './mnist.ts';
export { decodeMnist } from './mnist.ts';
