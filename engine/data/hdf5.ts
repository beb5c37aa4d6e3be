// HDF5 files through h5wasm (the HDF5 C library in WebAssembly): the ESM build keeps files in its
// in-memory file system, so the same code runs in Node (CLI, tests) and the browser. Callers pass
// bytes; nothing here touches a disk.
// NOTE: h5wasm (4 MB with its embedded wasm) is imported on first use, so a bundle that never opens an
// HDF5 file does not load it; the module is initialised once and shared.
import type H5Wasm from 'h5wasm';
import { type ArrayData, arraysInfo, encodeArray } from '../datasets/arrays.ts';
import { DatasetError } from '../datasets/errors.ts';
import type { DatasetSpec } from '../format/types.ts';

export interface H5Node {
  /** Absolute path, e.g. "/train_set_x". */
  path: string;
  kind: 'group' | 'dataset';
  shape?: number[];
  /** "uint8", "int64", "float32", "float64", "string", … */
  dtype?: string;
  children?: H5Node[];
}

export type H5Data = Uint8Array | Float32Array | Int32Array | Float64Array | string[];

export interface H5File {
  root: H5Node;
  /** Every dataset of the file, depth first. */
  datasets: H5Node[];
  /** Likely inputs, labels and class names (the cat/non-cat layout: train_set_x, train_set_y, list_classes). */
  guess: { x?: string; y?: string; classes?: string };
  /** A dataset's values: uint8 and float32/float64 as stored, other integers as Int32Array/Float64Array. */
  read(path: string): { shape: number[]; data: H5Data };
  close(): void;
}

type H5 = typeof H5Wasm;
let loading: Promise<H5> | undefined;
/** The h5wasm module, loaded and initialised once, with the HDF5 library's stderr caught (below). */
function h5wasmReady(): Promise<H5> {
  loading ??= import('h5wasm').then(async (m) => {
    catchStderr((await m.default.ready).FS);
    return m.default;
  });
  return loading;
}

interface TtyOps {
  put_char(tty: unknown, value: number | null): void;
  fsync(tty: unknown): void;
}
/** Lines the HDF5 library wrote to stderr during `quietly`; null outside it. */
let caught: string[] | null = null;

/**
 * The HDF5 library prints a 20–40 line "HDF5-DIAG" stack to stderr (the console) on every error.
 * NOTE: Emscripten writes stderr one character at a time through the tty's ops: inside `quietly`
 * they are kept (the innermost reason goes into the error message), elsewhere passed on unchanged.
 */
function catchStderr(fs: unknown): void {
  const stream = (fs as { getStream(fd: number): { tty?: { ops: TtyOps } } | null }).getStream(2);
  const tty = stream?.tty;
  if (!tty) return;
  const original = tty.ops;
  let line: number[] = [];
  tty.ops = {
    put_char(t, value) {
      if (!caught) return original.put_char(t, value);
      if (value === null || value === 10) {
        caught.push(new TextDecoder().decode(Uint8Array.from(line)));
        line = [];
      } else if (value !== 0) line.push(value);
    },
    fsync(t) {
      if (!caught) original.fsync(t);
    },
  };
}

/** The deepest reason of the first HDF5 error stack, e.g. "truncated file: eof = 3000, …". */
function hdf5Reason(lines: readonly string[]): string | undefined {
  let reason: string | undefined;
  for (const l of lines) {
    if (l.startsWith('HDF5-DIAG') && reason) break;
    const m = /^\s*#\d+: .* in [\w.]+\(\): (.*)$/.exec(l);
    if (m) reason = m[1];
  }
  return reason;
}

/** Runs `fn` with the HDF5 library's stderr kept; an error thrown carries the library's own reason. */
function quietly<T>(fn: () => T, fail: (detail: string) => Error): T {
  const outer = caught;
  caught = [];
  try {
    return fn();
  } catch (e) {
    throw fail(hdf5Reason(caught) ?? (e instanceof Error ? e.message : String(e)));
  } finally {
    caught = outer;
  }
}

let opened = 0;

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** HDF5's superblock signature sits at byte 0, 512, 1024, 2048, … (after a user block). */
function hasSignature(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2)
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  return false;
}

