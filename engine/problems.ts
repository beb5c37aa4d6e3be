// Problems (format and compile) carry a stable `code` and the `params` their message is made from,
// so the app can render them in another language. Each code's text lives here once, in English
// and Japanese; node-specific codes live in their node definition (engine/nodes/) and are merged in.

/** Values a problem's message is made from: ids, type names, numbers and shapes. */
export type ProblemParams = Readonly<Record<string, string | number | readonly number[] | readonly string[]>>;

export type Lang = 'en' | 'ja';

/** How a language writes the pieces of a message. */
export interface ProblemFormat {
  /** "Dense 'h1'" from an id and a node type. */
  node(id: string, type: string): string;
  shape(shape: readonly number[]): string;
  count(n: number): string;
}

export type ProblemText = (p: ProblemParams, f: ProblemFormat) => string;

/** One message in every language the app speaks. */
export type Texts = Readonly<Record<Lang, ProblemText>>;

/** Longest text a message quotes from a param: a value from a file (a CSV cell) can be megabytes. */
export const MAX_PARAM_CHARS = 200;
/** `text`, cut to MAX_PARAM_CHARS with "…" (never inside a surrogate pair). */
function cut(text: string): string {
  if (text.length <= MAX_PARAM_CHARS) return text;
  const end = /[\ud800-\udbff]/.test(text[MAX_PARAM_CHARS - 1] as string) ? MAX_PARAM_CHARS - 1 : MAX_PARAM_CHARS;
  return `${text.slice(0, end)}…`;
}
export const s = (p: ProblemParams, key: string): string => cut(String(p[key] ?? ''));
export const n = (p: ProblemParams, key: string): number => Number(p[key] ?? 0);
export const list = (p: ProblemParams, key: string): readonly string[] =>
  ((p[key] as readonly string[] | undefined) ?? []).map(cut);
export const shape = (p: ProblemParams, key: string): readonly number[] =>
  (p[key] as readonly number[] | undefined) ?? [];
/** "'o' → 'a' → 'o'" (「o」→「a」→「o」): a cycle's ids, closed; an excerpt of a long cycle (`length` > its ids) says "…". */
const loop = (p: ProblemParams, lang: Lang = 'en') => {
  const ids = (p.cycle as readonly string[] | undefined) ?? [];
  const cut = n(p, 'length') > ids.length ? ['…'] : [];
  const quote = (id: string | undefined) => (lang === 'ja' ? `「${id}」` : `'${id}'`);
  return [...ids.map(quote), ...cut, quote(ids[0])].join(lang === 'ja' ? '→' : ' → ');
};
const JA_LETTER = '[\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}ー]';
const SPACE_AFTER_BRACKET = new RegExp(`([」）]) +(?=${JA_LETTER}|[「（])`, 'gu');
const SPACE_BEFORE_BRACKET = new RegExp(`(${JA_LETTER}) +(?=[「（])`, 'gu');
/** Japanese sets no space between a full-width bracket and Japanese: 全結合「h」は, not 全結合「h」 は. */
export function jaSpacing(text: string): string {
  return text.replace(SPACE_AFTER_BRACKET, '$1').replace(SPACE_BEFORE_BRACKET, '$1');
}
const cycleLength = (p: ProblemParams, f: ProblemFormat, text: (count: string) => string) =>
  n(p, 'length') > list(p, 'cycle').length ? ` ${text(f.count(n(p, 'length')))}` : '';
