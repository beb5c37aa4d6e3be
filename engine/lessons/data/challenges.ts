// Graded challenges: each has a goal that checkLesson checks and a score, the number to beat.
import type { GraphDoc } from '../../format/types.ts';
import type { Lesson } from '../types.ts';

const FEWER_PARAMS = { metric: 'params', better: 'lower', unit: { en: 'parameters', ja: 'パラメータ' } } as const;

export const xorFewest: Lesson = {
  id: 'xor-fewest',
  kind: 'challenge',
  title: { en: 'Challenge: XOR with the fewest parameters', ja: 'チャレンジ: いちばん少ないパラメータで XOR' },
  summary: {
    en: 'The 2-2-1 network has 9 parameters. Reach a loss below 0.01 on XOR with as few as you can: your score is the parameter count.',
    ja: '2-2-1 のネットワークのパラメータは 9 個です。XOR の損失を 0.01 未満にしつつ、パラメータをどこまで減らせるでしょう。スコアはパラメータ数です。',
  },
  score: FEWER_PARAMS,
  steps: [
    {
      id: 'data',
      action: 'drag',
      text: { en: 'An Input with the “xor” dataset.', ja: 'データセット「xor」の入力ノード。' },
      check: [{ kind: 'dataset', is: ['xor'] }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Build any network, train it below a loss of 0.01, and count: {params} parameters (loss {loss}). Idea: a Concat can hand the output neuron the inputs as well as a hidden unit.',
        ja: 'どんなネットワークでもかまいません。損失 0.01 未満まで学習させ、数えましょう: パラメータ {params} 個（損失 {loss}）。ヒント: 「連結」を使えば、出力ニューロンに隠れユニットと一緒に入力そのものも渡せます。',
      },
      check: [{ kind: 'compiles' }, { kind: 'run', metric: 'loss', below: 0.01 }],
    },
  ],
};