const dtypeOf = (m: { type: number; size: number; signed: boolean }): string =>
  m.type === 0
    ? `${m.signed ? 'int' : 'uint'}${m.size * 8}`
    : m.type === 1
      ? `float${m.size * 8}`
      : m.type === 3
        ? 'string'
        : `type ${m.type}`;

function normalise(value: unknown): H5Data {
  const v = ArrayBuffer.isView(value) || Array.isArray(value) ? value : [value];
  if (v instanceof Uint8Array || v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array)
    return v;
  if (v instanceof Int8Array || v instanceof Int16Array || v instanceof Uint16Array) return Int32Array.from(v);
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
  if (ArrayBuffer.isView(v)) return Float64Array.from(v as unknown as ArrayLike<number>);
  const list = (v as unknown[]).flat(Number.POSITIVE_INFINITY);
  if (list.every((e) => typeof e === 'string')) return list as string[];
  return Float64Array.from(list, (e) => Number(e));
}

const leaf = (path: string) => path.slice(path.lastIndexOf('/') + 1).toLowerCase();

function guessNames(datasets: H5Node[]): H5File['guess'] {
  const pick = (re: RegExp, ok: (d: H5Node) => boolean) => {
    const found = datasets.filter((d) => re.test(leaf(d.path)) && ok(d));
    return (found.find((d) => !/test/.test(leaf(d.path))) ?? found[0])?.path;
  };
  return {
    x: pick(/(^|_)(x|images?|data|features|inputs?)$/, (d) => (d.shape?.length ?? 0) >= 2),
    y: pick(/(^|_)(y|labels?|targets?|classes)$/, (d) => d.dtype !== 'string' && (d.shape?.length ?? 0) >= 1),
    classes: pick(/(classes|class_names|label_names|names)$/, (d) => d.dtype === 'string'),
  };
}

/**
 * Opens an HDF5 file from its bytes; call `close()` when done.
 *
 * @example
 * const f = await openHdf5(bytes, 'train_catvnoncat.h5'); f.guess.x; // '/train_set_x'
 */
export async function openHdf5(bytes: Uint8Array, name = 'data.h5'): Promise<H5File> {
  const unreadable = (detail: string) => new DatasetError('dataset.hdf5-unreadable', { file: name, detail });
  // NOTE: checked first: h5wasm opens any bytes without throwing and prints the HDF5 error stack.
  if (!hasSignature(bytes)) throw unreadable('no HDF5 signature');
  const h5wasm = await h5wasmReady();
  const { FS } = await h5wasm.ready;
  const path = `/nodegrad-import-${++opened}.h5`;
  FS.writeFile(path, bytes);
  let file: InstanceType<H5['File']>;
  try {
    file = quietly(() => {
      const f = new h5wasm.File(path, 'r');
      // NOTE: h5wasm opens a file it cannot read without throwing; a failed open has no valid id.
      if (!(f.file_id > 0n)) throw new Error('cannot open');
      return f;
    }, unreadable);
  } catch (e) {
    quietly(() => FS.unlink(path), unreadable);
    throw e;
  }
  const datasets: H5Node[] = [];
  const walk = (group: InstanceType<H5['Group']>, at: string): H5Node => {
    const children: H5Node[] = [];
    for (const key of group.keys()) {
      const child = group.get(key);
      const p = `${at === '/' ? '' : at}/${key}`;
      if (child instanceof h5wasm.Group) children.push(walk(child, p));
      else if (child instanceof h5wasm.Dataset) {
        const node: H5Node = {
          path: p,
          kind: 'dataset',
          shape: [...(child.shape ?? [])],
          dtype: dtypeOf(child.metadata),
        };
        children.push(node);
        datasets.push(node);
      }
    }
    return { path: at, kind: 'group', children };
  };
  let root: H5Node;
  try {
    root = quietly(() => walk(file, '/'), unreadable);
  } catch (e) {
    quietly(() => file.close(), unreadable);
    FS.unlink(path);
    throw e;
  }
  const byPath = new Map(datasets.map((d) => [d.path, d]));
  const find = (p: string) => byPath.get(p.startsWith('/') ? p : `/${p}`);
  return {
    root,
    datasets,
    guess: guessNames(datasets),
    read(p) {
      const node = find(p);
      const entity = node && file.get(node.path);
      if (!node || !(entity instanceof h5wasm.Dataset))
        throw new DatasetError('dataset.hdf5-missing', { file: name, name: p, available: datasets.map((d) => d.path) });
      return { shape: [...(node.shape ?? [])], data: quietly(() => normalise(entity.value), unreadable) };
    },
    close() {
      quietly(() => file.close(), unreadable);
      FS.unlink(path);
    },
  };
}

