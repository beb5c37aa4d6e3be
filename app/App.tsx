import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { useCallback, useEffect, useState } from 'react';
import { useApp, useEditor } from './appContext.tsx';
import { revText } from './worker/protocol.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { useShortcuts } from './canvas/useShortcuts.ts';
import { ImportDataHost } from './data/ImportDialog.tsx';
import { translate } from './i18n/catalogue.ts';
import { fetchExample } from './io/files.ts';
import { readShareFragment, SHARE_PREFIX } from './io/share.ts';
import { MainLayout } from './Layout.tsx';
import { GradcheckPanel } from './learn/GradcheckPanel.tsx';
import { LearnPanel } from './learn/LearnPanel.tsx';
import { LessonDock, LessonsSlot } from './learn/LessonsPanel.tsx';
import { TracePanel } from './learn/TracePanel.tsx';
import { ExampleHint } from './train/ExampleHint.tsx';
import { MapsPanel } from './train/viz/MapsPanel.tsx';
import { UnitsPanel } from './train/viz/UnitsPanel.tsx';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { ImportProblems, ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { Palette } from './panels/Palette.tsx';
import { QuickAdd } from './panels/QuickAdd.tsx';
import { SharedBanner } from './panels/SharedBanner.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { TrainingBar, TrainingPanel } from './train/TrainingView.tsx';

/**
 * Opens a share link (`#g=…`) without touching the autosave until the user keeps it; otherwise restores
 * the autosave (or opens the XOR example on a first visit, outside the undo history) and starts saving.
 */
function useStartup(): boolean {
  const { editor, autosave } = useApp();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    const startSaving = () => {
      if (!cancelled && !stop) stop = autosave.start();
    };
    void (async () => {
      const shared = readShareFragment(location.hash);
      if (shared?.ok) {
        editor.viewShared(shared.doc, shared.verified);
      } else {
        try {
          if (!(await autosave.restore())) {
            editor.load(await fetchExample('xor', editor.getState().lang));
            editor.setExample('xor');
          }
        } catch (e) {
          editor.notify('notice.restoreFailed', { reason: (e as Error).message });
        }
        if (shared)
          editor.setImportProblems({
            source: translate(editor.getState().lang, 'shared.source'),
            problems: shared.problems,
          });
        startSaving();
      }
      setReady(true);
    })();
    // Saving starts once the user keeps the shared graph or goes back to theirs.
    const unsubscribe = editor.store.subscribe((s, prev) => {
      if (prev.shared && !s.shared) startSaving();
    });
    // Another share link pasted into this tab's address bar: open it as a fresh start would.
    const onHash = () => {
      if (location.hash.startsWith(SHARE_PREFIX)) location.reload();
    };
    addEventListener('hashchange', onHash);
    return () => {
      cancelled = true;
      unsubscribe();
      removeEventListener('hashchange', onHash);
      stop?.();
    };
  }, [editor, autosave]);
  return ready;
}

/**
 * Test hook (DESIGN.md, "Truth on screen"): the run of the graph on screen and the step of the weights the
 * editor holds for it (what Export and the autosave write). NOTE: its own element: the weights change a
 * few times a second, and the app's root must not redraw with them.
 */
function RunMarker() {
  const runId = useEditor((s) => s.runId);
  const weightsStep = useEditor((s) => s.weightsStep);
  return (
    <span
      hidden
      data-testid="run"
      data-run={runId}
      data-weights-rev={weightsStep === null ? undefined : revText(runId, weightsStep)}
    />
  );
}

/** Once the editor has run a while without crashing, its graph is the "last working version". */
const GOOD_AFTER_MS = 3000;

function Editor() {
  const { editor, autosave } = useApp();
  useEffect(() => {
    const timer = setTimeout(() => {
      // NOTE: a shared graph on screen is not the user's; it becomes "last working" only once kept.
      if (!editor.getState().shared) void autosave.markGood();
    }, GOOD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [editor, autosave]);
  const [quickAdd, setQuickAdd] = useState(false);
  const openQuickAdd = useCallback(() => setQuickAdd(true), []);
  useShortcuts(openQuickAdd);
  return (
    <div className="ng-app">
      <RunMarker />
      <Toolbar />
      <TrainingBar />
      <MainLayout
        left={
          <>
            <LessonsSlot />
            <LearnPanel />
            <Palette />
            <Inspector />
          </>
        }
        center={
          <>
            <SharedBanner />
            <Canvas />
            <ExampleHint />
            <LessonDock />
            <TracePanel />
            <GradcheckPanel />
            <UnitsPanel />
            <MapsPanel />
            <ImportProblems />
            <ProblemsPanel />
          </>
        }
        right={<TrainingPanel />}
      />
      <StatusBar />
      <QuickAdd open={quickAdd} onClose={() => setQuickAdd(false)} />
      <ImportDataHost />
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
