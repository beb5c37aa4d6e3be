import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeArray } from '../datasets/arrays.ts';
import { DatasetError } from '../datasets/errors.ts';
import { loadDataset } from '../datasets/index.ts';
import { csvDataset, decodeCsvBytes, previewCsv } from './csv.ts';
import { MAX_PARAM_CHARS } from '../problems.ts';
import { hdf5Dataset, openHdf5 } from './hdf5.ts';
import { decodeImage, imageFolderDataset, imageFolderFiles, imageSize, MAX_IMAGE_PIXELS } from './images.ts';
import { importSizeProblem, MAX_IMPORT_BYTES } from './size.ts';
import { datasetSummary } from './summary.ts';
import { makeCatFixture } from './testing/catFixture.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof DatasetError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

/** A PNG of w × h RGB pixels whose left half is white and right half black. */
const halves = (w: number, h: number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) data.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
  return encodePng({ width: w, height: h, data, channels: 3, depth: 8 });
};
const solidJpeg = (w: number, h: number, rgb: [number, number, number]) => {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data }, 95).data);
};

const crc32 = (bytes: Uint8Array) => {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
};
/** The PNG with its IHDR saying w × h (CRC fixed): the header of an image bomb. */
const withPngSize = (png: Uint8Array, w: number, h: number) => {
  const out = png.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, w);
  view.setUint32(20, h);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
};
/** The JPEG with its frame header (SOF0) saying w × h (each at most 65535, as JPEG allows). */
const withJpegSize = (jpg: Uint8Array, w: number, h: number) => {
  const out = jpg.slice();
  const view = new DataView(out.buffer);
  for (let i = 2; i < out.length; ) {
    const marker = view.getUint16(i);
    if (marker === 0xffc0) {
      view.setUint16(i + 5, h);
      view.setUint16(i + 7, w);
      return out;
    }
    i += 2 + view.getUint16(i + 2);
  }
  throw new Error('no SOF0');
};

describe('import size limit', () => {
  it('refuses files over 50 MB with the size and why', () => {
    expect(importSizeProblem('small.csv', MAX_IMPORT_BYTES)).toBeUndefined();
    expect(importSizeProblem('x.h5', 64_172_851)).toBe(
      "x.h5 is 61.2 MB; files over 50 MB are refused (the data is kept inline in the document and trained in the browser's memory)",
    );
  });
});

describe('CSV text', () => {
  it('does not echo a 5 MB cell in full: every message cuts a long value in one place', () => {
    const cell = 'z'.repeat(5_000_000);
    const message = code(() => csvDataset(`a,b,y\n1,2,0\n3,${cell},1\n5,6,0\n`, { target: 'y', features: ['a', 'b'] }));
    expect(message).toMatch(/^dataset\.csv-not-number: CSV row 3, column 'b' \(2\): 'z+…' is not a number$/);
    expect(message.length).toBeLessThan(MAX_PARAM_CHARS + 100);
  });

  it('decodes UTF-8 (with or without a byte order mark), UTF-16 LE/BE and Shift_JIS, and names the encoding', () => {
    const text = 'x,ラベル\n1,あ\n2,い\n';
    const utf16 = (le: boolean) => {
      const out = new Uint8Array(2 + text.length * 2);
      const view = new DataView(out.buffer);
      view.setUint16(0, 0xfeff, le);
      for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), le);
      return out;
    };
    const sjis = Uint8Array.from([
      ...new TextEncoder().encode('x,'),
      ...[0x83, 0x89, 0x83, 0x78, 0x83, 0x8b],
      ...new TextEncoder().encode('\n1,'),
      ...[0x82, 0xa0],
      ...new TextEncoder().encode('\n2,'),
      ...[0x82, 0xa2],
      10,
    ]);
    const utf8 = new TextEncoder().encode(text);
    for (const [bytes, encoding] of [
      [utf8, 'UTF-8'],
      [Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), 'UTF-8'],
      [utf16(true), 'UTF-16 LE'],
      [utf16(false), 'UTF-16 BE'],
      [utf16(true).subarray(2), 'UTF-16 LE'],
      [sjis, 'Shift_JIS'],
    ] as const) {
      const decoded = decodeCsvBytes(bytes);
      expect(decoded, encoding).toEqual({ text, encoding });
      expect(previewCsv(decoded.text).header).toEqual(['x', 'ラベル']);
    }
  });
});

