// Menu values of the document format (dataset kinds, functions, initialisers, optimizers) as a
// learner reads them: in Japanese the term a textbook uses with the technical name beside it
// (交差エントロピー（cross_entropy）), in English the technical name itself.
import type { Lang } from '../../engine/index.ts';

const JA: ReadonlyMap<string, string> = new Map([
  ['xor', '排他的論理和'],
  ['and', '論理積'],
  ['or', '論理和'],
  ['function', '関数'],
  ['circle', '円'],
  ['spiral', '渦巻き'],
  ['gauss', '2 つの正規分布'],
  ['xor_cloud', '4 つの点群の XOR'],
  ['mnist', '手書き数字'],
  ['csv', 'CSV の表'],
  ['arrays', '取り込んだ配列'],
  ['identity', '恒等関数'],
  ['relu', 'ReLU'],
  ['leaky_relu', 'Leaky ReLU'],
  ['sigmoid', 'シグモイド'],
  ['tanh', '双曲線正接'],
  ['softmax', 'ソフトマックス'],
  ['squared_error', '二乗誤差'],
  ['mse', '平均二乗誤差'],
  ['cross_entropy', '交差エントロピー'],
  ['binary_cross_entropy', '二値交差エントロピー'],
  ['glorot_uniform', 'Glorot の一様分布'],
  ['he_normal', 'He の正規分布'],
  ['uniform', '一様分布'],
  ['normal', '正規分布'],
  ['zeros', 'ゼロ'],
  ['sgd', '確率的勾配降下法'],
  ['momentum', 'モーメンタム'],
  ['adam', 'Adam'],
  ['valid', 'パディングなし'],
  ['same', '同じ大きさ'],
]);

/** "交差エントロピー（cross_entropy）" in Japanese, "cross_entropy" in English; other values as they are. */
export function valueLabel(lang: Lang, value: string): string {
  const ja = lang === 'ja' ? JA.get(value) : undefined;
  return ja ? `${ja}（${value}）` : value;
}
