// Share links: the document, compressed with lz-string, in the URL fragment (`#g=…`). The fragment
// never reaches a server. Trained weights ride along when the link stays at most MAX_SHARE_CHARS_WITH_WEIGHTS.
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { type FormatProblem, type GraphDoc, GraphFormatError, parseGraph, serializeGraph } from '../../engine/index.ts';

/** The fragment's prefix; anything else in the fragment is not a share link. */
export const SHARE_PREFIX = '#g=';
/**
 * Links up to this many characters carry the trained weights: about 100 KB still pastes into chat and
 * mail. XOR's trained link is about 1 KB; MNIST 784-64-10 with its weights would be about 316 KB.
 */
export const MAX_SHARE_CHARS_WITH_WEIGHTS = 100_000;
/** Chromium's limit on a URL's length; a longer document cannot be shared as a link (export JSON instead). */
export const MAX_SHARE_CHARS = 2_000_000;

export type ShareLink =
  | { ok: true; url: string; chars: number; withWeights: boolean; weightsLeftOut: number | null }
  | { ok: false; chars: number };

/** The link for `doc` (with its weights when they fit) below `base` (the app's address without fragment). */
export function shareLink(doc: GraphDoc, base: string): ShareLink {
  const encode = (d: GraphDoc) =>
    `${base}${SHARE_PREFIX}${compressToEncodedURIComponent(JSON.stringify(serializeGraph(d)))}`;
  const bare: GraphDoc = { ...doc, weights: undefined };
  if (doc.weights) {
    const url = encode(doc);
    if (url.length <= MAX_SHARE_CHARS_WITH_WEIGHTS)
      return { ok: true, url, chars: url.length, withWeights: true, weightsLeftOut: null };
    const plain = encode(bare);
    return plain.length <= MAX_SHARE_CHARS
      ? { ok: true, url: plain, chars: plain.length, withWeights: false, weightsLeftOut: url.length }
      : { ok: false, chars: plain.length };
  }
  const url = encode(bare);
  return url.length <= MAX_SHARE_CHARS
    ? { ok: true, url, chars: url.length, withWeights: false, weightsLeftOut: null }
    : { ok: false, chars: url.length };
}

export type SharedDocument = { ok: true; doc: GraphDoc } | { ok: false; problems: FormatProblem[] };

/** Reads a `#g=…` fragment; null when the fragment is not a share link. */
export function readShareFragment(hash: string): SharedDocument | null {
  if (!hash.startsWith(SHARE_PREFIX)) return null;
  const corrupt: SharedDocument = {
    ok: false,
    problems: [
      {
        path: '(link)',
        code: 'share.corrupt',
        params: {},
        message: 'the link is cut off or damaged: it does not decompress',
      },
    ],
  };
  const text = decompressFromEncodedURIComponent(hash.slice(SHARE_PREFIX.length));
  if (!text) return corrupt;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return corrupt;
  }
  try {
    return { ok: true, doc: parseGraph(json) };
  } catch (e) {
    if (e instanceof GraphFormatError) return { ok: false, problems: e.problems };
    throw e;
  }
}
