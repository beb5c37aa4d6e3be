// User data from an inline CSV: header row, numeric features (standardised with the training
// split's mean and std), a numeric target (regression) or a categorical one (one-hot).
import Papa from 'papaparse';
import type { DatasetSpec } from '../format/types.ts';
import { DatasetError, MAX_CLASSES } from './errors.ts';
import type { Samples } from './split.ts';

type CsvSpec = Extract<DatasetSpec, { kind: 'csv' }>;

/** A CSV's header and data rows, each data row with its row number as a spreadsheet shows it. */
export interface CsvRows {
  header: string[];
  rows: string[][];
  /** rowNumbers[i] is the 1-based row of rows[i] (the header is row 1; a multi-line quoted field is one row). */
  rowNumbers: number[];
}

/** "column 'age' (3)": a cell's column by name and 1-based number. */
const cell = (header: readonly string[], c: number) => ({ column: header[c] ?? `${c + 1}`, index: c + 1 });

/**
 * RFC 4180 through papaparse: quoted fields with commas, doubled quotes and newlines, CRLF or LF, a
 * byte order mark dropped, blank lines skipped. Throws a DatasetError naming the row (and column) of
 * an unclosed quote, a ragged row, or an empty or repeated header name.
 */
export function parseCsvRows(text: string): CsvRows {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { data, errors } = Papa.parse<string[]>(body, { delimiter: ',', skipEmptyLines: false });
  const bad = errors.find((e) => e.type === 'Quotes');
  if (bad) {
    const row = (bad.row ?? 0) + 1;
    const fields = data[bad.row ?? 0] ?? [''];
    if (bad.code === 'MissingQuotes') {
      const header = bad.row === 0 ? [] : (data[0] ?? []).map((h) => h.trim());
      throw new DatasetError('dataset.csv-unclosed-quote', { row, ...cell(header, fields.length - 1) });
    }
    throw new DatasetError('dataset.csv-bad-quote', { row, detail: bad.message });
  }
  let header: string[] | undefined;
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  data.forEach((r, i) => {
    if (r.length === 1 && r[0] === '') return;
    if (!header) {
      header = r.map((h) => h.trim());
      return;
    }
    if (r.length !== header.length)
      throw new DatasetError('dataset.csv-ragged', { row: i + 1, count: r.length, expected: header.length });
    rows.push(r);
    rowNumbers.push(i + 1);
  });
  if (!header || rows.length === 0) throw new DatasetError('dataset.csv-no-rows', {});
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    if (h === '') throw new DatasetError('dataset.csv-header-empty', { index: c + 1 });
    const first = seen.get(h);
    if (first !== undefined) throw new DatasetError('dataset.csv-header-duplicate', { column: h, first, index: c + 1 });
    seen.set(h, c + 1);
  });
  return { header, rows, rowNumbers };
}

export interface CsvTable extends CsvRows {
  featureColumns: number[];
  targetColumn: number;
  categorical: boolean;
  classNames: string[];
  /** Category name → its index in classNames (its one-hot column). */
  classIndex: ReadonlyMap<string, number>;
}

/** Most values a CSV's one-hot target table (rows × categories) may hold: 100 MB of float32. */
export const MAX_ONE_HOT_VALUES = 25_000_000;

/**
 * What shapes and summaries need of a CSV with its column choice: no rows. The import dialog's
 * worker reads them from the whole text; the page takes them (rememberCsvFacts) instead of parsing
 * the text again on its main thread.
 */
export interface CsvFacts {
  header: string[];
  rowCount: number;
  featureColumns: number[];
  targetColumn: number;
  categorical: boolean;
  classNames: string[];
}

// NOTE: the editor analyses the document on every edit and a CSV may be 20 MB (≈ 1 s to parse):
// parsed rows, tables and facts are kept for the last few texts, keyed by the text itself (an
// unchanged document shares the same string, whose hash V8 keeps). Errors are kept too, and thrown again.
const CACHED_TEXTS = 2;
const CACHED_TABLES = 4;
interface Parsed {
  /** Parsed on first use: an entry may hold only facts remembered from elsewhere. */
  rows?: CsvRows | Error;
  tables: Map<string, CsvTable | Error>;
  facts: Map<string, CsvFacts>;
}
const parsedTexts = new Map<string, Parsed>();
let parses = 0;

/** How many times a CSV text has actually been parsed (the cache missed); for tests. */
export function csvParseCount(): number {
  return parses;
}

/** The cache entry of a text (most recently used now), created empty. */
function entryOf(text: string): Parsed {
  const hit = parsedTexts.get(text);
  if (hit) {
    parsedTexts.delete(text);
    parsedTexts.set(text, hit);
    return hit;
  }
  const entry: Parsed = { tables: new Map(), facts: new Map() };
  if (parsedTexts.size >= CACHED_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value as string);
  parsedTexts.set(text, entry);
  return entry;
}

