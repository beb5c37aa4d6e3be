/// <reference lib="webworker" />
// The import dialog's CSV worker: parses a CSV (a million rows take seconds) and checks each choice of
// columns by loading it, off the page's main thread.
import { checkCsvSpec, csvSpec, previewCsv } from '../../engine/index.ts';
import { problemOf } from '../data/problem.ts';
import type { FromCsvWorker, ToCsvWorker } from './csvProtocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let text = '';

self.onmessage = (event: MessageEvent<ToCsvWorker>) => {
  const m = event.data;
  let reply: FromCsvWorker;
  try {
    if (m.kind === 'preview') {
      text = m.text;
      reply = { id: m.id, kind: 'preview', preview: previewCsv(text) };
    } else reply = { id: m.id, kind: 'facts', facts: checkCsvSpec(csvSpec(text, m.choices)) };
  } catch (e) {
    reply = { id: m.id, kind: 'problem', problem: problemOf(e instanceof Error ? e : new Error(String(e))) };
  }
  self.postMessage(reply);
};
