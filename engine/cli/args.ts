export interface TrainArgs {
  command: 'train';
  file: string;
  epochs?: number;
  out?: string;
  seed?: number;
  json: boolean;
}

export type CliArgs = TrainArgs | { command: 'help' };

export const USAGE = `Usage: nodegrad train <graph.json> [--epochs N] [--out trained.json] [--seed N] [--json]

Trains a nodegrad graph document headless with the same engine as the app.
  --epochs N   train N epochs (default: the document's training.epochs)
  --out FILE   write the document with its trained weights to FILE
  --seed N     override training.seed (initialisation and shuffling)
  --json       print one JSON summary object as the last line
Exit codes: 0 trained, 1 stopped on NaN/Infinity, 2 bad usage or input.`;

/** Parses argv (without node and script); throws an Error with a usage message on mistakes. */
export function parseArgs(argv: readonly string[]): CliArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help')
    return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'train') throw new Error(`unknown command '${command}'`);
  const args: TrainArgs = { command: 'train', file: '', json: false };
  const positive = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--epochs') args.epochs = positive(a, rest[++i], 1);
    else if (a === '--seed') args.seed = positive(a, rest[++i], 0);
    else if (a === '--out') {
      const v = rest[++i];
      if (!v) throw new Error('--out needs a file name');
      args.out = v;
    } else if (a.startsWith('-')) throw new Error(`unknown option '${a}'`);
    else if (!args.file) args.file = a;
    else throw new Error(`unexpected argument '${a}'`);
  }
  if (!args.file) throw new Error('train needs a graph file');
  return args;
}