function rowsOf(text: string): CsvRows {
  const entry = entryOf(text);
  if (!entry.rows) {
    parses++;
    try {
      entry.rows = parseCsvRows(text);
    } catch (e) {
      entry.rows = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (entry.rows instanceof Error) throw entry.rows;
  return entry.rows;
}

/** The parsed rows of a CSV text (shared with the cache: read them, never change them). */
export function readCsvRows(text: string): CsvRows {
  return rowsOf(text);
}

const tableKey = (spec: CsvSpec) => JSON.stringify([spec.target, spec.features ?? null, spec.targetType ?? null]);

/** Trims a map used as a cache to its `limit` most recent entries. */
function bound<K, V>(map: Map<K, V>, limit: number): void {
  while (map.size > limit) map.delete(map.keys().next().value as K);
}

/**
 * Header, column choice and target categories; every problem names the row and column. The result
 * is shared between calls with the same text and settings: read it, never change it.
 */
export function readCsvTable(spec: CsvSpec): CsvTable {
  const rows = rowsOf(spec.text);
  const entry = entryOf(spec.text);
  const key = tableKey(spec);
  let table = entry.tables.get(key);
  if (!table) {
    try {
      table = buildTable(spec, rows);
    } catch (e) {
      table = e instanceof Error ? e : new Error(String(e));
    }
    entry.tables.set(key, table);
    bound(entry.tables, CACHED_TABLES);
  }
  if (table instanceof Error) throw table;
  return table;
}

/** A table's facts (see CsvFacts). */
export function csvFacts(table: CsvTable): CsvFacts {
  const { header, rows, featureColumns, targetColumn, categorical, classNames } = table;
  return { header, rowCount: rows.length, featureColumns, targetColumn, categorical, classNames };
}

/** The facts of a CSV and its column choice: remembered ones, else from the table (parsing the text once). */
export function readCsvFacts(spec: CsvSpec): CsvFacts {
  const known = entryOf(spec.text).facts.get(tableKey(spec));
  return known ?? csvFacts(readCsvTable(spec));
}

/**
 * Keeps facts read from the same text and column choice elsewhere (a worker), so that shapes and
 * summaries here need no parse. NOTE: only for facts of a table that loaded without a problem.
 */
export function rememberCsvFacts(spec: CsvSpec, facts: CsvFacts): void {
  const entry = entryOf(spec.text);
  entry.facts.set(tableKey(spec), facts);
  bound(entry.facts, CACHED_TABLES * 2);
}

function buildTable(spec: CsvSpec, parsed: CsvRows): CsvTable {
  const { header, rows } = parsed;
  const columns = new Map(header.map((h, i) => [h, i]));
  const column = (name: string) => {
    const at = columns.get(name);
    if (at === undefined) throw new DatasetError('dataset.csv-no-column', { column: name, columns: header });
    return at;
  };
  const targetColumn = column(spec.target);
  const featureColumns = (spec.features ?? header.filter((h) => h !== spec.target)).map(column);
  if (featureColumns.length === 0) throw new DatasetError('dataset.csv-no-features', {});
  if (featureColumns.includes(targetColumn))
    throw new DatasetError('dataset.csv-target-feature', { column: spec.target });
  const categorical =
    spec.targetType === 'categorical' ||
    (spec.targetType === undefined && rows.some((r) => !isCsvNumber(r[targetColumn] as string)));
  if (categorical) {
    const empty = rows.findIndex((r) => (r[targetColumn] as string).trim() === '');
    if (empty >= 0)
      throw new DatasetError('dataset.csv-empty-cell', {
        row: parsed.rowNumbers[empty]!,
        ...cell(header, targetColumn),
      });
  }
  const classNames = categorical ? [...new Set(rows.map((r) => (r[targetColumn] as string).trim()))].sort() : [];
  const params = { column: header[targetColumn] as string, count: classNames.length, rows: rows.length };
  if (classNames.length > MAX_CLASSES)
    throw new DatasetError('dataset.too-many-classes', { ...params, limit: MAX_CLASSES });
  if (rows.length * classNames.length > MAX_ONE_HOT_VALUES)
    throw new DatasetError('dataset.one-hot-too-large', { ...params, limit: MAX_ONE_HOT_VALUES });
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  return { ...parsed, featureColumns, targetColumn, categorical, classNames, classIndex };
}

/** A cell that reads as a finite number (blank is not one). */
export const isCsvNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/** All rows as samples (features not yet standardised). */
export function csvSamples(table: CsvTable): Samples {
  const { rows, rowNumbers, featureColumns, targetColumn, categorical, classNames, classIndex, header } = table;
  const n = rows.length;
  const inSize = featureColumns.length;
  const outSize = categorical ? classNames.length : 1;
  const x = new Float32Array(n * inSize);
  const y = new Float32Array(n * outSize);
  const number = (text: string, i: number, c: number): number => {
    const v = Number(text);
    const row = rowNumbers[i]!;
    if (text.trim() === '') throw new DatasetError('dataset.csv-empty-cell', { row, ...cell(header, c) });
    if (!Number.isFinite(v)) throw new DatasetError('dataset.csv-not-number', { row, ...cell(header, c), value: text });
    if (!Number.isFinite(Math.fround(v)))
      throw new DatasetError('dataset.csv-out-of-range', { row, column: header[c] as string, value: text });
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
