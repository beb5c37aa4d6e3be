// The benchmark: the same data and networks trained by nodegrad and by TensorFlow.js (cpu, wasm)
// in one process, alternating runs, medians after warm-up. Prints a table, or JSON with --json.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  compile,
  createOptimizer,
  getKernels,
  loadDataset,
  type Model,
  parseGraph,
  tsKernels,
  selectFastestKernels,
  selectTsKernels,
  TWO_THREADS_MIN_MULTIPLY_ADDS,
} from '../../engine/index.ts';
import { enableRelaxedSimd, enableWorkerThreads, loadMnistFile } from '../../engine/node.ts';
import { type BrowserResult, mnistInBrowserWorker } from './browser.ts';
import { compileCnn, convnetjsCnn, nodegradCnn, tfCnn } from './cnn.ts';
import type { EngineApiResult } from './engineApi.ts';
import { measureMessagePassing, messagePassingTable, type MessagesResult } from './messages.ts';
import { compileMlp, type Data, mnistSplit, nodegradEpoch } from './nodegradRuns.ts';
import { type TfBackend, tfMatmul, tfMlp, tfXor, selectTfBackend } from './tfjs.ts';

// nodegrad-relaxed: WebAssembly SIMD kernels with relaxed SIMD's fused multiply-add (Chrome 114+,
// Node 22+; Node 20 behind a flag that enableRelaxedSimd sets); nodegrad-simd: plain 128-bit SIMD
// (every browser with WebAssembly SIMD); nodegrad-ts: the pure-TypeScript fallback.
// convnetjs: ConvNetJS (the CNN row only).
type Impl = 'nodegrad-relaxed' | 'nodegrad-simd' | 'nodegrad-ts' | 'tfjs-cpu' | 'tfjs-wasm' | 'convnetjs';
enableRelaxedSimd();
enableWorkerThreads();
const hasRelaxed = selectFastestKernels() !== selectFastestKernels({ relaxed: false });
const IMPLS: Impl[] = [
  ...(hasRelaxed ? (['nodegrad-relaxed'] as const) : []),
  'nodegrad-simd',
  'nodegrad-ts',
  'tfjs-cpu',
  'tfjs-wasm',
];
/** Table columns: every implementation some row measures. */
const COLUMNS: Impl[] = [...IMPLS, 'convnetjs'];
const OURS = IMPLS.filter((i) => i.startsWith('nodegrad'));
const BEST = IMPLS[0]!;
const isNodegrad = (i: Impl) => i.startsWith('nodegrad');
const short = (i: Impl) => i.replace('nodegrad-', '');

