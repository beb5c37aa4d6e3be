import { describe, expect, it } from 'vitest';
import { challenges, checkLesson, lessons as allLessons } from '../../engine/index.ts';
import { createLessons, progressOf, runSummaryOf } from './lessons.ts';
import { initialTrainingState } from './trainingState.ts';

function memory(initial: unknown = null) {
  let saved: string | null = initial === null ? null : JSON.stringify(initial);
  return {
    storage: {
      load: () => (saved === null ? null : JSON.parse(saved)),
      save: (v: unknown) => {
        saved = JSON.stringify(v);
      },
    },
    get raw() {
      return saved;
    },
  };
}

describe('lessons (app state)', () => {
  it('keeps the open lesson, its steps, activities, predictions and a challenge best across a reload', () => {
    const disk = memory();
    const a = createLessons({ storage: disk.storage });
    const xor = allLessons[1]!;
    a.start(xor.id);
    a.record('trace');
    a.record('trace');
    a.predicted(true);
    a.predicted(false);
    a.observe({ done: false, steps: xor.steps.map((s, i) => ({ id: s.id, done: i < 2 })) });
    const fewest = challenges[0]!;
    a.start(fewest.id);
    a.observe({ done: true, steps: fewest.steps.map((s) => ({ id: s.id, done: true })), score: 9 });
    a.observe({ done: true, steps: fewest.steps.map((s) => ({ id: s.id, done: true })), score: 12 });
    a.observe({ done: true, steps: fewest.steps.map((s) => ({ id: s.id, done: true })), score: 7 });
    const b = createLessons({ storage: disk.storage });
    expect(b.getState().active).toBe(fewest.id);
    expect(progressOf(b.getState(), xor.id)).toEqual({
      steps: [xor.steps[0]!.id, xor.steps[1]!.id],
      activities: ['trace', 'predict'],
      predictions: { tries: 2, hits: 1 },
      best: undefined,
      completed: false,
    });
    expect(progressOf(b.getState(), fewest.id)).toMatchObject({ best: 7, completed: true });
    b.exit();
    expect(createLessons({ storage: disk.storage }).getState().active).toBeNull();
  });

  it('reads damaged or hostile storage field by field: unknown lessons, "__proto__" and bad numbers are dropped', () => {
    const disk = memory({
      active: '__proto__',
      progress: [
        ['__proto__', { steps: ['x'] }],
        ['constructor', {}],
        [
          'xor-2-2-1',
          { steps: ['data', 3, null], activities: ['trace', 'hack'], predictions: { tries: -4, hits: 9 }, best: 'x' },
        ],
        'nonsense',
      ],
    });
    const s = createLessons({ storage: disk.storage }).getState();
    expect(s.active).toBeNull();
    expect([...s.progress.keys()]).toEqual(['xor-2-2-1']);
    expect(progressOf(s, 'xor-2-2-1')).toEqual({
      steps: ['data'],
      activities: ['trace'],
      predictions: { tries: 0, hits: 0 },
      best: undefined,
      completed: false,
    });
    const broken = {
      load: () => {
        throw new Error('SecurityError');
      },
      save: () => {
        throw new Error('QuotaExceeded');
      },
    };
    const c = createLessons({ storage: broken });
    c.start('and-neuron');
    expect(c.getState().active).toBe('and-neuron');
  });

  it('records activities and predictions only for the open lesson', () => {
    const l = createLessons({ storage: memory().storage });
    l.record('gradcheck');
    l.predicted(true);
    expect(l.getState().progress.size).toBe(0);
  });

  it("the run on screen: the last epoch of the editor's current run, nothing for another run", () => {
    const s = {
      ...initialTrainingState(3),
      history: [
        { epoch: 1, trainLoss: 0.5, testLoss: 0.6, seconds: 0 },
        { epoch: 2, trainLoss: 0.004, testLoss: 0.005, trainAccuracy: 1, testAccuracy: 1, seconds: 0 },
      ],
    };
    expect(runSummaryOf(s, 3)).toEqual({ epochs: 2, loss: 0.004, testLoss: 0.005, trainAccuracy: 1, testAccuracy: 1 });
    expect(runSummaryOf(s, 4)).toBeUndefined();
    expect(runSummaryOf(initialTrainingState(3), 3)).toBeUndefined();
    // And checkLesson reads it like the CLI's summary.
    expect(
      checkLesson(allLessons[0]!, {
        doc: {
          format: 'nodegrad-graph',
          version: 1,
          name: '',
          nodes: [],
          edges: [],
          training: { optimizer: { type: 'sgd', learningRate: 1 }, batchSize: 4, epochs: 1, seed: 1 },
        },
        run: runSummaryOf(s, 3),
      }).done,
    ).toBe(false);
  });
});