const node = (p: ProblemParams, f: ProblemFormat, key = 'node') => f.node(s(p, key), s(p, `${key}Type`));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** Graph-level and format-level problems; node definitions add their own (see nodes/define.ts). */
export const GRAPH_PROBLEMS = {
  'edge.missing-node': {
    en: (p) => `Edge '${s(p, 'edge')}' connects a node that does not exist`,
    ja: (p) => `エッジ「${s(p, 'edge')}」が存在しないノードにつながっています`,
  },
  'edge.bad-port': {
    en: (p, f) =>
      `Edge '${s(p, 'edge')}' uses a port that ${node(p, f, 'source')} or ${node(p, f, 'target')} does not have`,
    ja: (p, f) =>
      `エッジ「${s(p, 'edge')}」は ${node(p, f, 'source')} か ${node(p, f, 'target')} にないポートを使っています`,
  },
  'edge.self': {
    en: (p, f) => `${node(p, f)} cannot feed itself`,
    ja: (p, f) => `${node(p, f)} は自分自身にはつなげません`,
  },
  'edge.occupied': {
    en: (p, f) => `${node(p, f)}'s '${s(p, 'port')}' input is already connected; an input takes exactly one edge`,
    ja: (p, f) =>
      `${node(p, f)} の入力「${s(p, 'port')}」はすでに接続されています。入力には 1 本のエッジしかつなげません`,
  },
  'edge.targets-only-to-loss': {
    en: (p, f) => `${node(p, f, 'source')}'s targets 'y' can only feed a Loss node's 'target', not ${node(p, f)}`,
    ja: (p, f) =>
      `${node(p, f, 'source')} の正解「y」は損失ノードの「target」にしかつなげません（${node(p, f)} には不可）`,
  },
  'edge.target-from-y': {
    en: (p, f) => `${node(p, f)}'s 'target' must come from the Input's 'y', not from ${node(p, f, 'source')}`,
    ja: (p, f) => `${node(p, f)} の「target」には入力ノードの「y」をつなぎます（${node(p, f, 'source')} からは不可）`,
  },
  'edge.cycle': {
    en: (p, f) => `That would make a cycle through ${node(p, f)}: data must flow one way`,
    ja: (p, f) => `${node(p, f)} を通る循環ができてしまいます。データは一方向に流れる必要があります`,
  },
  'graph.cycle': {
    en: (p, f) =>
      `${node(p, f)} is on a cycle ${loop(p)}${cycleLength(p, f, (c) => `(${c} nodes)`)}; data must flow one way`,
    ja: (p, f) =>
      `${node(p, f)} が循環 ${loop(p, 'ja')}${cycleLength(p, f, (c) => `（ノード ${c} 個）`)} の上にあります。データは一方向に流れる必要があります`,
  },
  'graph.no-input': {
    en: () => 'The graph needs an Input node',
    ja: () => 'グラフには入力ノードが必要です',
  },
  'graph.no-loss': {
    en: () => 'The graph needs a Loss node: training minimises it',
    ja: () => 'グラフには損失ノードが必要です（学習はこれを最小化します）',
  },
  'graph.extra-input': {
    en: (p, f) => `${node(p, f)} is a second Input node; a graph has exactly one`,
    ja: (p, f) => `${node(p, f)} は 2 つ目の入力ノードです。入力ノードは 1 つだけです`,
  },
  'graph.extra-loss': {
    en: (p, f) => `${node(p, f)} is a second Loss node; a graph has exactly one`,
    ja: (p, f) => `${node(p, f)} は 2 つ目の損失ノードです。損失ノードは 1 つだけです`,
  },
  'port.unconnected': {
    en: (p, f) => `${node(p, f)} has nothing connected to its '${s(p, 'port')}' input`,
    ja: (p, f) => `${node(p, f)} の入力「${s(p, 'port')}」に何もつながっていません`,
  },
  'node.unreachable': {
    en: (p, f) => `${node(p, f)} is not connected to ${node(p, f, 'input')}: nothing flows into it`,
    ja: (p, f) => `${node(p, f)} は ${node(p, f, 'input')} とつながっていません。データが流れ込みません`,
  },
  'node.dead-end': {
    en: (p, f) => `${node(p, f)} is a dead end: its output never reaches ${node(p, f, 'loss')}`,
    ja: (p, f) => `${node(p, f)} は行き止まりです。出力が ${node(p, f, 'loss')} に届きません`,
  },
  'node.weights-misfit': {
    en: (p, f) =>
      `${node(p, f)} expects ${n(p, 'expected')} inputs (its saved weights ${s(p, 'param')} are ${f.shape(shape(p, 'saved'))}) but '${s(p, 'source')}' gives ${n(p, 'features')}`,
    ja: (p, f) =>
      `${node(p, f)} の保存済みの重み ${s(p, 'param')} は ${f.shape(shape(p, 'saved'))} で入力 ${n(p, 'expected')} 個を前提にしていますが、「${s(p, 'source')}」からは ${n(p, 'features')} 個来ます`,
  },
  'graph.too-many-params': {
    en: (p, f) =>
      `The graph holds ${f.count(n(p, 'total'))} parameters, more than the limit of ${f.count(n(p, 'limit'))} (${node(p, f)} alone has ${f.count(n(p, 'count'))})`,
    ja: (p, f) =>
      `パラメータ数 ${f.count(n(p, 'total'))} が上限 ${f.count(n(p, 'limit'))} を超えています（${node(p, f)} だけで ${f.count(n(p, 'count'))}）`,
  },
  'graph.activation-memory': {
    en: (p, f) =>
      `One training step needs about ${f.count(n(p, 'mb'))} MB for activations and their gradients (batch ${f.count(n(p, 'batch'))}; ${node(p, f)} alone ${f.count(n(p, 'nodeMb'))} MB), more than the limit of ${f.count(n(p, 'limitMb'))} MB: ${n(p, 'maxBatch') >= 1 ? `use a batch size of at most ${f.count(n(p, 'maxBatch'))}, or fewer units` : 'use fewer or smaller layers'}`,
    ja: (p, f) =>
      `1 回の学習ステップに活性とその勾配で約 ${f.count(n(p, 'mb'))} MB 必要です（バッチ ${f.count(n(p, 'batch'))}、${node(p, f)} だけで ${f.count(n(p, 'nodeMb'))} MB）。上限は ${f.count(n(p, 'limitMb'))} MB です。${n(p, 'maxBatch') >= 1 ? `バッチサイズを ${f.count(n(p, 'maxBatch'))} 以下にするか、ユニット数を減らしてください` : '層の数か大きさを減らしてください'}`,
  },
  'graph.step-work': {
    en: (p, f) =>
      `One training step takes about ${f.count(round1(n(p, 'work') / 1e9))} billion multiply-adds (batch ${f.count(n(p, 'batch'))}; ${node(p, f)} alone ${f.count(round1(n(p, 'nodeWork') / 1e9))} billion), more than the limit of ${f.count(n(p, 'limit') / 1e9)} billion: ${n(p, 'maxBatch') >= 1 ? `use a batch size of at most ${f.count(n(p, 'maxBatch'))}, or fewer units` : 'use fewer or smaller layers'}`,
    ja: (p, f) =>
      `1 回の学習ステップに約 ${f.count(round1(n(p, 'work') / 1e8))} 億回の積和演算が必要です（バッチ ${f.count(n(p, 'batch'))}、${node(p, f)} だけで ${f.count(round1(n(p, 'nodeWork') / 1e8))} 億回）。上限は ${f.count(n(p, 'limit') / 1e8)} 億回です。${n(p, 'maxBatch') >= 1 ? `バッチサイズを ${f.count(n(p, 'maxBatch'))} 以下にするか、ユニット数を減らしてください` : '層の数か大きさを減らしてください'}`,
  },
  'weights.unreadable': {
    en: (p) => `Saved weights are unreadable: ${s(p, 'detail')}`,
    ja: (p) => `保存済みの重みを読めません: ${s(p, 'detail')}`,
  },
  'weights.misfit': {
    en: (p) => `Saved weights '${s(p, 'key')}' ${s(p, 'shape')} do not fit the graph`,
    ja: (p) => `保存済みの重み「${s(p, 'key')}」 ${s(p, 'shape')} がグラフに合いません`,
  },
  'format.invalid': {
    en: (p) => s(p, 'detail'),
    ja: (p) => `値が正しくありません: ${s(p, 'detail')}`,
  },
  'format.too-small': {
    en: (p) => `must be ${p.inclusive === 'no' ? 'greater than' : 'at least'} ${n(p, 'minimum')}`,
    ja: (p) => `${n(p, 'minimum')} ${p.inclusive === 'no' ? 'より大きく' : '以上に'}してください`,
  },
  'format.too-big': {
    en: (p) => `must be ${p.inclusive === 'no' ? 'less than' : 'at most'} ${n(p, 'maximum')}`,
    ja: (p) => `${n(p, 'maximum')} ${p.inclusive === 'no' ? '未満に' : '以下に'}してください`,
  },
  'format.not-integer': {
    en: () => 'must be a whole number',
    ja: () => '整数にしてください',
  },
  'format.not-finite': {
    en: () => 'must be a finite number',
    ja: () => '有限の数にしてください',
  },
  'format.bad-option': {
    en: (p) => `must be one of ${list(p, 'options').join(', ')}`,
    ja: (p) => `次のどれかにしてください: ${list(p, 'options').join(', ')}`,
  },
  'format.unknown-keys': {
    en: (p) =>
      `unknown field${list(p, 'keys').length === 1 ? '' : 's'} ${list(p, 'keys')
        .map((k) => `"${k}"`)
        .join(', ')}`,
    ja: (p) =>
      `不明な項目 ${list(p, 'keys')
        .map((k) => `「${k}」`)
        .join('')}`,
  },
  'format.wrong-type': {
    en: (p) =>
      `must be ${s(p, 'expected') === 'object' ? 'an object' : s(p, 'expected') === 'array' ? 'an array' : `a ${s(p, 'expected')}`}`,
    ja: (p) => `型が違います（${s(p, 'expected')} が必要です）`,
  },
  'format.duplicate-id': {
    en: (p) => `duplicate ${s(p, 'kind')} id "${s(p, 'id')}"`,
    ja: (p) => `${s(p, 'kind') === 'edge' ? 'エッジ' : 'ノード'} id 「${s(p, 'id')}」が重複しています`,
  },
  'format.unknown-type': {
    en: (p) => `unknown node type "${s(p, 'type')}" (expected one of ${list(p, 'options').join(', ')})`,
    ja: (p) => `不明なノードの種類「${s(p, 'type')}」（使えるもの: ${list(p, 'options').join(', ')}）`,
  },
  'format.bad-port': {
    en: (p) =>
      `"${s(p, 'port')}" is not an ${s(p, 'side')} port of ${s(p, 'nodeType')} node "${s(p, 'node')}" (its ${s(p, 'side')} ports: ${
        list(p, 'ports')
          .map((x) => `"${x}"`)
          .join(', ') || 'none'
      })`,
    ja: (p) =>
      `「${s(p, 'port')}」はノード「${s(p, 'node')}」（${s(p, 'nodeType')}）の${s(p, 'side') === 'input' ? '入力' : '出力'}ポートではありません（ポート: ${list(p, 'ports').join(', ') || 'なし'}）`,
  },
  'format.missing-node': {
    en: (p) =>
      `edge "${s(p, 'edge')}" ${s(p, 'end') === 'source' ? 'comes from' : 'goes to'} node "${s(p, 'node')}", which does not exist`,
    ja: (p) =>
      `エッジ「${s(p, 'edge')}」の${s(p, 'end') === 'source' ? '始点' : '終点'}ノード「${s(p, 'node')}」は存在しません`,
  },
  'format.weights-node': {
    en: (p) =>
      s(p, 'nodeType')
        ? `${s(p, 'nodeType')} node "${s(p, 'node')}" has no parameters`
        : `weights for node "${s(p, 'node')}", which does not exist`,
    ja: (p) =>
      s(p, 'nodeType')
        ? `ノード「${s(p, 'node')}」にはパラメータがありません`
        : `存在しないノード「${s(p, 'node')}」の重みがあります`,
  },
  'format.weights-param': {
    en: (p) =>
      `unknown parameter "${s(p, 'param')}" (a ${s(p, 'nodeType')} node has ${list(p, 'names')
        .map((x) => `"${x}"`)
        .join(' and ')})`,
    ja: (p) => `不明なパラメータ「${s(p, 'param')}」（使えるもの: ${list(p, 'names').join(', ')}）`,
  },
  'format.weights-bytes': {
    en: (p) => `holds ${n(p, 'bytes')} bytes but shape [${shape(p, 'shape').join(', ')}] needs ${n(p, 'needed')}`,
    ja: (p) =>
      `${n(p, 'bytes')} バイトありますが、形 [${shape(p, 'shape').join(', ')}] には ${n(p, 'needed')} バイト必要です`,
  },
  'format.weights-shape': {
    en: (p) =>
      `${s(p, 'label')} "${s(p, 'node')}" needs ${s(p, 'param')} of shape ${s(p, 'expected')}, not [${shape(p, 'shape').join(', ')}]`,
    ja: (p) =>
      `ノード「${s(p, 'node')}」の ${s(p, 'param')} の形は ${s(p, 'expected')} が必要です（[${shape(p, 'shape').join(', ')}] ではなく）`,
  },
  'format.bad-expression': {
    en: (p) => s(p, 'detail'),
    ja: (p) => `式が読めません: ${s(p, 'detail')}`,
  },
  'dataset.too-many-classes': {
    en: (p, f) =>
      `The CSV target column '${s(p, 'column')}' has ${f.count(n(p, 'count'))} different categories, more than the limit of ${f.count(n(p, 'limit'))} (each category is one output): choose a column with fewer categories, or treat it as numeric`,
    ja: (p, f) =>
      `CSV の目的列「${s(p, 'column')}」には ${f.count(n(p, 'count'))} 種類のカテゴリがあり、上限 ${f.count(n(p, 'limit'))} を超えています（カテゴリごとに出力が 1 つ必要です）。カテゴリの少ない列を選ぶか、数値として扱ってください`,
  },
  'dataset.one-hot-too-large': {
    en: (p, f) =>
      `The CSV's ${f.count(n(p, 'rows'))} rows × ${f.count(n(p, 'count'))} categories of '${s(p, 'column')}' make a one-hot target table of ${f.count(n(p, 'rows') * n(p, 'count'))} values, more than the limit of ${f.count(n(p, 'limit'))}: use fewer rows or a target with fewer categories`,
    ja: (p, f) =>
      `CSV の ${f.count(n(p, 'rows'))} 行 × 「${s(p, 'column')}」の ${f.count(n(p, 'count'))} カテゴリで one-hot の正解表が ${f.count(n(p, 'rows') * n(p, 'count'))} 個の値になり、上限 ${f.count(n(p, 'limit'))} を超えます。行を減らすか、カテゴリの少ない列を目的にしてください`,
  },
  'dataset.not-finite': {
    en: (p) =>
      s(p, 'what') === 'input'
        ? `The domain of f(x) = ${s(p, 'expr')} reaches x = ${s(p, 'x')}, which a float32 cannot hold (within ±3.4e38): narrow the domain`
        : `f(x) = ${s(p, 'expr')} is not finite at x = ${s(p, 'x')} (${s(p, 'value')}); training data must be finite float32 values (within ±3.4e38): narrow the domain or rescale the expression`,
    ja: (p) =>
      s(p, 'what') === 'input'
        ? `f(x) = ${s(p, 'expr')} の定義域が x = ${s(p, 'x')} に達し、float32 で表せません（±3.4e38 以内）。定義域を狭めてください`
        : `f(x) = ${s(p, 'expr')} は x = ${s(p, 'x')} で有限ではありません（${s(p, 'value')}）。学習データは float32 で表せる有限の値（±3.4e38 以内）である必要があります。定義域を狭めるか式の大きさを調整してください`,
  },
  'dataset.csv-out-of-range': {
    en: (p) =>
      `CSV row ${s(p, 'row')}, column '${s(p, 'column')}': ${s(p, 'value')} is beyond what float32 training data can hold (within ±3.4e38)`,
    ja: (p) =>
      `CSV の ${s(p, 'row')} 行目、列「${s(p, 'column')}」: ${s(p, 'value')} は float32 の学習データで表せる範囲（±3.4e38 以内）を超えています`,
  },
} satisfies Record<string, Texts>;