describe('CSV preview', () => {
  it('gives the header, the first rows, column kinds with distinct and empty counts, and a target guess', () => {
    const text = 'age,city,score,label\n30,Oslo,1.5,yes\n41,,2,no\n35,Rome,,yes\n';
    const p = previewCsv(text, 2);
    expect(p.header).toEqual(['age', 'city', 'score', 'label']);
    expect(p.rows).toEqual([
      ['30', 'Oslo', '1.5', 'yes'],
      ['41', '', '2', 'no'],
    ]);
    expect(p.rowCount).toBe(3);
    expect(p.columns.map((c) => [c.name, c.kind, c.distinct, c.empty])).toEqual([
      ['age', 'numeric', 3, 0],
      ['city', 'categorical', 2, 1],
      ['score', 'numeric', 2, 1],
      ['label', 'categorical', 2, 0],
    ]);
    expect(p.suggestedTarget).toBe('label');
    expect(previewCsv('a,b\n1,2\n').suggestedTarget).toBe('b');
    expect(code(() => previewCsv('a,b\n1\n'))).toBe('dataset.csv-ragged: CSV row 2 has 1 fields, the header has 2');
  });

  it('csvDataset checks what loading would and builds the spec', () => {
    const text = 'age,city,label\n30,Oslo,yes\n41,Rome,no\n35,,yes\n';
    expect(code(() => csvDataset(text, { target: 'label' }))).toBe(
      "dataset.csv-not-number: CSV row 2, column 'city' (2): 'Oslo' is not a number",
    );
    const spec = csvDataset(text, { target: 'label', features: ['age'], standardize: false });
    expect(spec).toEqual({ kind: 'csv', text, target: 'label', features: ['age'], standardize: false });
    expect(datasetSummary(spec)).toBe(
      '3 rows, 1 features (not standardised), 2 classes (no, yes), test 1 (20% held out)',
    );
  });
});

