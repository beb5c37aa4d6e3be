// applySetting: one document with one setting changed — `<nodeId>.<field>` (a field of that node's
// data, or the pseudo-field `<denseId>.layers`) or `training.<field>` (`training.optimizer.<field>`).
import { trainingConfigSchema } from '../format/schema.ts';
import { GraphFormatError, parseGraph } from '../format/parse.ts';
import type { GraphDoc, GraphNode, OptimizerConfig } from '../format/types.ts';
import { findNodeDefinition } from '../nodes/index.ts';
import {
  type FieldType,
  OPTIMIZER_TYPES,
  optimizerTypeSchema,
  type SettingValue,
  SweepError,
  schemaFieldType,
  sweepableKeys,
  TRAINING_KEYS,
  typeValue,
} from './fields.ts';
import { LAYERS_FIELD, LAYERS_TYPE, repeatLayers } from './layers.ts';

/** Where a setting path points: a node's field or a training field. */
type Target =
  | { kind: 'node'; node: GraphNode; field: string; type: FieldType }
  | { kind: 'training'; keys: readonly string[]; type: FieldType };

const nodeFields = (node: GraphNode): string[] => {
  const def = findNodeDefinition(node.type);
  const keys = def ? sweepableKeys(def.schema).filter((k) => def.fields.some((f) => f.key === k)) : [];
  return node.type === 'dense' ? [...keys, LAYERS_FIELD] : keys;
};

/** Every `training.…` path a sweep may vary for this document's optimizer. */
export function trainingPaths(doc: GraphDoc): string[] {
  const optimizer = sweepableKeys(optimizerTypeSchema(doc.training.optimizer.type)).map(
    (k) => `training.optimizer.${k}`,
  );
  return ['training.optimizer.type', ...optimizer, ...TRAINING_KEYS.map((k) => `training.${k}`)];
}

/** Every path a sweep may vary in this document: each node's fields, then the training settings. */
export function settingPaths(doc: GraphDoc): string[] {
  return [...doc.nodes.flatMap((n) => nodeFields(n).map((f) => `${n.id}.${f}`)), ...trainingPaths(doc)];
}

function resolve(doc: GraphDoc, path: string): Target {
  const dot = path.lastIndexOf('.');
  if (dot <= 0 || dot === path.length - 1)
    throw new SweepError(`'${path}' is not a setting: write <nodeId>.<field> (e.g. h.units) or training.<field>`);
  const id = path.slice(0, dot);
  const field = path.slice(dot + 1);
  const node = doc.nodes.find((n) => n.id === id);
  if (node) {
    const fields = nodeFields(node);
    if (!fields.includes(field))
      throw new SweepError(
        `${path}: ${node.type} node '${id}' has no setting '${field}'${fields.length ? `; it has ${fields.join(', ')}` : ''}`,
      );
    if (field === LAYERS_FIELD) return { kind: 'node', node, field, type: LAYERS_TYPE };
    const type = schemaFieldType(findNodeDefinition(node.type)?.schema, field)!;
    return { kind: 'node', node, field, type };
  }
  if (path.startsWith('training.')) {
    const keys = path.split('.').slice(1);
    const paths = trainingPaths(doc);
    if (keys.length === 2 && keys[0] === 'optimizer' && keys[1] === 'type')
      return { kind: 'training', keys, type: { kind: 'enum', options: OPTIMIZER_TYPES } };
    const schema =
      keys.length === 2 && keys[0] === 'optimizer'
        ? optimizerTypeSchema(doc.training.optimizer.type)
        : keys.length === 1
          ? trainingConfigSchema
          : undefined;
    const type = schemaFieldType(schema, keys[keys.length - 1]!);
    if (!type || !paths.includes(path))
      throw new SweepError(`unknown training setting '${path}'; settings are ${paths.join(', ')}`);
    return { kind: 'training', keys, type };
  }
  const ids = doc.nodes.map((n) => n.id);
  throw new SweepError(`${path}: no node '${id}' in the graph; its nodes are ${ids.join(', ')}`);
}

/** What a setting path takes in this document (throws SweepError for an unknown path). */
export function settingType(doc: GraphDoc, path: string): FieldType {
  return resolve(doc, path).type;
}

/** The value a setting has now in the document (undefined for an optional field left out). */
export function currentValue(doc: GraphDoc, path: string): SettingValue | undefined {
  const t = resolve(doc, path);
  if (t.kind === 'node') {
    if (t.field === LAYERS_FIELD) return 1;
    return (t.node.data as Readonly<Record<string, unknown>>)[t.field] as SettingValue | undefined;
  }
  const [first, second] = t.keys;
  if (second === undefined) return (doc.training as unknown as Record<string, SettingValue>)[first!];
  return (doc.training.optimizer as unknown as Record<string, SettingValue>)[second];
}

/** Types a raw value for a path ("10" → 10 for units); throws SweepError naming what it takes. */
export function settingValue(doc: GraphDoc, path: string, raw: unknown): SettingValue {
  return typeValue(path, resolve(doc, path).type, raw);
}

/**
 * A new document with one setting changed (the given one is never mutated). Saved weights are
 * dropped: a variant trains from its seed's initialisation. The result passes parseGraph.
 * @example applySetting(doc, 'h.units', '10'); applySetting(doc, 'training.optimizer.type', 'adam')
 */
export function applySetting(doc: GraphDoc, path: string, raw: unknown): GraphDoc {
  const target = resolve(doc, path);
  const value = typeValue(path, target.type, raw);
  const next: GraphDoc = structuredClone(doc);
  delete next.weights;
  let result = next;
  if (target.kind === 'node' && target.field === LAYERS_FIELD)
    result = repeatLayers(next, target.node.id, Number(value));
  else if (target.kind === 'node') {
    const node = next.nodes.find((n) => n.id === target.node.id)!;
    (node.data as Record<string, unknown>)[target.field] = value;
  } else if (target.keys.length === 1) (next.training as unknown as Record<string, unknown>)[target.keys[0]!] = value;
  else if (target.keys[1] === 'type') next.training.optimizer = switchOptimizer(next.training.optimizer, String(value));
  else (next.training.optimizer as unknown as Record<string, unknown>)[target.keys[1]!] = value;
  try {
    return parseGraph(result);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    const why = e.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new SweepError(`${path} = ${String(value)} gives an invalid graph: ${why}`);
  }
}

/** Another optimizer type with the same learning rate (settings the new type lacks are dropped). */
function switchOptimizer(old: OptimizerConfig, type: string): OptimizerConfig {
  if (old.type === type) return old;
  return { type, learningRate: old.learningRate } as OptimizerConfig;
}
