// Every lesson and challenge, checked as a learner would meet it: a correct graph with its own ids
// and positions passes once trained (and only then); typical mistakes fail with the hint naming them.
import { describe, expect, it } from 'vitest';
import { hdf5Dataset } from '../data/hdf5.ts';
import { makeCatFixture } from '../data/testing/catFixture.ts';
import type { DatasetSpec, GraphDoc, TrainingConfig } from '../format/types.ts';
import { findNodeDefinition } from '../nodes/index.ts';
import {
  beats,
  challenges,
  checkLesson,
  findLesson,
  HINT_TEXTS,
  hintText,
  lessons,
  lessonText,
  lessonValues,
} from './index.ts';
import type { RunSummary } from '../train/types.ts';
import { chainGraph, type Link, train } from './testing/solutions.ts';
import type { LessonActivity, LessonCheck, LessonState } from './types.ts';

const sgd = (learningRate: number, batchSize: number, epochs: number, seed = 1): TrainingConfig => ({
  optimizer: { type: 'sgd', learningRate },
  batchSize,
  epochs,
  seed,
});
const adam = (learningRate: number, batchSize: number, epochs: number, seed = 1): TrainingConfig => ({
  optimizer: { type: 'adam', learningRate },
  batchSize,
  epochs,
  seed,
});
const dense = (units: number, extra: Record<string, unknown> = {}): Link => ['dense', { units, ...extra }];
const act = (fn: string): Link => ['activation', { fn }];
const ALL: readonly LessonActivity[] = ['trace', 'gradcheck', 'predict', 'compare'];

let catData: DatasetSpec | undefined;
async function cat(): Promise<DatasetSpec> {
  const files = await makeCatFixture({ train: 40, test: 20, size: 64, seed: 3 });
  catData ??= await hdf5Dataset(files.train, { test: files.test });
  return catData;
}

interface Solution {
  /** The learner's graph (seed varies ids, positions and node order). */
  graph: (seed: number) => GraphDoc | Promise<GraphDoc>;
  /** Node types it needs that this build may not have yet. */
  needs?: readonly string[];
}

const fitData = (expr: string): DatasetSpec => ({ kind: 'function', expr, domain: [0, 3], samples: 200 });
const fitLinks = [dense(10), act('sigmoid'), dense(1)];
const mlpLinks = (outputs: number) => [dense(64), act('relu'), dense(outputs), act('softmax')];
const xorLinks = [dense(2), act('sigmoid'), dense(1), act('sigmoid')];
const mnist: DatasetSpec = { kind: 'mnist', train: 8000, test: 2000 };
// NOTE: one 3×3×8 convolution before Dense 10 stops near 93% on this split (measured once the conv
// types existed); the example's LeNet (public/examples/mnist-cnn.json, ≈ 6k parameters) passes 95%.
const cnnLinks: Link[] = [
  ['reshape', { shape: [28, 28, 1] }],
  ['conv2d', { filters: 8, kernelSize: 5, init: 'he_normal' }],
  ['batchnorm', {}],
  act('relu'),
  ['maxpool2d', { size: 2 }],
  ['conv2d', { filters: 16, kernelSize: 5, init: 'he_normal' }],
  ['batchnorm', {}],
  act('relu'),
  ['maxpool2d', { size: 2 }],
  ['flatten', {}],
  dense(10),
  act('softmax'),
];

