#!/usr/bin/env node
// `npm run bench [-- --json] [-- --quick]`: nodegrad vs TensorFlow.js (cpu and wasm) in one process.
// NOTE: tfjs-core's ES modules use directory imports that Node cannot resolve, so the benchmark is
// bundled with esbuild (as a web bundler would) into one CommonJS file first.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'nodegrad-bench.cjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'scripts', 'bench', 'bench.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'error',
  // Playwright (the browser row) and esbuild (which bundles that row's worker) stay in node_modules.
  external: ['@playwright/test', 'esbuild'],
  // One copy of tfjs-core for all packages: the ES module builds, as web bundlers pick.
  mainFields: ['module', 'main'],
  // scripts/ensure-data.mjs finds the project from import.meta.url: point it at this file.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: {
    js: "const importMetaUrl = require('url').pathToFileURL(require('path').join(process.cwd(), 'scripts', 'bench.mjs')).href;",
  },
});
process.chdir(root);
const { runBenchmarks } = createRequire(import.meta.url)(outfile);
await runBenchmarks(process.argv.slice(2));
