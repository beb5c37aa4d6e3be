// Test helpers for the exporters (imported by *.test.ts only): the example documents, a graph with
// every node type and hostile ids, seeded batches, .npy files, and a Python that has numpy and torch.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileOptions, Model } from '../compiler/types.ts';
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import { createOptimizer } from '../optim/optimizers.ts';
import type { GraphDoc } from '../format/types.ts';
import { createRng } from '../prng.ts';
import { LAYER_DEFINITIONS, layerCase } from '../testing/registry.ts';
import { sizeOf, type Tensor } from '../tensor.ts';

export interface Case {
  name: string;
  doc: GraphDoc;
  options: CompileOptions;
}

/** Every public/examples/*.json. */
export function exampleCases(): Case[] {
  return readdirSync('public/examples')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      doc: parseGraph(JSON.parse(readFileSync(join('public/examples', f), 'utf8'))),
      options: {},
    }));
}

/** One small graph around every registered layer type (engine/testing/registry.ts), named "registry-<type>". */
export function registryCases(): Case[] {
  return LAYER_DEFINITIONS.map((def) => {
    const c = layerCase(def);
    if (c.problems.length > 0) throw new Error(`registry-${def.type}: ${c.problems.join('; ')}`);
    return {
      name: `registry-${def.type}`,
      doc: c.doc,
      options: { inputShape: c.inputShape, targetShape: c.targetShape },
    };
  });
}

export interface HostileOptions {
  /** The last activation and the loss (default softmax + cross_entropy, fused). */
  head?: 'softmax' | 'sigmoid';
  loss?: 'cross_entropy' | 'binary_cross_entropy' | 'mse' | 'squared_error';
  /** An identity node between the head and the loss: no fusion, the guarded formula. */
  guarded?: boolean;
  dropoutRate?: number;
}

/**
 * A graph on image-shaped input [4, 4, 3] with every node type (tanh, flatten, add, fan-out,
 * dense without bias, relu, dropout, sigmoid, concat twice, leaky_relu feeding a dense) and ids that break naive
 * exporters: object keys, dots, spaces, reserved names, a leading digit, ids that collide once
 * sanitised ("d-1" / "d_1").
 */
export function hostileCase(o: HostileOptions = {}): Case {
  const head = o.head ?? 'softmax';
  const loss = o.loss ?? 'cross_entropy';
  const nodes: [string, string, Record<string, unknown>][] = [
    ['constructor', 'input', {}],
    ['__proto__', 'activation', { fn: 'tanh' }],
    ['a.b c', 'flatten', {}],
    ['toString', 'flatten', {}],
    ['x', 'add', {}],
    ['1st', 'dense', { units: 6, init: 'normal', std: 0.4, biasInit: 'uniform', scale: 0.3 }],
    ['y', 'activation', { fn: 'relu' }],
    ['drop out', 'dropout', { rate: o.dropoutRate ?? 0 }],
    ['hasOwnProperty', 'dense', { units: 4, bias: false }],
    ['d-1', 'dense', { units: 3, biasInit: 'uniform', scale: 0.5 }],
    ['d_1', 'activation', { fn: 'sigmoid' }],
    ['concat', 'concat', {}],
    ['cat.2', 'concat', {}],
    ['relu', 'activation', { fn: 'leaky_relu' }],
    ['self', 'dense', { units: 5, init: 'normal', std: 0.5 }],
    ['head', 'activation', { fn: head }],
    ...(o.guarded ? [['guard', 'activation', { fn: 'identity' }] as [string, string, Record<string, unknown>]] : []),
    ['loss fn', 'loss', { fn: loss }],
  ];
  const edges: [string, string, string, string][] = [
    ['constructor', 'x', '__proto__', 'in'],
    ['__proto__', 'out', 'a.b c', 'in'],
    ['constructor', 'x', 'toString', 'in'],
    ['a.b c', 'out', 'x', 'a'],
    ['toString', 'out', 'x', 'b'],
    ['x', 'out', '1st', 'in'],
    ['1st', 'out', 'y', 'in'],
    ['y', 'out', 'drop out', 'in'],
    ['toString', 'out', 'hasOwnProperty', 'in'],
    ['x', 'out', 'd-1', 'in'],
    ['d-1', 'out', 'd_1', 'in'],
    // NOTE: listed b before a: the export must follow the ports, not the edge order.
    ['d_1', 'out', 'concat', 'b'],
    ['drop out', 'out', 'concat', 'a'],
    ['concat', 'out', 'cat.2', 'a'],
    ['hasOwnProperty', 'out', 'cat.2', 'b'],
    ['cat.2', 'out', 'relu', 'in'],
    ['relu', 'out', 'self', 'in'],
    ['self', 'out', 'head', 'in'],
    ...(o.guarded
      ? ([
          ['head', 'out', 'guard', 'in'],
          ['guard', 'out', 'loss fn', 'pred'],
        ] as [string, string, string, string][])
      : ([['head', 'out', 'loss fn', 'pred']] as [string, string, string, string][])),
    ['constructor', 'y', 'loss fn', 'target'],
  ];
  const doc = parseGraph({
    format: 'nodegrad-graph',
    version: 1,
    name: `hostile ${head} ${loss}${o.guarded ? ' guarded' : ''}`,
    nodes: nodes.map(([id, type, data], i) => ({ id, type, position: { x: i * 100, y: 0 }, data })),
    edges: edges.map(([source, sourceHandle, target, targetHandle], i) => ({
      id: `e${i}`,
      source,
      sourceHandle,
      target,
      targetHandle,
    })),
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 8, epochs: 3, seed: 7, weightDecay: 0.01 },
  });
  const name = `hostile-${head}-${loss}${o.guarded ? '-guarded' : ''}`;
  return { name, doc, options: { inputShape: [4, 4, 3], targetShape: [5] } };
}

