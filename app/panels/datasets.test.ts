import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { datasetSchema } from '../../engine/index.ts';
import { DATASET_KINDS, defaultDataset } from './datasets.ts';

/** Every `kind` the document format accepts, read through zod's public JSON Schema output (not the menu's code). */
function schemaKinds(): string[] {
  const json = z.toJSONSchema(datasetSchema, { unrepresentable: 'any' }) as {
    oneOf?: { properties: { kind: { enum?: string[]; const?: string } } }[];
    anyOf?: { properties: { kind: { enum?: string[]; const?: string } } }[];
  };
  const members = json.oneOf ?? json.anyOf ?? [];
  return members.flatMap((m) => m.properties.kind.enum ?? [m.properties.kind.const as string]);
}

describe("the Input's dataset menu", () => {
  it('offers every kind of the dataset schema', () => {
    const kinds = schemaKinds();
    expect(kinds.length).toBeGreaterThanOrEqual(datasetSchema.options.length);
    for (const kind of kinds) expect(DATASET_KINDS, kind).toContain(kind);
    expect([...DATASET_KINDS].sort()).toEqual([...kinds].sort());
  });

  it('gives every kind but imported arrays a default the schema accepts', () => {
    for (const kind of DATASET_KINDS) {
      if (kind === 'arrays') continue;
      const parsed = datasetSchema.safeParse(defaultDataset(kind));
      expect(parsed.success, `${kind}: ${parsed.error?.message}`).toBe(true);
      expect(defaultDataset(kind).kind).toBe(kind);
    }
  });
});
