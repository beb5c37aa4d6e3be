// Every dataset `kind` the document format accepts, read through zod's public JSON Schema output, so
// tests of the Input's dataset menu do not share the menu's own way of reading the schema.
import { z } from 'zod';
import { datasetSchema } from '../../engine/index.ts';

interface Member {
  properties: { kind: { enum?: string[]; const?: string } };
}

export function schemaDatasetKinds(): string[] {
  const json = z.toJSONSchema(datasetSchema, { unrepresentable: 'any' }) as { oneOf?: Member[]; anyOf?: Member[] };
  return (json.oneOf ?? json.anyOf ?? []).flatMap((m) => m.properties.kind.enum ?? [m.properties.kind.const ?? '']);
}