/** A correct solution per lesson and challenge id. */
const SOLUTIONS = new Map<string, Solution>([
  [
    'and-neuron',
    { graph: (s) => chainGraph({ kind: 'and' }, [dense(1), act('sigmoid')], 'squared_error', sgd(2, 4, 1000), s) },
  ],
  ['xor-2-2-1', { graph: (s) => chainGraph({ kind: 'xor' }, xorLinks, 'squared_error', sgd(2, 4, 3000), s) }],
  [
    'fit-1n1',
    {
      graph: (s) => chainGraph(fitData('x*x*x - 2.5*x*x'), fitLinks, 'squared_error', adam(0.05, 20, 200), s),
    },
  ],
  [
    'mnist-mlp',
    {
      graph: (s) =>
        chainGraph(
          mnist,
          [dense(64, { init: 'he_normal' }), act('relu'), dense(10), act('softmax')],
          'cross_entropy',
          adam(0.002, 100, 2),
          s,
        ),
    },
  ],
  [
    'cat-2layer',
    {
      graph: async (s) =>
        chainGraph(
          await cat(),
          [['flatten', {}], dense(7), act('relu'), dense(1), act('sigmoid')],
          'binary_cross_entropy',
          adam(0.001, 20, 15),
          s,
        ),
    },
  ],
  [
    'mnist-cnn',
    {
      graph: (s) => chainGraph(mnist, cnnLinks, 'cross_entropy', adam(0.002, 32, 4), s),
      needs: ['reshape', 'conv2d', 'maxpool2d'],
    },
  ],
  // 2-1-1 plus the inputs straight into the output (a Concat) would be fewer; the plain 2-2-1 passes.
  ['xor-fewest', { graph: (s) => chainGraph({ kind: 'xor' }, xorLinks, 'squared_error', sgd(2, 4, 3000), s) }],
  [
    'dead-relu',
    {
      graph: (s) =>
        chainGraph(
          { kind: 'circle', samples: 200, noise: 0.1 },
          [dense(8), act('relu'), dense(8), act('relu'), dense(1), act('sigmoid')],
          'binary_cross_entropy',
          sgd(0.5, 20, 100, 4),
          s,
        ),
    },
  ],
  [
    'mnist-20k',
    {
      graph: (s) => chainGraph(mnist, cnnLinks, 'cross_entropy', adam(0.002, 32, 4), s),
      needs: ['reshape', 'conv2d', 'maxpool2d'],
    },
  ],
]);

/**
 * Trains each distinct graph once per file: the mnist-cnn lesson and the mnist-20k challenge share
 * one solution, and its CNN takes ≈ 12 s to train.
 */
const runs = new Map<string, RunSummary>();
function trainOnce(doc: GraphDoc): RunSummary {
  const key = JSON.stringify(doc);
  const run = runs.get(key) ?? train(doc);
  runs.set(key, run);
  return run;
}

const missing = (types: readonly string[] = []) => types.filter((t) => findNodeDefinition(t) === undefined);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const hints = (c: LessonCheck) => c.steps.flatMap((s) => (s.hint ? [s.hint.code] : []));

