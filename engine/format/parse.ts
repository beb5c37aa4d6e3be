import type { z } from 'zod';
import { ExprError, parseExpr } from '../expr/expr.ts';
import { migrateToCurrent } from './migrations.ts';
import {
  documentSchema,
  edgeSchema,
  encodedTensorSchema,
  nodeDataSchemas,
  nodeSchema,
  nodeTypeSchema,
  trainingSchema,
} from './schema.ts';
import {
  DEFAULT_TRAINING,
  type EncodedTensor,
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphDoc,
  type GraphEdge,
  type GraphNode,
  type GraphWeights,
  type NodeType,
  PORTS,
  type TrainingConfig,
} from './types.ts';

export interface FormatProblem {
  /** JSON path of the offending value, e.g. `nodes[3].data.units`; `(document)` for the whole file. */
  path: string;
  message: string;
}

/** Thrown by parseGraph: every problem found, each with its JSON path. */
export class GraphFormatError extends Error {
  constructor(readonly problems: FormatProblem[]) {
    const head = problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
    const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
    super(`Invalid nodegrad document: ${head.join('; ')}${more}`);
    this.name = 'GraphFormatError';
  }
}

type PathPart = string | number | symbol;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['nodes', 3, 'data', 'units']` → `nodes[3].data.units`. */
export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += IDENTIFIER.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(document)';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates an untrusted value (e.g. `JSON.parse` of an imported file) as a nodegrad graph.
 * Returns fresh objects; fills `training` defaults field by field; keeps everything else as given.
 *
 * @example
 * const doc = parseGraph(JSON.parse(text)); // throws GraphFormatError listing every problem
 */
export function parseGraph(json: unknown): GraphDoc {
  const problems: FormatProblem[] = [];
  const add = (path: readonly PathPart[], message: string) => problems.push({ path: formatPath(path), message });
  const addIssues = (prefix: readonly PathPart[], issues: readonly z.core.$ZodIssue[]) => {
    for (const issue of issues) add([...prefix, ...issue.path], issue.message);
  };

  if (!isPlainObject(json))
    throw new GraphFormatError([{ path: '(document)', message: 'a nodegrad document must be a JSON object' }]);
  if (json.format !== GRAPH_FORMAT) {
    const got = typeof json.format === 'string' ? `"${json.format.slice(0, 60)}"` : 'missing';
    throw new GraphFormatError([
      { path: 'format', message: `must be "${GRAPH_FORMAT}" (got ${got}): this is not a nodegrad graph` },
    ]);
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) {
    throw new GraphFormatError([
      { path: 'version', message: `must be a whole number ≥ 1 (this build reads version ${GRAPH_VERSION})` },
    ]);
  }
  if (json.version > GRAPH_VERSION) {
    throw new GraphFormatError([
      {
        path: 'version',
        message: `this file was made by a newer nodegrad (format version ${json.version}); this build reads version ${GRAPH_VERSION}`,
      },
    ]);
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateToCurrent(json);
  } catch (e) {
    throw new GraphFormatError([{ path: 'version', message: e instanceof Error ? e.message : String(e) }]);
  }

  const top = documentSchema.safeParse(migrated);
  if (!top.success) {
    addIssues([], top.error.issues);
    throw new GraphFormatError(problems);
  }
  const raw = top.data;

  const nodes: GraphNode[] = [];
  const nodeTypes = new Map<string, NodeType>();
  // Ids of nodes of an unknown type: already reported, so their edges are not reported again.
  const unknownTypeIds = new Set<string>();
  for (const [i, value] of raw.nodes.entries()) {
    const base = nodeSchema.safeParse(value);
    if (!base.success) {
      addIssues(['nodes', i], base.error.issues);
      continue;
    }
    const { id, type, position } = base.data;
    const knownType = nodeTypeSchema.safeParse(type);
    if (!knownType.success) {
      unknownTypeIds.add(id);
      add(['nodes', i, 'type'], `unknown node type "${type}" (expected one of ${nodeTypeSchema.options.join(', ')})`);
      continue;
    }
    if (nodeTypes.has(id)) {
      add(['nodes', i, 'id'], `duplicate node id "${id}"`);
      continue;
    }
    // NOTE: registered before its data is checked, so edges to a node with a bad field do not
    // cascade into "node does not exist" problems.
    nodeTypes.set(id, knownType.data);
    const data = nodeDataSchemas[knownType.data].safeParse(base.data.data);
    if (!data.success) {
      addIssues(['nodes', i, 'data'], data.error.issues);
      continue;
    }
    const node = { id, type: knownType.data, position: { x: position.x, y: position.y }, data: data.data } as GraphNode;
    if (node.type === 'input' && node.data.dataset?.kind === 'function') {
      try {
        parseExpr(node.data.dataset.expr);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        add(['nodes', i, 'data', 'dataset', 'expr'], e.message);
      }
    }
    nodes.push(node);
  }

  const edges: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  for (const [i, value] of raw.edges.entries()) {
    const parsed = edgeSchema.safeParse(value);
    if (!parsed.success) {
      addIssues(['edges', i], parsed.error.issues);
      continue;
    }
    const edge: GraphEdge = { ...parsed.data };
    if (edgeIds.has(edge.id)) {
      add(['edges', i, 'id'], `duplicate edge id "${edge.id}"`);
      continue;
    }
    edgeIds.add(edge.id);
    const sourceType = nodeTypes.get(edge.source);
    const targetType = nodeTypes.get(edge.target);
    const before = problems.length;
    if (unknownTypeIds.has(edge.source) || unknownTypeIds.has(edge.target)) continue;
    if (!sourceType)
      add(['edges', i, 'source'], `edge "${edge.id}" comes from node "${edge.source}", which does not exist`);
    else if (!PORTS[sourceType].outputs.includes(edge.sourceHandle)) {
      add(
        ['edges', i, 'sourceHandle'],
        portMessage(edge.sourceHandle, 'output', edge.source, sourceType, PORTS[sourceType].outputs),
      );
    }
    if (!targetType)
      add(['edges', i, 'target'], `edge "${edge.id}" goes to node "${edge.target}", which does not exist`);
    else if (!PORTS[targetType].inputs.includes(edge.targetHandle)) {
      add(
        ['edges', i, 'targetHandle'],
        portMessage(edge.targetHandle, 'input', edge.target, targetType, PORTS[targetType].inputs),
      );
    }
    if (problems.length === before) edges.push(edge);
  }

  const training = parseTraining(raw.training, add);
  const weights = raw.weights === undefined ? undefined : parseWeights(raw.weights, nodes, add);

  if (problems.length > 0) throw new GraphFormatError(problems);
  const doc: GraphDoc = {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name: raw.name ?? 'Untitled',
    nodes,
    edges,
    training,
  };
  if (weights) doc.weights = weights;
  return doc;
}

function portMessage(handle: string, side: string, nodeId: string, type: NodeType, valid: readonly string[]): string {
  const list = valid.length ? valid.map((p) => `"${p}"`).join(', ') : 'none';
  return `"${handle}" is not an ${side} port of ${type} node "${nodeId}" (its ${side} ports: ${list})`;
}

type AddProblem = (path: readonly PathPart[], message: string) => void;

function parseTraining(value: Record<string, unknown> | undefined, add: AddProblem): TrainingConfig {
  if (value === undefined) return structuredClone(DEFAULT_TRAINING);
  const parsed = trainingSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(['training', ...issue.path], issue.message);
    return structuredClone(DEFAULT_TRAINING);
  }
  const t = parsed.data;
  const config: TrainingConfig = {
    optimizer: t.optimizer ?? { ...DEFAULT_TRAINING.optimizer },
    batchSize: t.batchSize ?? DEFAULT_TRAINING.batchSize,
    epochs: t.epochs ?? DEFAULT_TRAINING.epochs,
    seed: t.seed ?? DEFAULT_TRAINING.seed,
  };
  if (t.weightDecay !== undefined) config.weightDecay = t.weightDecay;
  return config;
}

/** Decoded byte length of a base64 string without decoding it. */
function base64ByteLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

function parseWeights(
  value: Record<string, Record<string, unknown>>,
  nodes: readonly GraphNode[],
  add: AddProblem,
): GraphWeights {
  const out: [string, Record<string, EncodedTensor>][] = [];
  for (const [nodeId, params] of Object.entries(value)) {
    const node = nodes.find((n) => n.id === nodeId);
    if (!node) {
      add(['weights', nodeId], `weights for node "${nodeId}", which does not exist`);
      continue;
    }
    if (node.type !== 'dense') {
      add(['weights', nodeId], `${node.type} node "${nodeId}" has no parameters`);
      continue;
    }
    const entries: [string, EncodedTensor][] = [];
    for (const [name, encoded] of Object.entries(params)) {
      const path = ['weights', nodeId, name];
      if (name !== 'W' && name !== 'b') {
        add(path, `unknown parameter "${name}" (a dense node has "W" and "b")`);
        continue;
      }
      const parsed = encodedTensorSchema.safeParse(encoded);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) add([...path, ...issue.path], issue.message);
        continue;
      }
      const t = parsed.data;
      const size = t.shape.reduce((a, b) => a * b, 1);
      if (t.base64.length % 4 !== 0 || base64ByteLength(t.base64) !== size * 4) {
        add(
          [...path, 'base64'],
          `holds ${Math.max(0, Math.floor(base64ByteLength(t.base64)))} bytes but shape [${t.shape.join(', ')}] needs ${size * 4}`,
        );
        continue;
      }
      const units = node.data.units;
      if (name === 'W' && (t.shape.length !== 2 || t.shape[1] !== units)) {
        add(
          [...path, 'shape'],
          `Dense "${nodeId}" has ${units} units, so W must be [inputs, ${units}], not [${t.shape.join(', ')}]`,
        );
        continue;
      }
      if (name === 'b') {
        if (node.data.bias === false) {
          add(path, `Dense "${nodeId}" has bias turned off but the file holds a bias`);
          continue;
        }
        if (t.shape.length !== 1 || t.shape[0] !== units) {
          add(
            [...path, 'shape'],
            `Dense "${nodeId}" has ${units} units, so b must be [${units}], not [${t.shape.join(', ')}]`,
          );
          continue;
        }
      }
      entries.push([name, { dtype: 'float32', shape: [...t.shape], base64: t.base64 }]);
    }
    out.push([nodeId, Object.fromEntries(entries)]);
  }
  return Object.fromEntries(out);
}
