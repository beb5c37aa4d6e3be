import type { CompileProblem } from './types.ts';

/** Thrown by compile: every problem, each naming its node or edge. */
export class CompileError extends Error {
  constructor(readonly problems: CompileProblem[]) {
    const head = problems.slice(0, 3).map((p) => p.message);
    const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
    super(`The graph does not compile: ${head.join('; ')}${more}`);
    this.name = 'CompileError';
  }
}

/** `[B, 64]`-style shape text for a per-sample shape. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
