import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium.ts';

// E2E_PORT lets several checkouts run their suites side by side without sharing a preview server.
const port = Number(process.env.E2E_PORT ?? 4173);

/**
 * Specs that time the app (main-thread tasks, seconds to a result, a pace): project 'timed', one test
 * at a time. `npm run test:e2e` (scripts/e2e.mjs) runs it after project 'chromium' has finished, so the
 * suite's own second browser never competes with them. They bound the app's CPU time where they can
 * (e2e/helpers/tasks.ts); wall times still feel the machine's load.
 */
const TIMED = ['dataEdit.spec.ts', 'pace.spec.ts', 'performance.spec.ts', 'training.spec.ts'];

const chromium = { ...devices['Desktop Chrome'], viewport: { width: 1400, height: 900 } };

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // NOTE: every test opens its own browser context (storage included) and shares nothing with another:
  // two browsers at once, any test beside any other.
  workers: 2,
  // NOTE: no retries: a test that fails once has a race to fix, not to hide.
  retries: 0,
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    viewport: { width: 1400, height: 900 },
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: 'chromium', use: chromium, testIgnore: TIMED, fullyParallel: true },
    { name: 'timed', use: chromium, testMatch: TIMED, workers: 1 },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
