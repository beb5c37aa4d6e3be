import { parseArgs as parseArgv } from 'node:util';

export interface TrainArgs {
  command: 'train';
  file: string;
  epochs?: number;
  out?: string;
  seed?: number;
  /** Threads per training step (CompileOptions.threads); default 'auto'. */
  threads?: number | 'auto';
  json: boolean;
  /** Print the stack of an internal error. */
  debug?: boolean;
}

export const EXPORT_FORMATS = ['onnx', 'pytorch', 'numpy'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportArgs {
  command: 'export';
  file: string;
  to: ExportFormat;
  out: string;
  seed?: number;
  debug?: boolean;
}

export interface ImportArgs {
  command: 'import-data';
  /** A .csv file, an HDF5 file or a folder of class folders of images. */
  source: string;
  into: string;
  out: string;
  x?: string;
  y?: string;
  test?: string;
  testX?: string;
  testY?: string;
  target?: string;
  size?: { width: number; height: number };
  debug?: boolean;
}

export interface SweepArgs {
  command: 'sweep';
  file: string;
  /** Each `--vary <path>=<v1>,<v2>,…` as written (checked against the document by sweepVariants). */
  varies: string[];
  epochs?: number;
  repeats: number;
  /** Threads per run's training step; default: 'auto' when cores are left over by the runs, else 1. */
  threads?: number | 'auto';
  json: boolean;
  debug?: boolean;
}

export type CliArgs = TrainArgs | ExportArgs | ImportArgs | SweepArgs | { command: 'help' };

export const USAGE = `Usage: nodegrad train <graph.json> [--epochs N] [--out trained.json] [--seed N] [--threads N|auto] [--json] [--debug]
       nodegrad export <graph.json> --to onnx|pytorch|numpy --out FILE [--seed N] [--debug]
       nodegrad sweep <graph.json> --vary <path>=<v1>,<v2>,… [--vary …] [--epochs N] [--repeats R] [--threads N|auto] [--json] [--debug]
       nodegrad import-data <file.csv | file.h5 | folder> --into <graph.json> --out <new.json>
                [--x NAME --y NAME] [--test FILE [--test-x NAME --test-y NAME]] [--target COLUMN] [--size WxH]

train: trains a nodegrad graph document headless with the same engine as the app.
  --epochs N   train N epochs (default: the document's training.epochs)
  --out FILE   write the document with its trained weights to FILE (checked before training)
  --seed N     override training.seed (initialisation and shuffling)
  --threads N  split each training step over N threads (1 or 2; default auto: 2 for large steps
               such as a CNN's when two cores are there, 1 for small ones such as XOR or the MNIST MLP;
               always 1 with BatchNorm or Dropout, whose batch statistics and masks cannot be split)
  --json       print one JSON summary object as the last line
  --debug      print the stack trace of an internal error
export: writes the graph with its weights (initialised from the seed when it has none) as an ONNX
model, a PyTorch program or a from-scratch NumPy program.
  --to FORMAT  onnx, pytorch or numpy
  --out FILE   where to write it
sweep: trains every combination of the varied settings (each --repeats times, seeds seed, seed+1, …)
in parallel worker threads (one per core) and prints mean ± sd of the test loss per combination.
  --vary P=V,…   a setting and its values: <nodeId>.<field> (h.units=1,3,10, ha.fn=relu,tanh),
                 <denseId>.layers=1,2,3 (that Dense and the Activation after it, repeated in a chain),
                 or training.<field> (training.optimizer.learningRate=0.1,0.01, training.optimizer.type,
                 training.batchSize, training.epochs, training.seed); at most two --vary usually read well
  --epochs N     train each run N epochs (default: the document's, or the varied training.epochs)
  --repeats R    train each combination R times with seeds seed, seed+1, … (default 1)
  --threads N    threads per run's training step (default: auto where the runs leave cores free, else 1)
  --json         print the runs as one JSON object as the last line
import-data: stores a dataset inline in the graph's Input node (files over 50 MB are refused).
  --into FILE      the graph document to import into; --out FILE the new document
  --x, --y NAME    HDF5 datasets of inputs and labels (default: train_set_x, train_set_y or a guess)
  --test FILE      an HDF5 file with the test split; --test-x, --test-y its names (default: train_ → test_)
  --target COLUMN  the CSV column to predict (default: one named label/target/class/y, else the last)
  --size WxH       image folders: resize every image to W×H pixels (default 64x64)
Exit codes: 0 done, 1 stopped on NaN/Infinity, 2 bad usage or input, 3 internal error.`;

const IMPORT_OPTIONS = {
  into: { type: 'string' },
  out: { type: 'string' },
  x: { type: 'string' },
  y: { type: 'string' },
  test: { type: 'string' },
  'test-x': { type: 'string' },
  'test-y': { type: 'string' },
  target: { type: 'string' },
  size: { type: 'string' },
  debug: { type: 'boolean' },
} as const;

/** Largest side --size takes. */
export const MAX_IMAGE_SIDE = 1024;

function parseImportArgs(rest: readonly string[]): ImportArgs {
  const args: ImportArgs = { command: 'import-data', source: '', into: '', out: '' };
  const { tokens } = parseArgv({
    args: [...rest],
    options: IMPORT_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const names = { 'test-x': 'testX', 'test-y': 'testY' } as const;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (args.source) throw new Error(`unexpected argument '${t.value}'`);
      args.source = t.value;
    } else if (t.kind === 'option') {
      if (!Object.hasOwn(IMPORT_OPTIONS, t.name)) throw new Error(`unknown option '${t.rawName}'`);
      const name = t.name as keyof typeof IMPORT_OPTIONS;
      if (name === 'debug') {
        if (t.value !== undefined) throw new Error('--debug takes no value');
        args.debug = true;
        continue;
      }
      if (!t.value) throw new Error(`--${name} needs a value`);
      if (name === 'size') {
        const m = /^(\d+)x(\d+)$/i.exec(t.value);
        const [width, height] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
        if (!m || width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
          throw new Error(`--size needs WIDTHxHEIGHT with sides 1 to ${MAX_IMAGE_SIDE}, e.g. 64x64 (got '${t.value}')`);
        args.size = { width, height };
      } else if (name === 'test-x' || name === 'test-y') args[names[name]] = t.value;
      else args[name] = t.value;
    }
  }
  if (!args.source) throw new Error('import-data needs a CSV file, an HDF5 file or an image folder');
  if (!args.into) throw new Error('import-data needs --into <graph.json>');
  if (!args.out) throw new Error('import-data needs --out <new.json>');
  if ((args.testX || args.testY) && !args.test) throw new Error('--test-x and --test-y need --test FILE');
  return args;
}

const SWEEP_OPTIONS = {
  vary: { type: 'string', multiple: true },
  epochs: { type: 'string' },
  repeats: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
} as const;

/** --threads: 'auto' or a whole number ≥ 1. */
function threadsOption(v: string | undefined): number | 'auto' {
  if (v === 'auto') return v;
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1)
    throw new Error("--threads needs a whole number ≥ 1 or 'auto'");
  return Number(v);
}

/** A whole number ≥ min from an option's value, or an Error saying what the option needs. */
function wholeNumber(flag: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isInteger(n) || n < min)
    throw new Error(`${flag} needs a whole number ≥ ${min}`);
  return n;
}

