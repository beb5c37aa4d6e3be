// One line describing an imported dataset, for the import dialog and the CLI.
import { arraysInfo } from '../datasets/arrays.ts';
import { readCsvFacts } from '../datasets/csv.ts';
import { datasetShapes } from '../datasets/index.ts';
import { DEFAULT_TEST_FRACTION, testCount } from '../datasets/split.ts';
import type { DatasetSpec } from '../format/types.ts';
import type { Lang } from '../problems.ts';

const names = (list: readonly string[]) =>
  list.length <= 6 ? list.join(', ') : `${list.slice(0, 5).join(', ')}, … (+${list.length - 5})`;

/** The summary's phrases in each language. */
const TEXTS = {
  en: {
    classes: (n: number, list: string) => `${n} classes (${list})`,
    heldOut: (n: number, pct: number) => `test ${n} (${pct}% held out)`,
    noneHeld: 'none held out (tested on the training rows)',
    images: (n: number, shape: string) => `${n} images ${shape}`,
    samples: (n: number, shape: string) => `${n} samples of [${shape}]`,
    targets: (shape: string) => `targets of [${shape}]`,
    test: (n: number) => `test ${n}`,
    rows: (rows: number, features: number, raw: boolean) =>
      `${rows} rows, ${features} features${raw ? ' (not standardised)' : ''}`,
    numeric: (name: string) => `numeric target '${name}'`,
    sep: ', ',
    other: (kind: string, x: string, y: string, task: string) => `${kind}: inputs [${x}], targets [${y}] (${task})`,
  },
  ja: {
    classes: (n: number, list: string) => `${n} クラス（${list}）`,
    heldOut: (n: number, pct: number) => `テスト用 ${n} 件（${pct}% を取り分け）`,
    noneHeld: 'テスト用の取り分けなし（学習データでテスト）',
    images: (n: number, shape: string) => `画像 ${n} 枚 ${shape}`,
    samples: (n: number, shape: string) => `[${shape}] のデータ ${n} 件`,
    targets: (shape: string) => `目的変数 [${shape}]`,
    test: (n: number) => `テスト用 ${n} 件`,
    rows: (rows: number, features: number, raw: boolean) =>
      `${rows} 行、特徴量 ${features} 個${raw ? '（標準化なし）' : ''}`,
    numeric: (name: string) => `数値の目的変数「${name}」`,
    sep: '、',
    other: (kind: string, x: string, y: string, task: string) => `${kind}: 入力 [${x}]、目的変数 [${y}]（${task}）`,
  },
} as const;

/**
 * "209 images 64×64×3, 2 classes (non-cat, cat), test 50" (or in Japanese); throws what datasetShapes throws.
 *
 * @example
 * datasetSummary(await hdf5Dataset(train, { test })); // as above
 */
export function datasetSummary(spec: DatasetSpec, lang: Lang = 'en'): string {
  const x = TEXTS[lang];
  const heldOut = (n: number, fraction = DEFAULT_TEST_FRACTION) =>
    testCount(n, fraction) === 0 ? x.noneHeld : x.heldOut(testCount(n, fraction), Math.round(fraction * 100));
  const classes = (list: readonly string[]) => x.classes(list.length, names(list));
  const shapes = datasetShapes(spec);
  if (spec.kind === 'arrays') {
    const info = arraysInfo(spec);
    const n = spec.x.shape[0]!;
    const im = info.image;
    const what = im ? x.images(n, `${im.height}×${im.width}×${im.channels}`) : x.samples(n, info.inputShape.join(', '));
    const target = info.classNames ? classes(info.classNames) : x.targets(info.targetShape.join(', '));
    const test = spec.testX ? x.test(spec.testX.shape[0]!) : heldOut(n, spec.testFraction);
    return [what, target, test].join(x.sep);
  }
  if (spec.kind === 'csv') {
    const t = readCsvFacts(spec);
    const target = t.categorical ? classes(t.classNames) : x.numeric(String(t.header[t.targetColumn]));
    return [
      x.rows(t.rowCount, t.featureColumns.length, spec.standardize === false),
      target,
      heldOut(t.rowCount, spec.testFraction),
    ].join(x.sep);
  }
  return x.other(spec.kind, shapes.inputShape.join(', '), shapes.targetShape.join(', '), shapes.task);
}
