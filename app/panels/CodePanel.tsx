import { useMemo, useState } from 'react';
import { CompileError } from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { renderProblem } from '../i18n/catalogue.ts';
import { type CodeFormat, modelCode } from '../io/modelExport.ts';

/** The NumPy and PyTorch code of the graph on screen, trained weights elided; copy or download it. */
export function CodePanel({ onClose, onDownload }: { onClose: () => void; onDownload: (f: CodeFormat) => void }) {
  const t = useT();
  const trained = useEditor((s) => s.weights !== undefined);
  const doc = useEditor((s) => s.doc);
  const lang = useEditor((s) => s.lang);
  const [format, setFormat] = useState<CodeFormat>('numpy');
  const [copied, setCopied] = useState(false);
  const code = useMemo(() => {
    try {
      return { ok: true as const, text: modelCode(doc, format, true) };
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      return { ok: false as const, text: e.problems.map((p) => renderProblem(lang, p)).join('\n') };
    }
  }, [doc, format, lang]);
  return (
    <div className="ng-versions ng-code" role="dialog" aria-label={t('code.title')} data-testid="code-panel">
      <div className="ng-row">
        <b>{t('code.title')}</b>
        <span className="ng-tabs" role="tablist">
          {(['numpy', 'pytorch'] as const).map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={format === f}
              data-testid={`code-tab-${f}`}
              onClick={() => {
                setFormat(f);
                setCopied(false);
              }}
            >
              {f === 'numpy' ? 'NumPy' : 'PyTorch'}
            </button>
          ))}
        </span>
        <span className="ng-grow" />
        <button
          type="button"
          disabled={!code.ok}
          onClick={() => void navigator.clipboard?.writeText(code.text).then(() => setCopied(true))}
        >
          {copied ? t('code.copied') : t('code.copy')}
        </button>
        <button type="button" disabled={!code.ok} onClick={() => onDownload(format)}>
          {t('code.download')}
        </button>
        <button type="button" onClick={onClose} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      <p className="ng-muted">{t(format === 'numpy' ? 'code.explainNumpy' : 'code.explainPytorch')}</p>
      {code.ok ? (
        <pre className="ng-code-text" data-testid="code-text">
          {code.text}
        </pre>
      ) : (
        <p role="alert" className="ng-error">
          {t('code.notCompiling')} {code.text}
        </p>
      )}
      <p className="ng-muted">{t(trained ? 'code.withTrained' : 'code.initialised')}</p>
    </div>
  );
}
