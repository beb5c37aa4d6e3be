// Imported tensors stored inline (`kind: "arrays"`: HDF5 files, image folders). x is uint8 or float32
// [N, …]; y is integer class labels [N] or float targets [N, k]. Every problem carries its path in
// the dataset, so parseGraph reports it at `nodes[i].data.dataset.<path>` and datasetShapes throws it.
import type { Task } from './types.ts';
import { MAX_ARRAYS_BYTES } from '../format/schema.ts';
import type { DatasetSpec, EncodedArray } from '../format/types.ts';
import { base64ByteLength, decodeBase64, decodeTensor, encodeBase64, encodeTensor } from '../format/weights.ts';
import type { ProblemParams } from '../problems.ts';
import { sizeOf } from '../tensor.ts';
import { MAX_ONE_HOT_VALUES } from './csv.ts';
import { DatasetError, MAX_CLASSES } from './errors.ts';
import { DEFAULT_TEST_FRACTION, type Samples, testCount } from './split.ts';

export type ArraysSpec = Extract<DatasetSpec, { kind: 'arrays' }>;
export type ArrayData = Uint8Array | Float32Array;
type Name = 'x' | 'y' | 'testX' | 'testY';

export interface ArraysProblem {
  /** Path inside the dataset, e.g. `['y', 'base64']`. */
  path: (string | number)[];
  code: string;
  params: ProblemParams;
}

export interface ArraysInfo {
  inputShape: number[];
  targetShape: number[];
  task: Task;
  /** Class names in target order (classification only). */
  classNames?: string[];
  trainSamples: number;
  image?: { height: number; width: number; channels: number };
}

const BYTES = { uint8: 1, float32: 4 } as const;
const NAMES: readonly Name[] = ['x', 'y', 'testX', 'testY'];

/** Encodes a uint8 or float32 array of `shape` for an `arrays` dataset. */
export function encodeArray(data: ArrayData, shape: readonly number[]): EncodedArray {
  if (data instanceof Float32Array) return encodeTensor({ shape: [...shape], data });
  return { dtype: 'uint8', shape: [...shape], base64: encodeBase64(data) };
}

/** The values of an encoded array; throws when its byte count does not fit its shape. */
export function decodeArray(e: EncodedArray): ArrayData {
  if (e.dtype === 'float32') return decodeTensor({ ...e, dtype: 'float32' }).data;
  const bytes = decodeBase64(e.base64);
  if (bytes.length !== sizeOf(e.shape))
    throw new Error(`array of shape [${e.shape.join(', ')}] needs ${sizeOf(e.shape)} bytes, got ${bytes.length}`);
  return bytes;
}

interface Checked {
  key: readonly unknown[];
  problems: ArraysProblem[];
  info?: ArraysInfo;
}
// NOTE: the editor analyses the document on every edit; y is decoded to check its labels once per spec.
const checked = new WeakMap<ArraysSpec, Checked>();
const keyOf = (s: ArraysSpec) => [s.x, s.y, s.testX, s.testY, s.classNames, s.scale, s.testFraction];

/** Every problem of an `arrays` dataset (shapes and byte counts first; labels when those fit). */
export function arraysProblems(spec: ArraysSpec): ArraysProblem[] {
  return check(spec).problems;
}

/** Shapes, task and classes of a valid `arrays` dataset; throws its first problem as a DatasetError. */
export function arraysInfo(spec: ArraysSpec): ArraysInfo {
  const c = check(spec);
  const first = c.problems[0];
  if (first) throw new DatasetError(first.code, first.params);
  return c.info!;
}

function check(spec: ArraysSpec): Checked {
  const key = keyOf(spec);
  const hit = checked.get(spec);
  if (hit?.key.every((v, i) => v === key[i])) return hit;
  const problems: ArraysProblem[] = [];
  const add = (path: (string | number)[], code: string, params: ProblemParams) => problems.push({ path, code, params });
  checkStructure(spec, add);
  const info = problems.length === 0 ? checkValues(spec, add) : undefined;
  const result: Checked = { key, problems, info: problems.length === 0 ? info : undefined };
  checked.set(spec, result);
  return result;
}

type Add = (path: (string | number)[], code: string, params: ProblemParams) => void;

