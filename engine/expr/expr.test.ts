import { describe, expect, it } from 'vitest';
import { ExprError, parseExpr } from './expr.ts';

const at = (src: string, x: number) => parseExpr(src).evaluate(x);

describe('parseExpr', () => {
  it('evaluates arithmetic with the usual precedence', () => {
    expect(at('x^3 - 2.5*x^2', 2)).toBeCloseTo(8 - 10, 12);
    expect(at('1 + 2 * 3', 0)).toBe(7);
    expect(at('(1 + 2) * 3', 0)).toBe(9);
    expect(at('8 / 4 / 2', 0)).toBe(1);
    expect(at('2^3^2', 0)).toBe(512);
    expect(at('-x^2', 3)).toBe(-9);
    expect(at('--x', 3)).toBe(3);
    expect(at('2*-x', 3)).toBe(-6);
    expect(at('1e-3 * 2', 0)).toBeCloseTo(0.002, 15);
    expect(at('.5 + x', 1)).toBe(1.5);
  });

  it('knows the functions and constants', () => {
    expect(at('sin(pi/2) + cos(0) + exp(0) + log(e)', 0)).toBeCloseTo(4, 12);
    expect(at('sqrt(abs(-16)) + tanh(0) + tan(0)', 0)).toBe(4);
  });

  it('reports the column of a problem', () => {
    const cases: [string, number, RegExp][] = [
      ['', 1, /empty expression/],
      ['x +', 4, /unexpected end/],
      ['(x + 1', 7, /expected '\)'/],
      ['x $ 2', 3, /unexpected character/],
      ['2 * foo', 5, /unknown name 'foo'/],
      ['sin x', 5, /expected '\('/],
      ['x 2', 3, /unexpected '2'/],
    ];
    for (const [src, column, message] of cases) {
      let error: unknown;
      try {
        parseExpr(src);
      } catch (e) {
        error = e;
      }
      expect(error, src).toBeInstanceOf(ExprError);
      expect((error as ExprError).column, src).toBe(column);
      expect((error as ExprError).message, src).toMatch(message);
    }
  });

  it('cannot reach globals or object internals', () => {
    for (const name of ['constructor', '__proto__', 'process', 'globalThis', 'toString', 'Math', 'eval', 'prototype']) {
      expect(() => parseExpr(`${name}`), name).toThrow(ExprError);
      expect(() => parseExpr(`${name}(1)`), name).toThrow(ExprError);
    }
  });
});
