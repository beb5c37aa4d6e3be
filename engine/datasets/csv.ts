// User data from an inline CSV: header row, numeric features (standardised with the training
// split's mean and std), a numeric target (regression) or a categorical one (one-hot).
import type { DatasetSpec } from '../format/types.ts';
import { DatasetError, MAX_CLASSES } from './errors.ts';
import type { Samples } from './split.ts';

type CsvSpec = Extract<DatasetSpec, { kind: 'csv' }>;

/** RFC 4180 rows: quoted fields, doubled quotes, CRLF or LF; blank lines skipped. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') field += ch;
    i++;
  }
  if (quoted) throw new Error('CSV: a quoted field is never closed');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
  featureColumns: number[];
  targetColumn: number;
  categorical: boolean;
  classNames: string[];
  /** Category name → its index in classNames (its one-hot column). */
  classIndex: ReadonlyMap<string, number>;
}

/** Most values a CSV's one-hot target table (rows × categories) may hold: 100 MB of float32. */
export const MAX_ONE_HOT_VALUES = 25_000_000;

// NOTE: the editor analyses the document on every edit and a CSV may be 20 MB (≈ 1 s to parse):
// parsed rows and tables are kept for the last few texts, keyed by the text itself (an unchanged
// document shares the same string, whose hash V8 keeps). Errors are kept too, and thrown again.
const CACHED_TEXTS = 2;
const CACHED_TABLES = 4;
interface Parsed {
  rows: string[][] | Error;
  tables: Map<string, CsvTable | Error>;
}
const parsedTexts = new Map<string, Parsed>();
let parses = 0;

/** How many times a CSV text has actually been parsed (the cache missed); for tests. */
export function csvParseCount(): number {
  return parses;
}

function parsed(text: string): Parsed {
  const hit = parsedTexts.get(text);
  if (hit) {
    parsedTexts.delete(text);
    parsedTexts.set(text, hit);
    return hit;
  }
  parses++;
  let rows: string[][] | Error;
  try {
    rows = parseCsvRows(text);
  } catch (e) {
    rows = e instanceof Error ? e : new Error(String(e));
  }
  const entry: Parsed = { rows, tables: new Map() };
  if (parsedTexts.size >= CACHED_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value as string);
  parsedTexts.set(text, entry);
  return entry;
}

/**
 * Header, column choice and target categories; every problem names the row and column. The result
 * is shared between calls with the same text and settings: read it, never change it.
 */
export function readCsvTable(spec: CsvSpec): CsvTable {
  const entry = parsed(spec.text);
  if (entry.rows instanceof Error) throw entry.rows;
  const key = JSON.stringify([spec.target, spec.features ?? null, spec.targetType ?? null]);
  let table = entry.tables.get(key);
  if (!table) {
    try {
      table = buildTable(spec, entry.rows);
    } catch (e) {
      table = e instanceof Error ? e : new Error(String(e));
    }
    if (entry.tables.size >= CACHED_TABLES) entry.tables.delete(entry.tables.keys().next().value as string);
    entry.tables.set(key, table);
  }
  if (table instanceof Error) throw table;
  return table;
}

function buildTable(spec: CsvSpec, all: string[][]): CsvTable {
  if (all.length < 2) throw new Error('CSV: needs a header row and at least one data row');
  const header = (all[0] as string[]).map((h) => h.trim());
  const rows = all.slice(1);
  rows.forEach((r, i) => {
    if (r.length !== header.length)
      throw new Error(`CSV row ${i + 2}: has ${r.length} fields but the header has ${header.length}`);
  });
  const columns = new Map<string, number>();
  header.forEach((h, i) => {
    if (!columns.has(h)) columns.set(h, i);
  });
  const column = (name: string) => {
    const at = columns.get(name);
    if (at === undefined) throw new Error(`CSV: no column named '${name}' (columns: ${header.join(', ')})`);
    return at;
  };
  const targetColumn = column(spec.target);
  const featureColumns = (spec.features ?? header.filter((h) => h !== spec.target)).map(column);
  if (featureColumns.length === 0) throw new Error('CSV: choose at least one feature column');
  if (featureColumns.includes(targetColumn)) throw new Error(`CSV: '${spec.target}' is both a feature and the target`);
  const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));
  const categorical =
    spec.targetType === 'categorical' ||
    (spec.targetType === undefined && rows.some((r) => !isNumber(r[targetColumn] as string)));
  const classNames = categorical ? [...new Set(rows.map((r) => (r[targetColumn] as string).trim()))].sort() : [];
  const params = { column: header[targetColumn] as string, count: classNames.length, rows: rows.length };
  if (classNames.length > MAX_CLASSES)
    throw new DatasetError('dataset.too-many-classes', { ...params, limit: MAX_CLASSES });
  if (rows.length * classNames.length > MAX_ONE_HOT_VALUES)
    throw new DatasetError('dataset.one-hot-too-large', { ...params, limit: MAX_ONE_HOT_VALUES });
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  return { header, rows, featureColumns, targetColumn, categorical, classNames, classIndex };
}

/** All rows as samples (features not yet standardised). */
export function csvSamples(table: CsvTable): Samples {
  const { rows, featureColumns, targetColumn, categorical, classNames, classIndex, header } = table;
  const n = rows.length;
  const inSize = featureColumns.length;
  const outSize = categorical ? classNames.length : 1;
  const x = new Float32Array(n * inSize);
  const y = new Float32Array(n * outSize);
  const number = (text: string, i: number, c: number): number => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v))
      throw new Error(`CSV row ${i + 2}, column '${header[c]}': '${text}' is not a number`);
    if (!Number.isFinite(Math.fround(v)))
      throw new DatasetError('dataset.csv-out-of-range', { row: i + 2, column: header[c] as string, value: text });
    return v;
  };
  rows.forEach((r, i) => {
    featureColumns.forEach((c, j) => {
      x[i * inSize + j] = number(r[c] as string, i, c);
    });
    const t = (r[targetColumn] as string).trim();
    if (categorical) y[i * outSize + (classIndex.get(t) as number)] = 1;
    else y[i] = number(t, i, targetColumn);
  });
  return { n, inShape: [inSize], outShape: [outSize], x, y };
}

/** Standardises feature columns in place with the mean/std of `fit` (the training split). */
export function standardise(fit: Float32Array, targets: Float32Array[], cols: number): void {
  const rows = fit.length / cols;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += fit[r * cols + j] as number;
    mean /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += ((fit[r * cols + j] as number) - mean) ** 2;
    const std = Math.sqrt(v / rows) || 1;
    for (const t of targets)
      for (let r = 0, n = t.length / cols; r < n; r++) t[r * cols + j] = ((t[r * cols + j] as number) - mean) / std;
  }
}
