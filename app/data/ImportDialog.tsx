import { useRef } from 'react';
import { type DatasetSpec, type GraphDoc, nodeDefinition } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { Editor } from '../editor/editor.ts';
import { cnnForImages } from '../editor/cnnTemplate.ts';
import { quickFix } from '../editor/quickFixes.ts';
import { renderProblem } from '../i18n/catalogue.ts';
import { CsvStep } from './CsvStep.tsx';
import { Hdf5Step } from './Hdf5Step.tsx';
import { ImagesStep } from './ImagesStep.tsx';
import { type ImportRequest, type PickedFile, pickedFile, readImport } from './importFiles.ts';
import type { Problem } from './problem.ts';

export function ImportError({ problem }: { problem: Problem }) {
  const lang = useEditor((s) => s.lang);
  return (
    <p className="ng-error" role="alert" data-testid="import-error">
      {renderProblem(lang, problem)}
    </p>
  );
}

/** The Input node data goes into: the selected one, else the graph's first. */
export function targetInput(doc: GraphDoc, selected: readonly string[]): string | null {
  const input = (id: string) => doc.nodes.some((n) => n.id === id && n.type === 'input');
  return selected.find(input) ?? doc.nodes.find((n) => n.type === 'input')?.id ?? null;
}

/** Opens the import dialog for picked or dropped files. */
export async function startImport(editor: Editor, files: readonly PickedFile[], nodeId?: string): Promise<void> {
  const s = editor.getState();
  const target = nodeId ?? targetInput(s.doc, s.selectedNodes);
  editor.setDataImport({ nodeId: target, request: null, offer: null });
  const request: ImportRequest = target
    ? await readImport(files)
    : { kind: 'error', code: 'import.noInput', params: {} };
  editor.setDataImport({ nodeId: target, request, offer: null });
}

/** Opens the file picker of the import (`folder`: pick a folder of class sub-folders). */
export function openImportPicker(folder = false): void {
  document.querySelector<HTMLInputElement>(`[data-testid="${folder ? 'import-data-folder' : 'import-data'}"]`)?.click();
}

