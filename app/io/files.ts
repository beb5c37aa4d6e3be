// Export and import of graph documents. Imports are validated by the engine; a rejected file
// leaves the current graph untouched and lists every problem.
import { saveAs } from 'file-saver';
import { documentSizeProblem, GraphFormatError, type Lang, parseGraph, serializeGraph } from '../../engine/index.ts';
import { CATALOGUES, type MessageKey, translate } from '../i18n/catalogue.ts';
import type { Editor } from '../editor/editor.ts';
import { exportedDocument } from '../editor/documents.ts';

/** The graph's name as a file name with `extension`, unsafe characters replaced. */
export function fileNameFor(name: string, extension: string): string {
  const visible = [...name].filter((ch) => ch.charCodeAt(0) >= 32).join('');
  const safe = visible.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'graph';
  return `${safe}.${extension}`;
}

/** "<name>.nodegrad.json" with unsafe file-name characters replaced. */
export const exportFileName = (name: string): string => fileNameFor(name, 'nodegrad.json');

export function exportText(editor: Editor): string {
  return `${JSON.stringify(serializeGraph(exportedDocument(editor.getState())), null, 2)}\n`;
}

export function exportDocument(editor: Editor): void {
  const name = exportFileName(editor.getState().doc.name);
  saveAs(new Blob([exportText(editor)], { type: 'application/json' }), name);
  editor.notify('notice.exported', { name });
}

/**
 * Validates `text` and, when valid, replaces the graph as one undoable step with the file's
 * trained weights (a new training run). Returns false and lists the problems otherwise.
 */
export function importText(editor: Editor, text: string, source: string): boolean {
  let json: unknown;
  try {
    // NOTE: a UTF-8 byte-order mark is not JSON but many editors write one.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    editor.setImportProblems({
      source,
      problems: [
        {
          path: '(file)',
          code: 'import.notJson',
          params: { detail: (e as Error).message },
          message: (e as Error).message,
        },
      ],
    });
    return false;
  }
  try {
    const doc = parseGraph(json);
    const result = editor.run({ type: 'replaceDocument', doc, source: 'import' });
    if (!result.ok) return false;
    editor.setImportProblems(null);
    editor.notify('notice.imported', { source });
    return true;
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    editor.setImportProblems({ source, problems: e.problems });
    return false;
  }
}

export async function importFile(editor: Editor, file: File): Promise<boolean> {
  // NOTE: the engine's one limit (MAX_DOCUMENT_BYTES): every model the CLI can write fits it.
  const tooLarge = documentSizeProblem(file.size);
  if (tooLarge) {
    editor.setImportProblems({ source: file.name, problems: [tooLarge] });
    return false;
  }
  return importText(editor, await file.text(), file.name);
}

/** public/examples/<name>.json, validated. */
export async function fetchExample(name: string, lang: Lang = 'en'): Promise<ReturnType<typeof parseGraph>> {
  const response = await fetch(`${import.meta.env.BASE_URL}examples/${name}.json`);
  if (!response.ok) throw new Error(`example ${name}: HTTP ${response.status}`);
  const doc = parseGraph(await response.json());
  // NOTE: the example's name in the UI's language (the file holds the English one).
  const key = `exampleDoc.${name}`;
  return Object.hasOwn(CATALOGUES.en, key) ? { ...doc, name: translate(lang, key as MessageKey) } : doc;
}

/** Loads an example as one undoable step (a new training run). */
export async function loadExample(editor: Editor, name: string): Promise<void> {
  const doc = await fetchExample(name, editor.getState().lang);
  if (!editor.run({ type: 'replaceDocument', doc, source: 'example' }).ok) return;
  editor.setExample(name);
  editor.setImportProblems(null);
}