function checkStructure(spec: ArraysSpec, add: Add): void {
  let total = 0;
  for (const name of NAMES) {
    const e = spec[name];
    if (!e) continue;
    const needed = sizeOf(e.shape) * BYTES[e.dtype];
    const bytes = base64ByteLength(e.base64);
    total += Math.max(bytes, 0);
    if (bytes < 0) add([name, 'base64'], 'format.weights-base64', {});
    else if (bytes !== needed)
      add([name, 'base64'], 'dataset.array-bytes', { name, dtype: e.dtype, shape: e.shape, bytes, needed });
  }
  if (total > MAX_ARRAYS_BYTES) add([], 'dataset.arrays-too-large', { bytes: total, limit: MAX_ARRAYS_BYTES });
  const { x, y, testX, testY } = spec;
  if (x.shape.length < 2) add(['x', 'shape'], 'dataset.array-rank', { name: 'x', shape: x.shape, expected: '[N, …]' });
  if (y.shape.length > 2)
    add(['y', 'shape'], 'dataset.array-rank', { name: 'y', shape: y.shape, expected: '[N] / [N, k]' });
  const count = (name: Name, e: EncodedArray, other: Name, o: EncodedArray) => {
    if (e.shape[0] !== o.shape[0])
      add([name, 'shape', 0], 'dataset.array-count', { name, count: e.shape[0]!, other, expected: o.shape[0]! });
  };
  const sample = (name: Name, e: EncodedArray, other: Name, o: EncodedArray) => {
    const [a, b] = [e.shape.slice(1), o.shape.slice(1)];
    if (a.length !== b.length || a.some((d, i) => d !== b[i]))
      add([name, 'shape'], 'dataset.array-sample-shape', { name, other, shape: a, expected: b });
  };
  count('y', y, 'x', x);
  if (testX && !testY) add(['testX'], 'dataset.array-pair', { name: 'testX', missing: 'testY' });
  if (testY && !testX) add(['testY'], 'dataset.array-pair', { name: 'testY', missing: 'testX' });
  if (testX && testY) {
    sample('testX', testX, 'x', x);
    sample('testY', testY, 'y', y);
    count('testY', testY, 'testX', testX);
    if (testX.shape[0]! < 1) add(['testX', 'shape', 0], 'dataset.array-too-few', { name: 'testX', count: 0, min: 1 });
  }
  const min = testX ? 1 : 2;
  if (x.shape[0]! < min) add(['x', 'shape', 0], 'dataset.array-too-few', { name: 'x', count: x.shape[0]!, min });
}

/** Labels are whole numbers ≥ 0, float values finite; returns the shapes and classes. */
function checkValues(spec: ArraysSpec, add: Add): ArraysInfo | undefined {
  let failed = false;
  const fail: Add = (...a) => {
    failed = true;
    add(...a);
  };
  const finite = (name: Name, e: EncodedArray, data: ArrayData) => {
    if (e.dtype === 'uint8') return;
    const i = data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) fail([name], 'dataset.array-not-finite', { name, index: i, value: String(data[i]) });
  };
  const labels = spec.y.shape.length === 1;
  let top = -1;
  for (const name of NAMES) {
    const e = spec[name];
    if (!e || (name.endsWith('X') && e.dtype === 'uint8')) continue;
    const data = decodeArray(e);
    if (!labels || name === 'x' || name === 'testX') finite(name, e, data);
    else {
      const i = data.findIndex((v) => !Number.isInteger(v) || v < 0);
      if (i >= 0) fail([name], 'dataset.array-label', { name, index: i, value: String(data[i]) });
      else for (const v of data) if (v > top) top = v;
    }
  }
  if (failed) return undefined;
  const xShape = spec.x.shape;
  const inputShape = xShape.slice(1);
  const n = xShape[0]!;
  const testN = spec.testX?.shape[0] ?? 0;
  const held = spec.testX ? 0 : testCount(n, spec.testFraction ?? DEFAULT_TEST_FRACTION);
  const trainSamples = n - held;
  const c = xShape[3];
  const image =
    xShape.length === 4 && c !== undefined && c >= 1 && c <= 4
      ? { height: xShape[1]!, width: xShape[2]!, channels: c }
      : xShape.length === 3
        ? { height: xShape[1]!, width: xShape[2]!, channels: 1 }
        : undefined;
  const base = { inputShape, trainSamples, ...(image ? { image } : {}) };
  if (!labels) return { ...base, targetShape: spec.y.shape.slice(1), task: 'regression' };
  const names = spec.classNames;
  if (names && top >= names.length) {
    fail(['classNames'], 'dataset.array-label-name', { name: 'y', label: top, count: names.length });
    return undefined;
  }
  const classes = names?.length ?? top + 1;
  if (classes > MAX_CLASSES) fail(['y'], 'dataset.array-classes', { count: classes, limit: MAX_CLASSES });
  else if (classes > 2 && (n + testN) * classes > MAX_ONE_HOT_VALUES)
    fail(['y'], 'dataset.array-one-hot', { rows: n + testN, count: classes, limit: MAX_ONE_HOT_VALUES });
  if (failed) return undefined;
  const classNames = names ?? Array.from({ length: Math.max(classes, 2) }, (_, i) => String(i));
  return classes <= 2
    ? { ...base, targetShape: [1], task: 'binary', classNames }
    : { ...base, targetShape: [classes], task: 'multiclass', classNames };
}

/** Samples of x (times the scale) and y (0/1, one-hot rows or as given) of a checked dataset. */
export function arraysSamples(spec: ArraysSpec, info: ArraysInfo, which: 'train' | 'test'): Samples {
  const xe = which === 'train' ? spec.x : spec.testX!;
  const ye = which === 'train' ? spec.y : spec.testY!;
  const raw = decodeArray(xe);
  const scale = spec.scale ?? (xe.dtype === 'uint8' ? 1 / 255 : 1);
  const x = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) x[i] = (raw[i] as number) * scale;
  const labels = decodeArray(ye);
  const n = xe.shape[0]!;
  let y: Float32Array;
  if (info.task === 'multiclass') {
    const k = info.targetShape[0]!;
    y = new Float32Array(n * k);
    for (let i = 0; i < n; i++) y[i * k + (labels[i] as number)] = 1;
  } else y = Float32Array.from(labels);
  return { n, inShape: info.inputShape, outShape: info.targetShape, x, y };
}
