// The training client against a fake Worker: what it sends when, and what state it keeps per run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, encodeWeights, parseGraph } from '../../engine/index.ts';
import type { Progress, Rev, ToWorker, WorkerReport } from '../worker/protocol.ts';
import { createEditor } from './editor.ts';
import type { WorkerLike } from '../worker/protocol.ts';
import { createTrainingClient } from './trainingClient.ts';
import { initialTrainingState } from './trainingState.ts';
import { trainingReducer } from './trainingReducer.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

function setup(options: { frames?: (() => void)[] } = {}) {
  const editor = createEditor();
  const sent: ToWorker[] = [];
  let worker: WorkerLike | null = null;
  let tick: () => void = () => {};
  let clock = 0;
  const client = createTrainingClient({
    now: () => clock,
    hangMs: 6000,
    editor,
    spawnWorker: () => {
      worker = { postMessage: (m) => sent.push(m), terminate: () => {}, onmessage: null, onerror: null };
      return worker;
    },
    setInterval: (fn) => {
      tick = fn;
      return 0;
    },
    clearInterval: () => {},
    later: (fn) => (options.frames ? options.frames.push(fn) : fn()),
  });
  const advance = (ms: number) => {
    clock += ms;
    tick();
  };
  /** A worker message of the client's current run (or of `rev`). */
  const reply = (m: WorkerReport, rev: Partial<Rev> = {}) =>
    worker!.onmessage!({ data: { ...m, runId: rev.runId ?? client.store.getState().runId, step: rev.step ?? 0 } });
  const progress = (p: Partial<Progress>): Progress => ({
    epoch: 0,
    batch: 1,
    batchesPerEpoch: 4,
    epochsTotal: 10,
    samples: 4,
    loss: 0.5,
    learningRate: 0.1,
    samplesPerSecond: 0,
    stepShare: 0,
    running: true,
    ...p,
  });
  return { editor, client, sent, reply, progress, advance, state: () => client.store.getState() };
}

