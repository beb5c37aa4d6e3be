// The app reads the same largest document the CLI writes and the CLI reads: one limit, the engine's.
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../engine/index.ts';
import { createEditor } from '../editor/editor.ts';
import { renderProblem } from '../i18n/catalogue.ts';
import { importFile } from './files.ts';

/** A stand-in for a picked file: only its size and name are read before the limit check. */
const fileOf = (size: number, text = '{') => ({ name: 'big.json', size, text: async () => text }) as unknown as File;

describe('import size limit', () => {
  it('refuses a file over MAX_DOCUMENT_BYTES with the engine’s problem; a file at the limit is read', async () => {
    const editor = createEditor();
    expect(await importFile(editor, fileOf(MAX_DOCUMENT_BYTES + 1))).toBe(false);
    const problem = editor.getState().importProblems!.problems[0]!;
    expect(problem).toMatchObject({ path: '(file)', code: 'format.too-large' });
    expect(renderProblem('en', problem)).toMatch(/^the file is 376\.7 MB, more than the 376\.7 MB/);
    expect(renderProblem('ja', problem)).toContain('376.7 MB');
    // At the limit the file is read (and here rejected only as not JSON).
    expect(await importFile(editor, fileOf(MAX_DOCUMENT_BYTES))).toBe(false);
    expect(editor.getState().importProblems!.problems[0]!.code).toBe('import.notJson');
  });
});
