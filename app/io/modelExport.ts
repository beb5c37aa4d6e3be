// The graph with its weights as ONNX, PyTorch or NumPy, made by the engine's exporters (the same code
// as `nodegrad export`). Untrained graphs export with the weights initialised from the seed.
import { saveAs } from 'file-saver';
import { compile, exportNumpy, exportOnnx, exportPyTorch, type GraphDoc } from '../../engine/index.ts';
import type { Editor } from '../editor/editor.ts';
import { exportedDocument } from '../editor/documents.ts';

export type ModelFormat = 'onnx' | 'pytorch' | 'numpy';
export type CodeFormat = Exclude<ModelFormat, 'onnx'>;

/** The graph's name as a Python identifier: "XOR 2-3-1" → "xor_2_3_1" (model files are named after it). */
function stem(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s : `graph_${s}`.replace(/_+$/, '');
}

/** A Python module name from the graph's name: "XOR 2-3-1" → "xor_2_3_1_pytorch.py". */
export const pythonFileName = (name: string, format: CodeFormat): string => `${stem(name)}_${format}.py`;

/** The code of `doc` (weights elided for reading, or embedded to run). */
export function modelCode(doc: GraphDoc, format: CodeFormat, elideWeights: boolean): string {
  const model = compile(doc);
  return format === 'pytorch' ? exportPyTorch(doc, model, { elideWeights }) : exportNumpy(doc, model, { elideWeights });
}

/** Downloads the graph on screen in `format`; returns the file name. Throws a CompileError for a graph that does not compile. */
export function downloadModel(editor: Editor, format: ModelFormat): string {
  const doc = exportedDocument(editor.getState());
  if (format === 'onnx') {
    const name = `${stem(doc.name)}.onnx`;
    const bytes = exportOnnx(doc, compile(doc));
    saveAs(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), name);
    return name;
  }
  const name = pythonFileName(doc.name, format);
  saveAs(new Blob([modelCode(doc, format, false)], { type: 'text/x-python' }), name);
  return name;
}
