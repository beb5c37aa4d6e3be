// How nodegrad starts Chromium, for the Playwright suite and the benchmark's browser row.
import { existsSync } from 'node:fs';

// Debian's chromium where it exists (Playwright's own browser download is not always possible);
// Playwright's bundled browser otherwise.
const debianChromium = '/usr/bin/chromium';

export const chromiumLaunchOptions = {
  executablePath: existsSync(debianChromium) ? debianChromium : undefined,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
