// Problems of imported data (CSV cells, `arrays` tensors), in English and Japanese. Rows are
// numbered as a spreadsheet shows the file (the header is row 1); columns by name and number.
import { list, n, type ProblemParams, s, shape, type Texts } from '../problems.ts';

const col = (p: ProblemParams) => `column '${s(p, 'column')}' (${n(p, 'index')})`;
/** Megabytes of 2^20 bytes, one decimal: the unit of the 50 MB import limit. */
const mib = (bytes: number) => Math.round(bytes / 104857.6) / 10;
const megapixels = (pixels: number) => Math.round(pixels / 1e5) / 10;
const colJa = (p: ProblemParams) => `列「${s(p, 'column')}」（${n(p, 'index')} 列目）`;

export const DATASET_PROBLEMS = {
  'dataset.csv-unclosed-quote': {
    en: (p) =>
      `CSV row ${n(p, 'row')}, ${col(p)}: a quoted field opens here and is never closed (a missing " at its end?)`,
    ja: (p) => `CSV の ${n(p, 'row')} 行目、${colJa(p)}: ここで始まる引用符 " が閉じられていません`,
  },
  'dataset.csv-bad-quote': {
    en: (p) => `CSV row ${n(p, 'row')}: a quote is misplaced (${s(p, 'detail')}); write a quote inside a field as ""`,
    ja: (p) =>
      `CSV の ${n(p, 'row')} 行目: 引用符の位置が正しくありません（${s(p, 'detail')}）。値の中の「"」は「""」と書きます`,
  },
  'dataset.csv-empty-cell': {
    en: (p) => `CSV row ${n(p, 'row')}, ${col(p)} is empty; fill it in or leave the column out`,
    ja: (p) => `CSV の ${n(p, 'row')} 行目、${colJa(p)} が空です。値を入れるか、その列を使わないでください`,
  },
  'dataset.csv-not-number': {
    en: (p) => `CSV row ${n(p, 'row')}, ${col(p)}: '${s(p, 'value')}' is not a number`,
    ja: (p) => `CSV の ${n(p, 'row')} 行目、${colJa(p)}: 「${s(p, 'value')}」は数値ではありません`,
  },
  'dataset.csv-ragged': {
    en: (p) => `CSV row ${n(p, 'row')} has ${n(p, 'count')} fields, the header has ${n(p, 'expected')}`,
    ja: (p) => `CSV の ${n(p, 'row')} 行目には値が ${n(p, 'count')} 個ありますが、見出しは ${n(p, 'expected')} 個です`,
  },
  'dataset.csv-header-empty': {
    en: (p) => `CSV header (row 1): column ${n(p, 'index')} has no name; every column needs one`,
    ja: (p) => `CSV の見出し（1 行目）: ${n(p, 'index')} 列目に名前がありません`,
  },
  'dataset.csv-header-duplicate': {
    en: (p) =>
      `CSV header (row 1): columns ${n(p, 'first')} and ${n(p, 'index')} are both named '${s(p, 'column')}'; names must be unique`,
    ja: (p) =>
      `CSV の見出し（1 行目）: ${n(p, 'first')} 列目と ${n(p, 'index')} 列目が同じ名前「${s(p, 'column')}」です。名前は重複できません`,
  },
  'dataset.csv-too-long': {
    en: (p, f) =>
      `The CSV has ${f.count(n(p, 'chars'))} characters, more than the ${f.count(n(p, 'limit'))} a document may hold: use fewer rows or columns`,
    ja: (p, f) =>
      `CSV が ${f.count(n(p, 'chars'))} 文字あり、ドキュメントの上限 ${f.count(n(p, 'limit'))} 文字を超えています。行か列を減らしてください`,
  },
  'dataset.csv-no-rows': {
    en: () => 'The CSV needs a header row and at least one data row',
    ja: () => 'CSV には見出しの行と 1 行以上のデータが必要です',
  },
  'dataset.csv-no-column': {
    en: (p) => `The CSV has no column named '${s(p, 'column')}' (columns: ${list(p, 'columns').join(', ')})`,
    ja: (p) => `CSV に列「${s(p, 'column')}」がありません（列: ${list(p, 'columns').join(', ')}）`,
  },
  'dataset.csv-no-features': {
    en: () => 'Choose at least one feature column of the CSV',
    ja: () => 'CSV の特徴量の列を 1 つ以上選んでください',
  },
  'dataset.csv-target-feature': {
    en: (p) => `CSV column '${s(p, 'column')}' is both a feature and the target`,
    ja: (p) => `CSV の列「${s(p, 'column')}」が特徴量と目的の両方になっています`,
  },
  'dataset.array-bytes': {
    en: (p, f) =>
      `${s(p, 'name')} holds ${f.count(n(p, 'bytes'))} bytes but ${s(p, 'dtype')} of shape ${f.shape(shape(p, 'shape'))} needs ${f.count(n(p, 'needed'))}`,
    ja: (p, f) =>
      `${s(p, 'name')} は ${f.count(n(p, 'bytes'))} バイトですが、${s(p, 'dtype')} の形 ${f.shape(shape(p, 'shape'))} には ${f.count(n(p, 'needed'))} バイト必要です`,
  },
  'dataset.array-rank': {
    en: (p, f) => `${s(p, 'name')} has shape ${f.shape(shape(p, 'shape'))}; it must be ${s(p, 'expected')}`,
    ja: (p, f) => `${s(p, 'name')} の形は ${f.shape(shape(p, 'shape'))} です。${s(p, 'expected')} である必要があります`,
  },
  'dataset.array-count': {
    en: (p, f) =>
      `${s(p, 'name')} has ${f.count(n(p, 'count'))} samples but ${s(p, 'other')} has ${f.count(n(p, 'expected'))}; they must be the same`,
    ja: (p, f) =>
      `${s(p, 'name')} のサンプル数 ${f.count(n(p, 'count'))} が ${s(p, 'other')} の ${f.count(n(p, 'expected'))} と違います`,
  },
  'dataset.array-sample-shape': {
    en: (p, f) =>
      `${s(p, 'name')}'s samples are ${f.shape(shape(p, 'shape'))} but ${s(p, 'other')}'s are ${f.shape(shape(p, 'expected'))}; they must be the same`,
    ja: (p, f) =>
      `${s(p, 'name')} の 1 サンプルの形 ${f.shape(shape(p, 'shape'))} が ${s(p, 'other')} の ${f.shape(shape(p, 'expected'))} と違います`,
  },
  'dataset.array-pair': {
    en: (p) => `${s(p, 'name')} is given without ${s(p, 'missing')}; a test split needs both`,
    ja: (p) => `${s(p, 'name')} はありますが ${s(p, 'missing')} がありません。テスト用データには両方が必要です`,
  },
  'dataset.array-too-few': {
    en: (p, f) => `${s(p, 'name')} has ${f.count(n(p, 'count'))} samples; it needs at least ${f.count(n(p, 'min'))}`,
    ja: (p, f) =>
      `${s(p, 'name')} のサンプルは ${f.count(n(p, 'count'))} 個です。${f.count(n(p, 'min'))} 個以上必要です`,
  },
  'dataset.array-label': {
    en: (p) => `${s(p, 'name')}[${n(p, 'index')}] is ${s(p, 'value')}; class labels must be whole numbers ≥ 0`,
    ja: (p) =>
      `${s(p, 'name')}[${n(p, 'index')}] が ${s(p, 'value')} です。クラスのラベルは 0 以上の整数にしてください`,
  },
  'dataset.array-not-finite': {
    en: (p) => `${s(p, 'name')}[${n(p, 'index')}] is ${s(p, 'value')}; training data must be finite numbers`,
    ja: (p) => `${s(p, 'name')}[${n(p, 'index')}] が ${s(p, 'value')} です。学習データは有限の数である必要があります`,
  },
  'dataset.array-label-name': {
    en: (p, f) =>
      `${s(p, 'name')} holds label ${n(p, 'label')} but classNames names only ${f.count(n(p, 'count'))} classes (0 to ${n(p, 'count') - 1})`,
    ja: (p, f) =>
      `${s(p, 'name')} にラベル ${n(p, 'label')} がありますが、classNames のクラスは ${f.count(n(p, 'count'))} 個（0 〜 ${n(p, 'count') - 1}）だけです`,
  },
  'dataset.array-classes': {
    en: (p, f) =>
      `The labels make ${f.count(n(p, 'count'))} classes, more than the limit of ${f.count(n(p, 'limit'))} (each class is one output)`,
    ja: (p, f) =>
      `ラベルのクラスが ${f.count(n(p, 'count'))} 個あり、上限 ${f.count(n(p, 'limit'))} を超えています（クラスごとに出力が 1 つ必要です）`,
  },
  'dataset.array-one-hot': {
    en: (p, f) =>
      `${f.count(n(p, 'rows'))} samples × ${f.count(n(p, 'count'))} classes make a one-hot target table of ${f.count(n(p, 'rows') * n(p, 'count'))} values, more than the limit of ${f.count(n(p, 'limit'))}`,
    ja: (p, f) =>
      `${f.count(n(p, 'rows'))} サンプル × ${f.count(n(p, 'count'))} クラスで one-hot の正解表が ${f.count(n(p, 'rows') * n(p, 'count'))} 個の値になり、上限 ${f.count(n(p, 'limit'))} を超えます`,
  },
  'dataset.arrays-too-large': {
    en: (p, f) =>
      `The imported data is ${f.count(Math.round(n(p, 'bytes') / 1e5) / 10)} MB, more than the ${f.count(n(p, 'limit') / 1e6)} MB a document may hold: use fewer or smaller samples`,
    ja: (p, f) =>
      `取り込んだデータが ${f.count(Math.round(n(p, 'bytes') / 1e5) / 10)} MB あり、ドキュメントの上限 ${f.count(n(p, 'limit') / 1e6)} MB を超えています。サンプルを減らすか小さくしてください`,
  },
  'dataset.import-too-large': {
    en: (p, f) =>
      `${s(p, 'file')} is ${f.count(mib(n(p, 'bytes')))} MB; files over ${f.count(n(p, 'limit') / 1048576)} MB are refused (the data is kept inline in the document and trained in the browser's memory)`,
    ja: (p, f) =>
      `${s(p, 'file')} は ${f.count(mib(n(p, 'bytes')))} MB です。${f.count(n(p, 'limit') / 1048576)} MB を超えるファイルは読み込めません（データはドキュメントに埋め込まれ、ブラウザのメモリで学習します）`,
  },
  'dataset.hdf5-unreadable': {
    en: (p) => `${s(p, 'file')} is not a readable HDF5 file (${s(p, 'detail')})`,
    ja: (p) => `${s(p, 'file')} は読める HDF5 ファイルではありません（${s(p, 'detail')}）`,
  },
  'dataset.hdf5-missing': {
    en: (p) =>
      `${s(p, 'file')} has no dataset '${s(p, 'name')}' (it has: ${list(p, 'available').join(', ') || 'none'})`,
    ja: (p) =>
      `${s(p, 'file')} にデータセット「${s(p, 'name')}」がありません（あるもの: ${list(p, 'available').join(', ') || 'なし'}）`,
  },
  'dataset.hdf5-not-numeric': {
    en: (p) => `${s(p, 'file')}: dataset '${s(p, 'name')}' holds ${s(p, 'dtype')}, not numbers`,
    ja: (p) => `${s(p, 'file')}: データセット「${s(p, 'name')}」は ${s(p, 'dtype')} で、数値ではありません`,
  },
  'dataset.image-unreadable': {
    en: (p) => `${s(p, 'file')} is not a readable PNG or JPEG image (${s(p, 'detail')})`,
    ja: (p) => `${s(p, 'file')} は読める PNG/JPEG 画像ではありません（${s(p, 'detail')}）`,
  },
  'dataset.image-too-large': {
    en: (p, f) =>
      `${s(p, 'file')} is ${f.count(n(p, 'width'))}×${f.count(n(p, 'height'))} pixels (${megapixels(n(p, 'width') * n(p, 'height'))} megapixels); images over ${n(p, 'limit') / 1e6} megapixels are refused: scale it down first`,
    ja: (p, f) =>
      `${s(p, 'file')} は ${f.count(n(p, 'width'))}×${f.count(n(p, 'height'))} ピクセル（${megapixels(n(p, 'width') * n(p, 'height'))} メガピクセル）です。${n(p, 'limit') / 1e6} メガピクセルを超える画像は読み込めません。縮小してください`,
  },
  'dataset.image-ignored': {
    en: (p) =>
      `Ignored ${n(p, 'count')} file${n(p, 'count') === 1 ? '' : 's'} that ${n(p, 'count') === 1 ? 'is' : 'are'} not PNG or JPEG: ${list(p, 'files').join(', ')}${n(p, 'count') > list(p, 'files').length ? ', …' : ''}`,
    ja: (p) =>
      `PNG/JPEG ではないファイル ${n(p, 'count')} 個を無視しました: ${list(p, 'files').join(', ')}${n(p, 'count') > list(p, 'files').length ? ', …' : ''}`,
  },
  'dataset.image-no-class': {
    en: (p) => `${s(p, 'file')} is not inside a class folder; put each image in a folder named after its class`,
    ja: (p) => `${s(p, 'file')} がクラスのフォルダに入っていません。画像はクラス名のフォルダに入れてください`,
  },
  'dataset.image-classes': {
    en: (p) =>
      `Found ${n(p, 'count')} class folder${n(p, 'count') === 1 ? '' : 's'} (${list(p, 'names').join(', ') || 'none'}); an image folder needs at least two, one per class`,
    ja: (p) =>
      `クラスのフォルダが ${n(p, 'count')} 個（${list(p, 'names').join(', ') || 'なし'}）しかありません。クラスごとに 1 つ、2 つ以上必要です`,
  },
} satisfies Record<string, Texts>;
