// What the training views show, read from the training state: the scrubbed epoch's numbers while the
// scrubber stands on one, else the live run's; and the `<runId>:<step>` each view writes in its
// `data-rev` (DESIGN.md, "Truth on screen").
import type { FeatureMaps, NodeStats, OutputView } from '../worker/protocol.ts';
import { revText } from '../worker/protocol.ts';
import type { TrainingState } from './trainingState.ts';

/** The statistics the overlays show: the scrubbed epoch's, else the live ones. */
export const shownNodes = (s: TrainingState): ReadonlyMap<string, NodeStats> => s.scrub?.nodes ?? s.nodes;
/** The output view shown: the scrubbed epoch's, else the live one. */
export const shownOutput = (s: TrainingState): OutputView | null => (s.scrub ? s.scrub.output : s.output);
/** The feature maps shown: the scrubbed epoch's, else the live ones. */
export const shownMaps = (s: TrainingState): FeatureMaps | null => (s.scrub ? s.scrub.maps : s.maps);
/** The confusion matrix shown: the scrubbed epoch's, else the live one. */
export const shownConfusion = (s: TrainingState): Int32Array | null =>
  s.scrub ? (s.scrub.output?.kind === 'digits' ? s.scrub.output.confusion : null) : s.confusion;

/** Where the shown confusion matrix was counted: the scrubbed epoch's end, else the live matrix's step. */
export const shownConfusionAt = (s: TrainingState): { epoch: number; batch: number } | null =>
  s.scrub ? { epoch: s.scrub.epoch, batch: 0 } : s.confusionAt;

/** The test images a confusion matrix counts and how many of them sit on its diagonal. */
export function confusionCorrect(counts: Int32Array, classes: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    if (Math.floor(i / classes) === i % classes) correct += counts[i]!;
  }
  return { correct, total };
}

/** The loss the training bar and the Loss node show: the scrubbed snapshot's, else the live one. */
export const shownLoss = (s: TrainingState): number | null =>
  s.scrub ? s.scrub.evaluation.trainLoss : (s.progress?.loss ?? null);
/** The epoch the training bar shows: the scrubbed snapshot's, else the live one. */
export const shownEpoch = (s: TrainingState): number | null => (s.scrub ? s.scrub.epoch : (s.progress?.epoch ?? null));

/** The evaluation the chart's text shows: the scrubbed snapshot's, the standing weights', else the last epoch's. */
export function shownSummary(s: TrainingState): { epoch: number; testLoss: number; testAccuracy?: number } | null {
  if (s.scrub) return s.scrub.evaluation;
  if (s.evaluation && s.evaluation.step === s.progressStep && s.history.length > 0) return s.evaluation;
  return s.history.at(-1) ?? null;
}

/** The views that show numbers of the weights, each with a `data-rev` (DESIGN.md, "Truth on screen"). */
export const RUN_VIEWS = [
  'progress',
  'stats',
  'output',
  'confusion',
  'maps',
  'chart',
  'timeline',
  'gradcheck',
  'trace',
] as const;
export type RunView = (typeof RUN_VIEWS)[number];
/** The views a scrubbed snapshot replaces (the rest describe the live weights, or nothing while scrubbed). */
export const SCRUBBED_VIEWS: ReadonlySet<RunView> = new Set(
  RUN_VIEWS.filter((v) => v !== 'gradcheck' && v !== 'trace'),
);

/** `<runId>:<step>` of the weights a view shows; undefined while it shows nothing of this run. */
export function viewRev(s: TrainingState, view: RunView): string | undefined {
  const at = (step: number) => revText(s.runId, step);
  if (s.scrub && SCRUBBED_VIEWS.has(view)) return at(s.scrub.step);
  switch (view) {
    case 'progress':
    case 'chart':
    case 'timeline':
      return s.progress ? at(s.progressStep) : undefined;
    case 'stats':
      return s.nodes.size > 0 ? at(s.statsStep) : undefined;
    case 'output':
      return s.output ? at(s.outputStep) : undefined;
    case 'confusion':
      return s.confusion ? at(s.confusionStep) : undefined;
    case 'maps':
      return s.maps ? at(s.mapsStep) : undefined;
    case 'gradcheck':
      return s.gradcheck && s.gradcheck !== 'running' ? at(s.gradcheck.step) : undefined;
    case 'trace':
      return s.trace && s.trace !== 'loading' ? at(s.trace.step) : undefined;
  }
}
