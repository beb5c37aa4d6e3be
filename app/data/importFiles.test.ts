import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../engine/index.ts';
import { type PickedFile, readImport } from './importFiles.ts';

const file = (path: string, content = 'a,b\n1,2\n', size?: number): PickedFile => {
  const bytes = new TextEncoder().encode(content);
  return { name: path.split('/').at(-1)!, path, size: size ?? bytes.length, bytes: async () => bytes };
};

describe('readImport', () => {
  it('reads a CSV as text (first CSV wins over other files)', async () => {
    expect(await readImport([file('notes.md'), file('iris.csv', 'x,y\n1,a\n')])).toEqual({
      kind: 'csv',
      name: 'iris.csv',
      text: 'x,y\n1,a\n',
      encoding: 'UTF-8',
    });
  });

  it('pairs train_/test_ HDF5 files in either order', async () => {
    const r = await readImport([file('test_catvnoncat.h5', 'T'), file('train_catvnoncat.h5', 'R')]);
    if (r.kind !== 'hdf5') throw new Error(r.kind);
    expect([r.train.name, r.test?.name]).toEqual(['train_catvnoncat.h5', 'test_catvnoncat.h5']);
  });

  it('takes classes from sub-folders of a picked folder, and refuses loose images', async () => {
    const r = await readImport([file('pets/cat/1.png'), file('pets/dog/a.jpg'), file('pets/.DS_Store/x.png')]);
    if (r.kind !== 'images') throw new Error(r.kind);
    expect(r.folder).toBe('pets');
    expect(r.files.map((f) => f.path)).toEqual(['cat/1.png', 'dog/a.jpg']);
    expect((await readImport([file('1.png'), file('2.png')])).kind).toBe('error');
  });

  it('takes the images of a folder holding a stray readme.txt, naming it as ignored', async () => {
    const r = await readImport([file('pets/readme.txt'), file('pets/cat/1.png'), file('pets/dog/a.jpg')]);
    if (r.kind !== 'images') throw new Error(r.kind);
    expect(r.files.map((f) => f.path)).toEqual(['cat/1.png', 'dog/a.jpg']);
    expect(r.ignored).toEqual(['readme.txt']);
  });

  it('refuses a file, or a folder in total, over the 50 MB limit with the reason', async () => {
    const big = await readImport([file('big.csv', 'a', MAX_IMPORT_BYTES + 1)]);
    expect(big).toMatchObject({ kind: 'error', code: 'dataset.import-too-large', params: { file: 'big.csv' } });
    const many = Array.from({ length: 3 }, (_, i) => file(`p/c${i % 2}/${i}.png`, 'x', MAX_IMPORT_BYTES / 2));
    expect(await readImport(many)).toMatchObject({ kind: 'error', code: 'dataset.import-too-large' });
  });
});
