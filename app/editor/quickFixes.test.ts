import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { problemHint } from '../i18n/catalogue.ts';
import { createEditor } from './editor.ts';
import { quickFix } from './quickFixes.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

describe('the fix for a prediction the wrong size', () => {
  it('names the Dense that sets the size, not the Activation after it, and sets its units in one step', () => {
    const editor = createEditor();
    editor.load(example('and'));
    editor.run({ type: 'setField', nodeId: 'n', key: 'units', value: 3 });
    const problem = editor.getState().analysis.problems.find((p) => p.code === 'loss.shape-mismatch');
    expect(problem).toBeDefined();
    for (const lang of ['en', 'ja'] as const) {
      const hint = problemHint(lang, problem!);
      const [named, notNamed] = lang === 'ja' ? ['「n」', '「na」'] : ["'n'", "'na'"];
      expect(hint, lang).toContain(named);
      expect(hint, lang).not.toContain(notNamed);
    }
    const fix = quickFix(editor.getState().doc, problem!);
    expect(fix).not.toBeNull();
    expect(editor.run(fix!.command).ok).toBe(true);
    expect(editor.getState().analysis.problems).toEqual([]);
    expect(editor.getState().doc.nodes.find((n) => n.id === 'n')?.data).toMatchObject({ units: 1 });
  });
});
