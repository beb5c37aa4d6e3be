// The first step of `npm test` on a machine without Chromium, Python's NumPy/PyTorch or a Japanese font
// (on a machine with them, `npm test` itself runs it first and goes on).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJapaneseFont, NEEDS, plan } from './setup-test-env.mjs';

const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['scripts/setup-test-env.mjs'], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('scripts/setup-test-env.mjs', () => {
  it('without them and not root: names exactly what to install, on Debian and elsewhere, and exits 1', () => {
    const r = run({
      NODEGRAD_CHROMIUM: '/nonexistent/chromium',
      NODEGRAD_PYTHONS: '/nonexistent/python3',
      NODEGRAD_FC_LIST: '/nonexistent/fc-list',
      NODEGRAD_NOT_ROOT: '1',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        'nodegrad: the test suite needs what this machine lacks:',
        '  - Chromium for the browser tests',
        '      on Debian/Ubuntu: sudo apt-get install chromium',
        '      elsewhere:        npx playwright install --with-deps chromium',
        '  - a python3 with NumPy and PyTorch (and torchrun) for the export tests',
        '      on Debian/Ubuntu: sudo apt-get install python3-numpy python3-torch',
        '      elsewhere:        pip install numpy torch   (into the python3 on your PATH)',
        '  - a font with Japanese glyphs for the Japanese browser tests and screenshots',
        '      on Debian/Ubuntu: sudo apt-get install fonts-ipafont-gothic fontconfig',
        "      elsewhere:        your distribution's Noto Sans CJK JP or IPAGothic font package (fontconfig must list it)",
        'Then run `npm test` again.',
        '',
      ].join('\n'),
    );
  });

  it('as root on Debian: installs every missing package with apt-get; nothing when nothing is missing', () => {
    expect(plan({ missing: ['chromium', 'python'], root: true, debian: true })).toEqual({
      action: 'apt',
      packages: ['chromium', 'python3-numpy', 'python3-torch'],
    });
    expect(plan({ missing: ['python'], root: true, debian: true })).toEqual({
      action: 'apt',
      packages: NEEDS.python.apt,
    });
    expect(plan({ missing: [], root: false, debian: false })).toEqual({ action: 'ok' });
    expect(plan({ missing: ['chromium'], root: true, debian: false }).action).toBe('instructions');
    expect(plan({ missing: ['japaneseFont'], root: true, debian: true })).toEqual({
      action: 'apt',
      packages: ['fonts-ipafont-gothic', 'fontconfig'],
    });
  });

  it('finds a Japanese font through fontconfig on Linux: a listed family, or none when fc-list lists none or is missing', () => {
    // fc-list prints "Family,Localized name" per line; small scripts stand in for it.
    const dir = mkdtempSync(join(tmpdir(), 'nodegrad-fc-'));
    const script = (name: string, body: string) => {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };
    expect(findJapaneseFont({ NODEGRAD_FC_LIST: script('ipa', "echo 'IPAGothic,IPAゴシック'") }, 'linux')).toBe(
      'IPAGothic',
    );
    expect(findJapaneseFont({ NODEGRAD_FC_LIST: script('none', 'exit 0') }, 'linux')).toBeNull();
    expect(findJapaneseFont({ NODEGRAD_FC_LIST: join(dir, 'missing') }, 'linux')).toBeNull();
    expect(findJapaneseFont({}, 'darwin')).toBe('built in');
  });
});
