// What a sweep may vary: the fields of a node's data and of the training settings, each typed by its
// zod schema (a number field takes "10", an enum field one of its options), so the CLI and the app
// read the same truth as parseGraph.
import { z } from 'zod';
import { optimizerSchema, trainingConfigSchema } from '../format/schema.ts';

/** A value a setting takes once typed: a number, an option of an enum, or a boolean. */
export type SettingValue = number | string | boolean;

/** How one field is typed and bounded. */
export type FieldType =
  | { kind: 'number'; integer: boolean; min: number | null; max: number | null }
  | { kind: 'enum'; options: readonly string[] }
  | { kind: 'boolean' };

/** A setting path or value that cannot be applied; the message names the path and what it takes. */
export class SweepError extends Error {
  override name = 'SweepError';
}

/** The type of `key` in a zod object schema, or null when the schema has no such field. */
export function schemaFieldType(schema: unknown, key: string): FieldType | null {
  if (!(schema instanceof z.ZodObject)) return null;
  const shape = schema.shape as Readonly<Record<string, z.ZodType>>;
  if (!Object.hasOwn(shape, key)) return null;
  let t: z.ZodType | undefined = shape[key];
  while (t instanceof z.ZodOptional || t instanceof z.ZodDefault) t = t.unwrap() as z.ZodType;
  if (t instanceof z.ZodNumber) return { kind: 'number', integer: t.isInt, min: t.minValue, max: t.maxValue };
  if (t instanceof z.ZodEnum) return { kind: 'enum', options: t.options.map(String) };
  if (t instanceof z.ZodBoolean) return { kind: 'boolean' };
  return null;
}

/** Keys of a zod object schema's fields that a sweep can vary (numbers, enums, booleans). */
export function sweepableKeys(schema: unknown): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.keys(schema.shape).filter((k) => schemaFieldType(schema, k) !== null);
}

/** What a field takes, in words: "a whole number from 1 to 100000", "one of sgd, momentum, adam". */
export function describeType(t: FieldType): string {
  if (t.kind === 'enum') return `one of ${t.options.join(', ')}`;
  if (t.kind === 'boolean') return 'true or false';
  const what = t.integer ? 'a whole number' : 'a number';
  const lo = t.min !== null && Number.isFinite(t.min) ? t.min : null;
  const hi = t.max !== null && Number.isFinite(t.max) ? t.max : null;
  if (lo !== null && hi !== null) return `${what} from ${lo} to ${hi}`;
  if (lo !== null) return `${what} ≥ ${lo}`;
  if (hi !== null) return `${what} ≤ ${hi}`;
  return what;
}

/**
 * Types a raw value (a string from the command line or a form, or a value already typed) for a
 * field; throws SweepError naming `path` and what the field takes.
 */
export function typeValue(path: string, t: FieldType, raw: unknown): SettingValue {
  const bad = () =>
    new SweepError(`${path} takes ${describeType(t)}, not ${typeof raw === 'string' ? `'${raw}'` : String(raw)}`);
  if (t.kind === 'enum') {
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (typeof v !== 'string' || !t.options.includes(v)) throw bad();
    return v;
  }
  if (t.kind === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw bad();
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || (t.integer && !Number.isInteger(n))) throw bad();
  // NOTE: zod's minValue is also the bound of .positive() (exclusive); parseGraph has the last word.
  if ((t.min !== null && n < t.min) || (t.max !== null && n > t.max)) throw bad();
  return n;
}

/** The zod schema of one optimizer type's settings. */
export function optimizerTypeSchema(type: string): z.ZodObject | undefined {
  return optimizerSchema.options.find((o) => (o.shape.type as z.ZodLiteral).value === type);
}

export const OPTIMIZER_TYPES: readonly string[] = optimizerSchema.options.map((o) =>
  String((o.shape.type as z.ZodLiteral).value),
);

/** Training fields a sweep may vary besides the optimizer's own (`training.<key>`). */
export const TRAINING_KEYS: readonly string[] = sweepableKeys(trainingConfigSchema);
