import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { useCallback, useEffect, useState } from 'react';
import { useApp } from './appContext.tsx';
import { Canvas } from './canvas/Canvas.tsx';
import { useShortcuts } from './canvas/useShortcuts.ts';
import { fetchExample } from './io/files.ts';
import { MainLayout } from './Layout.tsx';
import { ExampleHint } from './train/ExampleHint.tsx';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { ImportProblems, ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { Palette } from './panels/Palette.tsx';
import { QuickAdd } from './panels/QuickAdd.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { TrainingBar, TrainingPanel } from './train/TrainingView.tsx';

/** Restores the autosave (or opens the XOR example on a first visit, outside the undo history), then starts saving. */
function useStartup(): boolean {
  const { editor, autosave } = useApp();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stop = () => {};
    void (async () => {
      try {
        if (!(await autosave.restore())) {
          editor.load(await fetchExample('xor'));
          editor.setExample('xor');
        }
      } catch (e) {
        editor.notify('notice.restoreFailed', { reason: (e as Error).message });
      }
      setReady(true);
      stop = autosave.start();
    })();
    return () => stop();
  }, [editor, autosave]);
  return ready;
}

/** Once the editor has run a while without crashing, its graph is the "last working version". */
const GOOD_AFTER_MS = 3000;

function Editor() {
  const { autosave } = useApp();
  useEffect(() => {
    const timer = setTimeout(() => void autosave.markGood(), GOOD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [autosave]);
  const [quickAdd, setQuickAdd] = useState(false);
  const openQuickAdd = useCallback(() => setQuickAdd(true), []);
  useShortcuts(openQuickAdd);
  return (
    <div className="ng-app">
      <Toolbar />
      <TrainingBar />
      <MainLayout
        left={
          <>
            <Palette />
            <Inspector />
          </>
        }
        center={
          <>
            <Canvas />
            <ExampleHint />
            <ImportProblems />
            <ProblemsPanel />
          </>
        }
        right={<TrainingPanel />}
      />
      <StatusBar />
      <QuickAdd open={quickAdd} onClose={() => setQuickAdd(false)} />
    </div>
  );
}

export function App() {
  const ready = useStartup();
  if (!ready) return <div className="ng-loading">nodegrad…</div>;
  return (
    <ErrorBoundary>
      <ReactFlowProvider>
        <Editor />
      </ReactFlowProvider>
    </ErrorBoundary>
  );
}
