// A message of another run changes nothing: the reducer and the client drop it, of every type.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, encodeWeights, parseGraph } from '../../engine/index.ts';
import type { NodeStats, Progress, ToWorker, WorkerLike, WorkerReport } from '../worker/protocol.ts';
import { createEditor } from './editor.ts';
import { createTrainingClient } from './trainingClient.ts';
import { initialTrainingState, type TrainingState } from './trainingState.ts';
import { trainingReducer } from './trainingReducer.ts';
import { RUN_VIEWS, SCRUBBED_VIEWS, viewRev } from './trainingViews.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

const progress: Progress = {
  epoch: 3,
  batch: 1,
  batchesPerEpoch: 4,
  epochsTotal: 10,
  samples: 52,
  loss: 0.4,
  learningRate: 0.1,
  samplesPerSecond: 0,
  stepShare: 0,
  running: false,
};
const stats: NodeStats = {
  id: 'h',
  shape: [2],
  mean: 0.5,
  std: 0.1,
  min: 0,
  max: 1,
  histogram: new Float32Array(4),
  gradRms: 1,
  gradNorm: 1,
};
const digits = {
  kind: 'digits' as const,
  images: new Uint8Array(4),
  height: 2,
  width: 2,
  channels: 1,
  invert: true,
  labels: new Uint8Array(1),
  predicted: new Uint8Array(1),
  confusion: new Int32Array(4),
  classes: 2,
  classNames: null,
};
const check = { params: [], maxRelError: 0, loss: 0.4, referenceLoss: 0.4 };
const xor = example('xor');

/** One report of every type the worker sends (the mapped type makes a missing one a compile error). */
const REPORTS: { [T in WorkerReport['type']]: Extract<WorkerReport, { type: T }> } = {
  ready: { type: 'ready', task: 'binary', batchesPerEpoch: 4, initialLoss: 0.7, progress, kernels: 'wasm' },
  progress: { type: 'progress', progress, evaluation: { trainLoss: 0.4, testLoss: 0.5 } },
  epochs: { type: 'epochs', metrics: [{ epoch: 3, trainLoss: 0.4, testLoss: 0.5, seconds: 0 }] },
  stats: { type: 'stats', nodes: [stats] },
  output: { type: 'output', view: digits },
  maps: {
    type: 'maps',
    maps: { sample: 0, nodes: [{ id: 'c', height: 2, width: 2, channels: 1, total: 1, data: new Float32Array(4) }] },
  },
  weights: {
    type: 'weights',
    weights: encodeWeights(compile(xor).params),
    snapshot: { epoch: 3, samples: 52, optimizer: { step: 13, slots: new Map() } },
  },
  diverged: {
    type: 'diverged',
    report: {
      nodeId: 'h',
      where: 'parameter',
      message: 'exploded',
      cause: 'exploded',
      loss: 1e4,
      startLoss: 0.7,
      limit: 70,
      learningRate: 50,
      epoch: 3,
    },
  },
  error: { type: 'error', message: 'broken', nodeId: 'h' },
  done: { type: 'done', progress },
  alive: { type: 'alive' },
  timeline: { type: 'timeline', epochs: [0, 1, 2, 3], bytes: 100 },
  scrubView: {
    type: 'scrubView',
    epoch: 1,
    nodes: [stats],
    view: digits,
    maps: null,
    evaluation: { trainLoss: 0.6, testLoss: 0.6 },
  },
  branched: { type: 'branched', epoch: 1 },
  gradcheck: { type: 'gradcheck', result: check as never, rows: 4, epoch: 3, ms: 5 },
  trace: { type: 'trace', sample: 0, samples: 4, epoch: 3, steps: [] },
};
const reports = Object.values(REPORTS) as WorkerReport[];

describe('stale messages', () => {
  it('the reducer drops a message of another run, of every type, and takes the same message of its own run', () => {
    const running: TrainingState = { ...initialTrainingState(2), status: 'running' };
    for (const m of reports) {
      expect(trainingReducer(running, { ...m, runId: 1, step: 9 }), m.type).toBe(running);
      // (Weights go to the editor and 'alive' only feeds the watchdog: neither changes the training state.)
      if (m.type !== 'weights' && m.type !== 'alive')
        expect(trainingReducer(running, { ...m, runId: 2, step: 9 }), m.type).not.toBe(running);
    }
  });

  it('every view of a state built from one run names that run and the step of its message', () => {
    let s = initialTrainingState(5);
    for (const m of reports) if (m.type !== 'scrubView') s = trainingReducer(s, { ...m, runId: 5, step: 13 });
    for (const view of RUN_VIEWS) expect(viewRev(s, view), view).toBe('5:13');
    s = trainingReducer(s, { ...REPORTS.scrubView, runId: 5, step: 4 });
    for (const view of SCRUBBED_VIEWS) expect(viewRev(s, view), view).toBe('5:4');
  });

  it('the client drops them before their side effects: no weights saved, no node marked, no resume', () => {
    const editor = createEditor();
    const sent: ToWorker[] = [];
    let worker: WorkerLike | null = null;
    const client = createTrainingClient({
      editor,
      spawnWorker: () => {
        worker = { postMessage: (m) => sent.push(m), terminate: () => {}, onmessage: null, onerror: null };
        return worker;
      },
      setInterval: () => 0,
      clearInterval: () => {},
      later: (fn) => fn(),
    });
    editor.load(example('mnist'));
    client.start();
    const old = editor.getState().runId;
    // A structural edit mid-run: the worker is told to pause and load the new run, then resumes.
    editor.run({ type: 'setField', nodeId: 'h', key: 'units', value: 32 });
    expect(sent.slice(-4).map((m) => m.type)).toEqual(['pause', 'load', 'setPace', 'setMapsSample']);
    const fresh = client.store.getState();
    for (const m of reports) worker!.onmessage!({ data: { ...m, runId: old, step: 99 } });
    expect(client.store.getState()).toBe(fresh);
    expect(editor.getState().weights).toBeUndefined();
    expect(editor.getState().externalErrors.size).toBe(0);
    expect(sent.at(-1)?.type).toBe('setMapsSample');
    // The new run's own ready resumes training.
    worker!.onmessage!({ data: { ...REPORTS.ready, runId: editor.getState().runId, step: 0 } });
    expect(sent.at(-1)?.type).toBe('start');
  });
});
