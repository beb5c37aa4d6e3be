// defineNode: everything about one node type in one place — label and texts, ports, the zod schema
// of its `data` (types come from z.infer), inspector fields (bounds read from the schema), shape
// rule, parameters, and forward/backward. Parse, analyse, compile, the optimizer, the palette, the
// inspector and weight pruning all read these definitions (engine/nodes/index.ts lists them).
import type { z } from 'zod';
import type { InitKind } from '../format/schema.ts';
import type { Lang, ProblemParams, Texts } from '../problems.ts';
import type { LayerRules } from './rules.ts';

/** Where a node type sits in the palette (the app picks colours by category). */
export type NodeCategory = 'data' | 'layer' | 'convolution' | 'activation' | 'merge' | 'regularization' | 'loss';

/** An inspector field: its key in `data` and how to edit it. Bounds and options come from the schema. */
/** `ints`: whole numbers ≥ 1 written "3" or "3, 5" (a window size n or [h, w], a shape). */
export type FieldKind = 'int' | 'number' | 'select' | 'bool' | 'ints';
export interface FieldSpec {
  key: string;
  kind: FieldKind;
  /** Shown only when this returns true for the node's data (e.g. `scale` only for uniform init). */
  when?: (data: Record<string, unknown>) => boolean;
}

/** A node's words in one language. */
export interface NodeText {
  label: string;
  /** One line for the palette and the inspector. */
  description: string;
  /** Inspector label of each field. */
  fields?: Readonly<Record<string, string>>;
  /** Step-through texts by key ("forward", "backward", variants), with `{name}` placeholders. */
  trace?: Readonly<Record<string, string>>;
}

/** How a parameter starts: the initialiser and its fan-in / fan-out. */
export interface InitSpec {
  kind: InitKind | 'ones';
  fanIn: number;
  fanOut: number;
  scale?: number | undefined;
  std?: number | undefined;
}

/** One trainable tensor of a node, stored as "<nodeId>.<name>". */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitSpec;
  /** L2 weight decay applies (weights yes, biases no). */
  decay: boolean;
}

/** Non-trainable state of a node (BatchNorm's running statistics), stored as "<nodeId>.<name>". */
export interface BufferSpec {
  name: string;
  shape: number[];
  /** What it starts as. */
  fill: 0 | 1;
}

/** A fix: insert a node of type `insert` (its data from the problem's params, else its defaults) before this one. */
export interface QuickFixSpec {
  insert: string;
  data?: (params: ProblemParams) => Record<string, unknown>;
}

/** A shape rule's verdict: the output shape, or a problem (its code is prefixed with the node type). */
export type ShapeResult = number[] | { code: string; params: ProblemParams };

export interface NodeDefinition<T extends string = string, D = Record<string, unknown>> {
  type: T;
  category: NodeCategory;
  /** Its output, when a per-sample image [H, W, C], is shown as feature maps (one small image per channel). */
  featureMaps?: boolean;
  text: Readonly<Record<Lang, NodeText>>;
  ports: { readonly inputs: readonly string[]; readonly outputs: readonly string[] };
  /** Validates `data` (strict: unknown keys are errors). */
  schema: z.ZodType<D>;
  /** `data` of a node just added from the palette. */
  defaults: () => D;
  fields: readonly FieldSpec[];
  /** Names of the parameters and buffers this node may hold (for reading saved weights before shapes are known). */
  paramNames?: (data: D) => readonly string[];
  /** Output shape (per sample, no batch axis) from the input shapes in port order. */
  inferShape?: (inputs: readonly (readonly number[])[], data: D) => ShapeResult;
  /** Trainable parameters, given the input shapes (known to fit). */
  params?: (data: D, inputs: readonly (readonly number[])[]) => ParamSpec[];
  /** Buffers (non-trainable state, never touched by an optimizer), given the input shapes. */
  buffers?: (data: D, inputs: readonly (readonly number[])[]) => BufferSpec[];
  /**
   * Multiply-adds per sample of forward and backward, when a node uses its parameters more than
   * once per sample (a convolution's kernel slides over the image); default 3 × (params + outputs).
   */
  multiplyAdds?: (data: D, inputs: readonly (readonly number[])[], output: readonly number[]) => number;
  /** Forward/backward, float64 reference, emitters and step-through; absent for `input` and `loss`,
   * which the compiler handles. */
  layer?: LayerRules<D>;
  /** Texts of this node type's own problem codes ("<type>.<code>"). */
  problems?: Readonly<Record<string, Texts>>;
  /** Fixes of its problems the editor offers (by problem code): a node to insert on the edge into it. */
  fixes?: Readonly<Record<string, QuickFixSpec>>;
}

/** Declares a node type; the identity function that makes TypeScript infer `D` from the schema. */
export function defineNode<T extends string, S extends z.ZodType>(
  def: NodeDefinition<T, z.infer<S>> & { schema: S },
): NodeDefinition<T, z.infer<S>> & { schema: S } {
  return def;
}
