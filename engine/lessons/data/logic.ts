// The first two tutorials: one sigmoid neuron learns AND; a 2-2-1 network learns XOR, which one
// neuron cannot. Both with the squared error E = ½Σ(y − t)² and plain gradient descent.
import { lossWired, outputLayer } from './checks.ts';
import type { Lesson } from '../types.ts';

export const andNeuron: Lesson = {
  id: 'and-neuron',
  kind: 'lesson',
  title: { en: 'AND with one neuron', ja: 'ニューロン 1 個で AND' },
  summary: {
    en: 'One sigmoid neuron, y = σ(w₁x₁ + w₂x₂ + b), learns the AND gate by gradient descent on the squared error E = ½Σ(y − t)².',
    ja: 'シグモイドニューロン 1 個 y = σ(w₁x₁ + w₂x₂ + b) が、二乗誤差 E = ½Σ(y − t)² を勾配降下法で小さくしながら AND ゲートを覚えます。',
  },
  steps: [
    {
      id: 'data',
      action: 'drag',
      text: {
        en: 'Drag an Input node onto the canvas and set its dataset to “and”. It holds the four points (0,0), (0,1), (1,0), (1,1); the answer t is 1 only for (1,1).',
        ja: '「入力」ノードをキャンバスに置き、データセットを「and」にします。入力は (0,0)・(0,1)・(1,0)・(1,1) の 4 点で、正解 t が 1 になるのは (1,1) だけです。',
      },
      check: [{ kind: 'dataset', is: ['and'] }],
    },
    {
      id: 'neuron',
      action: 'wire',
      text: {
        en: "Add a Dense node, set Units to 1 and wire the Input's x into it. That is the neuron's weighted sum z = w₁x₁ + w₂x₂ + b: two weights and one bias, 3 parameters.",
        ja: '「全結合」ノードを置いてユニット数を 1 にし、入力ノードの x をつなぎます。これがニューロンの重み付き和 z = w₁x₁ + w₂x₂ + b です。重み 2 個とバイアス 1 個、パラメータは 3 個です。',
      },
      check: [
        { kind: 'hiddenLayers', count: { max: 0 } },
        { kind: 'outputUnits', units: 1 },
      ],
    },
    {
      id: 'sigmoid',
      action: 'drag',
      text: {
        en: 'Put an Activation after it and choose sigmoid: y = σ(z) = 1 / (1 + e⁻ᶻ) squeezes any z into (0, 1), read as “how sure the neuron is that the answer is 1”.',
        ja: 'その後ろに「活性化」ノードを置き、sigmoid を選びます。y = σ(z) = 1 / (1 + e⁻ᶻ) はどんな z も 0 と 1 のあいだに収めます。「答えが 1 だとどれくらい思っているか」と読めます。',
      },
      check: [{ kind: 'outputActivation', fn: ['sigmoid'] }],
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: "Add a Loss node with squared_error. Wire the sigmoid into pred and the Input's y into target. It computes E = ½Σ(y − t)², averaged over the batch.",
        ja: '「損失」ノードを置いて squared_error（二乗誤差）を選びます。シグモイドの出力を予測（pred）に、入力ノードの y を正解（target）につなぎます。E = ½Σ(y − t)² をバッチで平均した値です。',
      },
      check: lossWired(['squared_error']),
    },
    {
      id: 'settings',
      action: 'set',
      text: {
        en: 'Click an empty spot of the canvas: the inspector shows the training settings. Set the learning rate to 2 and the epochs to 1000. With only four points a big step η in w ← w − η·∂E/∂w is safe.',
        ja: 'キャンバスの何もない所をクリックすると、インスペクタに学習の設定が出ます。学習率を 2、エポック数を 1000 にしましょう。データが 4 点だけなので、w ← w − η·∂E/∂w の η を大きくしても大丈夫です。',
      },
      check: [
        { kind: 'training', learningRate: { min: 0.5, max: 20, suggested: 2 }, epochs: { min: 300, suggested: 1000 } },
      ],
    },
    {
      id: 'predict',
      action: 'predict',
      text: {
        en: 'Before training, open Learn › Step through backprop. Walk forward to the Loss, then backward. Before a gradient is shown, type your prediction: for the one traced sample ∂E/∂y = y − t, and the sigmoid multiplies it by σ′(z) = y(1 − y).',
        ja: '学習の前に「学ぶ › 誤差逆伝播をステップ実行」を開きます。損失まで順に進み、そこから逆向きへ。勾配が表示される前に予想を入れてみましょう。たどっている 1 サンプルでは ∂E/∂y = y − t、シグモイドはそれに σ′(z) = y(1 − y) を掛けます。',
      },
      check: [{ kind: 'did', activity: 'predict' }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Press Train and watch the decision surface cut off the (1,1) corner. Done when the loss is below 0.01 with all four points right. Yours: loss {loss}, accuracy {trainAccuracy} after {epochs} epochs.',
        ja: '「学習」を押して、決定境界が (1,1) の角だけを切り分けていく様子を見ましょう。損失が 0.01 未満で 4 点すべて正解なら完了です。あなたの結果: {epochs} エポックで損失 {loss}、正解率 {trainAccuracy}。',
      },
      check: [
        { kind: 'run', metric: 'trainAccuracy', atLeast: 1 },
        { kind: 'run', metric: 'loss', below: 0.01 },
      ],
    },
  ],
};

