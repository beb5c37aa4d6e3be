// Lessons are data: steps with English and Japanese texts and declarative checks of the learner's
// own graph (types, units, activations, the loss, the wiring, the dataset) and run. checkLesson
// (check.ts) evaluates them; the app, the tests and the CLI read the same objects.
import type { RunSummary } from '../train/types.ts';
import type { ActivationFn, DatasetKind, GraphDoc, LossFn } from '../format/types.ts';
import type { Lang, ProblemParams, Texts } from '../problems.ts';

/** One text in every language the app speaks; `{name}` placeholders take the learner's numbers (lessonValues). */
export type LessonText = Readonly<Record<Lang, string>>;

/** What the learner did in the app that the graph does not show; recorded by the app. */
export type LessonActivity = 'trace' | 'gradcheck' | 'predict' | 'compare';

/** Everything a check looks at. */
export interface LessonState {
  doc: GraphDoc;
  /** The run of this document on screen; absent when it was not trained. */
  run?: RunSummary | undefined;
  activities?: readonly LessonActivity[] | undefined;
}

/** An inclusive range; `suggested` is what the tutorial uses (named in hints). */
export interface Range {
  min?: number;
  max?: number;
  suggested?: number;
}

/** A metric of the run summary. */
export type RunMetric = 'loss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy' | 'epochs';

/**
 * One declarative condition on the learner's graph or run. "Layers" are the nodes with parameters
 * on the main path (from the Loss's `pred` back through each node's first input to the Input); the
 * last one is the output layer, the others are hidden layers; each one's activation is the first
 * Activation node after it, before the next layer.
 */
export type Condition =
  /** The Input's dataset: its kind; `expr` (function data) must give the same values as this expression. */
  | { kind: 'dataset'; is: readonly DatasetKind[]; task?: 'binary' | 'multiclass' | 'regression'; expr?: string }
  /** Each sample is an image (per-sample shape [H, W, C]). */
  | { kind: 'imageInput' }
  /** The Input's `x` reaches the Loss's `pred` and its `y` feeds the Loss's `target`. */
  | { kind: 'wired' }
  | { kind: 'compiles' }
  /** Layers before the output layer; while the path does not reach the Loss yet, every layer counts and only `min` applies. */
  | { kind: 'hiddenLayers'; count: Range }
  /** The layer at `index` from the Input (0: the first), or every hidden layer: its width and activation. */
  | { kind: 'layer'; index: number | 'hidden'; units?: Range; fn?: readonly ActivationFn[] }
  | { kind: 'outputUnits'; units: number }
  /** 'identity' also accepts no activation at all. */
  | { kind: 'outputActivation'; fn: readonly ActivationFn[] }
  | { kind: 'loss'; fn: readonly LossFn[] }
  /** Node types that must appear on the main path in this order (others may sit between). */
  | { kind: 'pathTypes'; types: readonly string[] }
  /** Image data reaches a Dense layer only through a Flatten. */
  | { kind: 'flattenBeforeDense' }
  | { kind: 'training'; learningRate?: Range; epochs?: Range; batchSize?: Range }
  | { kind: 'params'; max: number }
  | { kind: 'run'; metric: RunMetric; below?: number; atLeast?: number }
  | { kind: 'did'; activity: LessonActivity };

export type ConditionKind = Condition['kind'];

/** What the learner does in a step (the app shows it; the check says when it is done). */
export type StepAction = 'drag' | 'wire' | 'set' | 'import' | 'train' | 'trace' | 'gradcheck' | 'predict' | 'compare';

export interface LessonStep {
  id: string;
  action: StepAction;
  text: LessonText;
  /** All must hold (and every earlier step be done); the first that fails gives the hint. */
  check: readonly Condition[];
}

/** A graded challenge: the score is a number to beat, kept per learner. */
export interface ChallengeScore {
  metric: 'params' | RunMetric;
  better: 'lower' | 'higher';
  unit: LessonText;
}

export interface Lesson {
  id: string;
  kind: 'lesson' | 'challenge';
  title: LessonText;
  /** One or two sentences: what the learner builds and what it shows. */
  summary: LessonText;
  steps: readonly LessonStep[];
  /** A graph to begin from (a challenge's broken network), loaded by the app as an undoable edit. */
  start?: GraphDoc;
  score?: ChallengeScore;
  /** This lesson's own words for hint codes (used before the shared ones in hints.ts). */
  hints?: Readonly<Record<string, Texts>>;
}

/** What is missing, as a code and the values its text is made from (hints.ts). */
export interface LessonHint {
  code: string;
  params: ProblemParams;
}

export interface StepStatus {
  id: string;
  done: boolean;
  hint?: LessonHint;
}

export interface LessonCheck {
  done: boolean;
  steps: StepStatus[];
  /** A challenge's score for this graph and run (when its steps are done). */
  score?: number;
}
