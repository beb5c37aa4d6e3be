// Japanese texts of the engine are written as Japanese: names and values quoted with 「」 and asides
// in （）, not the half-width ' " ( ) of English. Every registry of texts is looped over: problem codes
// (graph, document, datasets, node types), lesson hints, lessons and challenges, node definitions.
import { describe, expect, it } from 'vitest';
import { challenges, HINT_TEXTS, hintText, type Lesson, lessons } from './lessons/index.ts';
import { NODE_DEFINITIONS, PROBLEM_TEXTS, problemMessage } from './nodes/index.ts';
import type { ProblemParams, Texts } from './problems.ts';
import { halfWidthMarks, hasJapanese } from './testing/japanese.ts';

/** Params that read as a string ('h1'), a number (7) and a list (['7']) at once. */
const seven: ProblemParams = new Proxy({}, { get: () => ['7'] });
/** The string values a text compares its params with (each branch of `p.x === 'no' ? … : …`). */
const branchValues = (fn: unknown) => [...String(fn).matchAll(/===? '([^']*)'/g)].map((m) => m[1] ?? '');
/** A text rendered as the app shows it, once per branch. */
function renderings(texts: Texts, render: (p: ProblemParams) => string): string[] {
  const params = [seven, ...branchValues(texts.ja).map((v) => new Proxy({}, { get: () => [v] }))];
  return params.map((p) => render(p as ProblemParams));
}
const bare: Lesson = { ...(lessons[0] as Lesson), hints: undefined };

describe('Japanese texts use full-width brackets', () => {
  it('the samples of the rule', () => {
    expect(halfWidthMarks('f(x) = x² の値（例）は「h1」、点 (0,1)')).toEqual([]);
    expect(halfWidthMarks('dZ1 = dA1 ⊙ g′(Z1)、E = ½Σ(y − t)²')).toEqual([]);
    expect(halfWidthMarks("ノード 'h1' が(ここ)")).toEqual(["'h1'", '(ここ)']);
    expect(halfWidthMarks('損失 “L”')).toEqual(['“L”']);
    expect(halfWidthMarks('全結合(教材では 64)')).toEqual(['(教材では 64)']);
    expect(halfWidthMarks('全結合「h」 は')).toEqual(['」 は']);
  });

  const found = new Map<string, string[]>();
  const add = (where: string, text: string) => {
    if (!hasJapanese(text)) return;
    const marks = halfWidthMarks(text);
    if (marks.length) found.set(where, [...(found.get(where) ?? []), `${marks.join(' ')}  ← ${text}`]);
  };
  for (const [code, texts] of PROBLEM_TEXTS)
    for (const t of renderings(texts, (params) => problemMessage(code, params, 'ja'))) add(`problem ${code}`, t);
  for (const [code, texts] of Object.entries(HINT_TEXTS))
    for (const t of renderings(texts, (params) => hintText(bare, { code, params }, 'ja'))) add(`hint ${code}`, t);
  for (const lesson of [...lessons, ...challenges]) {
    add(`${lesson.id} title`, lesson.title.ja);
    add(`${lesson.id} summary`, lesson.summary.ja);
    if (lesson.score) add(`${lesson.id} score`, lesson.score.unit.ja);
    for (const step of lesson.steps) add(`${lesson.id} ${step.id}`, step.text.ja);
    for (const [code, texts] of Object.entries(lesson.hints ?? {}))
      for (const t of renderings(texts, (params) => hintText(lesson, { code, params }, 'ja')))
        add(`${lesson.id} hint ${code}`, t);
  }
  for (const def of NODE_DEFINITIONS) {
    const ja = def.text.ja;
    add(`${def.type} label`, ja.label);
    add(`${def.type} description`, ja.description);
    for (const [k, v] of Object.entries(ja.fields ?? {})) add(`${def.type} field ${k}`, v);
    for (const [k, v] of Object.entries(ja.trace ?? {})) add(`${def.type} trace ${k}`, v);
  }

  it('in every problem, hint, lesson and node text', () => {
    expect(Object.fromEntries(found)).toEqual({});
  });
});
