// A CSV before it becomes a dataset: a preview with column kinds for the import dialog, then a
// validated `csv` spec.
import { loadDataset } from '../datasets/index.ts';
import { isCsvNumber, readCsvRows } from '../datasets/csv.ts';
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

/**
 * A `csv` dataset spec with the chosen columns, checked by loading it once: throws what training
 * would (a DatasetError naming the row and column).
 */
export function csvDataset(
  text: string,
  o: {
    target: string;
    features?: string[];
    targetType?: 'numeric' | 'categorical';
    standardize?: boolean;
    testFraction?: number;
  },
): DatasetSpec {
  if (text.length > MAX_CSV_CHARS)
    throw new DatasetError('dataset.csv-too-long', { chars: text.length, limit: MAX_CSV_CHARS });
  const spec: Extract<DatasetSpec, { kind: 'csv' }> = { kind: 'csv', text, target: o.target };
  if (o.features) spec.features = [...o.features];
  if (o.targetType) spec.targetType = o.targetType;
  if (o.standardize !== undefined) spec.standardize = o.standardize;
  if (o.testFraction !== undefined) spec.testFraction = o.testFraction;
  loadDataset(spec, { seed: 1 });
  return spec;
}
