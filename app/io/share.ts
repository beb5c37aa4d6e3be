// Share links: the document, compressed with lz-string, in the URL fragment (`#g=<crc>.<payload>`). The
// fragment never reaches a server. Trained weights ride along when the link stays at most
// MAX_SHARE_CHARS_WITH_WEIGHTS. `crc` is the CRC-32 of the payload (8 hex digits): a link changed on
// the way (one character is enough to open another graph: units 3 → 7, a rewired edge) is refused.
// Links made before the checksum (`#g=<payload>`) still open, marked as unverified.
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
  const encode = (d: GraphDoc) => {
    const payload = compressToEncodedURIComponent(JSON.stringify(serializeGraph(d)));
    return `${base}${SHARE_PREFIX}${crc32(payload)}${CHECKSUM_END}${payload}`;
  };
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

/** `verified`: the link carried a checksum and it matched (false for links made before checksums). */
export type SharedDocument = { ok: true; doc: GraphDoc; verified: boolean } | { ok: false; problems: FormatProblem[] };

const CHECKSUM_END = '.';
const CHECKSUMMED = /^[0-9a-f]{8}\./;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** CRC-32 (IEEE 802.3) of the link's characters (all ASCII), as 8 hex digits; it catches every single-character change. */
function crc32(text: string): string {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

const CORRUPT: SharedDocument = {
  ok: false,
  problems: [
    {
      path: '(link)',
      code: 'share.corrupt',
      params: {},
      message: 'the link is cut off or was changed on the way; ask for it again',
    },
  ],
};

/** Reads a `#g=…` fragment; null when the fragment is not a share link. Never throws. */
export function readShareFragment(hash: string): SharedDocument | null {
  if (!hash.startsWith(SHARE_PREFIX)) return null;
  const body = hash.slice(SHARE_PREFIX.length);
  const verified = CHECKSUMMED.test(body);
  const payload = verified ? body.slice(9) : body;
  if (verified && crc32(payload) !== body.slice(0, 8)) return CORRUPT;
  let json: unknown;
  try {
    // NOTE: lz-string throws a TypeError on some damaged input instead of returning null.
    const text = decompressFromEncodedURIComponent(payload);
    if (!text) return CORRUPT;
    json = JSON.parse(text);
  } catch {
    return CORRUPT;
  }
  try {
    return { ok: true, doc: parseGraph(json), verified };
  } catch (e) {
    return e instanceof GraphFormatError ? { ok: false, problems: e.problems } : CORRUPT;
  }
}
