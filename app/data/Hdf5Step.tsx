import { useEffect, useMemo, useState } from 'react';
import {
  type DatasetSpec,
  datasetSummary,
  type H5File,
  type H5Node,
  hdf5Dataset,
  openHdf5,
} from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { ImportFooter } from './CsvStep.tsx';
import { ImagePreview, PREVIEW_IMAGES, type PreviewImages } from './ImagePreview.tsx';
import { ImportError } from './ImportDialog.tsx';
import { problemOf } from './problem.ts';

type Named = { name: string; bytes: Uint8Array };
type Result = Parameters<typeof ImportFooter>[0]['result'];

/** An HDF5 file (and its test file): the tree of datasets, x / y / class-name pickers, the first images. */
export function Hdf5Step({
  train,
  test,
  onApply,
}: {
  train: Named;
  test: Named | null;
  onApply: (spec: DatasetSpec) => void;
}) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const [file, setFile] = useState<H5File | Error | null>(null);
  const [pick, setPick] = useState({ x: '', y: '', classes: '' });
  useEffect(() => {
    let open: H5File | null = null;
    let cancelled = false;
    openHdf5(train.bytes, train.name).then(
      (f) => {
        if (cancelled) return f.close();
        open = f;
        setFile(f);
        setPick({ x: f.guess.x ?? '', y: f.guess.y ?? '', classes: f.guess.classes ?? '' });
      },
      (e: Error) => !cancelled && setFile(e),
    );
    return () => {
      cancelled = true;
      open?.close();
    };
  }, [train]);
  const [result, setResult] = useState<Result>(null);
  useEffect(() => {
    if (!(file && !(file instanceof Error)) || !pick.x || !pick.y) return setResult(null);
    let cancelled = false;
    hdf5Dataset(train.bytes, {
      x: pick.x,
      y: pick.y,
      ...(pick.classes ? { classes: pick.classes } : {}),
      ...(test ? { test: test.bytes, testName: test.name } : {}),
      trainName: train.name,
    }).then(
      (spec) => !cancelled && setResult({ ok: true, spec, summary: datasetSummary(spec, lang) }),
      (e: Error) => !cancelled && setResult({ ok: false, problem: problemOf(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [file, pick, train, test, lang]);
  const preview = useMemo(() => (file && !(file instanceof Error) ? previewOf(file, pick) : null), [file, pick]);
  if (file instanceof Error) return <ImportError problem={problemOf(file)} />;
  if (!file) return <p className="ng-muted">{t('import.reading', { name: train.name })}</p>;
  const datasets = file.datasets.map((d) => d.path);
  const picker = (key: keyof typeof pick, label: string, optional = false) => (
    <label>
      {label}{' '}
      <select data-testid={`h5-${key}`} value={pick[key]} onChange={(e) => setPick({ ...pick, [key]: e.target.value })}>
        {optional && <option value="">{t('import.none')}</option>}
        {!optional && !pick[key] && <option value="">{t('import.choose')}</option>}
        {datasets.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <p className="ng-muted">
        {t('import.h5About', { name: train.name, n: datasets.length })}
        {test ? ` ${t('import.h5Test', { name: test.name })}` : ''}
      </p>
      <div className="ng-import-columns">
        <ul className="ng-h5-tree" data-testid="h5-tree">
          <TreeNode node={file.root} pick={pick} />
        </ul>
        <div>
          <div className="ng-import-options ng-col">
            {picker('x', t('import.h5x'))}
            {picker('y', t('import.h5y'))}
            {picker('classes', t('import.h5classes'), true)}
          </div>
          {preview && <ImagePreview images={preview} />}
        </div>
      </div>
      <ImportFooter result={result} onApply={onApply} />
    </>
  );
}

function TreeNode({ node, pick }: { node: H5Node; pick: { x: string; y: string; classes: string } }) {
  const t = useT();
  const role =
    node.path === pick.x
      ? t('import.h5x')
      : node.path === pick.y
        ? t('import.h5y')
        : node.path === pick.classes
          ? t('import.h5classes')
          : '';
  const name = node.path === '/' ? '/' : node.path.slice(node.path.lastIndexOf('/') + 1);
  return (
    <li data-kind={node.kind}>
      <span className="ng-h5-name">{name}</span>
      {node.kind === 'dataset' && (
        <small>
          {' '}
          [{node.shape?.join(' × ')}] <code>{node.dtype}</code>
        </small>
      )}
      {role && <b className="ng-h5-role"> {role}</b>}
      {node.children && node.children.length > 0 && (
        <ul>
          {node.children.map((c) => (
            <TreeNode key={c.path} node={c} pick={pick} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The first images of x (uint8 [N, H, W, C] or [N, H, W]) with their labels' class names. */
function previewOf(file: H5File, pick: { x: string; y: string; classes: string }): PreviewImages | null {
  const node = file.datasets.find((d) => d.path === pick.x);
  const shape = node?.shape ?? [];
  if (!(shape.length === 4 || shape.length === 3) || node?.dtype !== 'uint8') return null;
  const channels = shape.length === 4 ? (shape[3] as number) : 1;
  if (channels > 4) return null;
  try {
    const x = file.read(pick.x).data;
    const y = pick.y ? file.read(pick.y).data : null;
    const names = pick.classes ? file.read(pick.classes).data : null;
    const n = Math.min(PREVIEW_IMAGES, shape[0] as number);
    const captions = Array.from({ length: n }, (_, i) => {
      const label = y && !Array.isArray(y) ? Number(y[i]) : Number.NaN;
      return Array.isArray(names) && names[label] !== undefined ? (names[label] as string) : String(label);
    });
    return { data: x as Uint8Array, height: shape[1] as number, width: shape[2] as number, channels, captions };
  } catch {
    return null;
  }
}
