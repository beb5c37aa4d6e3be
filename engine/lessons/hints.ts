// What a hint says, in English and Japanese, per code (conditions.ts makes the codes and params).
// A lesson may say it in its own words (Lesson.hints); these are the shared ones.
import { findNodeDefinition, problemFormat } from '../nodes/index.ts';
import { jaSpacing, type Lang, list, n, type ProblemParams, s, type Texts } from '../problems.ts';
import type { Lesson, LessonHint } from './types.ts';

const label = (type: string, lang: Lang) => findNodeDefinition(type)?.text[lang].label ?? type;
const or = (p: ProblemParams, key: string, lang: Lang) => list(p, key).join(lang === 'ja' ? ' か ' : ' or ');

/** "2", "at least 2", "2–10", with the tutorial's value: "64 (the tutorial's)". */
function range(p: ProblemParams, lang: Lang): string {
  const [min, max, suggested] = [n(p, 'min'), n(p, 'max'), n(p, 'suggested')];
  const ja = lang === 'ja';
  const base =
    min >= 0 && min === max
      ? `${min}`
      : min >= 0 && max >= 0
        ? `${min}–${max}`
        : min >= 0
          ? ja
            ? `${min} 以上`
            : `at least ${min}`
          : ja
            ? `${max} 以下`
            : `at most ${max}`;
  if (suggested < 0 || (min === max && min >= 0)) return base;
  return ja ? `${base}（教材では ${suggested}）` : `${base} (the tutorial uses ${suggested})`;
}

const METRIC: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  loss: { en: 'training loss', ja: '訓練データの損失' },
  testLoss: { en: 'test loss', ja: 'テストデータの損失' },
  trainAccuracy: { en: 'training accuracy', ja: '訓練データの正解率' },
  testAccuracy: { en: 'test accuracy', ja: 'テストデータの正解率' },
  epochs: { en: 'epochs', ja: 'エポック数' },
};
const TASK: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  binary: { en: 'a yes/no classification', ja: '2 クラス分類' },
  multiclass: { en: 'a classification into several classes', ja: '多クラス分類' },
  regression: { en: 'a regression (a number to predict)', ja: '回帰（数値の予測）' },
};
/** Accuracies as percentages, losses with 4 significant digits. */
export function metricValue(metric: string, v: number): string {
  return metric.endsWith('Accuracy') ? `${(v * 100).toFixed(1)}%` : metric === 'epochs' ? `${v}` : v.toPrecision(3);
}

