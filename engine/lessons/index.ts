// The lessons (the tutorials nodegrad started from) and the graded challenges, as data, with
// checkLesson. DESIGN.md "Lessons" fixes the lesson ids.
import { challenges as challengeList } from './data/challenges.ts';
import { fit1n1 } from './data/fit.ts';
import { cat2layer, mnistCnn, mnistMlp } from './data/images.ts';
import { andNeuron, xor221 } from './data/logic.ts';
import type { Lesson } from './types.ts';

/** In teaching order. */
export const lessons: readonly Lesson[] = [andNeuron, xor221, fit1n1, mnistMlp, cat2layer, mnistCnn];

/** Graded: each has a score to beat. */
export const challenges: readonly Lesson[] = challengeList;

/** A lesson or challenge by id. */
export function findLesson(id: string): Lesson | undefined {
  return [...lessons, ...challenges].find((l) => l.id === id);
}

export { beats, checkLesson, lessonText, lessonValues } from './check.ts';
export { HINT_TEXTS, hintText, metricValue } from './hints.ts';
export { isLayerType, queryGraph } from './query.ts';
export type * from './types.ts';
