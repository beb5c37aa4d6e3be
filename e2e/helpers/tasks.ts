// The page's own work on its threads, from Chromium's trace: every task with its wall time and its
// thread's CPU time. NOTE: on a loaded 2-core machine a 30 ms task can take 100 ms of wall time while
// other processes hold the core; its CPU time stays what the app itself did. Tests bound the CPU time
// (the app's work) and report both; a PerformanceObserver's "longtask" sees only the wall time.
import type { Page } from '@playwright/test';

/** A task longer than `LONG_TASK_MS` of wall time on a thread of the page. */
export interface Task {
  /** Milliseconds of wall time, as a "longtask" entry reports it. */
  wall: number;
  /** Milliseconds of the thread's CPU time: the app's own work, preemption left out. */
  cpu: number;
  /** Milliseconds since tracing started. */
  at: number;
}

/** What the whole-browser "longtask" counts: tasks over 50 ms. */
export const LONG_TASK_MS = 50;

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Tasks by thread name ('CrRendererMain' is the page's main thread, 'DedicatedWorker thread' a worker). */
export type Tasks = Map<string, Task[]> & {
  seconds: number;
  /** Milliseconds of CPU each thread spent in tasks. */
  cpuMs: Map<string, number>;
  cpuShare: Map<string, number>;
};

function tasksOf(trace: Buffer): Tasks {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const threads = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args!.name!);
  const runs = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.tdur !== undefined);
  const start = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const end = Math.max(...runs.map((e) => e.ts + e.dur!));
  const out = new Map<string, Task[]>() as Tasks;
  const wall = new Map<string, number>();
  const cpu = new Map<string, number>();
  for (const e of runs) {
    const thread = threads.get(`${e.pid}:${e.tid}`) ?? 'unknown';
    wall.set(thread, (wall.get(thread) ?? 0) + e.dur!);
    cpu.set(thread, (cpu.get(thread) ?? 0) + e.tdur!);
    if (e.dur! <= LONG_TASK_MS * 1000) continue;
    const list = out.get(thread) ?? [];
    list.push({
      wall: Math.round(e.dur! / 1000),
      cpu: Math.round(e.tdur! / 1000),
      at: Math.round((e.ts - start) / 1000),
    });
    out.set(thread, list);
  }
  out.seconds = (end - start) / 1e6;
  out.cpuMs = new Map([...cpu].map(([t, us]) => [t, Math.round(us / 1000)]));
  // The share of its tasks' wall time a thread had the CPU: 1 on an idle machine, 0.3 when preempted a lot.
  out.cpuShare = new Map([...wall].map(([t, w]) => [t, w > 0 ? cpu.get(t)! / w : 1]));
  return out;
}

/**
 * Starts tracing the page's tasks; `take()` returns the long tasks since the start (or the last take)
 * and goes on recording; `stop()` ends it. One recording per browser at a time.
 *
 * @example
 * const rec = await recordTasks(page);
 * await page.getByTestId('train-start').click();
 * const main = (await rec.stop()).get(MAIN_THREAD) ?? [];
 * expect(longest(main, 'cpu')).toBeLessThanOrEqual(50);
 */
export async function recordTasks(page: Page): Promise<{ take(): Promise<Tasks>; stop(): Promise<Tasks> }> {
  const browser = page.context().browser()!;
  const start = () => browser.startTracing(page, { categories: ['toplevel'] });
  await start();
  let recording = true;
  const stop = async () => {
    recording = false;
    return tasksOf(await browser.stopTracing());
  };
  return {
    async take() {
      if (!recording) throw new Error('recordTasks: take() after stop()');
      const tasks = await stop();
      await start();
      recording = true;
      return tasks;
    },
    stop,
  };
}

export const MAIN_THREAD = 'CrRendererMain';
export const WORKER_THREAD = 'DedicatedWorker thread';

/** The longest task's wall or CPU milliseconds (0 for none). */
export const longest = (tasks: readonly Task[] | undefined, of: 'wall' | 'cpu') =>
  (tasks ?? []).reduce((m, t) => Math.max(m, t[of]), 0);

/** "3 over 50 ms: 80 ms (CPU 31 ms) at 1.2 s, …" for a test's log line. */
export function describeTasks(tasks: readonly Task[] | undefined): string {
  const list = tasks ?? [];
  return `${list.length} over ${LONG_TASK_MS} ms${list.length ? ': ' : ''}${list
    .map((t) => `${t.wall} ms (CPU ${t.cpu} ms) at ${(t.at / 1000).toFixed(1)} s`)
    .join(', ')}`;
}