describe('lessons', () => {
  it('are the six tutorials DESIGN.md names, then the three challenges, each step in both languages', () => {
    expect(lessons.map((l) => l.id)).toEqual([
      'and-neuron',
      'xor-2-2-1',
      'fit-1n1',
      'mnist-mlp',
      'cat-2layer',
      'mnist-cnn',
    ]);
    expect(challenges.map((c) => c.id)).toEqual(['xor-fewest', 'dead-relu', 'mnist-20k']);
    for (const lesson of [...lessons, ...challenges]) {
      expect(findLesson(lesson.id)).toBe(lesson);
      expect(new Set(lesson.steps.map((s) => s.id)).size, lesson.id).toBe(lesson.steps.length);
      expect(lesson.kind === 'challenge', lesson.id).toBe(lesson.score !== undefined);
      // The final step needs the trained result.
      expect(
        lesson.steps.at(-1)!.check.some((c) => c.kind === 'run'),
        lesson.id,
      ).toBe(true);
      for (const text of [lesson.title, lesson.summary, ...lesson.steps.map((s) => s.text)]) {
        expect(text.en.length, lesson.id).toBeGreaterThan(3);
        expect(text.ja, lesson.id).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        // The same placeholders in both languages.
        expect(placeholders(text.ja), `${lesson.id}: ${text.en}`).toEqual(placeholders(text.en));
      }
    }
  });

  for (const lesson of [...lessons, ...challenges]) {
    const solution = SOLUTIONS.get(lesson.id);
    const unavailable = missing(solution?.needs);
    describe(lesson.id, () => {
      it('has a solution in this test', () => expect(solution).toBeDefined());
      // NOTE: mnist-cnn and mnist-20k need the convolution node types ("nodes" adds them); skipped until they exist.
      it.skipIf(unavailable.length > 0)(
        'passes with a correct graph of other ids once trained, not before; the hints of each step have texts',
        async () => {
          const doc = await solution!.graph(3);
          const untrained = checkLesson(lesson, { doc, activities: ALL });
          expect(untrained.done).toBe(false);
          for (const h of untrained.steps.flatMap((x) => (x.hint ? [x.hint] : [])))
            for (const lang of ['en', 'ja'] as const) expect(hintText(lesson, h, lang)).not.toBe(h.code);
          expect(untrained.steps.at(-1)!.hint?.code).toBe('lesson.not-trained');
          expect(untrained.steps.slice(0, -1).filter((s) => !s.done)).toEqual([]);
          expect(checkLesson(lesson, { doc, run: { epochs: 0, loss: 0 }, activities: ALL }).done).toBe(false);
          const run = trainOnce(doc);
          const state: LessonState = { doc, run, activities: ALL };
          const trained = checkLesson(lesson, state);
          expect(trained, JSON.stringify(run)).toMatchObject({ done: true });
          if (lesson.score) expect(trained.score).toBeGreaterThan(0);
          // Every step's text fills its placeholders from the learner's numbers.
          const values = lessonValues(state);
          for (const step of lesson.steps) {
            expect(
              placeholders(step.text.en).filter((k) => !values.has(k)),
              step.id,
            ).toEqual([]);
            expect(lessonText(step.text, 'ja', values)).not.toMatch(/\{\w+\}/);
          }
          // Without the activities the steps that ask for them are open.
          const idle = checkLesson(lesson, { doc, run });
          const asks = lesson.steps.filter((s) => s.check.some((c) => c.kind === 'did'));
          expect(idle.done).toBe(asks.length === 0);
        },
        60_000,
      );
    });
  }
});

const lesson = (id: string) => findLesson(id)!;
const trainedRun = { epochs: 5000, loss: 0.001, testLoss: 0.001, trainAccuracy: 1, testAccuracy: 1 };

