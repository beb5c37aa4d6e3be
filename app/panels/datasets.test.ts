import { describe, expect, it } from 'vitest';
import { datasetSchema } from '../../engine/index.ts';
import { schemaDatasetKinds } from '../testing/schemaKinds.ts';
import { DATASET_KINDS, defaultDataset } from './datasets.ts';

describe("the Input's dataset menu", () => {
  it('offers every kind of the dataset schema', () => {
    const kinds = schemaDatasetKinds();
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