/** A 2-8-8-1 ReLU network whose biases start from N(0, 4²): at seed 4 the second layer is dead from the start. */
const deadStart: GraphDoc = {
  format: 'nodegrad-graph',
  version: 1,
  name: 'Dead ReLUs',
  nodes: [
    {
      id: 'in',
      type: 'input',
      position: { x: 0, y: 0 },
      data: { dataset: { kind: 'circle', samples: 200, noise: 0.1 } },
    },
    {
      id: 'h1',
      type: 'dense',
      position: { x: 200, y: 0 },
      data: { units: 8, init: 'he_normal', biasInit: 'normal', std: 4 },
    },
    { id: 'r1', type: 'activation', position: { x: 420, y: 0 }, data: { fn: 'relu' } },
    {
      id: 'h2',
      type: 'dense',
      position: { x: 0, y: 240 },
      data: { units: 8, init: 'he_normal', biasInit: 'normal', std: 4 },
    },
    { id: 'r2', type: 'activation', position: { x: 220, y: 240 }, data: { fn: 'relu' } },
    { id: 'o', type: 'dense', position: { x: 420, y: 240 }, data: { units: 1 } },
    { id: 'oa', type: 'activation', position: { x: 620, y: 240 }, data: { fn: 'sigmoid' } },
    { id: 'L', type: 'loss', position: { x: 620, y: 0 }, data: { fn: 'binary_cross_entropy' } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourceHandle: 'x', target: 'h1', targetHandle: 'in' },
    { id: 'e2', source: 'h1', sourceHandle: 'out', target: 'r1', targetHandle: 'in' },
    { id: 'e3', source: 'r1', sourceHandle: 'out', target: 'h2', targetHandle: 'in' },
    { id: 'e4', source: 'h2', sourceHandle: 'out', target: 'r2', targetHandle: 'in' },
    { id: 'e5', source: 'r2', sourceHandle: 'out', target: 'o', targetHandle: 'in' },
    { id: 'e6', source: 'o', sourceHandle: 'out', target: 'oa', targetHandle: 'in' },
    { id: 'e7', source: 'oa', sourceHandle: 'out', target: 'L', targetHandle: 'pred' },
    { id: 'e8', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' },
  ],
  training: { optimizer: { type: 'sgd', learningRate: 0.5 }, batchSize: 20, epochs: 100, seed: 4 },
};

export const deadRelu: Lesson = {
  id: 'dead-relu',
  kind: 'challenge',
  title: { en: 'Challenge: bring dead ReLUs back', ja: 'チャレンジ: 死んだ ReLU を生き返らせる' },
  summary: {
    en: 'This network should separate the circle from the ring, yet its loss stays at 0.693 = log 2: it guesses. Its ReLUs output 0 for every sample, so no gradient flows through them. Fix it, keep the ReLUs, reach 95% test accuracy in as few epochs as you can.',
    ja: 'この円と輪を分けるはずのネットワークは、損失が 0.693 = log 2 のまま動きません。当てずっぽうです。ReLU がどのサンプルにも 0 を出すので、勾配が流れないのです。ReLU のまま直して、テスト正解率 95% に、できるだけ少ないエポックで届かせましょう。',
  },
  start: deadStart,
  score: { metric: 'epochs', better: 'lower', unit: { en: 'epochs', ja: 'エポック' } },
  steps: [
    {
      id: 'diagnose',
      action: 'train',
      text: {
        en: 'Load the starting graph and train it a little: the health badges mark the dead layer. Look at how its biases are initialised: a bias far below zero keeps z = x·W + b < 0 for every input.',
        ja: '最初のグラフを読み込んで少し学習させると、健康バッジが死んだ層に付きます。バイアスの初期化を見てください。バイアスが大きく負だと、どの入力でも z = x·W + b < 0 のままです。',
      },
      check: [
        { kind: 'dataset', is: ['circle'] },
        { kind: 'layer', index: 'hidden', fn: ['relu', 'leaky_relu'] },
      ],
    },
    {
      id: 'fix',
      action: 'train',
      text: {
        en: 'Fix it and train from scratch (Reset) until the test accuracy is at least 95%. Your score is the epochs it took: {epochs} (accuracy {testAccuracy}).',
        ja: '直したら最初から（リセット）学習させ、テスト正解率 95% 以上を目指します。スコアはかかったエポック数: {epochs}（正解率 {testAccuracy}）。',
      },
      check: [{ kind: 'compiles' }, { kind: 'run', metric: 'testAccuracy', atLeast: 0.95 }],
    },
  ],
};

export const mnistSmall: Lesson = {
  id: 'mnist-20k',
  kind: 'challenge',
  title: { en: 'Challenge: MNIST ≥ 95% under 20,000 parameters', ja: 'チャレンジ: 2 万パラメータ未満で MNIST 95%' },
  summary: {
    en: 'The 784-64-10 MLP has 50,890 parameters and reaches about 92%. Get at least 95% of the test digits right with fewer than 20,000: your score is the parameter count.',
    ja: '784-64-10 の MLP はパラメータ 50,890 個で正解率 92% ほどです。2 万個未満のパラメータでテスト正解率 95% 以上を出しましょう。スコアはパラメータ数です。',
  },
  score: FEWER_PARAMS,
  steps: [
    {
      id: 'data',
      action: 'set',
      text: {
        en: 'An Input with the “mnist” dataset (all ten digits).',
        ja: 'データセット「mnist」（10 種類の数字すべて）の入力ノード。',
      },
      check: [{ kind: 'dataset', is: ['mnist'], task: 'multiclass' }],
    },
    {
      id: 'small',
      action: 'wire',
      text: {
        en: 'Keep the network under 20,000 parameters (now {params}). A Dense layer from 784 pixels costs 785 per unit; a 3×3 convolution costs 10 per filter.',
        ja: 'パラメータを 2 万個未満に収めます（今は {params} 個）。784 画素からの全結合はユニット 1 個で 785 個、3×3 の畳み込みはフィルタ 1 枚で 10 個です。',
      },
      check: [{ kind: 'compiles' }, { kind: 'params', max: 19_999 }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Train until at least 95% of the test digits are right. Yours: {testAccuracy} with {params} parameters.',
        ja: 'テスト正解率 95% 以上まで学習させます。あなたの結果: パラメータ {params} 個で {testAccuracy}。',
      },
      check: [{ kind: 'run', metric: 'testAccuracy', atLeast: 0.95 }],
    },
  ],
};

export const challenges: readonly Lesson[] = [xorFewest, deadRelu, mnistSmall];
