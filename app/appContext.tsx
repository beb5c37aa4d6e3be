// The React binding of the editor core: one editor, one training client, one autosave and the lessons per app, provided by
// context (no module-level singletons); components read them with selectors.
import { createContext, type ReactNode, useCallback, useContext } from 'react';
import { useStore } from 'zustand';
import type { Autosave } from './editor/autosave.ts';
import type { AutosaveState } from './editor/autosaveTab.ts';
import type { Editor } from './editor/editor.ts';
import type { EditorState } from './editor/editorState.ts';
import type { Lessons, LessonsState } from './editor/lessons.ts';
import type { TrainingClient } from './editor/trainingClient.ts';
import type { TrainingState } from './editor/trainingState.ts';
import { type RunView, viewRev } from './editor/trainingViews.ts';
import { type MessageKey, translate } from './i18n/catalogue.ts';

export interface AppServices {
  editor: Editor;
  training: TrainingClient;
  autosave: Autosave;
  lessons: Lessons;
}

const AppContext = createContext<AppServices | null>(null);

export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <AppContext.Provider value={services}>{children}</AppContext.Provider>;
}

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('nodegrad: AppProvider missing');
  return services;
}

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useApp().editor.store, selector);
}

export function useTraining<T>(selector: (s: TrainingState) => T): T {
  return useStore(useApp().training.store, selector);
}

/** `<runId>:<step>` of the weights a run view shows, for its `data-rev` (DESIGN.md, "Truth on screen"). */
export function useRev(view: RunView): string | undefined {
  return useTraining((s) => viewRev(s, view));
}

export function useLessons<T>(selector: (s: LessonsState) => T): T {
  return useStore(useApp().lessons.store, selector);
}

export function useAutosave<T>(selector: (s: AutosaveState) => T): T {
  return useStore(useApp().autosave.store, selector);
}

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** The catalogue in the editor's current language. */
export function useT(): Translate {
  const lang = useEditor((s) => s.lang);
  return useCallback((key, params) => translate(lang, key, params), [lang]);
}
