// A small, safe expression language for function-fitting datasets: numbers, x, + - * / ^,
// parentheses, unary minus, a closed list of functions and the constants pi and e.
// Parsed into a tree of closures; nothing is ever evaluated as code.

/** A parse error with the 1-based column where it was found. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} at column ${column}`);
    this.name = 'ExprError';
  }
}

/** A parsed expression of one variable `x`. */
export interface Expr {
  evaluate(x: number): number;
  /** The source text it was parsed from. */
  readonly source: string;
}

type Fn1 = (v: number) => number;
type Node = (x: number) => number;

const FUNCTIONS: ReadonlyMap<string, Fn1> = new Map<string, Fn1>([
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['exp', Math.exp],
  ['log', Math.log],
  ['sqrt', Math.sqrt],
  ['abs', Math.abs],
  ['tanh', Math.tanh],
]);
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

interface Token {
  kind: 'num' | 'name' | 'op' | 'end';
  text: string;
  value: number;
  column: number;
}

const MAX_LENGTH = 1000;
const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: 'num', text: num[0], value: Number(num[0]), column: i + 1 });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], value: 0, column: i + 1 });
      i += name[0].length;
      continue;
    }
    if ('+-*/^()'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch, value: 0, column: i + 1 });
      i++;
      continue;
    }
    throw new ExprError(`unexpected character '${ch}'`, i + 1);
  }
  tokens.push({ kind: 'end', text: '', value: 0, column: src.length + 1 });
  return tokens;
}

/**
 * Parses `src` into an evaluable expression of `x`.
 *
 * @example
 * parseExpr('x^3 - 2.5*x^2').evaluate(2); // -2
 * @throws ExprError with the column of the first problem.
 */
export function parseExpr(src: string): Expr {
  if (src.length > MAX_LENGTH) throw new ExprError(`expression longer than ${MAX_LENGTH} characters`, MAX_LENGTH + 1);
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;
  const isOp = (t: Token, text: string) => t.kind === 'op' && t.text === text;

  // expr := term (('+' | '-') term)*
  const parseSum = (): Node => {
    let left = parseProduct();
    for (;;) {
      const t = peek();
      if (isOp(t, '+') || isOp(t, '-')) {
        next();
        const l = left;
        const r = parseProduct();
        left = t.text === '+' ? (x) => l(x) + r(x) : (x) => l(x) - r(x);
      } else return left;
    }
  };
  // term := unary (('*' | '/') unary)*
  const parseProduct = (): Node => {
    let left = parseUnary();
    for (;;) {
      const t = peek();
      if (isOp(t, '*') || isOp(t, '/')) {
        next();
        const l = left;
        const r = parseUnary();
        left = t.text === '*' ? (x) => l(x) * r(x) : (x) => l(x) / r(x);
      } else return left;
    }
  };
  // unary := '-' unary | '+' unary | power     (so -x^2 = -(x^2))
  const parseUnary = (): Node => {
    const t = peek();
    if (isOp(t, '-')) {
      next();
      const inner = parseUnary();
      return (x) => -inner(x);
    }
    if (isOp(t, '+')) {
      next();
      return parseUnary();
    }
    return parsePower();
  };
  // power := atom ('^' unary)?      right-associative: 2^3^2 = 2^(3^2)
  const parsePower = (): Node => {
    const base = parseAtom();
    if (isOp(peek(), '^')) {
      next();
      const exponent = parseUnary();
      return (x) => base(x) ** exponent(x);
    }
    return base;
  };
  const parseAtom = (): Node => {
    const t = next();
    if (t.kind === 'num') {
      const v = t.value;
      return () => v;
    }
    if (t.kind === 'name') {
      if (t.text === 'x') return (x) => x;
      const constant = CONSTANTS.get(t.text);
      if (constant !== undefined) return () => constant;
      const fn = FUNCTIONS.get(t.text);
      if (fn !== undefined) {
        if (!isOp(peek(), '(')) throw new ExprError(`expected '(' after '${t.text}'`, peek().column);
        next();
        const arg = parseSum();
        expect(')');
        return (x) => fn(arg(x));
      }
      throw new ExprError(`unknown name '${t.text}' (use x, pi, e, ${[...FUNCTIONS.keys()].join(', ')})`, t.column);
    }
    if (isOp(t, '(')) {
      const inner = parseSum();
      expect(')');
      return inner;
    }
    if (t.kind === 'end') throw new ExprError(src.trim() === '' ? 'empty expression' : 'unexpected end', t.column);
    throw new ExprError(`unexpected '${t.text}'`, t.column);
  };
  const expect = (text: string) => {
    const t = peek();
    if (!isOp(t, text)) throw new ExprError(`expected '${text}'`, t.column);
    next();
  };

  const root = parseSum();
  const end = peek();
  if (end.kind !== 'end') throw new ExprError(`unexpected '${end.text}'`, end.column);
  return { evaluate: root, source: src };
}