interface Row {
  name: string;
  unit: string;
  /** Higher is better for every unit except "µs/step". */
  higherIsBetter: boolean;
  results: Partial<Record<Impl, number>>;
  notes?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

function tfEpoch(sizes: number[], batch: number, data: Data, samples: number): { rate: number; accuracy: number } {
  const net = tfMlp(sizes, 0.1, 1);
  for (let i = 0; i < 3; i++) net.step(data.x.subarray(0, batch * 784), data.y.subarray(0, batch * 10), batch);
  const t0 = performance.now();
  let done = 0;
  for (let start = 0; start + batch <= samples; start += batch) {
    const s = start % (data.n - batch + 1);
    net.step(data.x.subarray(s * 784, (s + batch) * 784), data.y.subarray(s * 10, (s + batch) * 10), batch);
    done += batch;
  }
  const rate = done / ((performance.now() - t0) / 1000);
  const accuracy = net.accuracy(data.testX, data.testY, data.nTest);
  net.dispose();
  return { rate, accuracy };
}

/**
 * MNIST 784-64-10 (public/examples/mnist.json: batch 100, 8,000/2,000) trained through
 * compile() + createTrainer() in a fresh Node process per run, so the kernels are the ones the
 * engine picks by itself (see engineApi.ts). Each run trains `epochs` epochs; the first is warm-up.
 */
function engineApiRuns(runs: number, epochs: number): { kernels: string; warm: number[]; cold: number[] } {
  const warm: number[] = [];
  const cold: number[] = [];
  let kernels = '';
  for (let r = 0; r < runs; r++) {
    const args = ['--import', 'tsx', 'scripts/bench/engineApi.ts', 'public/examples/mnist.json'];
    const child = spawnSync(process.execPath, [...args, join('public', 'data', 'mnist.bin'), String(epochs)], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`scripts/bench/engineApi.ts failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as EngineApiResult;
    kernels = result.kernels;
    cold.push(result.rates[0]!);
    warm.push(...result.rates.slice(1));
  }
  return { kernels, warm, cold };
}

/** A `threads: 2` model once its helper thread is ready (it starts in the background). */
async function twoThreads(model: Model): Promise<Model> {
  for (let i = 0; i < 600 && model.threads !== 2; i++) await new Promise((r) => setTimeout(r, 50));
  if (model.threads !== 2) throw new Error('the helper thread of a two-thread model did not start');
  return model;
}

function nodegradXor(steps: number): number {
  const doc = example('xor');
  const model = compile(doc);
  const opt = createOptimizer(doc.training.optimizer, model.params);
  const d = loadDataset({ kind: 'xor' }, { seed: 1 });
  for (let i = 0; i < 200; i++) opt.step(model.lossAndGrads(d.train.x, d.train.y).grads);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) opt.step(model.lossAndGrads(d.train.x, d.train.y).grads);
  return ((performance.now() - t0) * 1000) / steps;
}

function tfXorStep(steps: number): number {
  const net = tfXor(1);
  for (let i = 0; i < 20; i++) net.step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) net.step();
  net.dispose();
  return ((performance.now() - t0) * 1000) / steps;
}

type Orientation = 'NN' | 'NT' | 'TN';

function nodegradMatmul(m: number, k: number, n: number, o: Orientation, reps: number): number {
  const a = Float32Array.from({ length: m * k }, () => Math.random());
  const b = Float32Array.from({ length: k * n }, () => Math.random());
  const c = new Float32Array(m * n);
  const kernels = getKernels();
  const run = () =>
    o === 'NN'
      ? kernels.matmulNN(a, b, c, m, k, n, false)
      : o === 'NT'
        ? kernels.matmulNT(a, b, c, m, k, n, false)
        : kernels.matmulTN(a, b, c, m, k, n, false);
  for (let i = 0; i < 3; i++) run();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) run();
  return (2 * m * k * n * reps) / ((performance.now() - t0) / 1000) / 1e9;
}

function tfMatmulRate(m: number, k: number, n: number, o: Orientation, reps: number): number {
  const mm = tfMatmul(m, k, n, o === 'TN', o === 'NT');
  for (let i = 0; i < 3; i++) mm.run();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) mm.run();
  mm.dispose();
  return (2 * m * k * n * reps) / ((performance.now() - t0) / 1000) / 1e9;
}

export async function runBenchmarks(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const runs = quick ? 1 : 5;
  // --only=mlp,deep,cnn,xor,matmul,messages measures those sections only (mlp includes the browser line).
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const wants = (section: string) => !only || only.includes(section);
  const log = (s: string) => !json && process.stderr.write(`${s}\n`);
  /** The 1-minute load average when the run started (this machine may be shared). */
  const loadAtStart = loadavg()[0]!;
  const mnist = loadMnistFile();
  const mnistDoc = example('mnist');
  const data = mnistSplit(mnist);

  const rows: Row[] = [];
  const measure = async (row: Row, fn: (impl: Impl) => number | Promise<number>, impls: Impl[] = IMPLS) => {
    const samples = Object.fromEntries(impls.map((i) => [i, [] as number[]])) as Record<Impl, number[]>;
    // NOTE: round 0 is an untimed warm-up (JIT tiers, wasm compilation, buffers) for every
    // implementation; in the timed rounds they alternate so machine noise hits them alike.
    for (let r = -1; r < runs; r++) {
      for (const impl of impls) {
        if (impl === 'nodegrad-relaxed') selectFastestKernels();
        else if (impl === 'nodegrad-simd') selectFastestKernels({ relaxed: false });
        else if (impl === 'nodegrad-ts') selectTsKernels();
        else if (impl.startsWith('tfjs-')) await selectTfBackend(impl.slice(5) as TfBackend);
        const value = await fn(impl);
        if (r >= 0) samples[impl].push(value);
      }
    }
    for (const impl of impls) row.results[impl] = median(samples[impl]);
    rows.push(row);
    log(`  ${row.name}: ${impls.map((i) => `${i} ${row.results[i]!.toPrecision(4)}`).join(', ')} ${row.unit}`);
  };

  log(`nodegrad benchmark (${runs} run${runs === 1 ? '' : 's'} each, median)`);
  const accuracy: Partial<Record<Impl, number>> = {};
  if (wants('mlp'))
    await measure(
      { name: 'MNIST 784-64-10 training, batch 100', unit: 'samples/s', higherIsBetter: true, results: {} },
      (impl) => {
        const r = isNodegrad(impl)
          ? nodegradEpoch(mnistDoc, [784, 64, 10], 100, data, quick ? 2000 : 8000)
          : tfEpoch([784, 64, 10], 100, data, quick ? 2000 : 8000);
        accuracy[impl] = r.accuracy;
        return r.rate;
      },
    );
  const mnistRow = rows.find((r) => r.name.startsWith('MNIST 784-64-10 training'));
  if (mnistRow) {
    mnistRow.notes = `test accuracy after one epoch: ${IMPLS.map((i) => `${i} ${(accuracy[i]! * 100).toFixed(1)}%`).join(', ')}`;
    const api = engineApiRuns(runs, quick ? 2 : 3);
    // The engine's own choice (no enableRelaxedSimd(): plain SIMD on Node 20) goes in its column.
    const impl: Impl = api.kernels.startsWith('wasm-relaxed')
      ? 'nodegrad-relaxed'
      : api.kernels.startsWith('wasm')
        ? 'nodegrad-simd'
        : 'nodegrad-ts';
    const rate = median(api.warm);
    const raw = mnistRow.results[impl];
    rows.push({
      name: 'MNIST 784-64-10, batch 100, engine API, no setup',
      unit: 'samples/s',
      higherIsBetter: true,
      results: { [impl]: rate },
      notes:
        `compile() + createTrainer() in a fresh process, no kernel selection: the engine chose ${api.kernels}; ` +
        `median of ${api.warm.length} epochs after a warm-up epoch (first, cold epoch: ${median(api.cold).toPrecision(4)} samples/s)` +
        (raw
          ? `; ${((100 * rate) / raw).toFixed(0)}% of the ${impl} row above, which leaves out the trainer's per-step work (gathering shuffled batches, NaN checks, a parameter backup)`
          : ''),
    });
    log(`  ${rows[rows.length - 1]!.name}: ${impl} (${api.kernels}) ${rate.toPrecision(4)} samples/s`);
  }
  if (mnistRow)
    await measure(
      {
        name: 'MNIST 784-64-10 training, batch 100, 2 threads',
        unit: 'samples/s',
        higherIsBetter: true,
        results: {},
        notes: 'compile(doc, { threads: 2 }): each batch split between this thread and a helper thread (data parallel)',
      },
      async () =>
        nodegradEpoch(
          mnistDoc,
          [784, 64, 10],
          100,
          data,
          quick ? 2000 : 8000,
          await twoThreads(compileMlp(mnistDoc, [784, 64, 10], 100, 2)),
        ).rate,
      OURS.filter((i) => i !== 'nodegrad-ts'),
    );
  if (wants('deep'))
    await measure(
      { name: 'MNIST 784-256-128-10 training, batch 128', unit: 'samples/s', higherIsBetter: true, results: {} },
      (impl) =>
        isNodegrad(impl)
          ? nodegradEpoch(mnistDoc, [784, 256, 128, 10], 128, data, quick ? 1024 : 4096).rate
          : tfEpoch([784, 256, 128, 10], 128, data, quick ? 1024 : 4096).rate,
    );
  if (wants('cnn')) {
    // NOTE: tfjs-wasm has no Conv2DBackpropFilter kernel and cannot train a CNN.
    const cnnImpls = IMPLS.filter((i) => i !== 'tfjs-wasm').concat('convnetjs');
    const samples = (impl: Impl) =>
      impl === 'nodegrad-ts' || impl === 'convnetjs'
        ? quick
          ? 100
          : 400
        : impl === 'tfjs-cpu'
          ? quick
            ? 40
            : 100
          : quick
            ? 1000
            : 4000;
    await measure(
      {
        name: 'MNIST CNN (ConvNetJS layout) training, batch 20',
        unit: 'samples/s',
        higherIsBetter: true,
        results: {},
        notes:
          'conv 5×5×8 same → relu → maxpool 2 → conv 5×5×16 same → relu → maxpool 3 → dense 10 → softmax/cross-entropy, SGD 0.01, on the same 8,000 digits; nodegrad through compile() + lossAndGrads + createOptimizer; ConvNetJS with its own Net and SGDTrainer; tfjs-wasm has no Conv2DBackpropFilter kernel',
      },
      (impl) =>
        isNodegrad(impl)
          ? nodegradCnn(mnistDoc, data, samples(impl))
          : impl === 'convnetjs'
            ? convnetjsCnn(data, samples(impl))
            : tfCnn(data, samples(impl)),
      cnnImpls,
    );
    await measure(
      {
        name: 'MNIST CNN (ConvNetJS layout), batch 20, 2 threads',
        unit: 'samples/s',
        higherIsBetter: true,
        results: {},
        notes: 'compile(doc, { threads: 2 }): each batch of 20 split 10/10 between this thread and a helper thread',
      },
      async (impl) => nodegradCnn(mnistDoc, data, samples(impl), await twoThreads(compileCnn(mnistDoc, 2))),
      OURS.filter((i) => i !== 'nodegrad-ts'),
    );
  }
  if (wants('xor'))
    await measure(
      { name: 'XOR 2-3-1 full batch, one training step', unit: 'µs/step', higherIsBetter: false, results: {} },
      (impl) => (isNodegrad(impl) ? nodegradXor(quick ? 2000 : 10_000) : tfXorStep(quick ? 200 : 1000)),
    );
  const products: [string, number, number, number, Orientation][] = [
    ['matmul x·W [100×784]·[784×64]', 100, 784, 64, 'NN'],
    ['matmul dy·Wᵀ [100×64]·[64×784]', 100, 64, 784, 'NT'],
    ['matmul xᵀ·dy [784×100]·[100×64]', 784, 100, 64, 'TN'],
    ['matmul 512×512×512', 512, 512, 512, 'NN'],
  ];
  for (const [name, m, k, n, o] of wants('matmul') ? products : []) {
    const reps = m * k * n > 1e7 ? 5 : 40;
    await measure({ name, unit: 'GFLOP/s', higherIsBetter: true, results: {} }, (impl) =>
      isNodegrad(impl) ? nodegradMatmul(m, k, n, o, reps) : tfMatmulRate(m, k, n, o, reps),
    );
  }

  if (mnistRow) log('  MNIST 784-64-10 in a Chromium Web Worker ...');
  const browser = mnistRow
    ? await mnistInBrowserWorker(
        join(process.cwd(), 'public', 'data', 'mnist.bin'),
        JSON.parse(readFileSync('public/examples/mnist.json', 'utf8')),
        runs,
        quick ? 2000 : 8000,
      )
    : 'the mlp section was not selected (--only)';
  if (wants('messages')) log('  two threads by messages, in a Chromium Web Worker without cross-origin isolation ...');
  const messages: MessagesResult | string = wants('messages')
    ? await measureMessagePassing(join(process.cwd(), 'public', 'data', 'mnist.bin'))
    : 'the messages section was not selected (--only)';
  const browserLine = (b: BrowserResult | string) => {
    if (typeof b === 'string') return `MNIST 784-64-10 in a browser Web Worker: not measured, ${b}`;
    const rate = median(b.rates);
    const node = mnistRow!.results[BEST]!;
    return `MNIST 784-64-10 training, batch 100, in a ${b.browser} Web Worker (${b.kernels}): ${rate.toPrecision(4)} samples/s, ${((100 * rate) / node).toFixed(0)}% of nodegrad-${short(BEST)} in Node; test accuracy after one epoch ${(b.accuracy * 100).toFixed(1)}%`;
  };

  /** null where the row lacks either side (the engine-API row measures one implementation). */
  const ratio = (row: Row, other: Impl, ours: Impl = BEST): number | null => {
    const a = row.results[ours];
    const b = row.results[other];
    if (a === undefined || b === undefined) return null;
    return row.higherIsBetter ? a / b : b / a;
  };
  const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
  selectFastestKernels();
  const machine = {
    load: { start: loadAtStart, end: loadavg()[0]! },
    twoThreadsMinMultiplyAdds: TWO_THREADS_MIN_MULTIPLY_ADDS,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    kernels: getKernels().name,
    tsKernels: tsKernels.name,
  };
  if (json) {
    console.log(
      JSON.stringify({
        machine,
        runs,
        browser: typeof browser === 'string' ? { error: browser } : { ...browser, median: median(browser.rates) },
        messages: typeof messages === 'string' ? { error: messages } : messages,
        rows: rows.map((r) => ({
          ...r,
          bestVsTfjsCpu: ratio(r, 'tfjs-cpu'),
          bestVsConvnetjs: ratio(r, 'convnetjs'),
          vsTfjsWasm: Object.fromEntries(OURS.map((i) => [i, ratio(r, 'tfjs-wasm', i)])),
        })),
      }),
    );
    return;
  }
  console.log(
    `\n${machine.cores} cores, ${machine.cpu}, Node ${machine.node}; nodegrad kernels: ${machine.kernels}; median of ${runs}; ` +
      `load average ${machine.load.start.toFixed(1)} at the start, ${machine.load.end.toFixed(1)} at the end; ` +
      `threads 'auto' takes two for steps of ≥ ${machine.twoThreadsMinMultiplyAdds / 1e6} M multiply-adds`,
  );
  const header = [
    'benchmark',
    'unit',
    ...COLUMNS,
    `${short(BEST)} × tfjs-cpu`,
    ...OURS.map((i) => `${short(i)} × tfjs-wasm`),
    `${short(BEST)} × convnetjs`,
  ];
  const body = rows.map((r) => [
    r.name,
    r.unit,
    ...COLUMNS.map((i) => r.results[i]?.toPrecision(4) ?? '—'),
    times(ratio(r, 'tfjs-cpu')),
    ...OURS.map((i) => times(ratio(r, 'tfjs-wasm', i))),
    times(ratio(r, 'convnetjs')),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  for (const r of rows) if (r.notes) console.log(`\n${r.name}: ${r.notes}`);
  console.log(`\n${browserLine(browser)}`);
  console.log(
    typeof messages === 'string'
      ? `\nTwo threads by messages: not measured, ${messages}`
      : `\nTwo threads by messages (the least exchange per step: each gradient to a nested worker and back; a two-thread step takes at least half + round trip, with a free core for each thread):\n${messagePassingTable(messages).join('\n')}`,
  );
  console.log(
    '\nrelaxed = nodegrad on WebAssembly SIMD with relaxed SIMD fused multiply-add, simd = plain 128-bit WebAssembly SIMD, ts = the pure-TypeScript fallback, convnetjs = ConvNetJS 0.3 (CNN row); × = how many times faster nodegrad is (for µs/step: their time / ours).',
  );
}
