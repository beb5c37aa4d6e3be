// User data from an inline CSV: header row, numeric features (standardised with the training
// split's mean and std), a numeric target (regression) or a categorical one (one-hot).
import type { DatasetSpec } from '../format/types.ts';
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
}

/** Header, column choice and target categories; every problem names the row and column. */
export function readCsvTable(spec: CsvSpec): CsvTable {
  const all = parseCsvRows(spec.text);
  if (all.length < 2) throw new Error('CSV: needs a header row and at least one data row');
  const header = (all[0] as string[]).map((h) => h.trim());
  const rows = all.slice(1);
  rows.forEach((r, i) => {
    if (r.length !== header.length)
      throw new Error(`CSV row ${i + 2}: has ${r.length} fields but the header has ${header.length}`);
  });
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`CSV: no column named '${name}' (columns: ${header.join(', ')})`);
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
  return { header, rows, featureColumns, targetColumn, categorical, classNames };
}

/** All rows as samples (features not yet standardised). */
export function csvSamples(table: CsvTable): Samples {
  const { rows, featureColumns, targetColumn, categorical, classNames, header } = table;
  const n = rows.length;
  const inSize = featureColumns.length;
  const outSize = categorical ? classNames.length : 1;
  const x = new Float32Array(n * inSize);
  const y = new Float32Array(n * outSize);
  rows.forEach((r, i) => {
    featureColumns.forEach((c, j) => {
      const v = Number(r[c]);
      if ((r[c] as string).trim() === '' || !Number.isFinite(v)) {
        throw new Error(`CSV row ${i + 2}, column '${header[c]}': '${r[c]}' is not a number`);
      }
      x[i * inSize + j] = v;
    });
    const t = (r[targetColumn] as string).trim();
    if (categorical) y[i * outSize + classNames.indexOf(t)] = 1;
    else {
      const v = Number(t);
      if (t === '' || !Number.isFinite(v))
        throw new Error(`CSV row ${i + 2}, column '${header[targetColumn]}': '${t}' is not a number`);
      y[i] = v;
    }
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
