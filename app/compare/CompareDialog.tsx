import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { analyzeGraph, parseVary, SweepError, type SweepVariant, sweepVariants } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { renderProblem } from '../i18n/catalogue.ts';
import { spawnTrainingWorker } from '../worker/spawnWorker.ts';
import { CompareChart, variantColour } from './CompareChart.tsx';
import { type ComparePool, startComparePool, threadCount, type VariantRun } from '../editor/comparePool.ts';
import { defaultChoice, defaultEpochs, type VaryChoice, varyChoices } from './choices.ts';
import { VariantCard } from './VariantCard.tsx';

/** Most variants one comparison shows (its small multiples must fit the dialog). */
export const MAX_COMPARE_VARIANTS = 36;

function choiceLabel(t: ReturnType<typeof useT>, c: VaryChoice): string {
  return t(`compare.kind.${c.kind}` as MessageKey, { node: c.nodeId ?? '' });
}

/** "Compare runs": vary one or two settings, train every combination in parallel workers, compare. */
export function CompareDialog({ onClose }: { onClose: () => void }) {
  const { editor, lessons } = useApp();
  const t = useT();
  const doc = useEditor((s) => s.doc);
  const lang = useEditor((s) => s.lang);
  const choices = useMemo(() => varyChoices(doc), [doc]);
  const first = defaultChoice(choices);
  const [path1, setPath1] = useState(first?.path ?? '');
  const [values1, setValues1] = useState(first?.defaults ?? '');
  const [path2, setPath2] = useState('');
  const [values2, setValues2] = useState('');
  const [epochs, setEpochs] = useState(String(defaultEpochs(doc)));
  const [error, setError] = useState<string | null>(null);
  const [pool, setPool] = useState<ComparePool | null>(null);
  // NOTE: no pool yet is no comparison (the pool's store lives in the editor core, app/editor/comparePool.ts).
  const state = useSyncExternalStore(
    useCallback((listener: () => void) => pool?.store.subscribe(listener) ?? (() => {}), [pool]),
    () => pool?.store.getState() ?? null,
  );
  const cores = typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency;

  useEffect(() => () => pool?.cancel(), [pool]);

  const pick = (which: 1 | 2, path: string) => {
    const c = choices.find((x) => x.path === path);
    if (which === 1) {
      setPath1(path);
      setValues1(c?.defaults ?? '');
    } else {
      setPath2(path);
      setValues2(c?.defaults ?? '');
    }
  };

  const run = () => {
    setError(null);
    const n = Number(epochs);
    if (!Number.isInteger(n) || n < 1) {
      setError(t('compare.bad', { detail: `${t('compare.epochs')}: ${epochs}` }));
      return;
    }
    let variants: SweepVariant[];
    try {
      const varies = [`${path1}=${values1}`, ...(path2 ? [`${path2}=${values2}`] : [])].map(parseVary);
      variants = sweepVariants(doc, varies, 1);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      setError(t('compare.bad', { detail: e.message }));
      return;
    }
    if (variants.length > MAX_COMPARE_VARIANTS) {
      setError(t('compare.tooMany', { count: variants.length, max: MAX_COMPARE_VARIANTS }));
      return;
    }
    for (const v of variants) {
      const problem = analyzeGraph(v.doc).problems[0];
      if (problem) {
        setError(t('compare.bad', { detail: renderProblem(lang, problem) }));
        return;
      }
    }
    pool?.cancel();
    lessons.record('compare');
    setPool(
      startComparePool({
        variants,
        epochs: n,
        threads: threadCount(variants.length, cores),
        spawn: () => spawnTrainingWorker('nodegrad-compare'),
      }),
    );
  };

  const open = (r: VariantRun) => {
    const name = `${r.doc.name} (${r.label})`.slice(0, 200);
    // NOTE: one step: the variant arrives with its weights and run state, as one new run.
    const variant = { ...r.doc, name, weights: r.weights ?? undefined };
    if (!editor.run({ type: 'replaceDocument', doc: variant, source: 'compare', trained: r.trained ?? undefined }).ok)
      return;
    pool?.cancel();
    onClose();
  };

  const running = state?.status === 'running';
  const done = state ? state.variants.filter((v) => v.status !== 'waiting' && v.status !== 'running').length : 0;
  const status = !state
    ? t('compare.intro', { threads: threadCount(99, cores) })
    : state.status === 'running'
      ? t('compare.running', { done, count: state.variants.length, threads: state.threads })
      : state.status === 'cancelled'
        ? t('compare.cancelled', { done: state.variants.filter((v) => v.weights).length, count: state.variants.length })
        : t('compare.finished', {
            count: state.variants.length,
            threads: state.threads,
            seconds: (((state.finishedAt ?? state.startedAt) - state.startedAt) / 1000).toFixed(1),
          });
  const options = choices.map((c) => (
    <option key={c.path} value={c.path}>
      {choiceLabel(t, c)}
    </option>
  ));
  return (
    <div className="ng-versions ng-compare" role="dialog" aria-label={t('compare.title')} data-testid="compare-dialog">
      <div className="ng-row">
        <b>{t('compare.title')}</b>
        <span className="ng-grow" />
        <button type="button" data-testid="compare-close" onClick={onClose} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      <div className="ng-compare-form">
        <label>
          <span>{t('compare.vary')}</span>
          <select
            data-testid="compare-vary-1"
            value={path1}
            disabled={running}
            onChange={(e) => pick(1, e.target.value)}
          >
            {options}
          </select>
        </label>
        <input
          data-testid="compare-values-1"
          aria-label={t('compare.values')}
          title={t('compare.valuesHint')}
          value={values1}
          disabled={running}
          onChange={(e) => setValues1(e.target.value)}
        />
        <label>
          <span>{t('compare.and')}</span>
          <select
            data-testid="compare-vary-2"
            value={path2}
            disabled={running}
            onChange={(e) => pick(2, e.target.value)}
          >
            <option value="">{t('compare.none')}</option>
            {options}
          </select>
        </label>
        <input
          data-testid="compare-values-2"
          aria-label={t('compare.values')}
          title={t('compare.valuesHint')}
          value={values2}
          disabled={running || !path2}
          onChange={(e) => setValues2(e.target.value)}
        />
        <label>
          <span>{t('compare.epochs')}</span>
          <input
            className="ng-compare-epochs"
            data-testid="compare-epochs"
            type="number"
            min={1}
            value={epochs}
            disabled={running}
            onChange={(e) => setEpochs(e.target.value)}
          />
        </label>
        {running ? (
          <button type="button" data-testid="compare-cancel" onClick={() => pool?.cancel()}>
            {t('compare.stop')}
          </button>
        ) : (
          <button type="button" className="primary" data-testid="compare-run" onClick={run} disabled={!path1}>
            {t('compare.run')}
          </button>
        )}
      </div>
      <p className="ng-muted" data-testid="compare-status" data-state={state?.status ?? 'idle'}>
        {status}
      </p>
      {error && (
        <p className="ng-error" role="alert" data-testid="compare-error">
          {error}
        </p>
      )}
      {state && (
        <div className="ng-compare-results">
          <CompareChart variants={state.variants} width={400} height={250} />
          <div className="ng-compare-grid">
            {state.variants.map((v, i) => (
              <VariantCard key={v.key} run={v} colour={variantColour(i)} onOpen={open} />
            ))}
          </div>
        </div>
      )}
      {state && !running && <p className="ng-muted">{t('compare.openHelp')}</p>}
    </div>
  );
}