export const HINT_TEXTS: Readonly<Record<string, Texts>> = {
  'lesson.no-input': {
    en: () => 'Drag an Input node from the palette onto the canvas.',
    ja: () => 'パレットから「入力」ノードをキャンバスにドラッグしましょう。',
  },
  'lesson.dataset': {
    en: (p) => `Select the Input node and set its dataset to ${or(p, 'want', 'en')}.`,
    ja: (p) => `入力ノードを選び、データセットを ${or(p, 'want', 'ja')} にしましょう。`,
  },
  'lesson.dataset-task': {
    en: (p) => `This lesson needs ${TASK[s(p, 'want')]?.en ?? s(p, 'want')}: change the Input's dataset.`,
    ja: (p) => `このレッスンは${TASK[s(p, 'want')]?.ja ?? s(p, 'want')}です。入力ノードのデータセットを変えましょう。`,
  },
  'lesson.dataset-expr': {
    en: (p) => `Set the Input's function to f(x) = ${s(p, 'want')}.`,
    ja: (p) => `入力ノードの関数を f(x) = ${s(p, 'want')} にしましょう。`,
  },
  'lesson.image-input': {
    en: () => 'The Input needs images: select it and import the HDF5 files (Import data…).',
    ja: () => '入力ノードに画像が必要です。入力ノードを選び「データを取り込む…」で HDF5 ファイルを読み込みましょう。',
  },
  'lesson.no-loss': {
    en: () => 'Drag a Loss node onto the canvas: training makes it small.',
    ja: () => '「損失」ノードをキャンバスに置きましょう。学習はこの値を小さくしていきます。',
  },
  'lesson.not-wired': {
    en: () => "Wire a path from the Input's x through your layers to the Loss's pred.",
    ja: () => '入力ノードの x から層を通って損失ノードの予測（pred）まで、1 本の道をつなぎましょう。',
  },
  'lesson.target-unwired': {
    en: () => "Wire the Input's y (the correct answers) to the Loss's target.",
    ja: () => '入力ノードの y（正解）を損失ノードの正解（target）につなぎましょう。',
  },
  'lesson.problems': {
    en: (p) => `The graph does not compile yet: fix the ${n(p, 'count')} problem(s) listed under the canvas.`,
    ja: (p) => `グラフがまだ動きません。キャンバスの下に並ぶ ${n(p, 'count')} 件の問題を直しましょう。`,
  },
  'lesson.no-layer': {
    en: () => "Add a Dense layer and wire the Input's x into it.",
    ja: () => '全結合ノードを置いて、入力ノードの x をつなぎましょう。',
  },
  'lesson.missing-layer': {
    en: (p) => `Add layer ${n(p, 'index')}: a Dense (and its activation) after the ones you have.`,
    ja: (p) => `${n(p, 'index')} 層目を足しましょう。今ある層の後ろに全結合（と活性化関数）を置きます。`,
  },
  'lesson.no-hidden-layer': {
    en: (p) =>
      `There is no hidden layer: add ${range(p, 'en')} hidden layer(s) (a Dense and its activation) between the Input and the output layer.`,
    ja: (p) =>
      `隠れ層がありません。入力と出力層のあいだに隠れ層（全結合と活性化関数）を ${range(p, 'ja')} 層入れましょう。`,
  },
  'lesson.hidden-layers': {
    en: (p) => `You have ${n(p, 'got')} hidden layers; this lesson uses ${range(p, 'en')}.`,
    ja: (p) => `隠れ層が ${n(p, 'got')} 層あります。このレッスンでは ${range(p, 'ja')} 層です。`,
  },
  'lesson.single-layer': {
    en: (p) => `One neuron is enough here: remove the ${n(p, 'got')} extra layer(s) before the output.`,
    ja: (p) => `ここではニューロン 1 個で十分です。出力の前にある余分な層（${n(p, 'got')} 層）を外しましょう。`,
  },
  'lesson.layer-units': {
    en: (p, f) => `Give ${f.node(s(p, 'node'), s(p, 'nodeType'))} ${range(p, 'en')} units (it has ${n(p, 'got')}).`,
    ja: (p, f) =>
      `${f.node(s(p, 'node'), s(p, 'nodeType'))} のユニット数を ${range(p, 'ja')} にしましょう（今は ${n(p, 'got')}）。`,
  },
  'lesson.layer-activation-missing': {
    en: (p, f) => `Put a ${or(p, 'want', 'en')} Activation after ${f.node(s(p, 'node'), s(p, 'nodeType'))}.`,
    ja: (p, f) => `${f.node(s(p, 'node'), s(p, 'nodeType'))} の後に活性化関数 ${or(p, 'want', 'ja')} を置きましょう。`,
  },
  'lesson.layer-activation': {
    en: (p, f) =>
      `The activation after ${f.node(s(p, 'node'), s(p, 'nodeType'))} is ${s(p, 'got')}; this lesson uses ${or(p, 'want', 'en')}.`,
    ja: (p, f) =>
      `${f.node(s(p, 'node'), s(p, 'nodeType'))} の後の活性化関数が ${s(p, 'got')} です。このレッスンでは ${or(p, 'want', 'ja')} を使います。`,
  },
  'lesson.output-units': {
    en: (p, f) =>
      `The output layer ${f.node(s(p, 'node'), s(p, 'nodeType'))} needs ${n(p, 'units')} unit(s), one per answer (it has ${n(p, 'got')}).`,
    ja: (p, f) =>
      `出力層 ${f.node(s(p, 'node'), s(p, 'nodeType'))} のユニット数は答えの数と同じ ${n(p, 'units')} です（今は ${n(p, 'got')}）。`,
  },
  'lesson.output-activation-missing': {
    en: (p, f) =>
      `Put a ${or(p, 'want', 'en')} Activation after the output layer ${f.node(s(p, 'node'), s(p, 'nodeType'))}.`,
    ja: (p, f) =>
      `出力層 ${f.node(s(p, 'node'), s(p, 'nodeType'))} の後に活性化関数 ${or(p, 'want', 'ja')} を置きましょう。`,
  },
  'lesson.output-activation': {
    en: (p) => `The output's activation is ${s(p, 'got')}; this task needs ${or(p, 'want', 'en')}.`,
    ja: (p) => `出力の活性化関数が ${s(p, 'got')} です。この課題には ${or(p, 'want', 'ja')} が合います。`,
  },
  'lesson.loss': {
    en: (p) => `This lesson uses ${or(p, 'want', 'en')} as the loss (now ${s(p, 'got')}).`,
    ja: (p) => `このレッスンの損失は ${or(p, 'want', 'ja')} です（今は ${s(p, 'got')}）。`,
  },
  'lesson.loss-for-task': {
    en: (p) =>
      `${s(p, 'got')} is the wrong loss for ${TASK[s(p, 'task')]?.en ?? 'this task'}: set the Loss to ${or(p, 'want', 'en')}.`,
    ja: (p) =>
      `${s(p, 'got')} は${TASK[s(p, 'task')]?.ja ?? 'この課題'}に合わない損失です。損失を ${or(p, 'want', 'ja')} にしましょう。`,
  },
  'lesson.softmax-into-bce': {
    en: (p) =>
      `A softmax feeds binary cross-entropy: softmax is for one-of-many classes, binary cross-entropy for yes/no outputs. Use ${or(p, 'want', 'en')} with softmax, or a sigmoid with binary cross-entropy.`,
    ja: (p) =>
      `softmax が二値交差エントロピーにつながっています。softmax は多クラス用、二値交差エントロピーは「はい/いいえ」の出力用です。softmax には ${or(p, 'want', 'ja')} を、二値交差エントロピーには sigmoid を組み合わせましょう。`,
  },
  'lesson.missing-node': {
    en: (p) => `Add a ${label(s(p, 'type'), 'en')} node on the path after the ${label(s(p, 'after'), 'en')}.`,
    ja: (p) => `${label(s(p, 'after'), 'ja')}の後ろに「${label(s(p, 'type'), 'ja')}」ノードを入れましょう。`,
  },
  'lesson.missing-flatten': {
    en: (p, f) =>
      `${f.node(s(p, 'node'), s(p, 'nodeType'))} gets whole images but takes one vector per sample: insert a Flatten before it.`,
    ja: (p, f) =>
      `${f.node(s(p, 'node'), s(p, 'nodeType'))} に画像がそのまま入っています。1 サンプル 1 本のベクトルにするため、手前に平坦化ノードを入れましょう。`,
  },
  'lesson.learning-rate': {
    en: (p) =>
      `Set the learning rate to ${range(p, 'en')} (now ${n(p, 'got')}): click the empty canvas to see the training settings.`,
    ja: (p) =>
      `学習率を ${range(p, 'ja')} にしましょう（今は ${n(p, 'got')}）。キャンバスの何もない所をクリックすると学習の設定が出ます。`,
  },
  'lesson.epochs': {
    en: (p) => `Set the epochs to ${range(p, 'en')} (now ${n(p, 'got')}).`,
    ja: (p) => `エポック数を ${range(p, 'ja')} にしましょう（今は ${n(p, 'got')}）。`,
  },
  'lesson.batch-size': {
    en: (p) =>
      `Set the batch size to ${range(p, 'en')} (now ${n(p, 'got')}): mini-batches, not the whole data at once.`,
    ja: (p) =>
      `バッチサイズを ${range(p, 'ja')} にしましょう（今は ${n(p, 'got')}）。データ全部ではなくミニバッチで学習します。`,
  },
  'lesson.too-many-params': {
    en: (p, f) => `The network has ${f.count(n(p, 'got'))} parameters; the limit is ${f.count(n(p, 'max'))}.`,
    ja: (p, f) => `パラメータが ${f.count(n(p, 'got'))} 個あります。上限は ${f.count(n(p, 'max'))} 個です。`,
  },
  'lesson.not-trained': {
    en: () => 'Press Train and let it run.',
    ja: () => '「学習」を押して、しばらく走らせましょう。',
  },
  'lesson.no-metric': {
    en: (p) => `This run has no ${METRIC[s(p, 'metric')]?.en ?? s(p, 'metric')}.`,
    ja: (p) => `この学習には${METRIC[s(p, 'metric')]?.ja ?? s(p, 'metric')}がありません。`,
  },
  'lesson.run-goal': {
    en: (p) =>
      `The ${METRIC[s(p, 'metric')]?.en} is ${metricValue(s(p, 'metric'), n(p, 'got'))}; the goal is ${s(p, 'dir') === 'below' ? 'below' : 'at least'} ${metricValue(s(p, 'metric'), n(p, 'goal'))}. Keep training, or change what holds it back.`,
    ja: (p) =>
      `${METRIC[s(p, 'metric')]?.ja}は ${metricValue(s(p, 'metric'), n(p, 'got'))} です。目標は ${metricValue(s(p, 'metric'), n(p, 'goal'))} ${s(p, 'dir') === 'below' ? '未満' : '以上'}。学習を続けるか、足を引っ張っている所を直しましょう。`,
  },
  'lesson.do-trace': {
    en: () => 'Open Learn › Step through backprop and walk through every step with →.',
    ja: () => '「学ぶ › 誤差逆伝播を 1 歩ずつ」を開き、→ で最後まで進みましょう。',
  },
  'lesson.do-predict': {
    en: () => 'In the step-through, predict a backward value before it is shown.',
    ja: () => '1 歩ずつの画面で、逆伝播の値が表示される前に予想を入れましょう。',
  },
  'lesson.do-gradcheck': {
    en: () => 'Press Learn › Check gradients.',
    ja: () => '「学ぶ › 勾配チェック」を押しましょう。',
  },
  'lesson.do-compare': {
    en: () => 'Open Compare runs and train the variants.',
    ja: () => '「比較」を開いて、いくつかの設定を並べて学習させましょう。',
  },
  'lesson.earlier-step': {
    en: (p) => `Finish step ${n(p, 'step')} first.`,
    ja: (p) => `先にステップ ${n(p, 'step')} を終えましょう。`,
  },
};

/** A hint in a language: the lesson's own words first, else the shared ones. */
export function hintText(lesson: Lesson, h: LessonHint, lang: Lang): string {
  const own = lesson.hints && Object.hasOwn(lesson.hints, h.code) ? lesson.hints[h.code] : undefined;
  const texts = own ?? (Object.hasOwn(HINT_TEXTS, h.code) ? HINT_TEXTS[h.code] : undefined);
  if (!texts) return h.code;
  const text = texts[lang](h.params, problemFormat(lang));
  return lang === 'ja' ? jaSpacing(text) : text;
}
