// CSV edge cases: each error names the row as a spreadsheet shows it (header = row 1) and the column.
import { describe, expect, it } from 'vitest';
import { problemMessage } from '../nodes/index.ts';
import { parseCsvRows } from './csv.ts';
import { DatasetError } from './errors.ts';
import { datasetShapes, loadDataset } from './index.ts';

/** The DatasetError `fn` throws, as [code, English message]. */
function failure(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return [e.code, e.message];
    throw e;
  }
  throw new Error('did not throw');
}

const load = (text: string, target = 'y', more = {}) =>
  loadDataset({ kind: 'csv', text, target, ...more }, { seed: 1 });

describe('CSV through papaparse', () => {
  it('reads quoted commas, doubled quotes and newlines inside quotes; CRLF; a BOM; blank and trailing lines', () => {
    const text = '\uFEFFname,a,y\r\n"Smith, J.",1,0\r\n"say ""hi""",2,1\r\n\r\n"two\r\nlines",3,0\r\n';
    const { header, rows, rowNumbers } = parseCsvRows(text);
    expect(header).toEqual(['name', 'a', 'y']);
    expect(rows).toEqual([
      ['Smith, J.', '1', '0'],
      ['say "hi"', '2', '1'],
      ['two\r\nlines', '3', '0'],
    ]);
    expect(rowNumbers).toEqual([2, 3, 5]); // the blank line is row 4
    const d = load(text, 'y', { features: ['a'] });
    expect(d.featureNames).toEqual(['a']);
    expect(d.train.x.shape[0]! + d.test.x.shape[0]!).toBe(3);
  });

  it('an unclosed quote names the row and column where it opens', () => {
    expect(failure(() => parseCsvRows('a,b,c\n1,2,3\n4,"oops,6\n7,8,9\n'))).toEqual([
      'dataset.csv-unclosed-quote',
      `CSV row 3, column 'b' (2): a quoted field opens here and is never closed (a missing " at its end?)`,
    ]);
  });

  it('an empty cell in a numeric feature or the target names row, column name and number', () => {
    expect(failure(() => load('id,x,age,y\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,,4\n'))).toEqual([
      'dataset.csv-empty-cell',
      "CSV row 5, column 'age' (3) is empty; fill it in or leave the column out",
    ]);
    expect(failure(() => datasetShapes({ kind: 'csv', text: 'x,y\n1,a\n2,\n', target: 'y' }))[1]).toBe(
      "CSV row 3, column 'y' (2) is empty; fill it in or leave the column out",
    );
  });

  it('a ragged row names its row and both field counts', () => {
    const e = failure(() => parseCsvRows('a,b,c,d\n1,2,3,4\n\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n'));
    expect(e).toEqual(['dataset.csv-ragged', 'CSV row 7 has 3 fields, the header has 4']);
  });

  it('a non-number in a numeric feature names the value', () => {
    expect(failure(() => load('x,y\n1,0\n2.5,1\n3 apples,0\n'))).toEqual([
      'dataset.csv-not-number',
      "CSV row 4, column 'x' (1): '3 apples' is not a number",
    ]);
  });

  it('duplicate and empty header names are refused; a header-only file needs data rows', () => {
    expect(failure(() => parseCsvRows('a,b,a\n1,2,3\n'))).toEqual([
      'dataset.csv-header-duplicate',
      "CSV header (row 1): columns 1 and 3 are both named 'a'; names must be unique",
    ]);
    expect(failure(() => parseCsvRows('a, ,c\n1,2,3\n'))[1]).toBe(
      'CSV header (row 1): column 2 has no name; every column needs one',
    );
    expect(failure(() => parseCsvRows('a,b\n'))[1]).toBe('The CSV needs a header row and at least one data row');
    expect(failure(() => parseCsvRows(''))[0]).toBe('dataset.csv-no-rows');
  });

  it('every new code has a Japanese text naming the same row', () => {
    const [, en] = failure(() => load('x,y\n1,0\n,1\n'));
    expect(en).toContain('row 3');
    expect(problemMessage('dataset.csv-empty-cell', { row: 3, column: 'x', index: 1 }, 'ja')).toBe(
      'CSV の 3 行目、列「x」（1 列目）が空です。値を入れるか、その列を使わないでください',
    );
  });

  it('standardize: false keeps the raw feature values', () => {
    const text = 'x,y\n10,0\n20,1\n30,0\n40,1\n50,0\n';
    const raw = load(text, 'y', { standardize: false });
    const all = [...raw.train.x.data, ...raw.test.x.data].sort((a, b) => a - b);
    expect(all).toEqual([10, 20, 30, 40, 50]);
    const scaled = load(text, 'y');
    expect(Math.max(...scaled.train.x.data)).toBeLessThan(2);
  });
});
