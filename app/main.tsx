import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AppProvider } from './appContext.tsx';
import { del, get, set } from 'idb-keyval';
import { createAutosave } from './editor/autosave.ts';
import type { AutosaveChannel } from './editor/autosaveTab.ts';
import { createEditor } from './editor/editor.ts';
import { createLessons } from './editor/lessons.ts';
import { LANG_KEY } from './editor/storageKeys.ts';
import { createTrainingClient } from './editor/trainingClient.ts';
import { exportText } from './io/files.ts';
import { preferredLang, rememberLang } from './i18n/catalogue.ts';
import { CRASH_EVENT, type NodegradTestHooks } from './testing/hooks.ts';
import { spawnTrainingWorker } from './worker/spawnWorker.ts';

const root = document.getElementById('root');
if (!root) throw new Error('nodegrad: #root element missing from index.html');

const editor = createEditor({ lang: preferredLang(localStorage.getItem(LANG_KEY), navigator.languages) });
editor.store.subscribe((s, prev) => {
  if (s.lang === prev.lang) return;
  rememberLang(s.lang);
  // NOTE: only on a change: setting the attribute restyles the whole page (fonts by language), which
  // on every store update (training sends several a second) cost seconds with a large textarea on screen.
  document.documentElement.lang = s.lang;
});
document.documentElement.lang = editor.getState().lang;
const training = createTrainingClient({
  editor,
  spawnWorker: () => spawnTrainingWorker(),
});

// NOTE: sessionStorage survives a reload of this tab but is not shared with other tabs.
const tabId = sessionStorage.getItem('nodegrad:tab') ?? crypto.randomUUID();
sessionStorage.setItem('nodegrad:tab', tabId);
const autosave = createAutosave({ editor, storage: { get, set, del }, channel: tabChannel(), tabId });

const LESSONS_KEY = 'nodegrad:lessons';
const lessons = createLessons({
  storage: {
    load: () => JSON.parse(localStorage.getItem(LESSONS_KEY) ?? 'null'),
    save: (value) => localStorage.setItem(LESSONS_KEY, JSON.stringify(value)),
  },
});

function tabChannel(): AutosaveChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const bc = new BroadcastChannel('nodegrad-autosave');
  const channel: AutosaveChannel = { onmessage: null, postMessage: (m) => bc.postMessage(m) };
  bc.onmessage = (event) => channel.onmessage?.({ data: event.data });
  return channel;
}

// Test hooks (browser tests): make the worker stop answering, as a hang or crash would; pause training
// if it runs, in one step (a test that checks "is Pause visible?" and then clicks races the run's end);
// the document as Export writes it and how far its run got; make the UI crash (the crash screen).
(globalThis as { nodegradTest?: NodegradTestHooks }).nodegradTest = {
  hangWorker: () => training.simulateHang(),
  pauseTraining: () => training.pause(),
  exportText: () => exportText(editor),
  trainedState: () => {
    const trained = editor.getState().trained;
    return trained ? { epoch: trained.epoch, samples: trained.samples, optimizerStep: trained.optimizer.step } : null;
  },
  crashUi: () => window.dispatchEvent(new Event(CRASH_EVENT)),
};

createRoot(root).render(
  <StrictMode>
    <AppProvider services={{ editor, training, autosave, lessons }}>
      <App />
    </AppProvider>
  </StrictMode>,
);
