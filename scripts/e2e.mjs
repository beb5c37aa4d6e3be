#!/usr/bin/env node
// The browser tests as `npm test` runs them: Playwright's project 'chromium' (two browsers at once),
// then project 'timed' (the specs that time the app, alone on the machine; see playwright.config.ts).
// Both always run; the exit code is the first failure's. Extra arguments go to both runs.
import { spawnSync } from 'node:child_process';

const extra = process.argv.slice(2);
let code = 0;
for (const project of ['chromium', 'timed']) {
  const r = spawnSync('npx', ['playwright', 'test', `--project=${project}`, '--pass-with-no-tests', ...extra], {
    stdio: 'inherit',
  });
  const status = r.status ?? 1;
  if (code === 0 && status !== 0) code = status;
}
process.exitCode = code;
