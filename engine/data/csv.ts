// A CSV before it becomes a dataset: a preview with column kinds for the import dialog, then a
// validated `csv` spec.
import { loadDataset } from '../datasets/index.ts';
import { type CsvFacts, isCsvNumber, readCsvFacts, readCsvRows } from '../datasets/csv.ts';
import { DatasetError } from '../datasets/errors.ts';
import { MAX_CSV_CHARS } from '../format/schema.ts';
import type { DatasetSpec } from '../format/types.ts';

export interface CsvColumn {
  name: string;
  /** 0-based position in the header. */
  index: number;
  /** Numeric when every non-empty cell reads as a number. */
  kind: 'numeric' | 'categorical';
  /** Distinct non-empty values. */
  distinct: number;
  /** Empty cells. */
  empty: number;
}

export interface CsvPreview {
  header: string[];
  /** The first rows, as text. */
  rows: string[][];
  /** All data rows. */
  rowCount: number;
  columns: CsvColumn[];
  /** A column named like a label ("label", "target", "class", "y"), else the last one. */
  suggestedTarget: string;
}

/** How decodeCsvBytes read a file's bytes. */
export type TextEncodingName = 'UTF-8' | 'UTF-16 LE' | 'UTF-16 BE' | 'Shift_JIS';

/**
 * A CSV file's text: UTF-8 (a byte order mark dropped), UTF-16 by its byte order mark or its zero
 * bytes (Excel's "Unicode text"), else Shift_JIS when the bytes are not UTF-8 but are Shift_JIS
 * (Excel's CSV on Japanese Windows); otherwise UTF-8 with replacement characters.
 *
 * @example
 * decodeCsvBytes(bytes); // { text: 'x,y\n…', encoding: 'UTF-16 LE' }
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const decode = (label: string, fatal = false) => new TextDecoder(label, { fatal }).decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode('utf-16le'), encoding: 'UTF-16 LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode('utf-16be'), encoding: 'UTF-16 BE' };
  // NOTE: ASCII text in UTF-16 has a zero byte in every pair: on the odd side for LE, the even for BE.
  const sample = Math.min(bytes.length & ~1, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  if (sample > 0 && oddZeros > sample / 4 && evenZeros === 0)
    return { text: decode('utf-16le'), encoding: 'UTF-16 LE' };
  if (sample > 0 && evenZeros > sample / 4 && oddZeros === 0)
    return { text: decode('utf-16be'), encoding: 'UTF-16 BE' };
  try {
    return { text: decode('utf-8', true), encoding: 'UTF-8' };
  } catch {
    try {
      return { text: decode('shift_jis', true), encoding: 'Shift_JIS' };
    } catch {
      return { text: decode('utf-8'), encoding: 'UTF-8' };
    }
  }
}

const TARGET_NAMES = /^(label|labels|target|class|classes|y|output|outcome|species|category)$/i;

/**
 * The header, the first rows and each column's kind; throws a DatasetError naming the row and
 * column of a malformed CSV.
 *
 * @example
 * previewCsv('a,b,label\n1,2,x\n').suggestedTarget; // 'label'
 */
export function previewCsv(text: string, maxRows = 20): CsvPreview {
  const { header, rows } = readCsvRows(text);
  const columns = header.map((name, index): CsvColumn => {
    const values = new Set<string>();
    let empty = 0;
    let numeric = true;
    for (const r of rows) {
      const v = (r[index] as string).trim();
      if (v === '') empty++;
      else {
        values.add(v);
        if (numeric && !isCsvNumber(v)) numeric = false;
      }
    }
    return { name, index, kind: numeric && values.size > 0 ? 'numeric' : 'categorical', distinct: values.size, empty };
  });
  const suggestedTarget = header.find((h) => TARGET_NAMES.test(h)) ?? (header.at(-1) as string);
  return { header, rows: rows.slice(0, maxRows), rowCount: rows.length, columns, suggestedTarget };
}

/** The import dialog's choices for a CSV. */
export interface CsvChoices {
  target: string;
  features?: string[];
  targetType?: 'numeric' | 'categorical';
  standardize?: boolean;
  testFraction?: number;
}

/** The `csv` dataset spec of a text and the choices, unchecked (it may not load; see csvDataset). */
export function csvSpec(text: string, o: CsvChoices): Extract<DatasetSpec, { kind: 'csv' }> {
  if (text.length > MAX_CSV_CHARS)
    throw new DatasetError('dataset.csv-too-long', { chars: text.length, limit: MAX_CSV_CHARS });
  const spec: Extract<DatasetSpec, { kind: 'csv' }> = { kind: 'csv', text, target: o.target };
  if (o.features) spec.features = [...o.features];
  if (o.targetType) spec.targetType = o.targetType;
  if (o.standardize !== undefined) spec.standardize = o.standardize;
  if (o.testFraction !== undefined) spec.testFraction = o.testFraction;
  return spec;
}

/**
 * Checks a `csv` spec by loading it once and returns what shapes and summaries need of it (for
 * rememberCsvFacts in another thread); throws what training would (a DatasetError naming the row and column).
 */
export function checkCsvSpec(spec: Extract<DatasetSpec, { kind: 'csv' }>): CsvFacts {
  loadDataset(spec, { seed: 1 });
  return readCsvFacts(spec);
}

/**
 * A `csv` dataset spec with the chosen columns, checked by loading it once: throws what training
 * would (a DatasetError naming the row and column).
 */
export function csvDataset(text: string, o: CsvChoices): DatasetSpec {
  const spec = csvSpec(text, o);
  checkCsvSpec(spec);
  return spec;
}
