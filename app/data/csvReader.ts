// The page's side of the CSV worker (app/worker/csvWorker.ts): one worker per CSV in the dialog, asked
// for the preview once and for each choice of columns; its answers as promises.
import type { CsvChoices, CsvFacts, CsvPreview } from '../../engine/index.ts';
import type { FromCsvWorker, ToCsvWorker } from '../worker/csvProtocol.ts';
import type { Problem } from './problem.ts';

export type CsvAnswer<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export interface CsvReader {
  /** The header, first rows and column kinds of the whole text. */
  preview(): Promise<CsvAnswer<CsvPreview>>;
  /** Loads the text with `choices` as training would: the facts shapes and summaries need, or the problem. */
  check(choices: CsvChoices): Promise<CsvAnswer<CsvFacts>>;
  /** Stops the worker; unanswered promises never settle. */
  close(): void;
}

/** A worker that holds `text` (copied to it once). */
export function readCsvInWorker(text: string): CsvReader {
  const worker = new Worker(new URL('../worker/csvWorker.ts', import.meta.url), { type: 'module', name: 'csv' });
  const waiting = new Map<number, (m: FromCsvWorker) => void>();
  let next = 0;
  worker.onmessage = (e: MessageEvent<FromCsvWorker>) => {
    const settle = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    settle?.(e.data);
  };
  const ask = (message: (id: number) => ToCsvWorker) =>
    new Promise<FromCsvWorker>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      worker.postMessage(message(id));
    });
  const answer = <T>(m: FromCsvWorker, value: (m: FromCsvWorker) => T | undefined): CsvAnswer<T> =>
    m.kind === 'problem' ? { ok: false, problem: m.problem } : { ok: true, value: value(m) as T };
  const first = ask((id) => ({ id, kind: 'preview', text }));
  return {
    preview: async () => answer(await first, (m) => (m.kind === 'preview' ? m.preview : undefined)),
    check: async (choices) =>
      answer(await ask((id) => ({ id, kind: 'check', choices })), (m) => (m.kind === 'facts' ? m.facts : undefined)),
    close: () => {
      worker.terminate();
      waiting.clear();
    },
  };
}
