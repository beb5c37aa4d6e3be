import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EXAMPLES } from '../panels/exampleNames.ts';
import { halfWidthMarks, NODE_DEFINITIONS, trainingConfigSchema } from '../../engine/index.ts';
import { CATALOGUES, commandText, preferredLang, renderProblem, translate } from './catalogue.ts';

// Strings that read the same in both languages (names, symbols, placeholders only).
const SAME = new Set([
  'example.and',
  'example.mnist',
  'example.xor',
  'exampleDoc.mnist',
  'exampleDoc.xor',
  'lessons.progress',
  'maps.more',
  'import.cnnName',
  'train.workerError',
]);

describe('catalogue', () => {
  it('has every key in both languages, and Japanese texts that are not the English ones', () => {
    const en = Object.keys(CATALOGUES.en).sort();
    expect(Object.keys(CATALOGUES.ja).sort()).toEqual(en);
    for (const key of en) {
      const ja = CATALOGUES.ja[key as keyof typeof CATALOGUES.ja];
      expect(ja, key).toBeTruthy();
      if (!SAME.has(key)) expect(ja, key).not.toBe(CATALOGUES.en[key as keyof typeof CATALOGUES.en]);
    }
  });

  it('keeps the same placeholders in both languages', () => {
    for (const [key, en] of Object.entries(CATALOGUES.en)) {
      const names = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(CATALOGUES.ja[key as keyof typeof CATALOGUES.ja]), key).toEqual(names(en));
    }
  });

  it('sets Japanese brackets as Japanese: 「」 and （）, no space beside them', () => {
    const found = Object.keys(CATALOGUES.ja)
      .map((key) => [key, halfWidthMarks(translate('ja', key as keyof typeof CATALOGUES.ja))] as const)
      .filter(([, marks]) => marks.length > 0);
    expect(Object.fromEntries(found)).toEqual({});
  });

  it('names every example, its button and its document, in both languages (English: the file’s name)', () => {
    for (const name of EXAMPLES) {
      const file = JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')) as { name: string };
      for (const key of [`example.${name}`, `exampleDoc.${name}`])
        expect(Object.hasOwn(CATALOGUES.en, key), key).toBe(true);
      expect(CATALOGUES.en[`exampleDoc.${name}` as keyof typeof CATALOGUES.en]).toBe(file.name);
    }
  });

  it('names a changed field in the undo tooltip as the inspector does, never by its key', () => {
    const keys = [
      'dataset',
      ...Object.keys(trainingConfigSchema.shape),
      ...NODE_DEFINITIONS.flatMap((d) => d.fields.map((f) => f.key)),
    ];
    for (const field of keys)
      for (const key of ['cmd.setField', 'cmd.setTraining'])
        expect(commandText('ja', { key, params: { field, node: 'h' } }), `${key} ${field}`).not.toMatch(
          new RegExp(`\\b${field}\\b`),
        );
  });

  it('fills placeholders and renders engine problems from code and params', () => {
    expect(translate('ja', 'train.speed', { n: '1,000' })).toBe('1,000 サンプル/秒');
    const p = {
      code: 'loss.shape-mismatch',
      params: { node: 'L', nodeType: 'loss', pred: [8], target: [1] },
      message: '',
    };
    expect(renderProblem('en', p)).toBe("Loss 'L' compares pred [8] with target [1]");
    expect(renderProblem('ja', p)).toContain('損失「L」が');
  });

  it('starts in the saved language, else the browser’s', () => {
    expect(preferredLang(null, ['ja-JP', 'en'])).toBe('ja');
    expect(preferredLang('en', ['ja-JP'])).toBe('en');
    expect(preferredLang(null, ['de'])).toBe('en');
  });
});
