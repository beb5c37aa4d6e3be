// A problem the import shows, from an engine error (its code and params) or any other error; plain
// data, so a worker can send it.
import type { ProblemParams } from '../../engine/index.ts';

export interface Problem {
  code?: string | undefined;
  params?: ProblemParams | undefined;
  message: string;
}

/** An error as a problem the catalogue renders (engine errors carry a code and params). */
export function problemOf(e: Error): Problem {
  const coded = e as Error & { code?: unknown; params?: ProblemParams };
  return typeof coded.code === 'string'
    ? { code: coded.code, params: coded.params, message: e.message }
    : { message: e.message };
}
