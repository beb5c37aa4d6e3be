import { useEffect, useMemo, useState } from 'react';
import {
  type CsvChoices,
  type CsvFacts,
  type CsvPreview,
  csvSpec,
  type DatasetSpec,
  datasetSummary,
  rememberCsvFacts,
  type TextEncodingName,
} from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { type CsvAnswer, type CsvReader, readCsvInWorker } from './csvReader.ts';
import { ImportError } from './ImportDialog.tsx';
import { problemOf } from './problem.ts';

type Role = 'feature' | 'target' | 'ignore';

/**
 * A CSV: the first rows, each column's kind and role (feature / target / ignored), standardisation,
 * test split. NOTE: parsed and checked in a worker (a million rows took a 1 s task here).
 */
export function CsvStep({
  name,
  text,
  encoding,
  onApply,
}: {
  name: string;
  text: string;
  encoding: TextEncodingName;
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  const [read, setRead] = useState<{ reader: CsvReader; preview: CsvAnswer<CsvPreview> } | null>(null);
  useEffect(() => {
    const reader = readCsvInWorker(text);
    let live = true;
    setRead(null);
    void reader.preview().then((preview) => live && setRead({ reader, preview }));
    return () => {
      live = false;
      reader.close();
    };
  }, [text]);
  if (!read)
    return (
      <p className="ng-muted" data-testid="import-reading">
        {t('import.reading', { name })} <progress />
      </p>
    );
  if (!read.preview.ok) return <ImportError problem={read.preview.problem} />;
  return (
    <CsvColumns
      name={name}
      text={text}
      encoding={encoding}
      reader={read.reader}
      preview={read.preview.value}
      onApply={onApply}
    />
  );
}

function CsvColumns({
  name,
  text,
  encoding,
  reader,
  preview,
  onApply,
}: {
  name: string;
  text: string;
  encoding: TextEncodingName;
  reader: CsvReader;
  preview: CsvPreview;
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const [target, setTarget] = useState(preview.suggestedTarget);
  const [ignored, setIgnored] = useState<ReadonlySet<string>>(new Set());
  const [targetType, setTargetType] = useState<'auto' | 'numeric' | 'categorical'>('auto');
  const [standardize, setStandardize] = useState(true);
  const [testPercent, setTestPercent] = useState(20);
  const roleOf = (column: string): Role => (column === target ? 'target' : ignored.has(column) ? 'ignore' : 'feature');
  const setRole = (column: string, role: Role) => {
    const next = new Set(ignored);
    next.delete(column);
    if (role === 'ignore') next.add(column);
    if (role === 'target') setTarget(column);
    else if (column === target) setTarget('');
    setIgnored(next);
  };
  const choices = useMemo(
    (): CsvChoices | null =>
      target
        ? {
            target,
            features: preview.header.filter((h) => h !== target && !ignored.has(h)),
            ...(targetType === 'auto' ? {} : { targetType }),
            standardize,
            testFraction: testPercent / 100,
          }
        : null,
    [preview, target, ignored, targetType, standardize, testPercent],
  );
  const checked = useCheckedChoices(reader, choices);
  const result = useMemo(() => {
    if (!choices) return { ok: false as const, problem: { code: 'import.chooseTarget', params: {}, message: '' } };
    if (checked?.choices !== choices) return null;
    if (!checked.answer.ok) return { ok: false as const, problem: checked.answer.problem };
    try {
      const spec = csvSpec(text, choices);
      // The worker read every row: this thread's analysis and summary take its facts instead of parsing.
      rememberCsvFacts(spec, checked.answer.value);
      return { ok: true as const, spec, summary: datasetSummary(spec, lang) };
    } catch (e) {
      return { ok: false as const, problem: problemOf(e as Error) };
    }
  }, [text, choices, checked, lang]);
  return (
    <>
      <p className="ng-muted">
        {t('import.csvAbout', { name, rows: preview.rowCount, columns: preview.header.length })}
        {encoding !== 'UTF-8' && <> {t('import.encoding', { encoding })}</>}
      </p>
      <div className="ng-table-wrap">
        <table className="ng-csv" data-testid="csv-preview">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c.index}>
                  <span className="ng-colname">{c.name}</span>
                  <select
                    data-testid={`csv-role-${c.index}`}
                    value={roleOf(c.name)}
                    onChange={(e) => setRole(c.name, e.target.value as Role)}
                    aria-label={t('import.role', { column: c.name })}
                  >
                    <option value="feature">{t('import.roleFeature')}</option>
                    <option value="target">{t('import.roleTarget')}</option>
                    <option value="ignore">{t('import.roleIgnore')}</option>
                  </select>
                  <small
                    className={`ng-kind ${c.kind}`}
                    title={t('import.kindHint', { distinct: c.distinct, empty: c.empty })}
                  >
                    {t(c.kind === 'numeric' ? 'import.numeric' : 'import.categorical')}
                    {c.empty > 0 ? ` · ${t('import.empty', { n: c.empty })}` : ''}
                  </small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c} className={roleOf(preview.header[c] ?? '')}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="ng-row ng-import-options">
        <label>
          {t('import.targetType')}{' '}
          <select
            data-testid="csv-target-type"
            value={targetType}
            onChange={(e) => setTargetType(e.target.value as typeof targetType)}
          >
            <option value="auto">{t('import.auto')}</option>
            <option value="numeric">{t('import.numericTarget')}</option>
            <option value="categorical">{t('import.categoricalTarget')}</option>
          </select>
        </label>
        <label title={t('import.standardizeHint')}>
          <input
            type="checkbox"
            data-testid="csv-standardize"
            checked={standardize}
            onChange={(e) => setStandardize(e.target.checked)}
          />{' '}
          {t('import.standardize')}
        </label>
        <label>
          {t('import.testPercent')}{' '}
          <input
            type="number"
            min={0}
            max={90}
            value={testPercent}
            data-testid="import-test-percent"
            onChange={(e) => setTestPercent(Math.min(90, Math.max(0, Number(e.target.value) || 0)))}
          />{' '}
          %
        </label>
      </div>
      <ImportFooter result={result} pending={t('import.checking')} onApply={onApply} />
    </>
  );
}

/** The worker's answer for the latest choices (null until one comes; answers to older choices are dropped). */
function useCheckedChoices(reader: CsvReader, choices: CsvChoices | null) {
  const [checked, setChecked] = useState<{ choices: CsvChoices; answer: CsvAnswer<CsvFacts> } | null>(null);
  useEffect(() => {
    if (!choices) return;
    let live = true;
    void reader.check(choices).then((answer) => live && setChecked({ choices, answer }));
    return () => {
      live = false;
    };
  }, [reader, choices]);
  return checked;
}

/** The summary (or the precise problem) and the Import button; `pending` while there is no result yet. */
export function ImportFooter({
  result,
  pending,
  onApply,
}: {
  result:
    | { ok: true; spec: DatasetSpec; summary: string }
    | { ok: false; problem: ReturnType<typeof problemOf> }
    | null;
  pending?: string;
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  return (
    <div className="ng-import-footer">
      {!result && pending && (
        <p className="ng-muted" data-testid="import-checking">
          {pending}
        </p>
      )}
      {result?.ok === false && <ImportError problem={result.problem} />}
      {result?.ok && (
        <p className="ng-ok" data-testid="import-summary">
          {result.summary}
        </p>
      )}
      <button
        type="button"
        className="primary"
        data-testid="import-apply"
        disabled={!result?.ok}
        onClick={() => result?.ok && onApply(result.spec)}
      >
        {t('import.apply')}
      </button>
    </div>
  );
}