/** Numbers as uint8 when they all are whole numbers 0-255 (images, labels), else float32. */
function compact(data: H5Data, file: string, name: string, dtype: string): ArrayData {
  if (Array.isArray(data)) throw new DatasetError('dataset.hdf5-not-numeric', { file, name, dtype });
  if (data instanceof Uint8Array) return data;
  if (data.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return Uint8Array.from(data);
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

interface Names {
  x?: string;
  y?: string;
  /** '' reads no class names. */
  classes?: string;
}

/** `train_set_x` → `test_set_x`; otherwise the same name. */
const testName = (name: string) => name.replace(/train/g, 'test').replace(/Train/g, 'Test').replace(/TRAIN/g, 'TEST');

/**
 * An `arrays` dataset from HDF5 files, checked as training will read it. By default the
 * cat/non-cat layout: `train_set_x` [N, 64, 64, 3] uint8, `train_set_y` [N], `list_classes`
 * (byte strings become classNames); the test file's names are guessed train_ → test_.
 */
export async function hdf5Dataset(
  train: Uint8Array,
  o: {
    x?: string;
    y?: string;
    classes?: string;
    test?: Uint8Array;
    testX?: string;
    testY?: string;
    /** File names for messages. */
    trainName?: string;
    testName?: string;
  } = {},
): Promise<DatasetSpec> {
  /** x, y and class names of one file; `want` names them (undefined: the given default if present, else a guess). */
  const read = async (bytes: Uint8Array, file: string, want: Names, defaults: Names) => {
    const f = await openHdf5(bytes, file);
    try {
      const has = (p: string) => f.datasets.some((d) => d.path === (p.startsWith('/') ? p : `/${p}`));
      const pick = (given: string | undefined, fallback: string | undefined, guess: string | undefined) =>
        given ?? (fallback && has(fallback) ? fallback : (guess ?? fallback ?? ''));
      const xPath = pick(want.x, defaults.x, f.guess.x);
      const yPath = pick(want.y, defaults.y, f.guess.y);
      // NOTE: f.read names a missing dataset with the ones the file has.
      const x = f.read(xPath);
      const y = f.read(yPath);
      const dtype = (p: string) => f.datasets.find((d) => d.path === p || d.path === `/${p}`)?.dtype ?? '';
      const xData = compact(x.data, file, xPath, dtype(xPath));
      const yData = compact(y.data, file, yPath, dtype(yPath));
      // NOTE: labels saved as [1, N] or [N, 1] (as some course files do) are one label per sample.
      const n = x.shape[0] ?? 0;
      const yShape = y.shape.length === 2 && y.shape.includes(1) && yData.length === n ? [n] : y.shape;
      const classPath = want.classes ?? f.guess.classes;
      const names = classPath ? f.read(classPath).data : undefined;
      return {
        x: encodeArray(xData, x.shape),
        y: encodeArray(yData, yShape),
        classNames: Array.isArray(names) && names.length >= 2 ? names : undefined,
        paths: { x: xPath, y: yPath },
      };
    } finally {
      f.close();
    }
  };
  const t = await read(train, o.trainName ?? 'the training file', o, { x: 'train_set_x', y: 'train_set_y' });
  const spec: Extract<DatasetSpec, { kind: 'arrays' }> = { kind: 'arrays', x: t.x, y: t.y };
  if (t.classNames) spec.classNames = t.classNames;
  if (o.test) {
    const defaults = { x: testName(t.paths.x), y: testName(t.paths.y) };
    const test = await read(o.test, o.testName ?? 'the test file', { x: o.testX, y: o.testY, classes: '' }, defaults);
    spec.testX = test.x;
    spec.testY = test.y;
  }
  arraysInfo(spec);
  return spec;
}
