// One line describing an imported dataset, for the import dialog and the CLI.
import { arraysInfo } from '../datasets/arrays.ts';
import { readCsvTable } from '../datasets/csv.ts';
import { datasetShapes } from '../datasets/index.ts';
import { DEFAULT_TEST_FRACTION, testCount } from '../datasets/split.ts';
import type { DatasetSpec } from '../format/types.ts';

const names = (list: readonly string[]) =>
  list.length <= 6 ? list.join(', ') : `${list.slice(0, 5).join(', ')}, … (+${list.length - 5})`;
const classes = (list: readonly string[]) => `${list.length} classes (${names(list)})`;
const heldOut = (n: number, fraction = DEFAULT_TEST_FRACTION) =>
  testCount(n, fraction) === 0
    ? 'none held out (tested on the training rows)'
    : `test ${testCount(n, fraction)} (${Math.round(fraction * 100)}% held out)`;

/**
 * "209 images 64×64×3, 2 classes (non-cat, cat), test 50"; throws what datasetShapes throws.
 *
 * @example
 * datasetSummary(await hdf5Dataset(train, { test })); // as above
 */
export function datasetSummary(spec: DatasetSpec): string {
  const shapes = datasetShapes(spec);
  if (spec.kind === 'arrays') {
    const info = arraysInfo(spec);
    const n = spec.x.shape[0]!;
    const im = info.image;
    const what = im
      ? `${n} images ${im.height}×${im.width}×${im.channels}`
      : `${n} samples of [${info.inputShape.join(', ')}]`;
    const target = info.classNames ? classes(info.classNames) : `targets of [${info.targetShape.join(', ')}]`;
    const test = spec.testX ? `test ${spec.testX.shape[0]}` : heldOut(n, spec.testFraction);
    return `${what}, ${target}, ${test}`;
  }
  if (spec.kind === 'csv') {
    const t = readCsvTable(spec);
    const target = t.categorical ? classes(t.classNames) : `numeric target '${t.header[t.targetColumn]}'`;
    const raw = spec.standardize === false ? ' (not standardised)' : '';
    return `${t.rows.length} rows, ${t.featureColumns.length} features${raw}, ${target}, ${heldOut(t.rows.length, spec.testFraction)}`;
  }
  return `${spec.kind}: inputs [${shapes.inputShape.join(', ')}], targets [${shapes.targetShape.join(', ')}] (${shapes.task})`;
}
