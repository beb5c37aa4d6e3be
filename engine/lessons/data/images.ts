// The image tutorials: MNIST with a 784-64-10 MLP (ReLU, softmax, cross-entropy, the gradient
// written out layer by layer), a two-layer cat / non-cat classifier on 64×64×3 photos from HDF5
// files, and from the MLP to a convolutional network.
import { lossWired, outputLayer } from './checks.ts';
import type { Condition, Lesson } from '../types.ts';

const mnistData: Condition = { kind: 'dataset', is: ['mnist'], task: 'multiclass' };

export const mnistMlp: Lesson = {
  id: 'mnist-mlp',
  kind: 'lesson',
  title: { en: 'Handwritten digits: MNIST 784-64-10', ja: '手書き数字: MNIST 784-64-10' },
  summary: {
    en: '784 pixels → 64 ReLU units → 10 softmax outputs, trained with cross-entropy. The backward pass, written out layer by layer, starts from dy = (y − t)/B and ends at dW1 = xᵀ·dz1. Goal: at least 90% of the test digits right.',
    ja: '784 画素 → ReLU 64 ユニット → softmax 10 出力を交差エントロピー誤差で学習します。逆伝播は dy = (y − t)/B から始まり、層ごとに dW1 = xᵀ·dz1 まで書き下せます。目標はテスト画像の 90% 以上の正解です。',
  },
  steps: [
    {
      id: 'data',
      action: 'set',
      text: {
        en: 'Drag an Input node and set its dataset to “mnist” (8,000 training digits, 2,000 for the test). Each image is 28×28 = 784 pixels in [0, 1]; the answer t is one-hot: ten numbers, 1 at the true digit.',
        ja: '「入力」ノードを置き、データセットを「mnist」にします（訓練 8,000 枚、テスト 2,000 枚）。画像は 28×28 = 784 画素で値は 0〜1、正解 t は one-hot 表現（10 個の数のうち正しい数字の所だけ 1）です。',
      },
      check: [mnistData],
    },
    {
      id: 'hidden',
      action: 'wire',
      text: {
        en: "Hidden layer: a Dense with 64 units from the Input's x, then a relu. z1 = x·W1 + b1, a1 = max(0, z1). W1 alone holds 784 × 64 = 50,176 weights.",
        ja: '隠れ層: 入力の x から「全結合」（ユニット数 64）、続けて relu。z1 = x·W1 + b1、a1 = max(0, z1) です。W1 だけで 784 × 64 = 50,176 個の重みがあります。',
      },
      check: [
        { kind: 'hiddenLayers', count: { min: 1 } },
        { kind: 'layer', index: 0, units: { min: 16, max: 512, suggested: 64 }, fn: ['relu', 'leaky_relu'] },
      ],
    },
    {
      id: 'output',
      action: 'wire',
      text: {
        en: 'Output: a Dense with 10 units, then a softmax, y = softmax(a1·W2 + b2): ten probabilities that add up to 1, one per digit.',
        ja: '出力層: 「全結合」（ユニット数 10）の後に softmax。y = softmax(a1·W2 + b2) は数字ごとの確率 10 個で、合計は 1 です。',
      },
      check: outputLayer(10, ['softmax']),
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: "Add a Loss with cross_entropy, E = −(1/B) Σ t·log y; wire y into pred and the Input's y into target. Softmax with cross-entropy has the simplest gradient there is: dE/dz2 = (y − t)/B.",
        ja: '「損失」ノードに cross_entropy（交差エントロピー誤差 E = −(1/B) Σ t·log y）を選び、y を予測（pred）に、入力の y を正解（target）につなぎます。softmax と交差エントロピーの組み合わせは勾配がいちばん簡単で、dE/dz2 = (y − t)/B です。',
      },
      check: lossWired(['cross_entropy']),
    },
    {
      id: 'predict',
      action: 'predict',
      text: {
        en: 'Step through backprop on one digit (B = 1) and predict before each value shows: dy = y − t at the output, then dW2 = a1ᵀ·dy, db2 = dy, da1 = dy·W2ᵀ, dz1 = da1 ⊙ (z1 > 0), dW1 = xᵀ·dz1. The 784 weights into each hidden unit show as a 28×28 picture.',
        ja: '1 枚の数字（B = 1）で誤差逆伝播をステップ実行し、値が出る前に予想しましょう。出力で dy = y − t、続いて dW2 = a1ᵀ·dy、db2 = dy、da1 = dy·W2ᵀ、dz1 = da1 ⊙ (z1 > 0)、dW1 = xᵀ·dz1。隠れユニット 1 個に入る 784 個の重みは 28×28 の画像として見えます。',
      },
      check: [{ kind: 'did', activity: 'predict' }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Train (SGD at 0.1, batch 100: about 10 epochs) until at least 90% of the test digits are right. Yours: {testAccuracy} after {epochs} epochs. The confusion matrix shows which digits it mixes up.',
        ja: 'テスト画像の正解率が 90% 以上になるまで学習させます（SGD、学習率 0.1、バッチ 100 なら 10 エポックほど）。あなたの結果: {epochs} エポックで {testAccuracy}。混同行列で、どの数字を取り違えやすいかが分かります。',
      },
      check: [{ kind: 'run', metric: 'testAccuracy', atLeast: 0.9 }],
    },
  ],
};

