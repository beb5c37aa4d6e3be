import { useRef } from 'react';
import { type DatasetSpec, type GraphDoc, nodeDefinition } from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { Editor } from '../editor/editor.ts';
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

/** A Dense fed images: the problem whose fix the dialog offers right after an import. */
const FLATTEN_PROBLEM = 'dense.input-rank';

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
    const needsFlatten = editor.getState().analysis.problems.find((p) => p.code === FLATTEN_PROBLEM && p.nodeId);
    if (needsFlatten?.nodeId) editor.setDataImport({ nodeId, request: null, offer: { denseId: needsFlatten.nodeId } });
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
      {offer && <FlattenOffer denseId={offer.denseId} onDone={close} />}
    </div>
  );
}

/** Images arrive as [N, H, W, C]; a Dense layer takes vectors: one click inserts the Flatten. */
function FlattenOffer({ denseId, onDone }: { denseId: string; onDone: () => void }) {
  const { editor } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const insert = useEditor((s) => quickFix(s.doc, { code: FLATTEN_PROBLEM, nodeId: denseId })?.insert);
  const shape = useEditor((s) => {
    const input = s.doc.edges.find((e) => e.target === denseId);
    return input ? s.analysis.edgeShapes.get(input.id) : undefined;
  });
  return (
    <div className="ng-offer" data-testid="flatten-offer">
      <p>{t('import.flattenOffer', { node: denseId, shape: shape ? `[B, ${shape.join(', ')}]` : '' })}</p>
      <div className="ng-row">
        <button
          type="button"
          className="primary"
          data-testid="offer-flatten"
          onClick={() => {
            const fix = quickFix(editor.getState().doc, { code: FLATTEN_PROBLEM, nodeId: denseId });
            const result = fix && editor.run(fix.command);
            if (result?.ok) editor.select(result.ids);
            onDone();
          }}
        >
          {insert && t('fix.insert', { node: nodeDefinition(insert).text[lang].label })}
        </button>
        <button type="button" onClick={onDone}>
          {t('import.notNow')}
        </button>
      </div>
    </div>
  );
}
