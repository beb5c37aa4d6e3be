// The training state reducer: divergence is a state of its own, and the pace is kept per document.
import { describe, expect, it } from 'vitest';
import type { DivergenceReport } from '../worker/divergence.ts';
import type { Progress, WorkerReport } from '../worker/protocol.ts';
import { initialTrainingState, type TrainingEvent, type TrainingState } from './trainingState.ts';
import { trainingReducer } from './trainingReducer.ts';
import { confusionCorrect, shownConfusionAt, shownNodes } from './trainingViews.ts';

const run = (events: TrainingEvent[], from: TrainingState = initialTrainingState(1)) =>
  events.reduce(trainingReducer, from);
/** Stamps a worker report as run 1's at `step`. */
const w = (m: WorkerReport, step = 0): TrainingEvent => ({ ...m, runId: 1, step });

const progress = (p: Partial<Progress>): Progress => ({
  epoch: 0,
  batch: 1,
  batchesPerEpoch: 80,
  epochsTotal: 10,
  samples: 100,
  loss: 2.3,
  learningRate: 500,
  samplesPerSecond: 0,
  stepShare: 0,
  running: true,
  ...p,
});

const report: DivergenceReport = {
  nodeId: 'h',
  where: 'parameter',
  message: "the loss exploded to 1.16e+4 (over 100 × its starting 2.37); the parameters of 'h' moved 9.1× their size",
  cause: 'exploded',
  loss: 11_550,
  startLoss: 2.37,
  limit: 237,
  learningRate: 500,
  epoch: 0,
};

describe('training state', () => {
  it('a divergence is "diverged", not "done" or "paused", until the optimizer changes', () => {
    const s = run([
      { type: 'running' },
      w({ type: 'progress', progress: progress({}) }, 1),
      w({ type: 'diverged', report }, 2),
      w({ type: 'progress', progress: progress({ batch: 2, samples: 200, loss: 11_550, running: false }) }, 2),
    ]);
    expect(s.status).toBe('diverged');
    expect(s.diverged).toBe(report);
    expect(s.lossY.at(-1)).toBe(11_550);
    const lowered = trainingReducer(s, { type: 'optimizerChanged' });
    expect(lowered).toMatchObject({ status: 'paused', diverged: null });
    expect(trainingReducer(lowered, { type: 'running' }).status).toBe('running');
    // Reset (a new run of the same document) clears it too.
    expect(trainingReducer(s, { type: 'runStarted', runId: 1 })).toMatchObject({ status: 'idle', diverged: null });
  });

  it('"Done" comes with where the run ended, not the last progress of the run before it', () => {
    const end = progress({ epoch: 10, batch: 0, samples: 8000, loss: 0.03, running: false });
    const s = run([
      { type: 'running' },
      w({ type: 'progress', progress: progress({ epoch: 9, batch: 78, samples: 7900 }) }, 798),
      w({ type: 'done', progress: end }, 800),
    ]);
    expect(s).toMatchObject({ status: 'done', progress: end, progressStep: 800 });
  });

  it('an optimizer change without a divergence leaves the status alone', () => {
    const s = run([{ type: 'running' }, { type: 'optimizerChanged' }]);
    expect(s.status).toBe('running');
  });

  it('the pace: chosen by the user, kept across Reset and loading, replaced by a new document’s default', () => {
    const s = run([{ type: 'paceChanged', pace: 'step' }], initialTrainingState(1, 'watch'));
    expect(s.pace).toBe('step');
    expect(run([{ type: 'runStarted', runId: 1 }, { type: 'loading' }], s).pace).toBe('step');
    expect(trainingReducer(s, { type: 'runStarted', runId: 2, pace: 'full' }).pace).toBe('full');
  });

  it('the scrubber: a past epoch replaces the live statistics and output until back to live; a branch drops later epochs', () => {
    const metrics = (epoch: number) => ({ epoch, trainLoss: 1 / epoch, testLoss: 1 / epoch, seconds: 0 });
    let s = run([w({ type: 'epochs', metrics: [1, 2, 3, 4].map(metrics) })]);
    s = { ...s, lossX: [0.5, 1, 2, 3, 4], lossY: [1, 1, 0.5, 0.3, 0.2] };
    const stats = {
      id: 'h',
      shape: [2],
      mean: 7,
      std: 0,
      min: 0,
      max: 0,
      histogram: new Float32Array(1),
      gradRms: null,
      gradNorm: null,
    };
    const evaluation = { trainLoss: 0.5, testLoss: 0.5 };
    s = trainingReducer(s, w({ type: 'scrubView', epoch: 2, nodes: [stats], view: null, maps: null, evaluation }, 8));
    expect(shownNodes(s).get('h')?.mean).toBe(7);
    expect(shownNodes(trainingReducer(s, { type: 'scrubEnded' })).size).toBe(0);
    expect(trainingReducer(s, { type: 'running' }).scrub).toBeNull();
    const b = trainingReducer(s, { type: 'branchStarted', runId: 2, epoch: 2 });
    expect(b.scrub).toBeNull();
    expect(b.history.map((m) => m.epoch)).toEqual([1, 2]);
    expect(b.lossX).toEqual([0.5, 1, 2]);
    expect(b.lossY).toEqual([1, 1, 0.5]);
  });
});

describe('the confusion matrix says which weights it counts', () => {
  const digits = (confusion: Int32Array | null): WorkerReport => ({
    type: 'output',
    view: {
      kind: 'digits',
      images: new Uint8Array(4),
      height: 2,
      width: 2,
      channels: 1,
      invert: false,
      labels: new Uint8Array(1),
      predicted: new Uint8Array(1),
      confusion,
      classes: 2,
      classNames: null,
    },
  });
  it('keeps the epoch and batch of the step it was counted at while later outputs come without one', () => {
    const s = run([
      w({ type: 'progress', progress: progress({ epoch: 1, batch: 20 }) }, 100),
      w(digits(new Int32Array([5, 1, 2, 4])), 100),
      w({ type: 'progress', progress: progress({ epoch: 3, batch: 7 }) }, 247),
      w(digits(null), 247),
    ]);
    expect(shownConfusionAt(s)).toEqual({ epoch: 1, batch: 20 });
    expect(confusionCorrect(new Int32Array([5, 1, 2, 4]), 2)).toEqual({ correct: 9, total: 12 });
  });
  it('counted at the end of a run (output before Done), it names where Done says the run ended', () => {
    const s = run([
      w({ type: 'progress', progress: progress({ epoch: 8, batch: 71 }) }, 711),
      w(digits(new Int32Array([5, 1, 2, 4])), 800),
      w({ type: 'done', progress: progress({ epoch: 10, batch: 0, running: false }) }, 800),
    ]);
    expect(shownConfusionAt(s)).toEqual({ epoch: 10, batch: 0 });
  });
  it('scrubbed, the matrix is the scrubbed epoch’s', () => {
    const s = run([
      w({ type: 'progress', progress: progress({ epoch: 3, batch: 7 }) }, 247),
      w(digits(new Int32Array([5, 1, 2, 4])), 247),
    ]);
    const scrubbed = {
      ...s,
      scrub: { epoch: 2, step: 160, nodes: new Map(), output: null, maps: null, evaluation: s.evaluation! },
    };
    expect(shownConfusionAt(scrubbed as TrainingState)).toEqual({ epoch: 2, batch: 0 });
  });
});
