#!/usr/bin/env node
// The first step of `npm test`: what the suite needs besides npm packages, installed where it can be.
// - Chromium for the browser tests: Debian's /usr/bin/chromium (Playwright's own download needs the
//   web and Playwright's host libraries), or a browser `npx playwright install chromium` put in place.
// - A python3 with NumPy and PyTorch (and torchrun) for the export tests, which run the exported code.
// - A font with Japanese glyphs (on Linux, as fontconfig lists it): without one, Chromium draws every
//   Japanese character as an empty box, so the Japanese screenshots show nothing readable and the
//   browser tests measure boxes instead of text. macOS and Windows ship one.
// Run as root on Debian, it installs what is missing with apt-get; anywhere else it says exactly what
// to install and exits 1 before any test runs. `.ci/run` reaches it through `npm test` too.
// NODEGRAD_CHROMIUM / NODEGRAD_PYTHONS (a ':'-list) / NODEGRAD_FC_LIST (fontconfig's fc-list) override
// where it looks (for its own test).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** The pythons the export tests try, in order (engine/export/testkit.ts findPython). */
const PYTHONS = ['/usr/bin/python3', 'python3'];
const TORCHRUN = '/usr/bin/torchrun';

/** What is missing, each with its Debian packages and what to do elsewhere. */
export const NEEDS = {
  chromium: {
    what: 'Chromium for the browser tests',
    apt: ['chromium'],
    elsewhere: 'npx playwright install --with-deps chromium',
  },
  python: {
    what: 'a python3 with NumPy and PyTorch (and torchrun) for the export tests',
    apt: ['python3-numpy', 'python3-torch'],
    elsewhere: 'pip install numpy torch   (into the python3 on your PATH)',
  },
  japaneseFont: {
    what: 'a font with Japanese glyphs for the Japanese browser tests and screenshots',
    apt: ['fonts-ipafont-gothic', 'fontconfig'],
    elsewhere: "your distribution's Noto Sans CJK JP or IPAGothic font package (fontconfig must list it)",
  },
};

function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const path = require('@playwright/test').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Where Chromium is, or null. */
export function findChromium(env = process.env) {
  if (env.NODEGRAD_CHROMIUM !== undefined) return existsSync(env.NODEGRAD_CHROMIUM) ? env.NODEGRAD_CHROMIUM : null;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : playwrightChromium();
}

/** The first python that imports numpy and torch (with torchrun beside Debian's), or null. */
export function findPython(env = process.env) {
  const candidates = env.NODEGRAD_PYTHONS !== undefined ? env.NODEGRAD_PYTHONS.split(':').filter(Boolean) : PYTHONS;
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import numpy, torch'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) continue;
    if (python === '/usr/bin/python3' && !existsSync(TORCHRUN)) continue;
    return python;
  }
  return null;
}

/**
 * What to do: nothing, apt-get install the packages (root on Debian), or tell the user.
 *
 * @example
 * plan({ missing: ['python'], root: true, debian: true }); // { action: 'apt', packages: ['python3-numpy', 'python3-torch'] }
 */
export function plan({ missing, root, debian }) {
  if (missing.length === 0) return { action: 'ok' };
  if (root && debian) return { action: 'apt', packages: missing.flatMap((m) => NEEDS[m].apt) };
  const lines = ['nodegrad: the test suite needs what this machine lacks:'];
  for (const m of missing) {
    lines.push(`  - ${NEEDS[m].what}`);
    lines.push(`      on Debian/Ubuntu: sudo apt-get install ${NEEDS[m].apt.join(' ')}`);
    lines.push(`      elsewhere:        ${NEEDS[m].elsewhere}`);
  }
  lines.push('Then run `npm test` again.');
  return { action: 'instructions', lines };
}

/** A Japanese font's name as fontconfig lists it, 'built in' off Linux, or null. */
export function findJapaneseFont(env = process.env, platform = process.platform) {
  if (platform !== 'linux' && env.NODEGRAD_FC_LIST === undefined) return 'built in';
  const r = spawnSync(env.NODEGRAD_FC_LIST ?? 'fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  const first = r.status === 0 ? r.stdout.split('\n').find((l) => l.trim() !== '') : undefined;
  return first ? first.split(',')[0].trim() : null;
}

function missingNow(env) {
  const missing = [];
  if (!findChromium(env)) missing.push('chromium');
  if (!findPython(env)) missing.push('python');
  if (!findJapaneseFont(env)) missing.push('japaneseFont');
  return missing;
}

function main() {
  const env = process.env;
  const root = typeof process.getuid === 'function' && process.getuid() === 0 && env.NODEGRAD_NOT_ROOT === undefined;
  const debian = existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version']).status === 0;
  const missing = missingNow(env);
  const todo = plan({ missing, root, debian });
  if (todo.action === 'ok') {
    console.log(
      `test set-up: Chromium at ${findChromium(env)}, Python with NumPy and PyTorch at ${findPython(env)}, Japanese font ${findJapaneseFont(env)}`,
    );
    return 0;
  }
  if (todo.action === 'instructions') {
    for (const line of todo.lines) console.error(line);
    return 1;
  }
  console.log(
    `test set-up: installing ${todo.packages.join(' ')} with apt-get (${missing.map((m) => NEEDS[m].what).join('; ')})`,
  );
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...todo.packages],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: aptEnv });
    if (r.status !== 0) {
      console.error(
        `nodegrad: apt-get ${args[0]} failed (exit ${r.status}); install ${todo.packages.join(' ')} and run npm test again`,
      );
      return 1;
    }
  }
  const still = missingNow(env);
  if (still.length === 0) return 0;
  console.error(`nodegrad: still missing after apt-get: ${still.map((m) => NEEDS[m].what).join('; ')}`);
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
