// Inspector field bounds and options read from a node definition's zod schema (one truth: the
// format's limits are the inspector's limits).
import type { FieldSpec, NodeDefinition } from '../../engine/index.ts';

export interface FieldInfo {
  min: number;
  max: number;
  options: readonly string[];
  optional: boolean;
}

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike } };
  minValue?: number | null;
  maxValue?: number | null;
  options?: readonly string[];
}

/** Bounds (numbers), options (enums) and optionality of one field of a node's data. */
export function fieldInfo(def: NodeDefinition, field: FieldSpec): FieldInfo {
  return schemaFieldInfo(def.schema, field.key);
}

/** The same for any zod object schema of the engine (training settings, one optimizer type). */
export function schemaFieldInfo(schema: unknown, key: string): FieldInfo {
  const shape = (schema as { shape: Readonly<Partial<Record<string, ZodLike>>> }).shape;
  let z: ZodLike | undefined = shape[key];
  let optional = false;
  while (z && (z._zod.def.type === 'optional' || z._zod.def.type === 'default')) {
    optional = true;
    z = z._zod.def.innerType;
  }
  const finite = (v: number | null | undefined, fallback: number) =>
    v !== null && v !== undefined && Number.isFinite(v) ? v : fallback;
  return {
    min: finite(z?.minValue, -1e9),
    max: finite(z?.maxValue, 1e9),
    options: z?.options ?? [],
    optional,
  };
}

/** How an `ints` field shows its value: "3", "3, 5", "28, 28, 1"; empty when unset. */
export function intsText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) ? value.join(', ') : '';
}

/**
 * The value an `ints` field's text stands for: one whole number or a list ("3", "3, 5", "28×28×1"),
 * whichever the node's schema takes for that field; undefined for an empty optional field; null when
 * the schema takes neither.
 */
export function parseInts(def: NodeDefinition, key: string, text: string): unknown {
  const field = (def.schema as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> })
    .shape[key];
  const parts = text.split(/[\s,×x*]+/).filter((p) => p !== '');
  if (parts.length === 0) return field?.safeParse(undefined).success ? undefined : null;
  const numbers = parts.map(Number);
  if (!numbers.every((n) => Number.isInteger(n) && n >= 1)) return null;
  for (const candidate of numbers.length === 1 ? [numbers[0], numbers] : [numbers])
    if (field?.safeParse(candidate).success) return candidate;
  return null;
}
