// Share links round-trip every example, with trained weights when the link stays small.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, encodeWeights, type GraphDoc, parseGraph } from '../../engine/index.ts';
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

  it('reports a shared document the format rejects with its JSON path', async () => {
    const { compressToEncodedURIComponent } = await import('lz-string');
    const bad = `${SHARE_PREFIX}${compressToEncodedURIComponent(JSON.stringify({ format: 'nodegrad-graph', version: 1, nodes: 'x', edges: [] }))}`;
    const result = readShareFragment(bad);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.problems.some((p) => p.path.startsWith('nodes'))).toBe(true);
  });
});
