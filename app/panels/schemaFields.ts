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
