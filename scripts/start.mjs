#!/usr/bin/env node
// `npm start`: installs dependencies when needed, generates data files, then runs the dev server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('nodegrad: installing dependencies (npm ci)…');
  run('npm', ['ci']);
}
run('npm', ['run', 'dev', '--', ...process.argv.slice(2)]);
