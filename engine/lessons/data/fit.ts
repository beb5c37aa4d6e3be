// The curve-fitting tutorial: a 1-n-1 network (one input, n sigmoid hidden units, one linear output)
// fits x³ − 2.5x² on [0, 3] with mini-batches; numerical gradients check backprop; a comparison of
// hidden-unit counts shows how many bends the curve needs.
import { lossWired, outputLayer } from './checks.ts';
import type { Lesson } from '../types.ts';

export const fit1n1: Lesson = {
  id: 'fit-1n1',
  kind: 'lesson',
  title: { en: 'Fit a curve with a 1-n-1 network', ja: '1-n-1 のネットワークで曲線を近似' },
  summary: {
    en: 'One input, n sigmoid hidden units, one linear output: the network adds up n soft steps to draw a curve. It fits x, then x², then x³ − 2.5x², trained on mini-batches; numerical gradients confirm backprop.',
    ja: '入力 1 個、シグモイドの隠れユニット n 個、線形の出力 1 個。ネットワークは n 個のなだらかな段差を足し合わせて曲線を描きます。x、x²、そして x³ − 2.5x² をミニバッチで学習し、数値微分で誤差逆伝播の勾配を確かめます。',
  },
  steps: [
    {
      id: 'data',
      action: 'set',
      text: {
        en: 'Drag an Input node and set its dataset to “function” with f(x) = x^3 - 2.5*x^2 on the domain [0, 3] (200 samples). Warm up with x or x^2 if you like: the same network fits them.',
        ja: '「入力」ノードを置き、データセットを「function」にして f(x) = x^3 - 2.5*x^2、定義域 [0, 3]（200 サンプル）にします。先に x や x^2 で試してもかまいません。同じネットワークで近似できます。',
      },
      check: [{ kind: 'dataset', is: ['function'], expr: 'x^3 - 2.5*x^2' }],
    },
    {
      id: 'hidden',
      action: 'wire',
      text: {
        en: "Add the hidden layer: a Dense with 10 units from the Input's x, then a sigmoid. Each unit σ(w·x + b) is a soft step at x = −b/w; its steepness is w.",
        ja: '隠れ層を作ります。入力の x から「全結合」（ユニット数 10）、続けて sigmoid。ユニット 1 個 σ(w·x + b) は x = −b/w にあるなだらかな段差で、w が急さを決めます。',
      },
      check: [
        { kind: 'hiddenLayers', count: { min: 1 } },
        { kind: 'layer', index: 0, units: { min: 2, max: 100, suggested: 10 }, fn: ['sigmoid'] },
      ],
    },
    {
      id: 'output',
      action: 'wire',
      text: {
        en: 'Add the output: a Dense with 1 unit and no activation, y = a₁·W₂ + b₂, a weighted sum of the steps. A sigmoid here would cap y below 1, yet f(3) = 4.5.',
        ja: '出力は「全結合」（ユニット数 1）で、活性化関数は付けません。y = a₁·W₂ + b₂ は段差の重み付き和です。ここにシグモイドを付けると y は 1 を超えられませんが、f(3) = 4.5 です。',
      },
      check: outputLayer(1, ['identity']),
    },
    {
      id: 'loss',
      action: 'wire',
      text: {
        en: "Add a Loss with squared_error (or mse) and wire y into pred, the Input's y into target: E = ½Σ(y − t)², averaged over the batch.",
        ja: '「損失」ノードに squared_error（または mse）を選び、y を予測（pred）に、入力の y を正解（target）につなぎます。E = ½Σ(y − t)² をバッチで平均します。',
      },
      check: lossWired(['squared_error', 'mse']),
    },
    {
      id: 'batches',
      action: 'set',
      text: {
        en: 'Mini-batches: click the empty canvas and set the batch size to 20 (now {batchSize}). Each step then uses 20 random samples: ∂E/∂W is estimated, noisy but 8× cheaper than all 160. Adam at 0.05 for 600 epochs trains it quickly (SGD at 0.1 too, more slowly).',
        ja: 'ミニバッチ学習: キャンバスの空いた所をクリックし、バッチサイズを 20 にします（今は {batchSize}）。1 ステップごとにランダムな 20 サンプルで ∂E/∂W を見積もります。少しぶれますが、160 個全部を使うより 8 倍安上がりです。Adam（学習率 0.05、600 エポック）なら速く、SGD(0.1)でもゆっくり学習できます。',
      },
      check: [{ kind: 'training', batchSize: { min: 2, max: 64, suggested: 20 } }],
    },
    {
      id: 'gradcheck',
      action: 'gradcheck',
      text: {
        en: 'Is backprop right? Press Learn › Check gradients: every weight is nudged by ±h and the numerical gradient (E(w + h) − E(w − h)) / 2h is compared with backprop. They agree to about 1e-4; the rest is float32 rounding.',
        ja: '誤差逆伝播は正しいでしょうか。「学ぶ › 勾配チェック」を押すと、重みを ±h だけずらした数値微分 (E(w + h) − E(w − h)) / 2h と逆伝播の勾配を比べます。1e-4 ほどの差で一致します。残りは float32 の丸め誤差です。',
      },
      check: [{ kind: 'did', activity: 'gradcheck' }],
    },
    {
      id: 'compare',
      action: 'compare',
      text: {
        en: 'How many hidden units does the curve need? Open Compare, vary the hidden units (1, 3, 10) and train them side by side. One unit makes one step and cannot bend twice; x³ − 2.5x² goes down, then up.',
        ja: '隠れユニットは何個必要でしょう。「比較」を開き、隠れ層のユニット数を 1・3・10 と変えて並べて学習させます。ユニット 1 個では段差が 1 つで、2 回は曲がれません。x³ − 2.5x² は一度下がってから上がります。',
      },
      check: [{ kind: 'did', activity: 'compare' }],
    },
    {
      id: 'train',
      action: 'train',
      text: {
        en: 'Train your network until the test loss is below 0.01 (yours: {testLoss} after {epochs} epochs). The output view draws your curve over the samples.',
        ja: 'テストデータの損失が 0.01 未満になるまで学習させましょう（あなたの結果: {epochs} エポックで {testLoss}）。出力ビューにネットワークの曲線がサンプルと重ねて描かれます。',
      },
      check: [{ kind: 'run', metric: 'testLoss', below: 0.01 }],
    },
  ],
};
