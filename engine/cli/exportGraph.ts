// `nodegrad export <graph.json> --to onnx|pytorch|numpy --out FILE`: the graph with its weights as a model or a program.
import { compile, exportNumpy, exportOnnx, exportPyTorch } from '../index.ts';
import type { ExportArgs } from './args.ts';
import { cannotWrite, compileFailure, fail, readGraph, reason, writeOutput } from './files.ts';

const EXIT_OK = 0;

/** `nodegrad export`: the graph with its weights (initialised from the seed when it has none). */
export function exportGraph(args: ExportArgs): number {
  const unwritable = cannotWrite(args.out);
  if (unwritable) return fail([`nodegrad: cannot write ${args.out}: ${unwritable}`]);
  const doc = readGraph(args.file);
  if (typeof doc === 'number') return doc;
  let model: ReturnType<typeof compile>;
  try {
    model = compile(doc, args.seed === undefined ? {} : { seed: args.seed });
  } catch (e) {
    return compileFailure(args.file, e);
  }
  const output =
    args.to === 'onnx'
      ? exportOnnx(doc, model)
      : args.to === 'pytorch'
        ? exportPyTorch(doc, model)
        : exportNumpy(doc, model);
  try {
    writeOutput(args.out, output);
  } catch (e) {
    return fail([`nodegrad: cannot write ${args.out}: ${reason(e)}`]);
  }
  const bytes = typeof output === 'string' ? Buffer.byteLength(output) : output.length;
  const weights = doc.weights ? 'its saved weights' : `weights initialised from seed ${args.seed ?? doc.training.seed}`;
  console.log(`wrote ${args.out} (${args.to}, ${bytes.toLocaleString('en-US')} bytes) with ${weights}`);
  return EXIT_OK;
}
