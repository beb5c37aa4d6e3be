// Image folders: one sub-folder per class, PNG (fast-png) or JPEG (jpeg-js), all pure JS so the
// same code runs in Node and the browser. Images are resized to one size and stored as uint8.
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { arraysInfo, encodeArray } from '../datasets/arrays.ts';
import { DatasetError } from '../datasets/errors.ts';
import type { DatasetSpec } from '../format/types.ts';
import type { ProblemParams } from '../problems.ts';

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Row-major, channels interleaved, 0-255. */
  data: Uint8Array;
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

/**
 * Images over this many pixels are refused before decoding: a small compressed file can claim any size
 * (a 747 KB PNG decodes to 16000×16000, 768 MB). 16 MP takes a 4000×4000 photo.
 */
export const MAX_IMAGE_PIXELS = 16_000_000;

/** JPEG frame headers (SOF0–SOF15 but DHT C4, JPG C8, DAC CC): they hold the image's size. */
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Width and height from a PNG's IHDR or a JPEG's frame header, without decoding; null when not found. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
  if (!isJpeg(bytes)) return null;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // no length
      continue;
    }
    if (isFrameMarker(marker))
      return i + 9 <= bytes.length ? { width: view.getUint16(i + 7), height: view.getUint16(i + 5) } : null;
    i += 2 + view.getUint16(i + 2);
  }
  return null;
}

/**
 * Decodes a PNG or JPEG (by its first bytes, not its name); throws a DatasetError naming the file.
 *
 * @example
 * decodeImage(bytes, 'cat/1.png'); // { width: 64, height: 64, channels: 3, data }
 */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  const fail = (detail: string) => new DatasetError('dataset.image-unreadable', { file: name, detail });
  if (!isPng(bytes) && !isJpeg(bytes)) throw fail('neither PNG nor JPEG data');
  const size = imageSize(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS)
    throw new DatasetError('dataset.image-too-large', { file: name, ...size, limit: MAX_IMAGE_PIXELS });
  try {
    if (isJpeg(bytes)) {
      const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 512 });
      return { width: j.width, height: j.height, channels: 3, data: j.data };
    }
    const p = decodePng(bytes);
    if (p.palette) {
      const rgb = Uint8Array.from(p.palette.flatMap((c) => [c[0] ?? 0, c[1] ?? 0, c[2] ?? 0]));
      const data = new Uint8Array(p.width * p.height * 3);
      for (let i = 0; i < p.width * p.height; i++) data.set(rgb.subarray(p.data[i]! * 3, p.data[i]! * 3 + 3), i * 3);
      return { width: p.width, height: p.height, channels: 3, data };
    }
    // NOTE: 16-bit samples keep their high byte; 1/2/4-bit grey is stretched to 0-255.
    const max = 2 ** p.depth - 1;
    const data =
      p.depth === 8
        ? Uint8Array.from(p.data)
        : Uint8Array.from(p.data, (v) => (p.depth === 16 ? v >> 8 : Math.round((v * 255) / max)));
    return { width: p.width, height: p.height, channels: p.channels, data };
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
}

/** Grey (luma) or RGB, alpha dropped. */
function toChannels(img: DecodedImage, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * channels);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const [r, g, b] =
      c >= 3 ? [img.data[s]!, img.data[s + 1]!, img.data[s + 2]!] : [img.data[s]!, img.data[s]!, img.data[s]!];
    if (channels === 1) out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else out.set([r, g, b], i * 3);
  }
  return out;
}

/**
 * Source taps of each output pixel along one axis: the covered source pixels weighted by overlap
 * when shrinking (area average), the two nearest centres when growing (bilinear).
 */
