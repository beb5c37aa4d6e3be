import { useMemo, useState } from 'react';
import {
  type DatasetSpec,
  datasetSummary,
  decodeArray,
  ignoredFilesProblem,
  imageFolderDataset,
} from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { renderProblem } from '../i18n/catalogue.ts';
import { ImportFooter } from './CsvStep.tsx';
import { ImagePreview, PREVIEW_IMAGES, type PreviewImages } from './ImagePreview.tsx';
import { problemOf } from './problem.ts';

/** Images are resized to this side by default: small enough to train in the browser, large enough to see. */
const DEFAULT_SIDE = 32;
const MAX_SIDE = 256;

/** A folder of images, one sub-folder per class: the classes, the size to resize to, the first images. */
export function ImagesStep({
  folder,
  files,
  ignored,
  onApply,
}: {
  folder: string;
  files: { path: string; bytes: Uint8Array }[];
  /** The folder's other files, by path (named as ignored). */
  ignored: readonly string[];
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const ignoredNote = ignoredFilesProblem(ignored);
  const [size, setSize] = useState({ width: DEFAULT_SIDE, height: DEFAULT_SIDE });
  const [gray, setGray] = useState(false);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const f of files) {
      const c = f.path.slice(0, f.path.indexOf('/'));
      m.set(c, (m.get(c) ?? 0) + 1);
    }
    return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  }, [files]);
  const built = useMemo(() => {
    try {
      const spec = imageFolderDataset(files, { ...size, channels: gray ? 1 : 3 });
      if (spec.kind !== 'arrays') throw new Error('not images');
      const x = decodeArray(spec.x);
      const y = decodeArray(spec.y);
      const n = Math.min(PREVIEW_IMAGES, spec.x.shape[0] as number);
      const names = spec.classNames ?? [];
      const preview: PreviewImages = {
        data: x,
        height: size.height,
        width: size.width,
        channels: gray ? 1 : 3,
        captions: Array.from({ length: n }, (_, i) => names[y[i] as number] ?? String(y[i])),
      };
      return { result: { ok: true as const, spec, summary: datasetSummary(spec, lang) }, preview };
    } catch (e) {
      return { result: { ok: false as const, problem: problemOf(e as Error) }, preview: null };
    }
  }, [files, size, gray, lang]);
  const side = (key: 'width' | 'height') => (
    <input
      type="number"
      min={4}
      max={MAX_SIDE}
      defaultValue={size[key]}
      data-testid={`images-${key}`}
      aria-label={t(key === 'width' ? 'import.width' : 'import.height')}
      onBlur={(e) => {
        const v = Math.round(Math.min(MAX_SIDE, Math.max(4, Number(e.target.value) || DEFAULT_SIDE)));
        e.target.value = String(v);
        if (v !== size[key]) setSize({ ...size, [key]: v });
      }}
      onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
    />
  );
  return (
    <>
      <p className="ng-muted">
        {t('import.imagesAbout', { folder: folder || '—', n: files.length, classes: counts.length })}
      </p>
      <ul className="ng-class-list" data-testid="images-classes">
        {counts.map(([name, n]) => (
          <li key={name}>
            <b>{name}</b> {t('import.imageCount', { n })}
          </li>
        ))}
      </ul>
      {ignoredNote && (
        <p className="ng-muted" data-testid="images-ignored">
          {renderProblem(lang, { ...ignoredNote, message: '' })}
        </p>
      )}
      <div className="ng-row ng-import-options">
        <span>
          {t('import.resizeTo')} {side('width')} × {side('height')} {t('import.pixels')}
        </span>
        <label>
          <input type="checkbox" checked={gray} onChange={(e) => setGray(e.target.checked)} /> {t('import.grayscale')}
        </label>
      </div>
      {built.preview && <ImagePreview images={built.preview} />}
      <ImportFooter result={built.result} onApply={onApply} />
    </>
  );
}
