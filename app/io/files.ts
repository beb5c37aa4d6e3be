// Export and import of graph documents. Imports are validated by the engine; a rejected file
// leaves the current graph untouched and lists every problem.
import { saveAs } from 'file-saver';
import { GraphFormatError, parseGraph, serializeGraph } from '../../engine/index.ts';
import { commands } from '../store/commands.ts';
import { exportedDocument, useEditor } from '../store/documentStore.ts';

/** "<name>.nodegrad.json" with unsafe file-name characters replaced. */
export function exportFileName(name: string): string {
  const visible = [...name].filter((ch) => ch.charCodeAt(0) >= 32).join('');
  const safe = visible.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'graph';
  return `${safe}.nodegrad.json`;
}

export function exportText(): string {
  return `${JSON.stringify(serializeGraph(exportedDocument(useEditor.getState())), null, 2)}\n`;
}

export function exportDocument(): void {
  const { doc, notify } = useEditor.getState();
  saveAs(new Blob([exportText()], { type: 'application/json' }), exportFileName(doc.name));
  notify(`Exported ${exportFileName(doc.name)}`);
}

/** Validates `text` and, when valid, replaces the graph as one undoable step. */
export function importText(text: string, source: string): boolean {
  const state = useEditor.getState();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    useEditor.setState({
      importProblems: { source, problems: [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }] },
    });
    return false;
  }
  try {
    const doc = parseGraph(json);
    const weights = doc.weights;
    state.run(commands.replaceDocument(doc, `Import ${source}`));
    useEditor.getState().setWeights(weights);
    useEditor.setState({ importProblems: null, selectedNodes: [], selectedEdges: [] });
    useEditor.getState().notify(`Imported ${source}`);
    return true;
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    useEditor.setState({ importProblems: { source, problems: e.problems } });
    return false;
  }
}

export async function importFile(file: File): Promise<boolean> {
  if (file.size > 50_000_000) {
    useEditor.setState({
      importProblems: { source: file.name, problems: [{ path: '(file)', message: 'larger than 50 MB' }] },
    });
    return false;
  }
  return importText(await file.text(), file.name);
}

/** Loads public/examples/<name>.json as one undoable step. */
export async function loadExample(name: string): Promise<void> {
  const response = await fetch(`${import.meta.env.BASE_URL}examples/${name}.json`);
  if (!response.ok) throw new Error(`example ${name}: HTTP ${response.status}`);
  importText(await response.text(), `example “${name}”`);
}