export const cat2layer: Lesson = {
  id: 'cat-2layer',
  kind: 'lesson',
  title: { en: 'Cat or not: a two-layer network', ja: '猫かどうか: 2 層ニューラルネット' },
  summary: {
    en: 'Photos of 64×64×3 pixels from train_catvnoncat.h5 and test_catvnoncat.h5: flatten each to 12,288 numbers, then LINEAR → RELU → LINEAR → SIGMOID with binary cross-entropy, every dW by the chain rule.',
    ja: 'train_catvnoncat.h5 と test_catvnoncat.h5 の 64×64×3 の写真を 12,288 個の数に平らにし、LINEAR → RELU → LINEAR → SIGMOID の 2 層ネットワークを二値交差エントロピーで学習します。dW はすべて連鎖律で求まります。',
  },
  steps: [
    {
      id: 'data',
      action: 'import',
      text: {
        en: 'Drag an Input node, select it and press Import data…; pick train_catvnoncat.h5 and test_catvnoncat.h5 together. x is [209, 64, 64, 3] (bytes scaled to [0, 1]), y is 1 for a cat, 0 otherwise.',
        ja: '「入力」ノードを置いて選び、「データを取り込む…」で train_catvnoncat.h5 と test_catvnoncat.h5 を一緒に選びます。x は [209, 64, 64, 3]（0〜255 を 0〜1 に換算）、y は猫なら 1、それ以外は 0 です。',
      },
      check: [{ kind: 'dataset', is: ['arrays'], task: 'binary' }, { kind: 'imageInput' }],
    },
    {
      id: 'flatten',
      action: 'drag',
      text: {
        en: "A Dense layer takes one vector per sample. Add a Flatten after the Input's x: each image becomes 64·64·3 = 12,288 numbers, [B, 64, 64, 3] → [B, 12288].",
        ja: '全結合層は 1 サンプルにつき 1 本のベクトルを受け取ります。入力の x の後に「平坦化」を入れると、画像 1 枚が 64·64·3 = 12,288 個の数になります: [B, 64, 64, 3] → [B, 12288]。',
      },
      check: [{ kind: 'flattenBeforeDense' }, { kind: 'pathTypes', types: ['flatten'] }],
    },
    {
      id: 'hidden',
      action: 'wire',
      text: {
        en: 'LINEAR → RELU: a Dense with 7 units, then a relu. The tutorial writes Z1 = W1·X + b1 with one column per example; nodegrad writes x·W1 with one row per example: the same numbers, transposed.',
        ja: 'LINEAR → RELU: 「全結合」（ユニット数 7）の後に relu。教材は例を列に並べて Z1 = W1·X + b1 と書きますが、nodegrad は例を行に並べて x·W1 と書きます。転置しただけで中身は同じです。',
      },
      check: [
        { kind: 'hiddenLayers', count: { min: 1 } },
        { kind: 'layer', index: 0, units: { min: 2, max: 100, suggested: 7 }, fn: ['relu', 'leaky_relu'] },
      ],
    },
    {
      id: 'output',
      action: 'wire',
      text: {
        en: 'LINEAR → SIGMOID: a Dense with 1 unit and a sigmoid. A2 = σ(Z2) is the probability that the photo shows a cat.',
        ja: 'LINEAR → SIGMOID: 「全結合」（ユニット数 1）と sigmoid。A2 = σ(Z2) が「猫である確率」です。',
      },
      check: outputLayer(1, ['sigmoid']),
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: "Add a Loss with binary_cross_entropy, J = −(1/m) Σ [y·log A2 + (1 − y)·log(1 − A2)], and wire the Input's y into target. With the sigmoid, dZ2 = A2 − Y.",
        ja: '「損失」ノードに binary_cross_entropy(J = −(1/m) Σ [y·log A2 + (1 − y)·log(1 − A2)])を選び、入力の y を正解（target）につなぎます。シグモイドと組み合わせると dZ2 = A2 − Y です。',
      },
      check: lossWired(['binary_cross_entropy']),
    },
    {
      id: 'trace',
      action: 'trace',
      text: {
        en: 'Step through backprop on one photo and find each line of the chain rule: dW2 = dZ2·A1ᵀ, db2 = dZ2, dA1 = W2ᵀ·dZ2, dZ1 = dA1 ⊙ g′(Z1), dW1 = dZ1·Xᵀ (divided by m over a batch).',
        ja: '写真 1 枚で誤差逆伝播をステップ実行し、連鎖律の各行を画面で見つけましょう: dW2 = dZ2·A1ᵀ、db2 = dZ2、dA1 = W2ᵀ·dZ2、dZ1 = dA1 ⊙ g′(Z1)、dW1 = dZ1·Xᵀ（バッチでは m で割ります）。',
      },
      check: [{ kind: 'did', activity: 'trace' }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Train (the tutorial: learning rate 0.0075, 2,500 iterations of the whole set) until at least 70% of the test photos are right; the tutorial reaches 72%. Yours: {testAccuracy} after {epochs} epochs.',
        ja: 'テスト写真の正解率が 70% 以上になるまで学習させます（教材は学習率 0.0075 で全データを 2,500 回、72% に届きます）。あなたの結果: {epochs} エポックで {testAccuracy}。',
      },
      check: [{ kind: 'run', metric: 'testAccuracy', atLeast: 0.7 }],
    },
  ],
};

