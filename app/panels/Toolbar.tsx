import { useReactFlow } from '@xyflow/react';
import { useRef } from 'react';
import { autoLayout } from '../canvas/layout.ts';
import { exportDocument, importFile, loadExample } from '../io/files.ts';
import { commands, emptyDocument } from '../store/commands.ts';
import { useEditor } from '../store/documentStore.ts';

export const EXAMPLES = [
  { name: 'xor', label: 'XOR' },
  { name: 'and', label: 'AND' },
  { name: 'function-fit', label: 'Fit x²' },
  { name: 'mnist', label: 'MNIST' },
  { name: 'mnist-binary', label: 'MNIST: is it a 3?' },
] as const;

/** File, examples, history and layout actions. */
export function Toolbar() {
  const fileInput = useRef<HTMLInputElement>(null);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const undoName = useEditor((s) => s.history.past.at(-1)?.name);
  const redoName = useEditor((s) => s.history.future[0]?.name);
  const name = useEditor((s) => s.doc.name);
  const flow = useReactFlow();
  const s = useEditor.getState;
  return (
    <div className="ng-toolbar" role="toolbar" aria-label="Graph">
      <span className="ng-brand">nodegrad</span>
      <span className="ng-docname" title="Graph name (edit it in the inspector with nothing selected)">
        {name}
      </span>
      <button
        type="button"
        onClick={() => s().run(commands.replaceDocument(emptyDocument(), 'New graph'))}
        title="Start from an empty canvas (undoable)"
      >
        New
      </button>
      <button
        type="button"
        onClick={() => fileInput.current?.click()}
        title="Import a .nodegrad.json file (or drop it on the canvas)"
      >
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        data-testid="import-json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void importFile(file);
          e.target.value = '';
        }}
      />
      <button
        type="button"
        data-testid="export-json"
        onClick={exportDocument}
        title="Download the graph (with trained weights) — Ctrl+S"
      >
        Export
      </button>
      <span className="ng-sep" />
      <button
        type="button"
        onClick={() => s().undo()}
        disabled={!canUndo}
        title={undoName ? `Undo ${undoName} (Ctrl+Z)` : 'Nothing to undo'}
        data-testid="undo"
      >
        Undo
      </button>
      <button
        type="button"
        onClick={() => s().redo()}
        disabled={!canRedo}
        title={redoName ? `Redo ${redoName} (Ctrl+Shift+Z)` : 'Nothing to redo'}
        data-testid="redo"
      >
        Redo
      </button>
      <button
        type="button"
        data-testid="auto-layout"
        onClick={() => {
          s().run({ ...commands.moveNodes(autoLayout(s().doc, s().measured)), name: 'Auto-layout' });
          setTimeout(() => void flow.fitView({ duration: 300 }), 200);
        }}
        title="Arrange left to right"
      >
        Auto-layout
      </button>
      <span className="ng-sep" />
      <span className="ng-label">Examples</span>
      {EXAMPLES.map((ex) => (
        <button
          type="button"
          key={ex.name}
          data-testid={`example-${ex.name}`}
          onClick={() =>
            void loadExample(ex.name).then(() => {
              setTimeout(() => void flow.fitView({ duration: 300 }), 200);
            })
          }
        >
          {ex.label}
        </button>
      ))}
    </div>
  );
}
