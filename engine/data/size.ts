// One size limit for imported files (CSV, HDF5, images), shared by the CLI and the app's dialog.
import { problemMessage } from '../nodes/index.ts';

/** Files over it are refused: the data is kept inline in the graph file and trained in memory. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Why a file of `bytes` bytes is refused, or undefined when it may be imported.
 *
 * @example
 * importSizeProblem('x.h5', 64_172_851); // "x.h5 is 61.2 MB; files over 50 MB are refused (…)"
 */
export function importSizeProblem(name: string, bytes: number): string | undefined {
  if (bytes <= MAX_IMPORT_BYTES) return undefined;
  return problemMessage('dataset.import-too-large', { file: name, bytes, limit: MAX_IMPORT_BYTES });
}
