// `nodegrad import-data <file.csv | file.h5 | folder> --into graph.json --out new.json`: the same
// engine/data code as the app's import dialog; this file only reads the disk and prints.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import {
  analyzeGraph,
  csvDataset,
  DatasetError,
  type DatasetSpec,
  datasetSummary,
  decodeCsvBytes,
  hdf5Dataset,
  ignoredFilesProblem,
  imageFolderDataset,
  imageFolderFiles,
  importSizeProblem,
  previewCsv,
  problemMessage,
  serializeGraph,
} from '../index.ts';
import type { ImportArgs } from './args.ts';
import { cannotWrite, fail, readGraph, reason, writeOutput } from './files.ts';

const DEFAULT_SIZE = { width: 64, height: 64 };
const HDF5_SIGNATURE = '\x89HDF\r\n\x1a\n';

/** Every file under `dir`, with its path relative to it ('class/…/file.png'). */
function filesUnder(dir: string): { path: string; full: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return { path: relative(dir, full).split(sep).join('/'), full, bytes: statSync(full).size };
    });
}

const bytesOf = (file: string) => {
  const b = readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

const isHdf5 = (file: string, bytes: Uint8Array) =>
  /\.(h5|hdf5|he5|hdf)$/i.test(file) || new TextDecoder('latin1').decode(bytes.subarray(0, 8)) === HDF5_SIGNATURE;

/** The dataset, and lines to print after its summary; or the lines of why it cannot be read. */
type Read = { spec: DatasetSpec; notes: string[] } | string[];

async function readSpec(args: ImportArgs): Promise<Read> {
  const stat = statSync(args.source);
  if (stat.isDirectory()) {
    const { images, ignored } = imageFolderFiles(filesUnder(args.source));
    const total = images.reduce((sum, f) => sum + f.bytes, 0);
    const tooLarge = importSizeProblem(`${args.source} (${images.length} files)`, total);
    if (tooLarge) return [`nodegrad: ${tooLarge}`];
    const size = args.size ?? DEFAULT_SIZE;
    const spec = imageFolderDataset(
      images.map((f) => ({ path: f.path, bytes: bytesOf(f.full) })),
      size,
    );
    const note = ignoredFilesProblem(ignored.map((f) => f.path));
    return { spec, notes: note ? [problemMessage(note.code, note.params)] : [] };
  }
  const name = basename(args.source);
  for (const [file, label] of [
    [args.source, name],
    [args.test, args.test && basename(args.test)],
  ] as const) {
    if (!file) continue;
    const tooLarge = importSizeProblem(label ?? file, statSync(file).size);
    if (tooLarge) return [`nodegrad: ${tooLarge}`];
  }
  const bytes = bytesOf(args.source);
  if (isHdf5(args.source, bytes)) {
    const spec = await hdf5Dataset(bytes, {
      x: args.x,
      y: args.y,
      test: args.test ? bytesOf(args.test) : undefined,
      testX: args.testX,
      testY: args.testY,
      trainName: name,
      testName: args.test && basename(args.test),
    });
    return { spec, notes: [] };
  }
  if (extname(args.source).toLowerCase() !== '.csv' && extname(args.source) !== '')
    return [`nodegrad: ${name}: expected a .csv file, an HDF5 file (.h5) or a folder of class folders of images`];
  const { text, encoding } = decodeCsvBytes(bytes);
  const spec = csvDataset(text, { target: args.target ?? previewCsv(text).suggestedTarget });
  return { spec, notes: encoding === 'UTF-8' ? [] : [`read ${name} as ${encoding} text`] };
}

/** Runs `import-data`; resolves to the exit code. */
export async function importData(args: ImportArgs): Promise<number> {
  const unwritable = cannotWrite(args.out);
  if (unwritable) return fail([`nodegrad: cannot write ${args.out}: ${unwritable}`]);
  const doc = readGraph(args.into);
  if (typeof doc === 'number') return doc;
  const input = doc.nodes.find((n) => n.type === 'input');
  if (input?.type !== 'input') return fail([`nodegrad: ${args.into} has no Input node to import into`]);
  const started = performance.now();
  let read: Read;
  try {
    read = await readSpec(args);
  } catch (e) {
    if (e instanceof DatasetError) return fail([`nodegrad: ${e.message}`]);
    const code = (e as NodeJS.ErrnoException).code;
    if (code) return fail([`nodegrad: cannot read ${(e as NodeJS.ErrnoException).path ?? args.source}: ${reason(e)}`]);
    throw e;
  }
  if (Array.isArray(read)) return fail(read);
  const { spec, notes } = read;
  const seconds = (performance.now() - started) / 1000;
  input.data.dataset = spec;
  const text = `${JSON.stringify(serializeGraph(doc), null, 2)}\n`;
  try {
    writeOutput(args.out, text);
  } catch (e) {
    return fail([`nodegrad: cannot write ${args.out}: ${reason(e)}`]);
  }
  const mb = (Buffer.byteLength(text) / 1e6).toFixed(1);
  console.log(`imported ${datasetSummary(spec)} in ${seconds.toFixed(2)} s; wrote ${args.out} (${mb} MB)`);
  for (const note of notes) console.log(note);
  // NOTE: images are [H, W, C] per sample; a Dense right after the Input needs a Flatten between.
  for (const p of analyzeGraph(doc).problems) if (p.code === 'dense.input-rank') console.log(`hint: ${p.message}`);
  return 0;
}
