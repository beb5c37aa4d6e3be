// Share links round-trip every example, with trained weights when the link stays small.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, createRng, encodeWeights, type GraphDoc, parseGraph, serializeGraph } from '../../engine/index.ts';
import { renameNodes } from '../testing/hostileIds.ts';
import { MAX_SHARE_CHARS_WITH_WEIGHTS, readShareFragment, SHARE_PREFIX, shareLink } from './share.ts';

const BASE = 'https://example.org/nodegrad/';
const examples = readdirSync('public/examples').filter((f) => f.endsWith('.json'));
const load = (file: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${file}`, 'utf8')));
const fragment = (url: string) => url.slice(BASE.length);

describe('share links', () => {
  it.each(examples)('%s round-trips, with its weights when they fit', (file) => {
    const doc = load(file);
    const plain = shareLink(doc, BASE);
    if (!plain.ok) throw new Error('not shareable');
    expect(plain.url.startsWith(`${BASE}${SHARE_PREFIX}`)).toBe(true);
    expect(readShareFragment(fragment(plain.url))).toEqual({
      ok: true,
      doc: parseGraph(JSON.parse(JSON.stringify(doc))),
      verified: true,
    });

    const trained: GraphDoc = { ...doc, weights: encodeWeights(compile(doc, { seed: 7 }).params) };
    const link = shareLink(trained, BASE);
    if (!link.ok) throw new Error('not shareable');
    const back = readShareFragment(fragment(link.url));
    if (!back?.ok) throw new Error('did not read back');
    if (link.withWeights) {
      expect(link.chars).toBeLessThanOrEqual(MAX_SHARE_CHARS_WITH_WEIGHTS);
      expect(back.doc.weights).toEqual(trained.weights);
    } else {
      // Left out only because they would not fit.
      expect(link.weightsLeftOut).toBeGreaterThan(MAX_SHARE_CHARS_WITH_WEIGHTS);
      expect(back.doc.weights).toBeUndefined();
    }
    expect(back.doc.nodes).toEqual(trained.nodes);
  });

  it('keeps small trained networks whole and leaves out large weights', () => {
    const xor = load('xor.json');
    const small = shareLink({ ...xor, weights: encodeWeights(compile(xor).params) }, BASE);
    expect(small.ok && small.withWeights).toBe(true);
    const mnist = load('mnist.json');
    const large = shareLink({ ...mnist, weights: encodeWeights(compile(mnist).params) }, BASE);
    expect(large.ok && !large.withWeights && large.weightsLeftOut! > MAX_SHARE_CHARS_WITH_WEIGHTS).toBe(true);
  });

  it('keeps the weights of nodes whose ids are __proto__, valueOf, constructor', () => {
    const doc = parseGraph(renameNodes(JSON.parse(readFileSync('public/examples/xor.json', 'utf8'))));
    const trained: GraphDoc = { ...doc, weights: encodeWeights(compile(doc, { seed: 3 }).params) };
    const link = shareLink(trained, BASE);
    if (!link.ok) throw new Error('not shareable');
    const back = readShareFragment(fragment(link.url));
    if (!back?.ok) throw new Error('did not read back');
    expect(Object.keys(back.doc.weights ?? {})).toEqual(['__proto__', 'valueOf']);
    expect(back.doc.weights).toEqual(trained.weights);
  });

  it('names a damaged link instead of loading something else', () => {
    expect(readShareFragment('#other')).toBeNull();
    const good = shareLink(load('xor.json'), BASE);
    if (!good.ok) throw new Error('not shareable');
    const cut = fragment(good.url).slice(0, 40);
    const result = readShareFragment(cut);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.problems[0]?.path).toBe('(link)');
    const json = readShareFragment(`${SHARE_PREFIX}N4XyA`);
    expect(json?.ok).toBe(false);
  });

  it('fuzz: 5,000 single-character edits of a trained XOR link never open an altered graph and never throw', () => {
    const xor = load('xor.json');
    const link = shareLink({ ...xor, weights: encodeWeights(compile(xor, { seed: 2 }).params) }, BASE);
    if (!link.ok) throw new Error('not shareable');
    const original = readShareFragment(fragment(link.url));
    if (!original?.ok) throw new Error('did not read back');
    const text = fragment(link.url);
    const rng = createRng(20);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$.%=_ ';
    const counts = { refused: 0, same: 0, notALink: 0 };
    for (let i = 0; i < 5000; i++) {
      const at = rng.int(text.length);
      const c = alphabet[rng.int(alphabet.length)]!;
      const kind = i % 3;
      const edited =
        kind === 0
          ? text.slice(0, at) + c + text.slice(at + 1) // replace
          : kind === 1
            ? text.slice(0, at) + c + text.slice(at) // insert
            : text.slice(0, at) + text.slice(at + 1); // delete
      let result: ReturnType<typeof readShareFragment>;
      try {
        result = readShareFragment(edited);
      } catch (e) {
        throw new Error(`edit ${i} (${JSON.stringify(edited.slice(Math.max(0, at - 5), at + 5))}) threw: ${e}`);
      }
      if (result === null) counts.notALink++;
      else if (result.ok) {
        expect(result.doc, `edit ${i} opened an altered graph`).toEqual(original.doc);
        counts.same++;
      } else {
        expect(result.problems.map((p) => p.code)).toEqual(['share.corrupt']);
        counts.refused++;
      }
    }
    // Nearly every edit is refused; the rest are edits that change nothing (the same character again).
    expect(counts.refused).toBeGreaterThan(4900);
  });

  it('an old link without a checksum still opens, marked as unverified', async () => {
    const { compressToEncodedURIComponent } = await import('lz-string');
    const doc = load('xor.json');
    const old = `${SHARE_PREFIX}${compressToEncodedURIComponent(JSON.stringify(serializeGraph(doc)))}`;
    expect(readShareFragment(old)).toEqual({
      ok: true,
      doc: parseGraph(JSON.parse(JSON.stringify(doc))),
      verified: false,
    });
    const good = shareLink(doc, BASE);
    expect(good.ok && readShareFragment(fragment(good.url))).toMatchObject({ ok: true, verified: true });
  });

  it('reports a shared document the format rejects with its JSON path', async () => {
    const { compressToEncodedURIComponent } = await import('lz-string');
    const bad = `${SHARE_PREFIX}${compressToEncodedURIComponent(JSON.stringify({ format: 'nodegrad-graph', version: 1, nodes: 'x', edges: [] }))}`;
    const result = readShareFragment(bad);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.problems.some((p) => p.path.startsWith('nodes'))).toBe(true);
  });
});
