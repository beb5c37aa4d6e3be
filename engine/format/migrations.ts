// Append-only migrations between document versions. A migration takes a document of version
// `from` (already known to be a plain object) and returns one of version `to`. Never edit a
// released migration: add a new one.
import { GRAPH_VERSION } from './types.ts';

export interface Migration {
  from: number;
  to: number;
  migrate(doc: Record<string, unknown>): Record<string, unknown>;
}

/** Version 1 is the first format: nothing to migrate yet. */
export const migrations: Migration[] = [];

/** Applies the migrations in order until the document reaches `target`; throws when a step is missing. */
export function migrateToCurrent(
  doc: Record<string, unknown>,
  list: readonly Migration[] = migrations,
  target: number = GRAPH_VERSION,
): Record<string, unknown> {
  let current = doc;
  let version = current.version as number;
  while (version < target) {
    const step = list.find((m) => m.from === version);
    if (!step) throw new Error(`no migration from format version ${version}`);
    current = { ...step.migrate(current), version: step.to };
    version = step.to;
  }
  return current;
}