/** Typical mistakes, each with the hint that must name it (even with a run that claims success). */
const MISTAKES: [lesson: string, what: string, doc: () => GraphDoc | Promise<GraphDoc>, hint: string][] = [
  [
    'xor-2-2-1',
    "mse where the tutorial uses the squared error (a fit loss, only not this lesson's)",
    () => chainGraph({ kind: 'xor' }, xorLinks, 'mse', sgd(2, 4, 3000)),
    'lesson.loss',
  ],
  [
    'fit-1n1',
    'binary cross-entropy for a regression',
    () => chainGraph(fitData('x^3 - 2.5*x^2'), fitLinks, 'binary_cross_entropy', adam(0.05, 20, 600)),
    'lesson.loss-for-task',
  ],
  [
    'xor-2-2-1',
    'no hidden layer',
    () => chainGraph({ kind: 'xor' }, [dense(1), act('sigmoid')], 'squared_error', sgd(2, 4, 3000)),
    'lesson.no-hidden-layer',
  ],
  [
    'xor-2-2-1',
    'relu in the hidden layer',
    () =>
      chainGraph({ kind: 'xor' }, [dense(2), act('relu'), dense(1), act('sigmoid')], 'squared_error', sgd(2, 4, 3000)),
    'lesson.layer-activation',
  ],
  [
    'xor-2-2-1',
    'the AND data',
    () => chainGraph({ kind: 'and' }, xorLinks, 'squared_error', sgd(2, 4, 3000)),
    'lesson.dataset',
  ],
  [
    'and-neuron',
    'a hidden layer where one neuron does',
    () => chainGraph({ kind: 'and' }, xorLinks, 'squared_error', sgd(2, 4, 1000)),
    'lesson.single-layer',
  ],
  [
    'mnist-mlp',
    'the wrong loss for the task (squared error on ten classes)',
    () => chainGraph(mnist, mlpLinks(10), 'squared_error', sgd(0.1, 100, 10)),
    'lesson.loss-for-task',
  ],
  [
    'mnist-mlp',
    'a softmax feeding binary cross-entropy',
    () => chainGraph(mnist, mlpLinks(10), 'binary_cross_entropy', sgd(0.1, 100, 10)),
    'lesson.softmax-into-bce',
  ],
  [
    'mnist-mlp',
    'eleven outputs',
    () => chainGraph(mnist, mlpLinks(11), 'cross_entropy', sgd(0.1, 100, 10)),
    'lesson.output-units',
  ],
  [
    'fit-1n1',
    'a sigmoid capping the output of a regression',
    () =>
      chainGraph(
        fitData('x^3 - 2.5*x^2'),
        [dense(10), act('sigmoid'), dense(1), act('sigmoid')],
        'squared_error',
        adam(0.05, 20, 600),
      ),
    'lesson.output-activation',
  ],
  [
    'fit-1n1',
    'another function',
    () => chainGraph(fitData('x^2'), fitLinks, 'squared_error', adam(0.05, 20, 600)),
    'lesson.dataset-expr',
  ],
  [
    'fit-1n1',
    'the whole data in one batch',
    () => chainGraph(fitData('x^3 - 2.5*x^2'), fitLinks, 'squared_error', adam(0.05, 160, 600)),
    'lesson.batch-size',
  ],
  [
    'cat-2layer',
    'a missing Flatten',
    async () =>
      chainGraph(
        await cat(),
        [dense(7), act('relu'), dense(1), act('sigmoid')],
        'binary_cross_entropy',
        adam(0.001, 20, 15),
      ),
    'lesson.missing-flatten',
  ],
  [
    'cat-2layer',
    'XOR points instead of photos',
    () =>
      chainGraph(
        { kind: 'xor' },
        [['flatten', {}], dense(7), act('relu'), dense(1), act('sigmoid')],
        'binary_cross_entropy',
        adam(0.001, 20, 15),
      ),
    'lesson.dataset',
  ],
  [
    'mnist-20k',
    'too many parameters',
    () => chainGraph(mnist, mlpLinks(10), 'cross_entropy', sgd(0.1, 100, 10)),
    'lesson.too-many-params',
  ],
];

describe('hints', () => {
  it('every shared hint has an English and a Japanese text that never prints "undefined" or "NaN"', () => {
    const params = {
      want: ['sigmoid'],
      got: 2,
      min: 2,
      max: 2,
      suggested: -1,
      node: 'h',
      nodeType: 'dense',
      metric: 'loss',
    };
    for (const code of Object.keys(HINT_TEXTS))
      for (const lang of ['en', 'ja'] as const) {
        const text = hintText(lesson('xor-2-2-1'), { code, params }, lang);
        expect(text, code).not.toMatch(/undefined|NaN|^lesson\./);
        if (lang === 'ja') expect(text, code).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      }
  });
});

