// One size limit for a document file, derived from the format's own limits, so the largest valid
// model round-trips: the CLI writes it with its weights, and the CLI and the app read it back.
import { problemMessage } from '../nodes/index.ts';
import type { FormatProblem } from './parse.ts';
import { MAX_CSV_CHARS, MAX_NODES } from './schema.ts';
import { MAX_PARAMETERS } from './types.ts';

/** Every parameter as base64 of float32: 4 characters per 3 bytes (≈ 267 MB at the cap). */
const WEIGHT_BYTES = 4 * Math.ceil((MAX_PARAMETERS * 4) / 3);
/**
 * An inline CSV as JSON text in UTF-8: an escaped quote or newline takes 2 bytes, a non-ASCII
 * character up to 3. NOTE: control characters (6 bytes as \u00XX) do not belong in a CSV and are
 * not budgeted.
 */
const CSV_BYTES = 3 * MAX_CSV_CHARS;
/** Nodes, edges, tensor fields and indentation: MAX_NODES nodes and 4 × MAX_NODES edges at ≈ 1 KB each. */
const GRAPH_BYTES = 5 * MAX_NODES * 1000;

/**
 * Largest document file (bytes of UTF-8 JSON) the CLI and the app read: a model at MAX_PARAMETERS
 * with its weights, a CSV at its cap and the graph (≈ 377 MB). NOTE: below V8's longest string
 * (2^29 − 24 characters), so Node and Chromium hold the whole file as one string.
 */
export const MAX_DOCUMENT_BYTES = WEIGHT_BYTES + CSV_BYTES + GRAPH_BYTES;

/**
 * The problem of a document file of `bytes` bytes, or null when it is small enough to read.
 *
 * @example
 * const tooLarge = documentSizeProblem(file.size); // code "format.too-large" over MAX_DOCUMENT_BYTES
 */
export function documentSizeProblem(bytes: number): FormatProblem | null {
  if (bytes <= MAX_DOCUMENT_BYTES) return null;
  const params = { bytes, limit: MAX_DOCUMENT_BYTES, parameters: MAX_PARAMETERS };
  return { path: '(file)', code: 'format.too-large', params, message: problemMessage('format.too-large', params) };
}