/** The import's file inputs (always in the page: `import-data`, `import-data-folder`) and its dialog. */
export function ImportDataHost() {
  const { editor } = useApp();
  const folderInput = useRef<HTMLInputElement>(null);
  const onFiles = (list: FileList | null) => {
    if (list && list.length > 0)
      void startImport(
        editor,
        [...list].map((f) => pickedFile(f)),
      );
  };
  return (
    <>
      <input
        type="file"
        hidden
        multiple
        accept=".csv,.tsv,.txt,.h5,.hdf5,.png,.jpg,.jpeg"
        data-testid="import-data"
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
      <input
        ref={(el) => {
          folderInput.current = el;
          // NOTE: not a React prop; set on the element so the picker chooses folders.
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        multiple
        data-testid="import-data-folder"
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
      <ImportDialog />
    </>
  );
}

function ImportDialog() {
  const { editor } = useApp();
  const t = useT();
  const dataImport = useEditor((s) => s.dataImport);
  if (!dataImport) return null;
  const { request, nodeId, offer } = dataImport;
  const reading = !request && !offer;
  const close = () => editor.setDataImport(null);
  const apply = (spec: DatasetSpec) => {
    if (!nodeId) return;
    const result = editor.run({ type: 'setField', nodeId, key: 'dataset', value: spec });
    if (!result.ok) {
      editor.setDataImport({
        nodeId,
        offer: null,
        request: { kind: 'error', code: 'import.refused', params: { reason: result.reason.message } },
      });
      return;
    }
    editor.notify('notice.dataImported', { node: nodeId });
    const s = editor.getState();
    const fixable = s.analysis.problems.find((p) => p.nodeId && p.code && quickFix(s.doc, p)?.insert);
    const fix = fixable?.nodeId && fixable.code ? { nodeId: fixable.nodeId, code: fixable.code } : null;
    // NOTE: the CNN is offered for a graph that does not compile with the images (not for one that
    // takes them, e.g. a lesson's network, nor one that already convolves them).
    const images =
      s.analysis.inputShape?.length === 3 &&
      s.analysis.problems.length > 0 &&
      !s.doc.nodes.some((n) => n.type === 'conv2d');
    if (fix || images) editor.setDataImport({ nodeId, request: null, offer: { fix, images } });
    else close();
  };
  return (
    <div className="ng-versions ng-import" role="dialog" aria-label={t('import.title')} data-testid="import-dialog">
      <div className="ng-row">
        <b>{t('import.title')}</b>
        {nodeId && <span className="ng-muted">{t('import.into', { node: nodeId })}</span>}
        <span className="ng-grow" />
        <button type="button" data-testid="import-cancel" onClick={close} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      {reading && <p className="ng-muted">{t('import.readingFiles')}</p>}
      {request?.kind === 'error' && (
        <ImportError problem={{ code: request.code, params: request.params, message: request.code }} />
      )}
      {request?.kind === 'csv' && (
        <CsvStep name={request.name} text={request.text} encoding={request.encoding} onApply={apply} />
      )}
      {request?.kind === 'hdf5' && <Hdf5Step train={request.train} test={request.test} onApply={apply} />}
      {request?.kind === 'images' && (
        <ImagesStep folder={request.folder} files={request.files} ignored={request.ignored} onApply={apply} />
      )}
      {offer && <AfterImport fix={offer.fix} images={offer.images} onDone={close} />}
    </div>
  );
}

/**
 * What the data need next, each one click: the node a problem asks for (a Flatten before a Dense fed
 * images, a Reshape before a Conv2D fed flat rows), and for images a small CNN built for them.
 */
function AfterImport({
  fix,
  images,
  onDone,
}: {
  fix: { nodeId: string; code: string } | null;
  images: boolean;
  onDone: () => void;
}) {
  const { editor } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const problem = useEditor((s) =>
    fix ? s.analysis.problems.find((p) => p.nodeId === fix.nodeId && p.code === fix.code) : undefined,
  );
  const insert = useEditor((s) => (problem ? quickFix(s.doc, problem)?.insert : undefined));
  const shape = useEditor((s) => s.analysis.inputShape);
  const classes = useEditor((s) => s.analysis.targetShape?.[0]);
  const buildCnn = () => {
    const s = editor.getState();
    const cnn =
      s.analysis.inputShape && s.analysis.targetShape
        ? cnnForImages(s.doc, s.analysis.inputShape, s.analysis.targetShape, t('import.cnnName', { name: s.doc.name }))
        : null;
    if (cnn) editor.run({ type: 'replaceDocument', doc: cnn, source: 'template' });
    onDone();
  };
  return (
    <div className="ng-offer" data-testid="import-offer">
      {problem && insert && (
        <>
          <p data-testid="insert-offer">{renderProblem(lang, problem)}</p>
          <div className="ng-row">
            <button
              type="button"
              className="primary"
              data-testid="offer-insert"
              onClick={() => {
                const f = quickFix(editor.getState().doc, problem);
                const result = f && editor.run(f.command);
                if (result?.ok) editor.select(result.ids);
                onDone();
              }}
            >
              {t('fix.insert', { node: nodeDefinition(insert).text[lang].label })}
            </button>
          </div>
        </>
      )}
      {images && shape && (
        <>
          <p data-testid="cnn-offer">
            {t('import.cnnOffer', { shape: shape.join('×'), classes: classes === 1 ? 2 : (classes ?? 2) })}
          </p>
          <div className="ng-row">
            <button type="button" className={problem ? '' : 'primary'} data-testid="offer-cnn" onClick={buildCnn}>
              {t('import.cnnBuild')}
            </button>
          </div>
        </>
      )}
      <div className="ng-row">
        <button type="button" data-testid="offer-dismiss" onClick={onDone}>
          {t('import.notNow')}
        </button>
      </div>
    </div>
  );
}
