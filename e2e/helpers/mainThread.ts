// The main thread's tasks as Chrome's tracing records them: wall time and the thread's own CPU time.
// On a machine shared by many processes a task's wall time includes waiting for a core (a 4 ms task
// read 193 ms under a load of 19 on 2 cores); its CPU time is what the page itself spent.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export interface MainThreadTasks {
  /** Every task's wall time (ms), longest first. */
  wall: number[];
  /** Every task's CPU time on the main thread (ms), longest first. */
  cpu: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Traces the page's main thread while `during` runs and returns its tasks over 1 ms. */
export async function traceMainThread(page: Page, during: () => Promise<void>): Promise<MainThreadTasks> {
  const browser = page.context().browser();
  if (!browser) throw new Error('tracing needs a launched browser');
  const path = join(tmpdir(), `nodegrad-trace-${process.pid}-${Date.now()}.json`);
  await browser.startTracing(page, {
    path,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  try {
    await during();
  } finally {
    await browser.stopTracing();
  }
  const { traceEvents } = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] };
  rmSync(path, { force: true });
  const main = new Set(
    traceEvents
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = traceEvents.filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`));
  const ms = (v: number | undefined) => Math.round((v ?? 0) / 100) / 10;
  const over1 = (v: number) => v > 1;
  const desc = (a: number, b: number) => b - a;
  return {
    wall: tasks
      .map((t) => ms(t.dur))
      .filter(over1)
      .sort(desc),
    cpu: tasks
      .map((t) => ms(t.tdur))
      .filter(over1)
      .sort(desc),
  };
}