export const mnistCnn: Lesson = {
  id: 'mnist-cnn',
  kind: 'lesson',
  title: { en: 'From the MLP to a CNN', ja: 'MLP から CNN へ' },
  summary: {
    en: 'The MLP sees 784 unrelated numbers. A convolutional network puts the digit back into 28×28 and slides small 3×3 filters over it, so a stroke is found wherever it is: fewer weights, more digits right (goal: 95%).',
    ja: 'MLP にとって画像は互いに無関係な 784 個の数です。畳み込みネットワークは数字を 28×28 に戻し、3×3 の小さなフィルタを滑らせるので、線がどこにあっても見つけられます。重みは少なく、正解は多く（目標 95%）。',
  },
  steps: [
    {
      id: 'data',
      action: 'set',
      text: {
        en: 'Start with an Input on “mnist” (your MLP graph is a fine start: keep its Input and Loss).',
        ja: 'データセット「mnist」の入力ノードから始めます（MLP のグラフがあれば、入力と損失はそのまま使えます）。',
      },
      check: [mnistData],
    },
    {
      id: 'reshape',
      action: 'drag',
      text: {
        en: "Add a Reshape after the Input's x with shape [28, 28, 1]: height, width and one channel (grey). The 784 numbers become an image again.",
        ja: '入力の x の後に「形状変更」を入れ、形を [28, 28, 1]（高さ・幅・チャンネル 1 つ=白黒）にします。784 個の数がもう一度画像になります。',
      },
      check: [{ kind: 'pathTypes', types: ['reshape'] }],
    },
    {
      id: 'conv',
      action: 'wire',
      text: {
        en: 'Add a Conv2D with 8 filters of 3×3, then a relu. Each filter has 3·3·1 + 1 = 10 parameters and slides over the whole image: out = [26, 26, 8] (valid padding: 28 − 3 + 1).',
        ja: '「畳み込み」（フィルタ 8 枚、3×3）の後に relu を置きます。フィルタ 1 枚のパラメータは 3·3·1 + 1 = 10 個で、画像全体を滑ります。出力は [26, 26, 8]（valid パディング: 28 − 3 + 1）です。',
      },
      check: [
        { kind: 'pathTypes', types: ['reshape', 'conv2d'] },
        { kind: 'layer', index: 0, units: { min: 2, max: 64, suggested: 8 }, fn: ['relu', 'leaky_relu'] },
      ],
    },
    {
      id: 'pool',
      action: 'drag',
      text: {
        en: 'Add a MaxPool2D of size 2: each 2×2 window keeps its largest value, [26, 26, 8] → [13, 13, 8]. A stroke moved by one pixel gives the same answer.',
        ja: '「最大プーリング」（サイズ 2）を入れます。2×2 の窓ごとに最大値だけを残し、[26, 26, 8] → [13, 13, 8]。線が 1 画素ずれても同じ答えになります。',
      },
      check: [{ kind: 'pathTypes', types: ['reshape', 'conv2d', 'maxpool2d'] }],
    },
    {
      id: 'classify',
      action: 'wire',
      text: {
        en: 'Flatten ([13, 13, 8] → [1352]), then a Dense with 10 units and a softmax, as in the MLP.',
        ja: '「平坦化」（[13, 13, 8] → [1352]）の後に、MLP と同じく「全結合」（ユニット数 10）と softmax を置きます。',
      },
      check: [
        { kind: 'pathTypes', types: ['reshape', 'conv2d', 'maxpool2d', 'flatten', 'dense'] },
        { kind: 'flattenBeforeDense' },
        { kind: 'outputUnits', units: 10 },
        { kind: 'outputActivation', fn: ['softmax'] },
      ],
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: 'A Loss with cross_entropy, wired as before. The network has {params} parameters, against 50,890 in the 784-64-10 MLP.',
        ja: '損失は cross_entropy で、つなぎ方は前と同じです。パラメータは {params} 個。784-64-10 の MLP は 50,890 個でした。',
      },
      check: lossWired(['cross_entropy']),
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Train (Adam at 0.005, batch 50, a few epochs) until at least 95% of the test digits are right. Yours: {testAccuracy} after {epochs} epochs.',
        ja: 'テスト画像の正解率が 95% 以上になるまで学習させます（Adam、学習率 0.005、バッチ 50 で数エポック）。あなたの結果: {epochs} エポックで {testAccuracy}。',
      },
      check: [{ kind: 'run', metric: 'testAccuracy', atLeast: 0.95 }],
    },
  ],
};
