import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { useEffect, useState } from 'react';
import { Canvas } from './canvas/Canvas.tsx';
import { useShortcuts } from './canvas/useShortcuts.ts';
import { loadExample } from './io/files.ts';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { ImportProblems, ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { Palette } from './panels/Palette.tsx';
import { QuickAdd } from './panels/QuickAdd.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { restoreAutosave, startAutosave } from './persistence/autosave.ts';
import { useEditor } from './store/documentStore.ts';
import { TrainingBar, TrainingPanel } from './train/TrainingView.tsx';

/** Restores the autosave (or opens the XOR example on a first visit), then starts saving. */
function useStartup(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stop = () => {};
    void (async () => {
      try {
        if (!(await restoreAutosave())) {
          await loadExample('xor');
          // The first example is where the user starts, not an undoable edit.
          const { doc, weights } = useEditor.getState();
          useEditor.getState().restore(doc, weights, null);
        }
      } catch (e) {
        useEditor.getState().notify(`Could not restore the last session: ${(e as Error).message}`);
      }
      setReady(true);
      stop = startAutosave();
    })();
    return () => stop();
  }, []);
  return ready;
}

function Editor() {
  useShortcuts();
  return (
    <div className="ng-app">
      <Toolbar />
      <TrainingBar />
      <div className="ng-main-area">
        <Palette />
        <div className="ng-center">
          <Canvas />
          <ImportProblems />
          <div className="ng-bottom">
            <ProblemsPanel />
            <TrainingPanel />
          </div>
        </div>
        <Inspector />
      </div>
      <StatusBar />
      <QuickAdd />
    </div>
  );
}

export function App() {
  const ready = useStartup();
  if (!ready) return <div className="ng-loading">Loading nodegrad…</div>;
  return (
    <ErrorBoundary>
      <ReactFlowProvider>
        <Editor />
      </ReactFlowProvider>
    </ErrorBoundary>
  );
}