/** A seeded batch that fits the model: inputs in [0, 1) (pixels) or N(0, 1), targets as the loss wants them. */
export function batchFor(c: Case, model: Model, rows: number, seed = 3): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const inShape = model.info.inputShape!;
  const outShape = model.info.targetShape!;
  const x = new Float32Array(rows * sizeOf(inShape));
  const pixels = sizeOf(inShape) === 784;
  for (let i = 0; i < x.length; i++) x[i] = pixels ? rng.uniform() : rng.normal() * 1.5;
  const k = sizeOf(outShape);
  const y = new Float32Array(rows * k);
  const fn = model.lossFn;
  for (let r = 0; r < rows; r++) {
    if (fn === 'cross_entropy') y[r * k + rng.int(k)] = 1;
    else
      for (let j = 0; j < k; j++)
        y[r * k + j] = fn === 'mse' && c.name === 'function-fit' ? rng.range(0, 9) : rng.uniform() < 0.5 ? 1 : 0;
  }
  return { x: { shape: [rows, ...inShape], data: x }, y: { shape: [rows, ...outShape], data: y } };
}

/** Compiles a case, then takes `steps` Adam steps on a seeded batch so the weights are not the initial ones. */
export function compileCase(c: Case, steps = 0): Model {
  const model = compile(c.doc, c.options);
  if (steps === 0) return model;
  const opt = createOptimizer({ type: 'adam', learningRate: 0.05 }, model.params);
  const { x, y } = batchFor(c, model, 16, 99);
  for (let i = 0; i < steps; i++) opt.step(model.lossAndGrads(x, y).grads);
  return model;
}

/** A .npy file (format 1.0) of float32 values, little-endian, C order. */
export function writeNpy(path: string, t: Tensor): void {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  const body = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  writeFileSync(path, out);
}

let python: string | null | undefined;

/** The first of /usr/bin/python3, python3 that imports numpy and torch; null when none does. */
export function findPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import numpy, torch'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      python = candidate;
      break;
    }
  }
  return python;
}

export const NO_PYTHON =
  'no Python with numpy and torch: tried /usr/bin/python3 and python3 (`node scripts/setup-test-env.mjs` installs or names them: python3-numpy and python3-torch)';

/** Runs a Python script; throws with its stderr when it fails. */
export function runPython(args: string[], options: { cwd?: string; timeout?: number; env?: NodeJS.ProcessEnv } = {}) {
  const py = findPython();
  if (!py) throw new Error(NO_PYTHON);
  const started = performance.now();
  const r = spawnSync(py, args, {
    encoding: 'utf8',
    cwd: options.cwd,
    timeout: options.timeout ?? 60_000,
    env: options.env ?? process.env,
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return { stdout: r.stdout, stderr: r.stderr, seconds };
}

/** Largest |a − b| over two equally long arrays (Infinity when the lengths differ or a value is NaN). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= m)) m = d;
  }
  return m;
}

/** Largest |a − b| / max(1, |b|): absolute for small values, relative for large ones. */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number));
    if (!(d <= m)) m = d;
  }
  return m;
}
