// Reading and writing files for the CLI's commands: one place for the messages of a bad path.
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CompileError, documentSizeProblem, GraphFormatError, parseGraph } from '../index.ts';
import type { GraphDoc } from '../format/types.ts';

export const EXIT_BAD_INPUT = 2;

export const reason = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Why `path` cannot be written, or null when it can: checked before training, not after. */
export function cannotWrite(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
    accessSync(path, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `${dirname(path)} is not a directory`;
    if (code !== 'ENOENT') return reason(e);
  }
  // Its directory must exist and take new files (writeOutput writes a temporary file beside it).
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `directory ${dir} does not exist` : reason(e);
  }
}

/**
 * Writes `path` whole or not at all: the bytes go to a temporary file in the same folder, which is
 * renamed over `path` only once complete, so a failed write (disk full, a signal) leaves the old file
 * as it was. Throws the write's error after removing the temporary file.
 */
export function writeOutput(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx');
  try {
    const mode = existingMode(path);
    if (mode !== null) fchmodSync(fd, mode);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    unlinkSync(temp);
    throw e;
  }
}

function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}

export function fail(lines: string[]): number {
  for (const line of lines) console.error(line);
  return EXIT_BAD_INPUT;
}

/** A graph document from a file, or the exit code after printing why it cannot be used. */
export function readGraph(file: string): GraphDoc | number {
  let text: string;
  try {
    // NOTE: the app refuses the same files (one limit: engine/format/size.ts).
    const tooLarge = documentSizeProblem(statSync(file).size);
    if (tooLarge) return fail([`nodegrad: ${file}: ${tooLarge.message}`]);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail([`nodegrad: cannot read ${file}: ${reason(e)}`]);
  }
  let json: unknown;
  try {
    // NOTE: editors on Windows save UTF-8 with a byte order mark, which JSON.parse rejects.
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return fail([`nodegrad: ${file} is not valid JSON: ${(e as Error).message}`]);
  }
  try {
    return parseGraph(json);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    return fail([
      `nodegrad: ${file} is not a valid nodegrad graph:`,
      ...e.problems.map((p) => `  ${p.path}: ${p.message}`),
    ]);
  }
}

/** The exit code for a document that does not compile, after listing its problems. */
export function compileFailure(file: string, e: unknown): number {
  if (!(e instanceof CompileError)) throw e;
  return fail([
    `nodegrad: ${file} does not compile:`,
    ...e.problems.map((p) => `  ${p.nodeId ?? p.edgeId ?? 'graph'}: ${p.message}`),
  ]);
}
