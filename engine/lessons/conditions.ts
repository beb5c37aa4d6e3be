// One evaluator per condition kind (types.ts), in one table: each returns null when the condition
// holds, else the hint that names what is missing. They read the graph only through query.ts.
import { parseExpr } from '../expr/expr.ts';
import type { LossFn } from '../format/types.ts';
import type { ProblemParams } from '../problems.ts';
import type { GraphQuery } from './query.ts';
import type { Condition, ConditionKind, LessonHint, LessonState, Range } from './types.ts';

interface Context {
  q: GraphQuery;
  state: LessonState;
}

type Evaluate<C extends Condition> = (c: C, ctx: Context) => LessonHint | null;
type Table = { [K in ConditionKind]: Evaluate<Extract<Condition, { kind: K }>> };

const hint = (code: string, params: ProblemParams = {}): LessonHint => ({ code, params });

/** True when `v` lies in the range. */
export const inRange = (v: number, r: Range) =>
  (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);

/** A range as hint params: min, max and the tutorial's value (-1 where not given). */
const rangeParams = (r: Range): ProblemParams => ({ min: r.min ?? -1, max: r.max ?? -1, suggested: r.suggested ?? -1 });

/** Same function on the domain: equal at 9 points to a relative 1e-6. */
function sameFunction(a: string, b: string, domain: readonly [number, number]): boolean {
  try {
    const [fa, fb] = [parseExpr(a), parseExpr(b)];
    for (let i = 0; i <= 8; i++) {
      const x = domain[0] + ((domain[1] - domain[0]) * i) / 8;
      const [ya, yb] = [fa.evaluate(x), fb.evaluate(x)];
      if (!(Math.abs(ya - yb) <= 1e-6 * Math.max(1, Math.abs(yb)))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The losses that can do a task at all (the squared error is the tutorials' loss for yes/no answers too). */
const LOSSES_FOR_TASK: Readonly<Record<NonNullable<GraphQuery['task']>, readonly LossFn[]>> = {
  regression: ['squared_error', 'mse'],
  binary: ['binary_cross_entropy', 'squared_error', 'mse'],
  multiclass: ['cross_entropy'],
};

const pathNodes = (q: GraphQuery) => q.path.map((n) => n.type);

const CONDITIONS: Table = {
  dataset(c, { q }) {
    if (!q.doc.nodes.some((n) => n.type === 'input')) return hint('lesson.no-input');
    const d = q.dataset;
    if (!d || !c.is.includes(d.kind)) return hint('lesson.dataset', { want: c.is, got: d?.kind ?? '' });
    if (c.task && q.task !== c.task) return hint('lesson.dataset-task', { want: c.task, got: q.task ?? '' });
    if (c.expr !== undefined && (d.kind !== 'function' || !sameFunction(d.expr, c.expr, d.domain)))
      return hint('lesson.dataset-expr', { want: c.expr, got: d.kind === 'function' ? d.expr : '' });
    return null;
  },
  imageInput(_c, { q }) {
    return q.inputShape && q.inputShape.length === 3 ? null : hint('lesson.image-input');
  },
  wired(_c, { q }) {
    if (!q.doc.nodes.some((n) => n.type === 'loss')) return hint('lesson.no-loss');
    if (!q.connected) return hint('lesson.not-wired');
    return q.targetWired ? null : hint('lesson.target-unwired');
  },
  compiles(_c, { q }) {
    const first = q.analysis.problems[0];
    return first ? hint('lesson.problems', { count: q.analysis.problems.length, code: first.code }) : null;
  },
  hiddenLayers(c, { q }) {
    if (q.layers.length === 0) return hint('lesson.no-layer');
    const hidden = q.connected ? q.layers.length - 1 : q.layers.length;
    const params = { ...rangeParams(c.count), got: hidden };
    if (c.count.min !== undefined && hidden < c.count.min)
      return hint(hidden === 0 ? 'lesson.no-hidden-layer' : 'lesson.hidden-layers', params);
    if (q.connected && c.count.max !== undefined && hidden > c.count.max)
      return hint(c.count.max === 0 ? 'lesson.single-layer' : 'lesson.hidden-layers', params);
    return null;
  },
  layer(c, { q }) {
    const chosen = c.index === 'hidden' ? q.layers.slice(0, -1) : q.layers.slice(c.index, c.index + 1);
    if (c.index !== 'hidden' && chosen.length === 0)
      return hint(c.index === 0 ? 'lesson.no-layer' : 'lesson.missing-layer', { index: c.index + 1 });
    for (const l of chosen) {
      const at = { node: l.node.id, nodeType: l.node.type };
      if (c.units && (l.units === undefined || !inRange(l.units, c.units)))
        return hint('lesson.layer-units', { ...rangeParams(c.units), got: l.units ?? 0, ...at });
      if (c.fn && l.activation === null) return hint('lesson.layer-activation-missing', { want: c.fn, ...at });
      if (c.fn && !c.fn.includes(l.activation!))
        return hint('lesson.layer-activation', { want: c.fn, got: l.activation!, ...at });
    }
    return null;
  },
  outputUnits(c, { q }) {
    const out = q.layers.at(-1);
    if (!out) return hint('lesson.no-layer');
    return out.units === c.units
      ? null
      : hint('lesson.output-units', {
          units: c.units,
          got: out.units ?? 0,
          node: out.node.id,
          nodeType: out.node.type,
        });
  },
  outputActivation(c, { q }) {
    const out = q.layers.at(-1);
    if (!out) return hint('lesson.no-layer');
    const fn = out.activation ?? 'identity';
    if (c.fn.includes(fn)) return null;
    const params = { want: c.fn, got: fn, node: out.node.id, nodeType: out.node.type };
    return hint(out.activation === null ? 'lesson.output-activation-missing' : 'lesson.output-activation', params);
  },
  loss(c, { q }) {
    const fn = q.lossFn;
    if (fn === undefined) return hint('lesson.no-loss');
    if (c.fn.includes(fn)) return null;
    if (fn === 'binary_cross_entropy' && q.layers.at(-1)?.activation === 'softmax')
      return hint('lesson.softmax-into-bce', { want: c.fn });
    const fits = q.task === undefined || LOSSES_FOR_TASK[q.task].includes(fn);
    return hint(fits ? 'lesson.loss' : 'lesson.loss-for-task', { want: c.fn, got: fn, task: q.task ?? '' });
  },
  pathTypes(c, { q }) {
    const types = pathNodes(q);
    let at = 0;
    for (const type of c.types) {
      const found = types.indexOf(type as (typeof types)[number], at);
      if (found < 0) return hint('lesson.missing-node', { type, after: c.types[c.types.indexOf(type) - 1] ?? 'input' });
      at = found + 1;
    }
    return null;
  },
  flattenBeforeDense(_c, { q }) {
    // NOTE: the compiler's own verdict: a layer that takes a vector per sample but gets an image.
    const p = q.analysis.problems.find((x) => x.code.endsWith('.input-rank') && x.nodeId !== undefined);
    return p ? hint('lesson.missing-flatten', { node: p.nodeId!, nodeType: p.code.split('.')[0]! }) : null;
  },
  training(c, { q }) {
    const t = q.doc.training;
    if (c.learningRate && !inRange(t.optimizer.learningRate, c.learningRate))
      return hint('lesson.learning-rate', { ...rangeParams(c.learningRate), got: t.optimizer.learningRate });
    if (c.epochs && !inRange(t.epochs, c.epochs))
      return hint('lesson.epochs', { ...rangeParams(c.epochs), got: t.epochs });
    if (c.batchSize && !inRange(t.batchSize, c.batchSize))
      return hint('lesson.batch-size', { ...rangeParams(c.batchSize), got: t.batchSize });
    return null;
  },
  params(c, { q }) {
    return q.analysis.totalParams <= c.max
      ? null
      : hint('lesson.too-many-params', { max: c.max, got: q.analysis.totalParams });
  },
  run(c, { state }) {
    const run = state.run;
    if (!run || run.epochs === 0) return hint('lesson.not-trained');
    const value = run[c.metric];
    if (value === undefined) return hint('lesson.no-metric', { metric: c.metric });
    if (c.below !== undefined && !(value < c.below))
      return hint('lesson.run-goal', { metric: c.metric, goal: c.below, got: value, dir: 'below' });
    if (c.atLeast !== undefined && !(value >= c.atLeast))
      return hint('lesson.run-goal', { metric: c.metric, goal: c.atLeast, got: value, dir: 'atLeast' });
    return null;
  },
  did(c, { state }) {
    return state.activities?.includes(c.activity) ? null : hint(`lesson.do-${c.activity}`);
  },
};

/** The hint for the first condition that fails, or null when all hold. */
export function firstFailing(conditions: readonly Condition[], q: GraphQuery, state: LessonState): LessonHint | null {
  for (const c of conditions) {
    const evaluate = CONDITIONS[c.kind] as Evaluate<Condition>;
    const h = evaluate(c, { q, state });
    if (h) return h;
  }
  return null;
}