export const xor221: Lesson = {
  id: 'xor-2-2-1',
  kind: 'lesson',
  title: { en: 'XOR with a hidden layer (2-2-1)', ja: '隠れ層で XOR(2-2-1)' },
  summary: {
    en: 'No straight line separates XOR, so one neuron cannot learn it. Two hidden sigmoid units draw two lines, and the output neuron combines them: backpropagation trains all nine parameters at once.',
    ja: 'XOR は 1 本の直線では分けられないので、ニューロン 1 個では学習できません。隠れ層のシグモイド 2 個が 2 本の線を引き、出力ニューロンがそれを組み合わせます。9 個のパラメータを誤差逆伝播法でまとめて学習します。',
  },
  hints: {
    'lesson.no-hidden-layer': {
      en: () =>
        'There is no hidden layer, and one neuron draws one straight line: no line separates XOR. Put a Dense with 2 units and a sigmoid between the Input and the output neuron.',
      ja: () =>
        '隠れ層がありません。ニューロン 1 個が引けるのは直線 1 本だけで、XOR はどんな直線でも分けられません。入力と出力ニューロンのあいだに、ユニット 2 個の全結合とシグモイドを入れましょう。',
    },
  },
  steps: [
    {
      id: 'data',
      action: 'drag',
      text: {
        en: 'Drag an Input node onto the canvas and set its dataset to “xor”: (0,0) and (1,1) give 0, (0,1) and (1,0) give 1. Try to draw one straight line that separates them: there is none.',
        ja: '「入力」ノードを置き、データセットを「xor」にします。(0,0) と (1,1) は 0、(0,1) と (1,0) は 1。この 2 組を 1 本の直線で分けてみてください。…どう引いても分けられません。',
      },
      check: [{ kind: 'dataset', is: ['xor'] }],
    },
    {
      id: 'hidden',
      action: 'wire',
      text: {
        en: "Add the hidden layer: a Dense with 2 units fed by the Input's x, then an Activation with sigmoid. z₁ = x·W₁ + b₁, a₁ = σ(z₁); W₁ is 2×2. Each hidden unit draws one line.",
        ja: '隠れ層を作ります。入力の x から「全結合」（ユニット数 2）、続けて「活性化」（sigmoid）。z₁ = x·W₁ + b₁、a₁ = σ(z₁) で、W₁ は 2×2 です。隠れユニット 1 個が線 1 本を担当します。',
      },
      check: [
        { kind: 'hiddenLayers', count: { min: 1 } },
        { kind: 'layer', index: 0, units: { min: 2, max: 2 }, fn: ['sigmoid'] },
      ],
    },
    {
      id: 'output',
      action: 'wire',
      text: {
        en: 'Add the output neuron after it: a Dense with 1 unit and a sigmoid, y = σ(a₁·W₂ + b₂). It combines the two lines into the answer.',
        ja: '続けて出力ニューロンを置きます。「全結合」（ユニット数 1）と sigmoid で y = σ(a₁·W₂ + b₂)。2 本の線を組み合わせて答えを出します。',
      },
      check: outputLayer(1, ['sigmoid']),
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: "Add a Loss with squared_error, E = ½Σ(y − t)². Wire y into pred and the Input's y into target. The edges now show the shapes: [B, 2] → [B, 2] → [B, 1].",
        ja: '「損失」ノードに squared_error（二乗誤差 E = ½Σ(y − t)²）を選び、y を予測（pred）に、入力ノードの y を正解（target）につなぎます。エッジに [B, 2] → [B, 2] → [B, 1] と形が表示されます。',
      },
      check: lossWired(['squared_error']),
    },
    {
      id: 'settings',
      action: 'set',
      text: {
        en: 'Click the empty canvas and set the learning rate to 2 and the epochs to 3000 (now {learningRate} and {epochsSet}). XOR is a small problem with a flat start: it needs big steps and many of them.',
        ja: 'キャンバスの空いた所をクリックし、学習率を 2、エポック数を 3000 にします（今は {learningRate} と {epochsSet}）。XOR は小さな問題ですが出だしが平らなので、大きな歩幅でたくさん進む必要があります。',
      },
      check: [
        { kind: 'training', learningRate: { min: 0.5, max: 20, suggested: 2 }, epochs: { min: 1000, suggested: 3000 } },
      ],
    },
    {
      id: 'predict',
      action: 'predict',
      text: {
        en: 'Open Learn › Step through backprop and go backward from the Loss, predicting each gradient before it shows. Output: δ₂ = (y − t)·y(1 − y). Hidden: δ₁ = (δ₂·W₂ᵀ) ⊙ a₁(1 − a₁). Weights: ∂E/∂W₂ = a₁ᵀ·δ₂, ∂E/∂W₁ = xᵀ·δ₁.',
        ja: '「学ぶ › 誤差逆伝播をステップ実行」を開き、損失から逆向きに進みます。勾配が出る前に予想を入れましょう。出力層 δ₂ = (y − t)·y(1 − y)、隠れ層 δ₁ = (δ₂·W₂ᵀ) ⊙ a₁(1 − a₁)、重みは ∂E/∂W₂ = a₁ᵀ·δ₂、∂E/∂W₁ = xᵀ·δ₁ です。',
      },
      check: [{ kind: 'did', activity: 'predict' }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Press Train. The loss sits on a plateau near 0.125, then drops as the two lines find their places. Done below 0.01 (yours: {loss} after {epochs} epochs). Stuck near 0.06? Both units found the same line: change the seed and Reset.',
        ja: '「学習」を押します。損失はしばらく 0.125 付近で平らなまま、2 本の線の位置が決まると一気に下がります。0.01 未満で完了です（あなたの結果: {epochs} エポックで {loss}）。0.06 付近で止まったら、2 個のユニットが同じ線に落ち着いてしまっています。シードを変えてリセットしましょう。',
      },
      check: [{ kind: 'run', metric: 'loss', below: 0.01 }],
    },
  ],
};
