// The one list of node types. Parse, analysis, compiler, optimizer, palette, inspector and weight
// pruning read it; adding a node type is one definition file plus one line here.
import type { z } from 'zod';
import {
  DOCUMENT_PROBLEMS,
  GRAPH_PROBLEMS,
  jaSpacing,
  type Lang,
  type ProblemFormat,
  type ProblemParams,
  type Texts,
} from '../problems.ts';
import { DATASET_PROBLEMS } from '../datasets/problems.ts';
import { activation } from './activation.ts';
import { add } from './add.ts';
import { avgpool2d } from './avgpool2d.ts';
import { batchnorm } from './batchnorm.ts';
import { concat } from './concat.ts';
import { conv2d } from './conv2d.ts';
import type { NodeDefinition } from './define.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { flatten } from './flatten.ts';
import { globalavgpool } from './globalavgpool.ts';
import { input } from './input.ts';
import { loss } from './loss.ts';
import { maxpool2d } from './maxpool2d.ts';
import { reshape } from './reshape.ts';

/** In palette order. */
export const NODE_DEFINITIONS = [
  input,
  dense,
  activation,
  flatten,
  dropout,
  add,
  concat,
  reshape,
  conv2d,
  maxpool2d,
  avgpool2d,
  globalavgpool,
  batchnorm,
  loss,
] as const;

type Definitions = (typeof NODE_DEFINITIONS)[number];
export type NodeType = Definitions['type'];
/** `data` of each node type, from its zod schema. */
export type NodeDataOf<T extends NodeType> = z.infer<Extract<Definitions, { type: T }>['schema']>;

const BY_TYPE: ReadonlyMap<string, NodeDefinition> = new Map(
  NODE_DEFINITIONS.map((d) => [d.type, d as unknown as NodeDefinition]),
);

export const NODE_TYPE_NAMES: readonly NodeType[] = NODE_DEFINITIONS.map((d) => d.type);

/** The definition of a node type, or undefined for a type this build does not know. */
export function findNodeDefinition(type: string): NodeDefinition | undefined {
  return BY_TYPE.get(type);
}

/** The definition of a known node type. */
export function nodeDefinition(type: NodeType): NodeDefinition {
  return BY_TYPE.get(type)!;
}

/** Every problem code with its texts: the graph's own and each node type's ("dense.input-rank"). */
export const PROBLEM_TEXTS: ReadonlyMap<string, Texts> = new Map<string, Texts>([
  ...Object.entries(GRAPH_PROBLEMS),
  ...Object.entries(DOCUMENT_PROBLEMS),
  ...Object.entries(DATASET_PROBLEMS),
  ...NODE_DEFINITIONS.flatMap((d) =>
    Object.entries((d as NodeDefinition).problems ?? {}).map(
      ([code, t]) => [`${d.type}.${code}`, t] as [string, Texts],
    ),
  ),
]);

/** How messages write nodes, shapes and counts in a language (labels from the node definitions). */
export function problemFormat(lang: Lang, locale = lang === 'ja' ? 'ja-JP' : 'en-US'): ProblemFormat {
  return {
    node: (id, type) => {
      const label = BY_TYPE.get(type)?.text[lang].label ?? type;
      return lang === 'ja' ? `${label}「${id}」` : `${label} '${id}'`;
    },
    shape: (s) => `[${s.join(', ')}]`,
    count: (v) => v.toLocaleString(locale),
  };
}

const ENGLISH = problemFormat('en');

/** The message of a problem code in a language (English by default: the engine's `message`). */
export function problemMessage(code: string, params: ProblemParams, lang: Lang = 'en'): string {
  const texts = PROBLEM_TEXTS.get(code);
  if (!texts) return code;
  return lang === 'en' ? texts.en(params, ENGLISH) : jaSpacing(texts[lang](params, problemFormat(lang)));
}

/** "Dense 'h1'": how engine messages name a node. */
export function nodeLabel(node: { id: string; type: string }): string {
  return ENGLISH.node(node.id, node.type);
}

export type {
  BufferSpec,
  FieldKind,
  FieldSpec,
  NodeCategory,
  NodeDefinition,
  NodeText,
  ParamSpec,
  QuickFixSpec,
} from './define.ts';
export type * from './rules.ts';
