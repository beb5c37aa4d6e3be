import { useReactFlow } from '@xyflow/react';
import { useRef, useState } from 'react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { autoLayout } from '../canvas/layout.ts';
import { canvasRoom, fitReadable } from '../canvas/visibleArea.ts';
import { wrapRows } from '../canvas/wrapRows.ts';
import { CompareDialog } from '../compare/CompareDialog.tsx';
import { emptyDocument } from '../editor/documents.ts';
import { commandText } from '../i18n/catalogue.ts';
import { importFile } from '../io/files.ts';
import { DEFAULT_NODE_BOX } from '../nodes/nodeLook.ts';
import { ExportGroup } from './ExportGroup.tsx';

/** File, history, layout and export actions (the examples are in the left column). */
export function Toolbar() {
  const fileInput = useRef<HTMLInputElement>(null);
  const { editor } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  useEditor((s) => s.history);
  const undoLabel = editor.undoLabel();
  const redoLabel = editor.redoLabel();
  const name = useEditor((s) => s.doc.name);
  const flow = useReactFlow();
  const [comparing, setComparing] = useState(false);
  return (
    <div className="ng-toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <span className="ng-brand">nodegrad</span>
      <span className="ng-docname" title={t('toolbar.nameHint')}>
        {name}
      </span>
      <button
        type="button"
        onClick={() => {
          editor.run({ type: 'replaceDocument', doc: emptyDocument(t('doc.untitled')), source: 'new' });
          fitReadable(flow, 0);
        }}
        title={t('toolbar.newHint')}
      >
        {t('toolbar.new')}
      </button>
      <button type="button" onClick={() => fileInput.current?.click()} title={t('toolbar.importHint')}>
        {t('toolbar.import')}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        data-testid="import-json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void importFile(editor, file);
          e.target.value = '';
        }}
      />
      <span className="ng-sep" />
      <button
        type="button"
        onClick={() => editor.undo()}
        disabled={!canUndo}
        title={undoLabel ? t('toolbar.undoHint', { what: commandText(lang, undoLabel) }) : t('toolbar.nothingToUndo')}
        data-testid="undo"
      >
        {t('toolbar.undo')}
      </button>
      <button
        type="button"
        onClick={() => editor.redo()}
        disabled={!canRedo}
        title={redoLabel ? t('toolbar.redoHint', { what: commandText(lang, redoLabel) }) : t('toolbar.nothingToRedo')}
        data-testid="redo"
      >
        {t('toolbar.redo')}
      </button>
      <button
        type="button"
        data-testid="auto-layout"
        onClick={() => {
          const s = editor.getState();
          const layered = autoLayout(s.doc, s.measured);
          const room = canvasRoom();
          const size = (id: string) => s.measured.get(id) ?? DEFAULT_NODE_BOX;
          const positions = room ? wrapRows(layered, size, room) : layered;
          editor.run({ type: 'moveNodes', positions, label: 'layout' });
          setTimeout(() => fitReadable(flow), 200);
        }}
        title={t('toolbar.layoutHint')}
      >
        {t('toolbar.layout')}
      </button>
      <button
        type="button"
        data-testid="compare-open"
        aria-expanded={comparing}
        onClick={() => setComparing(!comparing)}
        title={t('compare.hint')}
      >
        {t('compare.button')}
      </button>
      {comparing && <CompareDialog onClose={() => setComparing(false)} />}
      <span className="ng-sep" />
      <ExportGroup />
    </div>
  );
}
