import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AppProvider } from './appContext.tsx';
import { del, get, set } from 'idb-keyval';
import { type AutosaveChannel, createAutosave } from './editor/autosave.ts';
import { createEditor } from './editor/editor.ts';
import { createLessons } from './editor/lessons.ts';
import { createTrainingClient } from './editor/trainingClient.ts';
import { exportText } from './io/files.ts';
import { preferredLang, rememberLang } from './i18n/catalogue.ts';
import { spawnTrainingWorker } from './worker/spawnWorker.ts';

const root = document.getElementById('root');
if (!root) throw new Error('nodegrad: #root element missing from index.html');

const editor = createEditor({ lang: preferredLang(localStorage.getItem('nodegrad:lang'), navigator.languages) });
editor.store.subscribe((s, prev) => {
  if (s.lang !== prev.lang) rememberLang(s.lang);
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

/** Test hooks (browser tests): act in one step, with nothing between a look and an act. */
export interface NodegradTest {
  /** Makes the worker stop answering, as a hang or crash would. */
  hangWorker(): void;
  /** Pauses training if it runs (a no-op otherwise): no check-then-click race with a run that ends by itself. */
  pause(): void;
  /** The document as Export writes it (the graph with the weights of `data-weights-rev`). */
  exportText(): string;
}
(globalThis as { nodegradTest?: NodegradTest }).nodegradTest = {
  hangWorker: () => training.simulateHang(),
  pause: () => training.pause(),
  exportText: () => exportText(editor),
};

createRoot(root).render(
  <StrictMode>
    <AppProvider services={{ editor, training, autosave, lessons }}>
      <App />
    </AppProvider>
  </StrictMode>,
);
