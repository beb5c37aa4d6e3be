#!/usr/bin/env node
// `node --import tsx scripts/gradcheck-examples.mjs [--entries N] [--json]`: gradientCheck of every
// example document on its first training batch (N entries per parameter, default gradientCheck's 20);
// prints maxRelError, entries checked and time.
import { readdirSync, readFileSync } from 'node:fs';
import { compile, gradientCheck, loadDataset, parseGraph } from '../engine/index.ts';
import { loadMnistFile } from '../engine/node.ts';

const EXAMPLES = readdirSync(new URL('../public/examples/', import.meta.url)).map((f) => f.replace(/\.json$/, ''));
const args = process.argv.slice(2);
const entriesArg = args.includes('--entries') ? Number(args[args.indexOf('--entries') + 1]) : undefined;

const rows = [];
for (const name of EXAMPLES) {
  const doc = parseGraph(JSON.parse(readFileSync(new URL(`../public/examples/${name}.json`, import.meta.url), 'utf8')));
  const spec = doc.nodes.find((n) => n.type === 'input').data.dataset;
  const data = loadDataset(spec, {
    seed: doc.training.seed,
    mnist: spec.kind === 'mnist' ? loadMnistFile() : undefined,
  });
  const model = compile(doc);
  const rows_ = Math.min(doc.training.batchSize, data.train.x.shape[0]);
  const slice = (t) => {
    const per = t.data.length / t.shape[0];
    return { shape: [rows_, ...t.shape.slice(1)], data: t.data.subarray(0, rows_ * per) };
  };
  const start = performance.now();
  const check = gradientCheck(doc, model, slice(data.train.x), slice(data.train.y), { entriesPerParam: entriesArg });
  const ms = performance.now() - start;
  const checked = check.params.reduce((s, p) => s + p.checked, 0);
  const oneSided = check.params.reduce((s, p) => s + p.oneSided, 0);
  rows.push({ name, batch: rows_, maxRelError: check.maxRelError, checked, oneSided, ms: Math.round(ms) });
}
if (args.includes('--json')) console.log(JSON.stringify(rows));
else {
  console.log('example       batch  maxRelError  checked  one-sided  ms');
  for (const r of rows)
    console.log(
      `${r.name.padEnd(13)} ${String(r.batch).padStart(5)}  ${r.maxRelError.toExponential(2).padStart(11)}  ${String(r.checked).padStart(7)}  ${String(r.oneSided).padStart(9)}  ${String(r.ms).padStart(4)}`,
    );
}
