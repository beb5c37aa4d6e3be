import type { z } from 'zod';
import { ExprError, parseExpr } from '../expr/expr.ts';
import { migrateToCurrent } from './migrations.ts';
import { findNodeDefinition, NODE_TYPE_NAMES, type NodeDefinition, problemMessage } from '../nodes/index.ts';
import type { ProblemParams } from '../problems.ts';
import { arraysProblems } from '../datasets/arrays.ts';
import { documentSchema, edgeSchema, encodedTensorSchema, nodeSchema, trainingSchema } from './schema.ts';
import {
  DEFAULT_TRAINING,
  type EncodedTensor,
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphDoc,
  type GraphEdge,
  type GraphNode,
  type GraphWeights,
  type TrainingConfig,
} from './types.ts';
import { base64ByteLength } from './weights.ts';

export interface FormatProblem {
  /** JSON path of the offending value, e.g. `nodes[3].data.units`; `(document)` for the whole file. */
  path: string;
  /** Stable code (e.g. "format.too-small"); the app renders it from `params` in its language. */
  code: string;
  params: ProblemParams;
  /** English. */
  message: string;
}

/** A format problem from its code and params (the message is rendered from them). */
function formatProblem(path: string, code: string, params: ProblemParams = {}): FormatProblem {
  return { path, code, params, message: problemMessage(code, params) };
}

/** Maps a zod issue to a stable code; custom refinements keep their own message as `detail`. */
export function zodIssueProblem(path: string, issue: z.core.$ZodIssue): FormatProblem {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int')
        return formatProblem(path, 'format.too-small', {
          minimum: Number(issue.minimum),
          inclusive: issue.inclusive === false ? 'no' : 'yes',
        });
      break;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int')
        return formatProblem(path, 'format.too-big', {
          maximum: Number(issue.maximum),
          inclusive: issue.inclusive === false ? 'no' : 'yes',
        });
      break;
    case 'invalid_value':
      return formatProblem(path, 'format.bad-option', { options: issue.values.map(String) });
    case 'unrecognized_keys':
      return formatProblem(path, 'format.unknown-keys', { keys: [...issue.keys] });
    case 'invalid_type':
      return formatProblem(path, 'format.wrong-type', { expected: String(issue.expected) });
    case 'invalid_format':
      break;
    default:
      if (issue.message === 'must be a whole number') return formatProblem(path, 'format.not-integer');
      if (issue.message === 'must be a finite number') return formatProblem(path, 'format.not-finite');
  }
  return formatProblem(path, 'format.invalid', { detail: issue.message });
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
  const add: AddProblem = (path, code, params = {}) => problems.push(formatProblem(formatPath(path), code, params));
  const addIssues = (prefix: readonly PathPart[], issues: readonly z.core.$ZodIssue[]) => {
    for (const issue of issues) problems.push(zodIssueProblem(formatPath([...prefix, ...issue.path]), issue));
  };

  if (!isPlainObject(json)) throw new GraphFormatError([formatProblem('(document)', 'format.not-object')]);
  if (json.format !== GRAPH_FORMAT) {
    const got = typeof json.format === 'string' ? `"${json.format.slice(0, 60)}"` : 'missing';
    throw new GraphFormatError([formatProblem('format', 'format.not-nodegrad', { expected: GRAPH_FORMAT, got })]);
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) {
    throw new GraphFormatError([formatProblem('version', 'format.bad-version', { reads: GRAPH_VERSION })]);
  }
  if (json.version > GRAPH_VERSION) {
    throw new GraphFormatError([
      formatProblem('version', 'format.newer-version', { version: json.version, reads: GRAPH_VERSION }),
    ]);
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateToCurrent(json);
  } catch (e) {
    throw new GraphFormatError([
      formatProblem('version', 'format.invalid', { detail: e instanceof Error ? e.message : String(e) }),
    ]);
  }

  const top = documentSchema.safeParse(migrated);
  if (!top.success) {
    addIssues([], top.error.issues);
    throw new GraphFormatError(problems);
  }
  const raw = top.data;

  const nodes: GraphNode[] = [];
  const nodeDefs = new Map<string, NodeDefinition>();
  // Ids of nodes of an unknown type: already reported, so their edges are not reported again.
  const unknownTypeIds = new Set<string>();
  for (const [i, value] of raw.nodes.entries()) {
    const base = nodeSchema.safeParse(value);
    if (!base.success) {
      addIssues(['nodes', i], base.error.issues);
      continue;
    }
    const { id, type, position } = base.data;
    const def = findNodeDefinition(type);
    if (!def) {
      unknownTypeIds.add(id);
      add(['nodes', i, 'type'], 'format.unknown-type', { type, options: NODE_TYPE_NAMES });
      continue;
    }
    if (nodeDefs.has(id)) {
      add(['nodes', i, 'id'], 'format.duplicate-id', { kind: 'node', id });
      continue;
    }
    // NOTE: registered before its data is checked, so edges to a node with a bad field do not
    // cascade into "node does not exist" problems.
    nodeDefs.set(id, def);
    const data = def.schema.safeParse(base.data.data);
    if (!data.success) {
      addIssues(['nodes', i, 'data'], data.error.issues);
      continue;
    }
    const node = { id, type: def.type, position: { x: position.x, y: position.y }, data: data.data } as GraphNode;
    if (node.type === 'input' && node.data.dataset?.kind === 'function') {
      try {
        parseExpr(node.data.dataset.expr);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        add(['nodes', i, 'data', 'dataset', 'expr'], 'format.bad-expression', { detail: e.message });
      }
    }
    if (node.type === 'input' && node.data.dataset?.kind === 'arrays')
      for (const p of arraysProblems(node.data.dataset))
        add(['nodes', i, 'data', 'dataset', ...p.path], p.code, p.params);
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
      add(['edges', i, 'id'], 'format.duplicate-id', { kind: 'edge', id: edge.id });
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodeDefs.get(edge.source);
    const target = nodeDefs.get(edge.target);
    const before = problems.length;
    if (unknownTypeIds.has(edge.source) || unknownTypeIds.has(edge.target)) continue;
    const port = (end: 'source' | 'target', def: NodeDefinition | undefined, handle: string, node: string) => {
      const side = end === 'source' ? 'output' : 'input';
      const ports = def && (end === 'source' ? def.ports.outputs : def.ports.inputs);
      if (!def || !ports) add(['edges', i, end], 'format.missing-node', { edge: edge.id, end, node });
      else if (!ports.includes(handle))
        add(['edges', i, `${end}Handle`], 'format.bad-port', { port: handle, side, node, nodeType: def.type, ports });
    };
    port('source', source, edge.sourceHandle, edge.source);
    port('target', target, edge.targetHandle, edge.target);
    if (problems.length === before) edges.push(edge);
  }

  const training = parseTraining(raw.training, problems);
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