describe('HDF5 import', () => {
  it('reads the cat/non-cat layout with defaults: shapes, int64 labels, byte-string classes, test names guessed', async () => {
    const { train, test } = await makeCatFixture({ train: 30, test: 10, seed: 2 });
    const f = await openHdf5(train, 'train_catvnoncat.h5');
    expect(f.datasets.map((d) => [d.path, d.dtype, d.shape])).toEqual([
      ['/list_classes', 'string', [2]],
      ['/train_set_x', 'uint8', [30, 64, 64, 3]],
      ['/train_set_y', 'int64', [30]],
    ]);
    expect(f.guess).toEqual({ x: '/train_set_x', y: '/train_set_y', classes: '/list_classes' });
    expect(f.read('list_classes').data).toEqual(['non-cat', 'cat']);
    f.close();
    const spec = await hdf5Dataset(train, { test });
    if (spec.kind !== 'arrays') throw new Error('not arrays');
    expect(spec.x).toMatchObject({ dtype: 'uint8', shape: [30, 64, 64, 3] });
    expect(spec.y).toMatchObject({ dtype: 'uint8', shape: [30] });
    expect(spec.testX?.shape).toEqual([10, 64, 64, 3]);
    expect(spec.classNames).toEqual(['non-cat', 'cat']);
    expect(datasetSummary(spec)).toMatch(/^30 images 64×64×3, 2 classes \(non-cat, cat\), test 10$/);
    const d = loadDataset(spec, { seed: 1 });
    expect(d.image).toEqual({ height: 64, width: 64, channels: 3 });
    expect(d.task).toBe('binary');
  });

  it('guesses other names in groups, turns [N, 1] labels into [N] and float64 pixels into float32', async () => {
    const { default: h5wasm } = await import('h5wasm');
    const { FS } = await h5wasm.ready;
    const f = new h5wasm.File('/guess.h5', 'w');
    const group = f.create_group('data');
    const pixels = Float64Array.from({ length: 6 * 4 }, (_, i) => (i % 4) / 8);
    group.create_dataset({ name: 'images', data: pixels, shape: [6, 2, 2], dtype: '<d' });
    group.create_dataset({
      name: 'labels',
      data: new Int32Array([0, 1, 2, 0, 1, 2]),
      shape: [6, 1],
      dtype: '<i',
    });
    f.close();
    const bytes = FS.readFile('/guess.h5');
    FS.unlink('/guess.h5');
    const file = await openHdf5(bytes);
    expect(file.root.children?.map((c) => [c.path, c.kind, c.children?.length])).toEqual([['/data', 'group', 2]]);
    expect(file.guess).toEqual({ x: '/data/images', y: '/data/labels', classes: undefined });
    file.close();
    const spec = await hdf5Dataset(bytes);
    if (spec.kind !== 'arrays') throw new Error('not arrays');
    expect(spec.x).toMatchObject({ dtype: 'float32', shape: [6, 2, 2] });
    expect(spec.y).toMatchObject({ dtype: 'uint8', shape: [6] });
    expect(datasetSummary(spec)).toBe('6 images 2×2×1, 3 classes (0, 1, 2), test 1 (20% held out)');
  });

  it('names a missing dataset with the ones the file has, and refuses a file that is not HDF5', async () => {
    const { train } = await makeCatFixture({ train: 4, test: 2 });
    await expect(hdf5Dataset(train, { x: 'images', trainName: 'cats.h5' })).rejects.toThrow(
      "cats.h5 has no dataset 'images' (it has: /list_classes, /train_set_x, /train_set_y)",
    );
    await expect(openHdf5(new TextEncoder().encode('a,b\n1,2\n'), 'data.csv')).rejects.toThrow(
      'data.csv is not a readable HDF5 file (no HDF5 signature)',
    );
    // Cut off: the HDF5 library's own reason, not h5wasm's "error - name not defined!".
    await expect(openHdf5(train.subarray(0, 3000), 'cut.h5')).rejects.toThrow(
      /^cut\.h5 is not a readable HDF5 file \(truncated file: eof = 3000, sblock->base_addr = 0, stored_eof = \d+\)$/,
    );
  });
});

