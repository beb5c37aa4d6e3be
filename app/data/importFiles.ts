// Files the user picks or drops for an Input node, sorted into one import: a CSV, HDF5 file(s), or a
// folder of images (one sub-folder per class). Framework-free; the dialog shows what comes out.
import { decodeCsvBytes, imageFolderFiles, MAX_IMPORT_BYTES } from '../../engine/index.ts';
import type { ImportRequest } from '../editor/editorState.ts';

export type { ImportRequest };

/** A picked or dropped file: `path` is relative to the picked folder ("cats/1.png"), else the name. */
export interface PickedFile {
  name: string;
  path: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

const CSV = /\.(csv|tsv|txt)$/i;
const HDF5 = /\.(h5|hdf5|he5)$/i;

/** A File from an `<input type=file>` (with `webkitRelativePath` for folders) or a drop. */
export function pickedFile(file: File, path = file.webkitRelativePath || file.name): PickedFile {
  return { name: file.name, path, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) };
}

/**
 * Sorts picked files into one import. Images inside folders win (a stray readme.txt is named as
 * ignored); otherwise a CSV, then HDF5 files. A folder pick's top folder is dropped from the paths.
 */
export async function readImport(files: readonly PickedFile[]): Promise<ImportRequest> {
  const { images, ignored } = imageFolderFiles(files);
  const inFolders = images.some((f) => f.path.includes('/'));
  const csv = inFolders ? undefined : files.find((f) => CSV.test(f.name));
  const h5 = inFolders ? [] : files.filter((f) => HDF5.test(f.name));
  const chosen = csv ? [csv] : h5.length > 0 ? h5.slice(0, 2) : images;
  if (chosen.length === 0)
    return {
      kind: 'error',
      code: 'import.unknownFiles',
      params: {
        names: files
          .map((f) => f.name)
          .slice(0, 5)
          .join(', '),
      },
    };
  // NOTE: one limit for each file and for a folder's total: the data is kept inline in the document.
  const total = chosen.reduce((sum, f) => sum + f.size, 0);
  const over = chosen.find((f) => f.size > MAX_IMPORT_BYTES);
  if (over || total > MAX_IMPORT_BYTES)
    return {
      kind: 'error',
      code: 'dataset.import-too-large',
      params: { file: over?.name ?? `${chosen.length} files`, bytes: over?.size ?? total, limit: MAX_IMPORT_BYTES },
    };
  if (csv) return { kind: 'csv', name: csv.name, ...decodeCsvBytes(await csv.bytes()) };
  if (h5.length > 0) {
    // The cat/non-cat pair: train_….h5 and test_….h5 picked together.
    const [a, b] = h5;
    const isTest = (f: PickedFile) => /test/i.test(f.name);
    const train = b && isTest(a!) ? b : a!;
    const test = b ? (train === a ? b : a!) : null;
    return {
      kind: 'hdf5',
      train: { name: train.name, bytes: await train.bytes() },
      test: test ? { name: test.name, bytes: await test.bytes() } : null,
    };
  }
  const parts = images.map((f) => f.path.split('/'));
  // A picked folder "pets" gives "pets/cat/1.png": the class is the folder under it.
  const top = parts.every((p) => p.length >= 3 && p[0] === parts[0]![0]) ? parts[0]![0]! : '';
  const relative = images.map((f, i) => ({ f, path: (top ? parts[i]!.slice(1) : parts[i]!).join('/') }));
  if (relative.some((r) => !r.path.includes('/')))
    return { kind: 'error', code: 'import.imagesNeedFolders', params: { n: images.length } };
  return {
    kind: 'images',
    folder: top,
    files: await Promise.all(relative.map(async (r) => ({ path: r.path, bytes: await r.f.bytes() }))),
    ignored: ignored.map((f) => (top && f.path.startsWith(`${top}/`) ? f.path.slice(top.length + 1) : f.path)),
  };
}

/** Every file under a dropped folder (DataTransferItem.webkitGetAsEntry), with paths from the drop. */
export async function droppedFiles(items: DataTransferItemList): Promise<PickedFile[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push(pickedFile(file, `${prefix}${file.name}`));
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // NOTE: readEntries returns at most 100 entries per call; read until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}