describe('typical mistakes', () => {
  for (const [id, what, build, code] of MISTAKES)
    it(`${id}: ${what} fails with ${code}`, async () => {
      const check = checkLesson(lesson(id), { doc: await build(), run: trainedRun, activities: ALL });
      expect(check.done).toBe(false);
      expect(hints(check)[0]).toBe(code);
      for (const lang of ['en', 'ja'] as const) expect(hintText(lesson(id), { code, params: {} }, lang)).not.toBe(code);
    });

  it('a Loss whose target is not wired, or no Loss at all, is named', () => {
    const doc = chainGraph({ kind: 'xor' }, xorLinks, 'squared_error', sgd(2, 4, 3000));
    const unwired = { ...doc, edges: doc.edges.filter((e) => e.targetHandle !== 'target') };
    expect(hints(checkLesson(lesson('xor-2-2-1'), { doc: unwired, run: trainedRun, activities: ALL }))[0]).toBe(
      'lesson.target-unwired',
    );
    const lossId = doc.nodes.find((n) => n.type === 'loss')!.id;
    const noLoss = {
      ...doc,
      nodes: doc.nodes.filter((n) => n.id !== lossId),
      edges: doc.edges.filter((e) => e.target !== lossId),
    };
    const check = checkLesson(lesson('xor-2-2-1'), { doc: noLoss, activities: ALL });
    // The layers are found from the Input forward while there is no Loss: the first three steps are done.
    expect(check.steps.map((s) => s.done)).toEqual([true, true, true, false, false, false, false]);
    expect(check.steps[3]!.hint?.code).toBe('lesson.no-loss');
  });

  it("another network reaching the goal is not the lesson's result: the CNN lesson with an MLP names the missing Reshape", () => {
    const doc = chainGraph(mnist, mlpLinks(10), 'cross_entropy', sgd(0.1, 100, 10));
    const check = checkLesson(lesson('mnist-cnn'), { doc, run: trainedRun, activities: ALL });
    expect(check.steps.map((s) => s.hint?.code ?? 'done')).toEqual([
      'done',
      'lesson.missing-node',
      ...Array(5).fill('lesson.earlier-step'),
    ]);
    expect(check.steps[1]!.hint?.params).toMatchObject({ type: 'reshape', after: 'input' });
  });

  it('a later step waits for the earlier ones and says which', () => {
    const doc = chainGraph({ kind: 'xor' }, xorLinks, 'squared_error', sgd(0.1, 4, 3000));
    const check = checkLesson(lesson('xor-2-2-1'), { doc, run: trainedRun, activities: ALL });
    expect(check.steps.map((s) => s.hint?.code ?? 'done')).toEqual([
      'done',
      'done',
      'done',
      'done',
      'lesson.learning-rate',
      'lesson.earlier-step',
      'lesson.earlier-step',
    ]);
    expect(check.steps[6]!.hint?.params).toEqual({ step: 5 });
    expect(hintText(lesson('xor-2-2-1'), check.steps[4]!.hint!, 'en')).toBe(
      'Set the learning rate to 0.5–20 (the tutorial uses 2) (now 0.1): click the empty canvas to see the training settings.',
    );
  });
});

describe('challenges', () => {
  it('dead-relu: its starting graph really is stuck (ReLUs dead), so training it unchanged does not pass', () => {
    const dead = lesson('dead-relu');
    const run = train(dead.start!);
    expect(run.testAccuracy!).toBeLessThan(0.7);
    const check = checkLesson(dead, { doc: dead.start!, run });
    expect(check.steps.map((s) => s.done)).toEqual([true, false]);
    expect(check.steps[1]!.hint?.code).toBe('lesson.run-goal');
  });

  it('score: the parameter count of the learner graph (XOR 2-2-1: 9), compared by the challenge measure', () => {
    const fewest = lesson('xor-fewest');
    const doc = chainGraph({ kind: 'xor' }, xorLinks, 'squared_error', sgd(2, 4, 3000));
    expect(checkLesson(fewest, { doc, run: trainedRun }).score).toBe(9);
    expect(checkLesson(fewest, { doc }).score).toBeUndefined();
    expect([beats(fewest, 7, 9), beats(fewest, 9, 9), beats(fewest, 7, undefined)]).toEqual([true, false, true]);
    const epochs = lesson('dead-relu');
    expect(checkLesson(epochs, { doc: epochs.start!, run: { ...trainedRun, epochs: 40 } }).score).toBe(40);
  });
});