describe('training client', () => {
  it('the watchdog replaces a silent worker and says which limit it hit and what to try', () => {
    const { editor, client, reply, progress, advance, state } = setup();
    editor.load(example('xor'));
    client.start();
    reply({ type: 'progress', progress: progress({ epoch: 3 }) });
    advance(5000);
    expect(state().status).toBe('running');
    advance(1500);
    expect(state().status).toBe('paused');
    expect(state().error).toMatchObject({ key: 'train.workerHung', params: { seconds: 6, batch: 4, epoch: 3 } });
  });

  it('a restored trained document (reload) is loaded at once with its run state, so it shows as trained', () => {
    const { editor, sent } = setup();
    const doc = example('xor');
    const weights = encodeWeights(compile(doc).params);
    const trained = { epoch: 2000, samples: 8000, optimizer: { step: 2000, slots: new Map() } };
    editor.load(doc, { weights, trained });
    const load = sent.find((m) => m.type === 'load');
    expect(load).toMatchObject({ type: 'load', resetWeights: false, resume: { epoch: 2000 } });
    // An example without a trained run waits for Train.
    const other = setup();
    other.editor.load(example('xor'));
    expect(other.sent.filter((m) => m.type === 'load')).toHaveLength(0);
  });

  it('a new document starts a new run: the chart of the previous graph is gone', () => {
    const h = setup();
    h.editor.load(example('mnist'));
    h.client.start();
    h.reply({ type: 'progress', progress: h.progress({ epoch: 5, batch: 2, samples: 500 }) });
    h.reply({ type: 'epochs', metrics: [{ epoch: 5, trainLoss: 0.3, testLoss: 0.3, seconds: 1 }] });
    expect(h.state().lossX.length).toBeGreaterThan(0);
    h.editor.run({ type: 'replaceDocument', doc: example('xor'), source: 'example' });
    expect(h.state().lossX).toEqual([]);
    expect(h.state().history).toEqual([]);
    expect(h.state().progress).toBeNull();
    expect(h.state().status).toBe('idle');
  });

  it('an imported trained document is loaded with its own weights, even after training a same-shaped graph', () => {
    const h = setup();
    h.editor.load(example('and'));
    h.client.step();
    const trained = example('xor');
    const xorWeights = {
      h: { W: { dtype: 'float32' as const, shape: [2, 3], base64: 'AACAPwAAgD8AAIA/AACAPwAAgD8AAIA/' } },
    };
    h.editor.run({
      type: 'replaceDocument',
      doc: {
        ...trained,
        weights: {
          ...xorWeights,
          h: { ...xorWeights.h, b: { dtype: 'float32', shape: [3], base64: 'AAAAAAAAAAAAAAAA' } },
        },
      },
      source: 'import',
    });
    h.client.step();
    const loads = h.sent.filter((m) => m.type === 'load');
    expect(loads).toHaveLength(2);
    const last = loads.at(-1)!;
    expect(last.type === 'load' && last.doc.name).toBe('XOR 2-3-1');
    expect(last.type === 'load' && last.doc.weights?.h?.W?.base64).toBe(xorWeights.h.W.base64);
  });

  it('a document that arrives trained (a variant opened from Compare) is loaded at once, with its run state', () => {
    const h = setup();
    const doc = example('xor');
    const trained = { epoch: 600, samples: 2400, optimizer: { step: 600, slots: new Map() } };
    h.editor.run({
      type: 'replaceDocument',
      doc: { ...doc, weights: encodeWeights(compile(doc).params) },
      source: 'compare',
      trained,
    });
    const loads = h.sent.filter((m) => m.type === 'load');
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatchObject({ resetWeights: false, resume: { epoch: 600 } });
    expect(loads[0]!.type === 'load' && loads[0]!.doc.weights?.h?.W).toBeDefined();
  });

  it('sends the whole optimizer config when momentum, β or ε change, not only the learning rate', () => {
    const h = setup();
    const doc = example('xor');
    doc.training.optimizer = { type: 'adam', learningRate: 0.01 };
    h.editor.load(doc);
    h.client.step();
    h.editor.run({ type: 'setOptimizer', optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.5 } });
    h.editor.run({ type: 'setOptimizer', optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.7 } });
    const sent = h.sent.filter((m) => m.type === 'setOptimizer');
    expect(sent).toEqual([
      { type: 'setOptimizer', config: { type: 'adam', learningRate: 0.01, beta1: 0.5 } },
      { type: 'setOptimizer', config: { type: 'momentum', learningRate: 0.01, momentum: 0.7 } },
    ]);
    expect(h.sent.filter((m) => m.type === 'load')).toHaveLength(1);
  });

  it('sends the pace and the picked test image after every load, and when they change; a new document brings its default pace', () => {
    const h = setup();
    h.editor.load(example('xor'));
    h.client.step();
    expect(h.state().pace).toBe('watch');
    expect(h.sent.slice(0, 4).map((m) => m.type)).toEqual(['load', 'setPace', 'setMapsSample', 'step']);
    expect(h.sent[1]).toEqual({ type: 'setPace', pace: 'watch' });
    h.client.setPace('step');
    expect(h.sent.at(-1)).toEqual({ type: 'setPace', pace: 'step' });
    h.client.reset();
    expect(h.state().pace).toBe('step');
    h.client.showMapsOf(5);
    expect(h.sent.at(-1)).toEqual({ type: 'setMapsSample', sample: 5 });
    h.client.reset();
    expect(h.sent.slice(-3)).toEqual([
      expect.objectContaining({ type: 'load' }),
      { type: 'setPace', pace: 'step' },
      { type: 'setMapsSample', sample: 5 },
    ]);
    h.editor.run({ type: 'replaceDocument', doc: example('mnist'), source: 'example' });
    expect(h.state().pace).toBe('full');
    h.client.start();
    expect(h.sent.slice(-4).map((m) => m.type)).toEqual(['load', 'setPace', 'setMapsSample', 'start']);
    expect(h.sent.at(-3)).toEqual({ type: 'setPace', pace: 'full' });
  });

  it('a divergence marks the node; lowering the learning rate lifts it and clears the mark', () => {
    const h = setup();
    h.editor.load(example('mnist'));
    h.client.start();
    const report = {
      nodeId: 'h',
      where: 'parameter' as const,
      message: 'the loss exploded',
      cause: 'exploded' as const,
      loss: 1e4,
      startLoss: 2.4,
      limit: 240,
      learningRate: 500,
      epoch: 0,
    };
    h.reply({ type: 'diverged', report });
    expect(h.state().status).toBe('diverged');
    expect(h.editor.getState().externalErrors.get('h')).toBe('the loss exploded');
    const optimizer = h.editor.getState().doc.training.optimizer;
    h.editor.run({ type: 'setOptimizer', optimizer: { ...optimizer, learningRate: 50 } });
    expect(h.sent.at(-1)).toEqual({ type: 'setOptimizer', config: { ...optimizer, learningRate: 50 } });
    expect(h.state()).toMatchObject({ status: 'paused', diverged: null });
    expect(h.editor.getState().externalErrors.size).toBe(0);
  });

  it('the live stream (progress, epochs, stats, output, timeline) reaches the store together a moment later; the rest at once', () => {
    const frames: (() => void)[] = [];
    const h = setup({ frames });
    h.editor.load(example('xor'));
    h.client.start();
    let published = 0;
    h.client.store.subscribe(() => published++);
    h.reply({ type: 'epochs', metrics: [{ epoch: 1, trainLoss: 0.3, testLoss: 0.3, seconds: 0 }] });
    h.reply({ type: 'progress', progress: h.progress({ epoch: 1, batch: 0, samples: 4 }) });
    h.reply({ type: 'progress', progress: h.progress({ epoch: 2, batch: 0, samples: 8 }) });
    // NOTE: the timeline comes with every report at the watch pace; drawn at once it made 60 ms tasks.
    h.reply({ type: 'timeline', epochs: [0, 1, 2], bytes: 108 });
    expect([published, frames.length, h.state().progress]).toEqual([0, 1, null]);
    frames.shift()!();
    expect([published, h.state().progress?.epoch, h.state().history.length]).toEqual([1, 2, 1]);
    expect(h.state().timeline.epochs).toEqual([0, 1, 2]);
    h.reply({ type: 'progress', progress: h.progress({ epoch: 3, batch: 0, samples: 12 }) });
    h.reply({ type: 'done', progress: h.progress({ epoch: 3, batch: 0, samples: 12, running: false }) });
    expect([published, h.state().status, h.state().progress?.epoch]).toEqual([2, 'done', 3]);
    frames.shift()!(); // nothing new to draw
    expect(published).toBe(2);
  });

  it('the reducer never mutates its input and keeps node statistics in Maps (ids like __proto__ are fine)', () => {
    const s0 = initialTrainingState(1);
    const frozen = Object.freeze({ ...s0 });
    const histogram = new Float32Array(4);
    const stats = { id: '__proto__', shape: [2], mean: 0, std: 1, min: 0, max: 1, histogram, gradRms: 1, gradNorm: 1 };
    const s1 = trainingReducer(frozen, { type: 'stats', nodes: [stats], runId: 1, step: 3 });
    expect(s1.nodes.get('__proto__')?.mean).toBe(0);
    expect(s1.gradTrail.get('__proto__')).toEqual([1]);
    expect(frozen.nodes.size).toBe(0);
  });
});

