import { describe, expect, it } from 'vitest';
import { nodeDefinition, optimizerSchema, trainingConfigSchema } from '../../engine/index.ts';
import { fieldInfo, schemaFieldInfo } from './schemaFields.ts';

describe('inspector bounds come from the engine schemas', () => {
  it('reads numbers, options and optionality', () => {
    const dense = nodeDefinition('dense');
    expect(fieldInfo(dense, { key: 'units', kind: 'int' })).toMatchObject({ min: 1, max: 100_000, optional: false });
    expect(fieldInfo(dense, { key: 'init', kind: 'select' }).options).toContain('he_normal');
    expect(schemaFieldInfo(trainingConfigSchema, 'epochs')).toMatchObject({ min: 1, max: 1_000_000, optional: false });
    expect(schemaFieldInfo(trainingConfigSchema, 'weightDecay')).toMatchObject({ min: 0, max: 1, optional: true });
    const adam = optimizerSchema.options.find((o) => o.shape.type.value === 'adam');
    expect(schemaFieldInfo(adam, 'beta2')).toMatchObject({ min: 0, max: 0.999999, optional: true });
  });
});
