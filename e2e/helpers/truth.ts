// "Truth on screen" (DESIGN.md): read every view's data-rev, wait until they agree, and compute the loss of
// the weights on screen with the engine, independently of the app.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { compile, createTrainer, decodeMnist, type GraphDoc, loadDataset, parseGraph } from '../../engine/index.ts';

import type { NodegradTestHooks } from '../../app/testing/hooks.ts';
import { pauseTraining } from './editor.ts';

export interface Revs {
  /** The run of the graph on screen (data-run of the `run` test hook). */
  run: string;
  /** `<runId>:<step>` of the weights the editor holds (what Export and the autosave write); null: none. */
  weights: string | null;
  /** Every run view's data-rev, named by its test id. */
  views: { view: string; rev: string }[];
}

/** Every data-rev on the page, read in one go (one consistent moment). */
export function readRevs(page: Page): Promise<Revs> {
  return page.evaluate(() => {
    const app = document.querySelector('[data-testid="run"]');
    return {
      run: app?.getAttribute('data-run') ?? '',
      weights: app?.getAttribute('data-weights-rev') ?? null,
      views: [...document.querySelectorAll('[data-rev]')].map((el) => ({
        view: el.getAttribute('data-testid') ?? el.tagName,
        rev: el.getAttribute('data-rev') ?? '',
      })),
    };
  });
}

/** The views (and weights) whose data-rev names another run than the graph on screen. */
export function foreign(r: Revs): string[] {
  const own = (rev: string) => rev.startsWith(`${r.run}:`);
  return [
    ...r.views.filter((v) => !own(v.rev)).map((v) => `${v.view}=${v.rev} (run ${r.run})`),
    ...(r.weights !== null && !own(r.weights) ? [`weights=${r.weights} (run ${r.run})`] : []),
  ];
}

/** Watches the page for `ms`: every data-rev must belong to the graph on screen all along. */
export async function expectOnlyOwnRun(page: Page, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    expect(foreign(await readRevs(page))).toEqual([]);
    await page.waitForTimeout(80);
  }
}

/**
 * Pauses, then waits until every run view and the weights name the same `<runId>:<step>` of the graph on
 * screen (`scrubbed`: the views only; the editor keeps the latest weights while a past epoch is shown).
 */
export async function settledRev(page: Page, scrubbed = false): Promise<string> {
  await pauseTraining(page);
  let agreed = '';
  await expect
    .poll(
      async () => {
        const r = await readRevs(page);
        const revs = new Set(r.views.map((v) => v.rev));
        if (r.weights !== null && !scrubbed) revs.add(r.weights);
        agreed = revs.size === 1 ? [...revs][0]! : '';
        const ok = r.views.length > 0 && (r.weights !== null || scrubbed) && agreed.startsWith(`${r.run}:`);
        return ok ? 'agreed' : JSON.stringify(r);
      },
      { timeout: 30_000 },
    )
    .toBe('agreed');
  return agreed;
}

/** The document as Export writes it. */
export async function exportedDocument(page: Page): Promise<GraphDoc> {
  const text = await page.evaluate(() =>
    (globalThis as unknown as { nodegradTest: NodegradTestHooks }).nodegradTest.exportText(),
  );
  return parseGraph(JSON.parse(text));
}

/** The loss of `doc`'s weights on its whole training split, computed by the engine here (not by the app). */
export function engineLoss(doc: GraphDoc): number {
  const spec = doc.nodes.find((n) => n.type === 'input')?.data.dataset;
  if (!spec) throw new Error('no dataset');
  const mnist = spec.kind === 'mnist' ? decodeMnist(new Uint8Array(readFileSync('public/data/mnist.bin'))) : undefined;
  const dataset = loadDataset(spec, { seed: doc.training.seed, ...(mnist ? { mnist } : {}) });
  const model = compile(doc, { inputShape: dataset.inputShape, targetShape: dataset.targetShape });
  return createTrainer(doc, dataset, { model }).evaluate().trainLoss;
}

/**
 * Paused: every view agrees, and the loss on screen is the engine's loss of the exported weights they
 * name (`initial`: the views show the run's first snapshot, the seed's initialisation: scrubbed to epoch 0).
 */
export async function expectTruthWhenPaused(page: Page, weights: 'exported' | 'initial' = 'exported'): Promise<string> {
  const rev = await settledRev(page, weights === 'initial');
  const exported = await exportedDocument(page);
  const doc = weights === 'initial' ? { ...exported, weights: undefined } : exported;
  const shown = Number(await page.getByTestId('metric-loss').textContent());
  const node = page.locator('[data-testid="node-stats"]:has([data-testid="node-loss"])');
  if ((await node.count()) > 0) expect(Number(await node.getByTestId('node-loss').textContent())).toBeCloseTo(shown, 2);
  const truth = engineLoss(doc);
  expect(Math.abs(shown - truth) / Math.max(Math.abs(truth), 1e-9), `shown ${shown}, engine ${truth}`).toBeLessThan(
    2e-3,
  );
  return rev;
}
