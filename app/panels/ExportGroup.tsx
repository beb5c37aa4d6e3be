import { useReactFlow } from '@xyflow/react';
import { useCallback, useRef, useState } from 'react';
import { CompileError } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { type MessageKey, renderProblem } from '../i18n/catalogue.ts';
import { exportedDocument } from '../editor/documents.ts';
import { exportDocument } from '../io/files.ts';
import { downloadGraphImage, type ImageFormat } from '../io/imageExport.ts';
import { downloadModel, type ModelFormat } from '../io/modelExport.ts';
import { MAX_SHARE_CHARS_WITH_WEIGHTS, type ShareLink, shareLink } from '../io/share.ts';
import { CodePanel } from './CodePanel.tsx';
import { useDismiss } from './useDismiss.ts';

const MODEL_FORMATS: readonly (readonly [ModelFormat, string])[] = [
  ['onnx', 'ONNX'],
  ['pytorch', 'PyTorch'],
  ['numpy', 'NumPy'],
];

const kb = (chars: number) => (chars / 1000).toFixed(chars < 10_000 ? 1 : 0);

/** The toolbar's way out: the document (JSON), the model (ONNX, PyTorch, NumPy), its code, a picture, a share link. */
export function ExportGroup() {
  const { editor } = useApp();
  const t = useT();
  const flow = useReactFlow();
  const [menu, setMenu] = useState<'image' | 'share' | 'code' | null>(null);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [copied, setCopied] = useState(false);
  const group = useRef<HTMLFieldSetElement>(null);
  useDismiss(
    group,
    menu !== null,
    useCallback(() => setMenu(null), []),
  );
  const picture = async (format: ImageFormat) => {
    setMenu(null);
    const root = document.querySelector<HTMLElement>('.react-flow');
    if (!root) return;
    try {
      const name = await downloadGraphImage(root, flow.getNodes(), format, editor.getState().doc.name);
      editor.notify('notice.exported', { name });
    } catch (e) {
      editor.notify('notice.exportFailed', { reason: (e as Error).message });
    }
  };
  const model = (format: ModelFormat) => {
    try {
      editor.notify('notice.exported', { name: downloadModel(editor, format) });
    } catch (e) {
      const reason =
        e instanceof CompileError
          ? e.problems.map((p) => renderProblem(editor.getState().lang, p)).join('; ')
          : (e as Error).message;
      editor.notify('notice.exportFailed', { reason });
    }
  };
  const share = () => {
    const base = `${location.origin}${location.pathname}${location.search}`;
    const made = shareLink(exportedDocument(editor.getState()), base);
    setLink(made);
    setCopied(false);
    setMenu('share');
    if (made.ok)
      navigator.clipboard?.writeText(made.url).then(
        () => setCopied(true),
        () => setCopied(false),
      );
  };
  return (
    <fieldset ref={group} className="ng-export" aria-label={t('export.group')}>
      <span className="ng-label">{t('export.label')}</span>
      <button
        type="button"
        data-testid="export-json"
        onClick={() => exportDocument(editor)}
        title={t('toolbar.exportHint')}
      >
        JSON
      </button>
      {MODEL_FORMATS.map(([format, label]) => (
        <button
          type="button"
          key={format}
          data-testid={`export-${format}`}
          onClick={() => model(format)}
          title={t(`export.${format}Hint` as MessageKey)}
        >
          {label}
        </button>
      ))}
      <button
        type="button"
        data-testid="code-open"
        aria-expanded={menu === 'code'}
        onClick={() => setMenu(menu === 'code' ? null : 'code')}
        title={t('code.hint')}
      >
        {t('code.button')}
      </button>
      {menu === 'code' && <CodePanel onClose={() => setMenu(null)} onDownload={model} />}
      <span className="ng-menu-anchor">
        <button
          type="button"
          data-testid="export-image"
          aria-expanded={menu === 'image'}
          onClick={() => setMenu(menu === 'image' ? null : 'image')}
          title={t('export.imageHint')}
        >
          {t('export.image')} ▾
        </button>
        {menu === 'image' && (
          <span className="ng-menu" role="menu">
            <button type="button" role="menuitem" data-testid="export-png" onClick={() => void picture('png')}>
              PNG
            </button>
            <button type="button" role="menuitem" data-testid="export-svg" onClick={() => void picture('svg')}>
              SVG
            </button>
          </span>
        )}
      </span>
      <span className="ng-menu-anchor">
        <button
          type="button"
          data-testid="share-link"
          onClick={share}
          title={t('share.hint', { kb: kb(MAX_SHARE_CHARS_WITH_WEIGHTS) })}
        >
          {t('share.button')}
        </button>
        {menu === 'share' && link && <ShareBox link={link} copied={copied} onClose={() => setMenu(null)} />}
      </span>
    </fieldset>
  );
}

function ShareBox({ link, copied, onClose }: { link: ShareLink; copied: boolean; onClose: () => void }) {
  const t = useT();
  const trained = useEditor((s) => s.weights !== undefined);
  return (
    <span className="ng-menu ng-share" role="dialog" aria-label={t('share.button')} data-testid="share-box">
      {link.ok ? (
        <>
          <input
            readOnly
            value={link.url}
            data-testid="share-url"
            onFocus={(e) => e.currentTarget.select()}
            aria-label={t('share.button')}
          />
          <span>
            {copied ? t('share.copied') : t('share.copyYourself')}{' '}
            {t(link.withWeights ? 'share.withWeights' : trained ? 'share.weightsLeftOut' : 'share.untrained', {
              kb: kb(link.chars),
              full: kb(link.weightsLeftOut ?? 0),
              limit: kb(MAX_SHARE_CHARS_WITH_WEIGHTS),
            })}
          </span>
        </>
      ) : (
        <span role="alert">{t('share.tooLong', { kb: kb(link.chars) })}</span>
      )}
      <button type="button" onClick={onClose}>
        {t('versions.close')}
      </button>
    </span>
  );
}
