// The autosave keeps a document's inline data (CSV rows, imported images: up to hundreds of MB) in a
// record of its own, written only when the data changes: saving an edit of the graph (a learning rate,
// a move) never copies the data into storage again. The graph's record names the data record it needs.
import type { GraphDoc } from '../../engine/index.ts';

export { DATA_KEY } from './storageKeys.ts';

/** Dataset kinds that hold their data inline (the others name a built-in set or a formula). */
const INLINE: ReadonlySet<string> = new Set(['arrays', 'csv']);

/** Stands where a dataset was taken out: not a dataset, so a graph record read without its data never parses. */
const TAKEN_OUT = { kind: 'autosaved-apart' } as const;

export interface DataRecord {
  id: string;
  /** The Input nodes' datasets, by node id. */
  datasets: [string, unknown][];
}

/** The data record, or undefined when what is stored is not one (then the graph that names it is unreadable). */
export function dataRecordOf(raw: unknown): DataRecord | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { id, datasets } = raw as { id?: unknown; datasets?: unknown };
  if (typeof id !== 'string' || !Array.isArray(datasets)) return undefined;
  if (!datasets.every((d) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string')) return undefined;
  return { id, datasets: datasets as [string, unknown][] };
}

/** The document without its inline datasets (the same objects, not copies) and those datasets by node id. */
export function takeOutData(doc: GraphDoc): { doc: GraphDoc; datasets: [string, object][] } {
  const datasets: [string, object][] = [];
  const nodes = doc.nodes.map((n) => {
    if (n.type !== 'input' || !n.data.dataset || !INLINE.has(n.data.dataset.kind)) return n;
    datasets.push([n.id, n.data.dataset]);
    return { ...n, data: { ...n.data, dataset: TAKEN_OUT } };
  });
  return datasets.length > 0 ? { doc: { ...doc, nodes } as GraphDoc, datasets } : { doc, datasets };
}

/** The stored graph with its datasets put back; as stored when the data record is not the one it names. */
export function putBackData(doc: unknown, dataId: string | undefined, record: DataRecord | undefined): unknown {
  if (dataId === undefined || record?.id !== dataId || typeof doc !== 'object' || doc === null) return doc;
  const byNode = new Map(record.datasets);
  const nodes = (doc as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return doc;
  return {
    ...doc,
    nodes: nodes.map((n: { id?: unknown; data?: object }) =>
      typeof n?.id === 'string' && byNode.has(n.id) ? { ...n, data: { ...n.data, dataset: byNode.get(n.id) } } : n,
    ),
  };
}

/** True when `datasets` are the very objects saved last time (an edit elsewhere leaves them as they are). */
export function sameData(datasets: readonly [string, object][], saved: readonly [string, object][] | null): boolean {
  return (
    saved !== null &&
    saved.length === datasets.length &&
    datasets.every(([id, d], i) => saved[i]![0] === id && saved[i]![1] === d)
  );
}