function taps(size: number, out: number): [index: number, weight: number][][] {
  const scale = size / out;
  return Array.from({ length: out }, (_, o) => {
    if (scale <= 1) {
      const c = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), size - 1);
      const i = Math.floor(c);
      return i + 1 < size
        ? [
            [i, 1 - (c - i)],
            [i + 1, c - i],
          ]
        : [[i, 1]];
    }
    const [lo, hi] = [o * scale, (o + 1) * scale];
    const list: [number, number][] = [];
    for (let i = Math.floor(lo); i < Math.min(Math.ceil(hi), size); i++)
      list.push([i, (Math.min(hi, i + 1) - Math.max(lo, i)) / scale]);
    return list;
  });
}

/** Resizes `src` (h × w × c floats) to height × width, separably (rows, then columns), rounded to bytes. */
export function resize(src: Float32Array, w: number, h: number, c: number, width: number, height: number): Uint8Array {
  const across = new Float32Array(h * width * c);
  taps(w, width).forEach((list, x) => {
    for (let y = 0; y < h; y++)
      for (const [i, wt] of list)
        for (let k = 0; k < c; k++) across[(y * width + x) * c + k]! += wt * src[(y * w + i) * c + k]!;
  });
  const out = new Uint8Array(height * width * c);
  taps(h, height).forEach((list, y) => {
    for (let x = 0; x < width * c; x++) {
      let v = 0;
      for (const [i, wt] of list) v += wt * across[i * width * c + x]!;
      out[y * width * c + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  });
  return out;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;
const isHidden = (path: string) => path.split('/').some((part) => part.startsWith('.'));

/**
 * The images of a folder (.png, .jpg, .jpeg) and the other files it ignores (hidden files such as
 * .DS_Store are left out of both), each sorted by path.
 */
export function imageFolderFiles<T extends { path: string }>(files: readonly T[]): { images: T[]; ignored: T[] } {
  const sorted = files
    .filter((f) => !isHidden(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    images: sorted.filter((f) => IMAGE_FILE.test(f.path)),
    ignored: sorted.filter((f) => !IMAGE_FILE.test(f.path)),
  };
}

/** The problem that names the files an image import ignored (at most `shown` of them by name). */
export function ignoredFilesProblem(
  paths: readonly string[],
  shown = 5,
): { code: string; params: ProblemParams } | null {
  return paths.length === 0
    ? null
    : { code: 'dataset.image-ignored', params: { count: paths.length, files: paths.slice(0, shown) } };
}

/**
 * An `arrays` dataset from image files at paths 'class/…/file.png': the class is the first folder,
 * classNames are sorted, every image is resized to width × height; x is uint8 [N, H, W, C].
 * Files that are not .png/.jpg/.jpeg (or are hidden) are skipped.
 */
export function imageFolderDataset(
  files: { path: string; bytes: Uint8Array }[],
  o: { width: number; height: number; channels?: 1 | 3 },
): DatasetSpec {
  const channels = o.channels ?? 3;
  const { images } = imageFolderFiles(files);
  for (const f of images) if (!f.path.includes('/')) throw new DatasetError('dataset.image-no-class', { file: f.path });
  const classOf = (p: string) => p.slice(0, p.indexOf('/'));
  const classNames = [...new Set(images.map((f) => classOf(f.path)))].sort();
  if (classNames.length < 2)
    throw new DatasetError('dataset.image-classes', { count: classNames.length, names: classNames });
  const index = new Map(classNames.map((c, i) => [c, i]));
  const size = o.height * o.width * channels;
  const x = new Uint8Array(images.length * size);
  const y = new Uint8Array(images.length);
  images.forEach((f, i) => {
    const img = decodeImage(f.bytes, f.path);
    x.set(resize(toChannels(img, channels), img.width, img.height, channels, o.width, o.height), i * size);
    y[i] = index.get(classOf(f.path))!;
  });
  const spec: DatasetSpec = {
    kind: 'arrays',
    x: encodeArray(x, [images.length, o.height, o.width, channels]),
    y: encodeArray(y, [images.length]),
    classNames,
  };
  arraysInfo(spec);
  return spec;
}