describe('image folders', () => {
  it('decodes PNG and JPEG, names an unreadable file', () => {
    expect(decodeImage(halves(4, 2), 'a.png')).toMatchObject({ width: 4, height: 2, channels: 3 });
    expect(decodeImage(solidJpeg(5, 3, [200, 10, 10]), 'b.jpg')).toMatchObject({ width: 5, height: 3, channels: 3 });
    expect(code(() => decodeImage(new Uint8Array([1, 2, 3]), 'cat/notes.png'))).toBe(
      'dataset.image-unreadable: cat/notes.png is not a readable PNG or JPEG image (neither PNG nor JPEG data)',
    );
  });

  it('imports class folders at 16×16: sorted classes, labels from folders, a known pattern resized', () => {
    const files = [
      { path: 'dog/big.png', bytes: halves(32, 32) }, // area average: exact halves
      { path: 'dog/small.png', bytes: halves(8, 4) }, // bilinear up
      { path: 'cat/red.jpg', bytes: solidJpeg(20, 12, [220, 20, 20]) },
      { path: 'cat/sub/blue.jpeg', bytes: solidJpeg(16, 16, [20, 20, 220]) },
      { path: 'cat/.DS_Store', bytes: new Uint8Array([0]) },
      { path: 'dog/readme.txt', bytes: new Uint8Array([0]) },
    ];
    const spec = imageFolderDataset(files, { width: 16, height: 16 });
    if (spec.kind !== 'arrays') throw new Error('not arrays');
    expect(spec.classNames).toEqual(['cat', 'dog']);
    expect(spec.x.shape).toEqual([4, 16, 16, 3]);
    expect([...decodeArray(spec.y)]).toEqual([0, 0, 1, 1]); // cat/red, cat/sub/blue, dog/big, dog/small
    const x = decodeArray(spec.x);
    const px = (i: number, row: number, col: number, c = 0) => x[((i * 16 + row) * 16 + col) * 3 + c]!;
    for (const row of [0, 7, 15]) {
      expect([px(2, row, 0), px(2, row, 7), px(2, row, 8), px(2, row, 15)]).toEqual([255, 255, 0, 0]);
      // 8 → 16 columns, bilinear: the edge between columns 3 and 4 becomes a ramp over columns 7-8
      expect([px(3, row, 0), px(3, row, 6), px(3, row, 9), px(3, row, 15)]).toEqual([255, 255, 0, 0]);
      expect(px(3, row, 7)).toBeGreaterThan(px(3, row, 8));
    }
    expect(Math.abs(px(0, 5, 5, 0) - 220)).toBeLessThan(8);
    expect(Math.abs(px(1, 5, 5, 2) - 220)).toBeLessThan(8);
    const grey = imageFolderDataset(files, { width: 4, height: 4, channels: 1 });
    expect(grey.kind === 'arrays' && grey.x.shape).toEqual([4, 4, 4, 1]);
  });

  it('refuses an image whose header is over MAX_IMAGE_PIXELS before decoding it, naming the file and its size', () => {
    // A 747 KB PNG can decode to 16000×16000 (768 MB); a header alone can claim 100000×100000.
    const over = Math.floor(MAX_IMAGE_PIXELS / 1000) + 1;
    const cases = [
      ['cat/bomb.png', withPngSize(halves(4, 2), 16_000, 16_000), 16_000, 16_000],
      ['cat/huge.png', withPngSize(halves(4, 2), 100_000, 100_000), 100_000, 100_000],
      ['cat/just-over.png', withPngSize(halves(4, 2), over, 1000), over, 1000],
      ['cat/bomb.jpg', withJpegSize(solidJpeg(5, 3, [1, 2, 3]), 16_000, 16_000), 16_000, 16_000],
      ['cat/huge.jpg', withJpegSize(solidJpeg(5, 3, [1, 2, 3]), 65_535, 65_535), 65_535, 65_535],
    ] as const;
    for (const [name, bytes, w, h] of cases) {
      const started = performance.now();
      const message = code(() => decodeImage(bytes, name));
      expect(performance.now() - started, name).toBeLessThan(200);
      expect(message).toBe(
        `dataset.image-too-large: ${name} is ${w.toLocaleString('en-US')}×${h.toLocaleString('en-US')} pixels (${Math.round((w * h) / 1e5) / 10} megapixels); images over ${MAX_IMAGE_PIXELS / 1e6} megapixels are refused: scale it down first`,
      );
      expect(imageSize(bytes)).toEqual({ width: w, height: h });
    }
    const fits = withPngSize(halves(4, 2), 4, 2);
    expect(decodeImage(fits, 'ok.png')).toMatchObject({ width: 4, height: 2 });
  });

  it('takes the images of a folder with a stray readme.txt and names what it ignored', () => {
    const files = [
      { path: 'cat/a.png', bytes: halves(2, 2) },
      { path: 'dog/b.png', bytes: halves(2, 2) },
      { path: 'readme.txt', bytes: new TextEncoder().encode('a,b\n') },
      { path: 'dog/notes.csv', bytes: new TextEncoder().encode('a,b\n') },
      { path: 'cat/.DS_Store', bytes: new Uint8Array([0]) },
    ];
    expect(imageFolderFiles(files)).toEqual({
      images: [files[0], files[1]],
      ignored: [files[3], files[2]],
    });
  });

  it('needs two class folders and every image inside one', () => {
    expect(code(() => imageFolderDataset([{ path: 'cat/a.png', bytes: halves(2, 2) }], { width: 2, height: 2 }))).toBe(
      'dataset.image-classes: Found 1 class folder (cat); an image folder needs at least two, one per class',
    );
    expect(code(() => imageFolderDataset([{ path: 'a.png', bytes: halves(2, 2) }], { width: 2, height: 2 }))).toMatch(
      /a\.png is not inside a class folder/,
    );
  });
});