describe('training client: one run at a time', () => {
  it('a node deleted mid-run: the old run stops and nothing of it stays on the graph that does not compile', () => {
    const h = setup();
    h.editor.load(example('xor'));
    h.client.start();
    h.reply({ type: 'progress', progress: h.progress({ epoch: 303 }) }, { step: 1212 });
    h.editor.run({ type: 'delete', nodeIds: ['ha'], edgeIds: [] });
    expect(h.sent.at(-1)).toEqual({ type: 'pause' });
    h.reply({ type: 'progress', progress: h.progress({ epoch: 303, running: false }) }, { runId: 1, step: 1213 });
    expect(h.state()).toMatchObject({ status: 'idle', progress: null, runId: h.editor.getState().runId });
  });

  it('a data change after training starts its run at epoch 0: the old counters and chart do not carry over', () => {
    const h = setup();
    const doc = example('function-fit');
    const trained = { epoch: 100, samples: 16000, optimizer: { step: 800, slots: new Map() }, history: [] };
    h.editor.load(doc, { weights: encodeWeights(compile(doc).params), trained });
    expect(h.sent.filter((m) => m.type === 'load').at(-1)).toMatchObject({ resume: { epoch: 100 } });
    h.reply({ type: 'epochs', metrics: [{ epoch: 100, trainLoss: 0.1, testLoss: 0.1, seconds: 0 }] });
    const input = doc.nodes.find((n) => n.type === 'input')!;
    const dataset = { kind: 'function', expr: 'sin(x)', domain: [0, 3], samples: 200 };
    h.editor.run({ type: 'setField', nodeId: input.id, key: 'dataset', value: dataset });
    const load = h.sent.filter((m) => m.type === 'load').at(-1)!;
    expect(load).toMatchObject({ runId: h.editor.getState().runId, resume: undefined });
    expect(h.state().history).toEqual([]);
  });

  it('Reset and a branch are new runs; a learning rate is not', () => {
    const h = setup();
    h.editor.load(example('xor'));
    h.client.step();
    const first = h.editor.getState().runId;
    h.reply({
      type: 'ready',
      task: 'binary',
      batchesPerEpoch: 1,
      initialLoss: 1,
      progress: h.progress({}),
      kernels: '',
    });
    const lr = { type: 'sgd' as const, learningRate: 0.9 };
    h.editor.run({ type: 'setOptimizer', optimizer: lr });
    expect([h.editor.getState().runId, h.sent.at(-1)]).toEqual([first, { type: 'setOptimizer', config: lr }]);
    h.reply({ type: 'epochs', metrics: [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 1, testLoss: 1, seconds: 0 })) });
    h.reply({ type: 'timeline', epochs: [0, 1, 2, 3], bytes: 10 });
    h.client.branch(1);
    const branch = h.editor.getState().runId;
    expect(branch).toBe(first + 1);
    expect(h.sent.at(-1)).toEqual({ type: 'branch', epoch: 1, runId: branch });
    expect(h.state()).toMatchObject({ runId: branch, progress: null });
    expect(h.state().history.map((m) => m.epoch)).toEqual([1]);
    h.client.reset();
    expect(h.editor.getState().runId).toBe(branch + 1);
    expect(h.sent.filter((m) => m.type === 'load').at(-1)).toMatchObject({ runId: branch + 1 });
  });
});
