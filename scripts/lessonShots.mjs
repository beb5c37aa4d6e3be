// Screenshots of every lesson's first step (on an empty canvas, as a learner starts) and last step
// (a learner's graph imported and trained until the lesson is done, where this build can train it),
// in English and Japanese, with the step-through's "predict first" box; `npm run screenshots` calls it
// (SHOTS_ONLY=lessons). Prints the lesson panel's box, its smallest font and the boxes of the canvas,
// the output view and the loss chart, and how long each lesson's training took.
import { join } from 'node:path';
import { lessons } from '../engine/index.ts';
import { chainGraph } from '../engine/lessons/testing/solutions.ts';
import { catFiles } from '../e2e/helpers/data.ts';

const dense = (units, extra = {}) => ['dense', { units, ...extra }];
const act = (fn) => ['activation', { fn }];
const sgd = (learningRate, batchSize, epochs) => ({
  optimizer: { type: 'sgd', learningRate },
  batchSize,
  epochs,
  seed: 1,
});
const adam = (learningRate, batchSize, epochs) => ({
  optimizer: { type: 'adam', learningRate },
  batchSize,
  epochs,
  seed: 1,
});
const mnist = { kind: 'mnist', train: 8000, test: 2000 };
const mlp = [dense(64, { init: 'he_normal' }), act('relu'), dense(10), act('softmax')];
/** The mnist-cnn example's LeNet (as lessons.test's solution): one 3×3×8 convolution stops near 93%. */
const lenet = [
  ['reshape', { shape: [28, 28, 1] }],
  ['conv2d', { filters: 8, kernelSize: 5, init: 'he_normal' }],
  ['batchnorm', {}],
  act('relu'),
  ['maxpool2d', { size: 2 }],
  ['conv2d', { filters: 16, kernelSize: 5, init: 'he_normal' }],
  ['batchnorm', {}],
  act('relu'),
  ['maxpool2d', { size: 2 }],
  ['flatten', {}],
  dense(10),
  act('softmax'),
];

/** A learner's graph per lesson. */
const SOLUTIONS = new Map([
  ['and-neuron', () => chainGraph({ kind: 'and' }, [dense(1), act('sigmoid')], 'squared_error', sgd(2, 4, 1000))],
  [
    'xor-2-2-1',
    () =>
      chainGraph(
        { kind: 'xor' },
        [dense(2), act('sigmoid'), dense(1), act('sigmoid')],
        'squared_error',
        sgd(2, 4, 3000),
      ),
  ],
  [
    'fit-1n1',
    () =>
      chainGraph(
        { kind: 'function', expr: 'x^3 - 2.5*x^2', domain: [0, 3], samples: 200 },
        [dense(10), act('sigmoid'), dense(1)],
        'squared_error',
        adam(0.05, 20, 300),
      ),
  ],
  ['mnist-mlp', () => chainGraph(mnist, mlp, 'cross_entropy', adam(0.002, 100, 3))],
  [
    'cat-2layer',
    () =>
      chainGraph(
        { kind: 'xor' },
        [['flatten', {}], dense(7), act('relu'), dense(1), act('sigmoid')],
        'binary_cross_entropy',
        adam(0.001, 16, 30),
      ),
  ],
  ['mnist-cnn', () => chainGraph(mnist, lenet, 'cross_entropy', adam(0.002, 32, 2))],
]);

const ALL = ['trace', 'gradcheck', 'predict', 'compare'];

const layoutBoxes = (page) =>
  page.evaluate(() => {
    const box = (sel) => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return r ? [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] : null;
    };
    return {
      canvas: box('.ng-canvas'),
      output: box('[data-testid="output-view"]'),
      chart: box('[data-testid="chart-loss"]'),
    };
  });

/** Every lesson at one window size, in both languages. */
export async function lessonShots({ browser, url, out, width, height, boxOf }) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(url);
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  // What the app records as the learner goes (a step-through walked, a gradient check, …): done already.
  await page.evaluate(
    ([ids, all]) =>
      localStorage.setItem(
        'nodegrad:lessons',
        JSON.stringify({ active: null, progress: ids.map((id) => [id, { steps: [], activities: all }]) }),
      ),
    [lessons.map((l) => l.id), ALL],
  );
  await page.reload();
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  const both = async (name) => {
    for (const lang of ['en', 'ja']) {
      await page.getByTestId('lang').selectOption(lang);
      await page.waitForTimeout(200);
      const file = join(out, `${name}-${width}x${height}-${lang}.png`);
      await page.screenshot({ path: file });
      const panel = await boxOf(page, '[data-testid="lesson-panel"]');
      console.log(
        `${name} ${width}x${height} ${lang}: panel ${JSON.stringify(panel)} ${JSON.stringify(await layoutBoxes(page))} → ${file}`,
      );
    }
    await page.getByTestId('lang').selectOption('en');
  };
  for (const lesson of lessons) {
    await page.getByTestId('lessons').click();
    await page.getByTestId(`lesson-${lesson.id}`).click();
    await page.getByTestId('lesson-step').first().click();
    await page.getByTestId('lesson-start-graph').click();
    await page.locator('.react-flow__node').first().waitFor({ state: 'detached' });
    await both(`lesson-${lesson.id}-first`);
    const doc = SOLUTIONS.get(lesson.id)();
    await page.getByTestId('import-json').setInputFiles({
      name: `${lesson.id}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await page.locator('.react-flow__node').first().waitFor();
    if (lesson.id === 'cat-2layer') {
      await page.getByTestId('import-data').setInputFiles(await catFiles());
      await page.getByTestId('import-apply').click();
      await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    }
    await page.getByTestId('auto-layout').click();
    await page.getByRole('button', { name: 'Show the whole graph' }).click();
    await page.getByTestId('train-speed').selectOption('full');
    const started = Date.now();
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'Done' }).waitFor({ timeout: 180_000 });
    const done = (await page.getByTestId('lesson-step').last().getAttribute('data-done')) === 'true';
    console.log(`lesson ${lesson.id}: trained ${((Date.now() - started) / 1000).toFixed(1)} s, done ${done}`);
    await page.getByTestId('lesson-step').last().click();
    await both(`lesson-${lesson.id}-last`);
  }
  // Predict before you see: the step-through at the output layer's backward step.
  await page.getByTestId('lesson-exit').click();
  await page.getByTestId('example-xor').click();
  await page.waitForTimeout(800);
  await page.getByTestId('lessons').click();
  await page.getByTestId('lesson-xor-2-2-1').click();
  await page.getByTestId('trace-start').click();
  await page.getByTestId('trace-step').waitFor();
  while ((await page.getByTestId('predict').count()) === 0) await page.keyboard.press('ArrowRight');
  await both('lesson-predict');
  await page.getByTestId('lessons').click();
  await both('lesson-list');
  await page.close();
}
