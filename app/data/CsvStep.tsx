import { useMemo, useState } from 'react';
import {
  type CsvPreview,
  csvDataset,
  type DatasetSpec,
  datasetSummary,
  previewCsv,
  type TextEncodingName,
} from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { ImportError, problemOf } from './ImportDialog.tsx';

type Role = 'feature' | 'target' | 'ignore';

/** A CSV: the first rows, each column's kind and role (feature / target / ignored), standardisation, test split. */
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
  const preview = useMemo((): CsvPreview | Error => {
    try {
      return previewCsv(text);
    } catch (e) {
      return e as Error;
    }
  }, [text]);
  if (preview instanceof Error) return <ImportError problem={problemOf(preview)} />;
  return <CsvColumns name={name} text={text} encoding={encoding} preview={preview} onApply={onApply} />;
}

function CsvColumns({
  name,
  text,
  encoding,
  preview,
  onApply,
}: {
  name: string;
  text: string;
  encoding: TextEncodingName;
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
  const result = useMemo(() => {
    if (!target) return { ok: false as const, problem: { code: 'import.chooseTarget', params: {}, message: '' } };
    try {
      const spec = csvDataset(text, {
        target,
        features: preview.header.filter((h) => h !== target && !ignored.has(h)),
        ...(targetType === 'auto' ? {} : { targetType }),
        standardize,
        testFraction: testPercent / 100,
      });
      return { ok: true as const, spec, summary: datasetSummary(spec, lang) };
    } catch (e) {
      return { ok: false as const, problem: problemOf(e as Error) };
    }
  }, [text, preview, target, ignored, targetType, standardize, testPercent, lang]);
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
              // biome-ignore lint/suspicious/noArrayIndexKey: the r-th row of the file
              <tr key={r}>
                {row.map((cell, c) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the c-th column
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
      <ImportFooter result={result} onApply={onApply} />
    </>
  );
}

/** The summary (or the precise problem) and the Import button. */
export function ImportFooter({
  result,
  onApply,
}: {
  result:
    | { ok: true; spec: DatasetSpec; summary: string }
    | { ok: false; problem: ReturnType<typeof problemOf> }
    | null;
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  return (
    <div className="ng-import-footer">
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
