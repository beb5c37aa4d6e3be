// The benchmark's message-passing section (`npm run bench -- --only=messages`): could two threads
// that exchange messages train faster where the page is not cross-origin isolated (no
// SharedArrayBuffer, so no shared memory for a helper thread)? Measured in a Chromium worker
// (scripts/bench/messagesWorker.ts) for every example in public/examples and the benchmark's
// ConvNetJS-layout CNN: one thread's step, a half batch's step, and the least exchange per step
// (the gradients to a nested worker and back). A two-thread step takes at least half + round trip,
// with both threads on a core of their own; it can only win where that is below one step. The last
// column is the step the engine takes on two threads by messages (engine/parallel/messages.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGraph } from '../../engine/index.ts';
import { inBrowserWorker } from './browser.ts';
import { cnnDoc } from './cnnDoc.ts';
import type { MessagesReply } from './messagesWorker.ts';

export type MessagesResult = MessagesReply & { browser: string };

/** The timings of every example and the ConvNetJS-layout CNN, or why they could not be taken. */
export function measureMessagePassing(mnistPath: string, reps = 100): Promise<MessagesResult | string> {
  const examples = readdirSync(join('public', 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      doc: JSON.parse(readFileSync(join('public', 'examples', f), 'utf8')),
    }));
  const mnistDoc = parseGraph(examples.find((e) => e.name === 'mnist')!.doc);
  const graphs = [...examples, { name: 'ConvNetJS-layout CNN (bench)', doc: cnnDoc(mnistDoc) }];
  return inBrowserWorker<MessagesReply>('messagesWorker.ts', mnistPath, { graphs, reps });
}

/** The timings as a table, one graph a line. */
export function messagePassingTable(result: MessagesResult): string[] {
  const header = [
    'graph',
    'batch',
    'params',
    'step µs',
    'half µs',
    'round trip µs',
    'half + trip',
    'two threads by messages',
    'measured µs',
  ];
  const rows = result.graphs.map((g) => [
    g.name,
    String(g.batch),
    String(g.paramFloats),
    g.step.toFixed(0),
    g.half.toFixed(0),
    g.roundTrip.toFixed(0),
    (g.half + g.roundTrip).toFixed(0),
    !g.splits
      ? 'no: the batch cannot be split (BatchNorm or dropout)'
      : g.half + g.roundTrip < g.step
        ? `at best ${(g.step / (g.half + g.roundTrip)).toFixed(2)}×`
        : 'no',
    g.byMessages === undefined ? '' : `${g.byMessages.toFixed(0)} (${(g.step / g.byMessages).toFixed(2)}×)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [
    `${result.browser} worker, cross-origin isolated: ${result.isolated}, kernels ${result.kernels}`,
    ...[header, ...rows].map((r) =>
      r
        .map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    ),
  ];
}
