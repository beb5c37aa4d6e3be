// How Japanese text sets brackets: names and values quoted with 「」, asides in （）, no space between
// those brackets and Japanese. The tests of engine and app texts read their Japanese with this rule.

const JA = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー]/u;

/** The text holds Japanese letters (kana or kanji). */
export const hasJapanese = (text: string): boolean => JA.test(text);

/**
 * The English marks in a Japanese text: a quoted '…', "…", “…” or ‘…’ outside 「」, a ( … ) right after Japanese
 * or holding it, and a space between a full-width bracket and Japanese. Formulas keep their marks:
 * f(x), σ(z)(1 − σ(z)), 点 (0,1).
 */
export function halfWidthMarks(text: string): string[] {
  const bad: string[] = [];
  const outside = text.replace(/「[^」]*」/g, '「」');
  for (const m of outside.matchAll(/(['"])[^'"\n]*\1|“[^”\n]*”|‘[^’\n]*’/g)) bad.push(m[0]);
  for (const m of text.matchAll(/[」）] +\S|\S +[「（]/g)) if (JA.test(m[0])) bad.push(m[0]);
  for (const m of text.matchAll(/\(([^()]*)\)/g)) {
    const before = text.slice(0, m.index).at(-1) ?? '';
    if (JA.test(before) || JA.test(m[1] ?? '')) bad.push(m[0]);
  }
  return bad;
}