function parseSweepArgs(rest: readonly string[]): SweepArgs {
  const args: SweepArgs = { command: 'sweep', file: '', varies: [], repeats: 1, json: false };
  const { tokens } = parseArgv({
    args: [...rest],
    options: SWEEP_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (args.file) throw new Error(`unexpected argument '${t.value}'`);
      args.file = t.value;
    } else if (t.kind === 'option') {
      if (!Object.hasOwn(SWEEP_OPTIONS, t.name)) throw new Error(`unknown option '${t.rawName}' for sweep`);
      const name = t.name as keyof typeof SWEEP_OPTIONS;
      if (name === 'json' || name === 'debug') {
        if (t.value !== undefined) throw new Error(`--${name} takes no value`);
        args[name] = true;
      } else if (name === 'epochs') args.epochs = wholeNumber('--epochs', t.value, 1);
      else if (name === 'repeats') args.repeats = wholeNumber('--repeats', t.value, 1);
      else if (name === 'threads') args.threads = threadsOption(t.value);
      else {
        if (!t.value) throw new Error('--vary needs <path>=<v1>,<v2>,… (e.g. h.units=1,3,10)');
        args.varies.push(t.value);
      }
    }
  }
  if (!args.file) throw new Error('sweep needs a graph file');
  if (args.varies.length === 0) throw new Error('sweep needs at least one --vary <path>=<v1>,<v2>,…');
  return args;
}

const OPTIONS = {
  epochs: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
} as const;

/** The options `export` takes (`train` takes all but --to). */
const EXPORT_OPTIONS = new Set(['to', 'out', 'seed', 'debug']);

/** Parses argv (without node and script); throws an Error with a usage message on mistakes. */
export function parseArgs(argv: readonly string[]): CliArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help')
    return { command: 'help' };
  const [command, ...rest] = argv;
  if (command === 'import-data') return parseImportArgs(rest);
  if (command === 'sweep') return parseSweepArgs(rest);
  if (command !== 'train' && command !== 'export') throw new Error(`unknown command '${command}'`);
  const args: Omit<TrainArgs, 'command'> & { to?: string } = { file: '', json: false };
  const whole = wholeNumber;
  // NOTE: not strict, and walked token by token, so our own messages stay: strict mode rejects a
  // value that starts with '-' as ambiguous, where `--seed -1` should say what --seed needs.
  const { tokens } = parseArgv({
    args: [...rest],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (args.file) throw new Error(`unexpected argument '${t.value}'`);
      args.file = t.value;
    } else if (t.kind === 'option') {
      const allowed = command === 'export' ? EXPORT_OPTIONS.has(t.name) : t.name !== 'to';
      if (!Object.hasOwn(OPTIONS, t.name) || !allowed)
        throw new Error(`unknown option '${t.rawName}'${command === 'export' ? ' for export' : ''}`);
      const flag = `--${t.name}`;
      if (t.name === 'json' || t.name === 'debug') {
        if (t.value !== undefined) throw new Error(`${flag} takes no value`);
        args[t.name] = true;
      } else if (t.name === 'epochs') args.epochs = whole(flag, t.value, 1);
      else if (t.name === 'seed') args.seed = whole(flag, t.value, 0);
      else if (t.name === 'threads') args.threads = threadsOption(t.value);
      else if (t.name === 'to') {
        if (!EXPORT_FORMATS.includes(t.value as ExportFormat))
          throw new Error(`--to needs one of ${EXPORT_FORMATS.join(', ')}${t.value ? `, not '${t.value}'` : ''}`);
        args.to = t.value;
      } else {
        if (!t.value) throw new Error('--out needs a file name');
        args.out = t.value;
      }
    }
  }
  if (!args.file) throw new Error(`${command} needs a graph file`);
  if (command === 'train') return { command, ...args };
  if (!args.to) throw new Error(`export needs --to ${EXPORT_FORMATS.join('|')}`);
  if (!args.out) throw new Error('export needs --out FILE');
  const exported: ExportArgs = { command, file: args.file, to: args.to as ExportFormat, out: args.out };
  if (args.seed !== undefined) exported.seed = args.seed;
  if (args.debug) exported.debug = true;
  return exported;
}