type AddProblem = (path: readonly PathPart[], code: string, params?: ProblemParams) => void;

function parseTraining(value: Record<string, unknown> | undefined, problems: FormatProblem[]): TrainingConfig {
  if (value === undefined) return structuredClone(DEFAULT_TRAINING);
  const parsed = trainingSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(zodIssueProblem(formatPath(['training', ...issue.path]), issue));
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

const fits = (shape: readonly number[], expected: readonly number[]) =>
  shape.length === expected.length && shape.every((d, i) => expected[i] === -1 || d === expected[i]);

/** Reads own keys only (Object.entries), so ids such as `__proto__` and `constructor` are kept as ids. */
function parseWeights(value: unknown, nodes: readonly GraphNode[], add: AddProblem): GraphWeights {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: [string, Record<string, EncodedTensor>][] = [];
  if (!isPlainObject(value)) {
    add(['weights'], 'format.wrong-type', { expected: 'object' });
    return {};
  }
  for (const [nodeId, params] of Object.entries(value)) {
    if (!isPlainObject(params)) {
      add(['weights', nodeId], 'format.wrong-type', { expected: 'object' });
      continue;
    }
    const node = byId.get(nodeId);
    const def = node && findNodeDefinition(node.type);
    if (!node || !def?.params || !def.paramNames) {
      add(['weights', nodeId], 'format.weights-node', { node: nodeId, nodeType: node?.type ?? '' });
      continue;
    }
    // NOTE: input shapes are unknown before analysis: -1 stands for "any size" in the checks below.
    const data = node.data as Record<string, unknown>;
    const names = def.paramNames(data);
    const anyShape = def.ports.inputs.map(() => [-1]);
    const specs: { name: string; shape: number[] }[] = [
      ...def.params(data, anyShape),
      ...(def.buffers?.(data, anyShape) ?? []),
    ];
    const entries: [string, EncodedTensor][] = [];
    for (const [name, encoded] of Object.entries(params)) {
      const path = ['weights', nodeId, name];
      const spec = names.includes(name) ? specs.find((p) => p.name === name) : undefined;
      if (!spec) {
        add(path, 'format.weights-param', { param: name, nodeType: node.type, names });
        continue;
      }
      const parsed = encodedTensorSchema.safeParse(encoded);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          add([...path, ...issue.path], 'format.invalid', { detail: issue.message });
        continue;
      }
      const t = parsed.data;
      const size = t.shape.reduce((a, b) => a * b, 1);
      const bytes = base64ByteLength(t.base64);
      if (bytes !== size * 4) {
        add([...path, 'base64'], bytes < 0 ? 'format.weights-base64' : 'format.weights-bytes', {
          bytes,
          shape: t.shape,
          needed: size * 4,
        });
        continue;
      }
      if (!fits(t.shape, spec.shape)) {
        const expected = `[${spec.shape.map((d) => (d === -1 ? 'inputs' : d)).join(', ')}]`;
        add([...path, 'shape'], 'format.weights-shape', {
          label: def.text.en.label,
          node: nodeId,
          param: name,
          expected,
          shape: t.shape,
        });
        continue;
      }
      entries.push([name, { dtype: 'float32', shape: [...t.shape], base64: t.base64 }]);
    }
    out.push([nodeId, Object.fromEntries(entries)]);
  }
  return Object.fromEntries(out);
}
