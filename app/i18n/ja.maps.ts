// 畳み込みノードと特徴マップの日本語（ja.ts に展開）。
import type { enMaps } from './en.maps.ts';

export const jaMaps: Readonly<Record<keyof typeof enMaps, string>> = {
  'node.conv2d.filters': 'フィルタ {n} 枚 {size}',
  'node.conv2d.detail': 'ストライド {stride} · {padding}',
  'node.maxpool2d.window': '{size} の最大値、ストライド {stride}',
  'node.avgpool2d.window': '{size} の平均、ストライド {stride}',
  'maps.open': 'マップ',
  'maps.openHint': '特徴マップを大きく開きます（テスト画像を選び、全チャンネルとフィルタを見る）',
  'maps.title': '特徴マップ',
  'maps.heading': '{node} の特徴マップ',
  'maps.nodeHint':
    'テスト画像 {n} に対する出力。チャンネルごとに小さな画像 1 枚（{total} 枚中 {shown} 枚）。色は −{max}（青）から 0（白）を経て +{max}（赤）。出力表示のテスト画像をクリックすると別の画像を選べます。',
  'maps.more': '+{n}',
  'maps.moreHint': 'ほかに {n} チャンネルあります。「マップ」を開くと最初の {shown} 枚が見られます',
  'maps.explain':
    'このノードが 1 枚のテスト画像に対して出力するもの。チャンネルごとに小さな画像 1 枚で、各チャンネルが画像のどこに反応しているかが分かります。{total} チャンネル中 {shown} チャンネル。色の目盛はノード全体で共通です。',
  'maps.sample': 'テスト画像 {n} / {count}',
  'maps.prev': '前のテスト画像',
  'maps.next': '次のテスト画像',
  'maps.truth': '正解 {truth}、予測 {predicted}',
  'maps.channel': 'チャンネル {n}',
  'maps.legend': '青: 負、白: 0、赤: 正（ノード全体で同じ目盛）',
  'maps.filters': 'フィルタ: {kh}×{kw}×{c} が {filters} 枚',
  'maps.filtersPerChannel':
    '各行が 1 枚のフィルタ（出力チャンネル 1 つ）です。入力チャンネルごとに各ウィンドウへ掛ける {kh}×{kw} 個の重みで、掛けた結果を合計します。',
  'maps.filtersAveraged':
    '各画像が 1 枚のフィルタ（出力チャンネル 1 つ）です。{kh}×{kw} 個の重みを {c} 個の入力チャンネルで平均しています。',
  'maps.filter': 'フィルタ {n}',
  'maps.inChannel': '入力チャンネル {n}',
  'maps.filtersLegend': '青: 負、白: 0、赤: 正（全フィルタで同じ目盛）',
  'viz.maps': '特徴マップ',
  'viz.filters': 'フィルタ',
  'viz.filtersHint':
    'W: {kh}×{kw}×{c} のフィルタ {filters} 枚。フィルタごとに 1 枚の画像（入力チャンネルで平均）。色は −{max}（青）から 0（白）を経て +{max}（赤）',
  'output.pickMaps': '画像をクリックすると、畳み込みノードにその特徴マップが表示されます。',
};