/** Problems of the document as a whole (before its nodes are read). */
export const DOCUMENT_PROBLEMS = {
  'format.not-object': {
    en: () => 'a nodegrad document must be a JSON object',
    ja: () => 'nodegrad のドキュメントは JSON オブジェクトである必要があります',
  },
  'format.not-nodegrad': {
    en: (p) => `must be "${s(p, 'expected')}" (got ${s(p, 'got')}): this is not a nodegrad graph`,
    ja: (p) => `「${s(p, 'expected')}」である必要があります（実際は ${s(p, 'got')}）。nodegrad のグラフではありません`,
  },
  'format.bad-version': {
    en: (p) => `must be a whole number ≥ 1 (this build reads version ${n(p, 'reads')})`,
    ja: (p) => `1 以上の整数である必要があります（このバージョンが読めるのは ${n(p, 'reads')}）`,
  },
  'format.newer-version': {
    en: (p) =>
      `this file was made by a newer nodegrad (format version ${n(p, 'version')}); this build reads version ${n(p, 'reads')}`,
    ja: (p) =>
      `このファイルは新しい nodegrad で作られています（形式バージョン ${n(p, 'version')}）。このバージョンが読めるのは ${n(p, 'reads')} です`,
  },
  'format.too-large': {
    en: (p, f) =>
      `the file is ${f.count(round1(n(p, 'bytes') / 1e6))} MB, more than the ${f.count(round1(n(p, 'limit') / 1e6))} MB a nodegrad document may hold (${f.count(n(p, 'parameters'))} parameters with their weights, a CSV and the graph)`,
    ja: (p, f) =>
      `ファイルが ${f.count(round1(n(p, 'bytes') / 1e6))} MB あり、nodegrad のドキュメントの上限 ${f.count(round1(n(p, 'limit') / 1e6))} MB（パラメータ ${f.count(n(p, 'parameters'))} 個とその重み、CSV、グラフ）を超えています`,
  },
  'format.weights-base64': {
    en: () => 'is not valid base64',
    ja: () => 'base64 として正しくありません',
  },
} satisfies Record<string, Texts>;
