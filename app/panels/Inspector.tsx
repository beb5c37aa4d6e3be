import {
  type DatasetSpec,
  datasetSummary,
  type GraphNode,
  nodeDefinition,
  type OptimizerConfig,
  optimizerSchema,
  parseExpr,
  problemFormat,
  trainingConfigSchema,
} from '../../engine/index.ts';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { ThreadsControl } from '../train/ThreadsControl.tsx';
import type { TrainingField } from '../editor/commands.ts';
import { renderProblem } from '../i18n/catalogue.ts';
import { openImportPicker } from '../data/ImportDialog.tsx';
import { DATASET_KINDS, defaultDataset } from './datasets.ts';
import { NumberField, SelectField, TextField } from './Field.tsx';
import { fieldInfo, intsText, parseInts, schemaFieldInfo } from './schemaFields.ts';

/**
 * A CSV up to this many characters (about 1,000 rows) is edited as text in the inspector; a longer one
 * is shown by its summary: a textarea holding megabytes costs seconds of layout on every page restyle.
 */
export const MAX_EDITABLE_CSV_CHARS = 50_000;

/** Fields of the selected node, or the graph's training settings when nothing is selected. */
export function Inspector() {
  const doc = useEditor((s) => s.doc);
  const selected = useEditor((s) => s.selectedNodes);
  const t = useT();
  const node = selected.length === 1 ? doc.nodes.find((n) => n.id === selected[0]) : undefined;
  return (
    <aside className="ng-inspector" aria-label={t('inspector.label')}>
      {node ? (
        <NodeInspector key={node.id} node={node} />
      ) : selected.length > 1 ? (
        <p>{t('inspector.multi', { n: selected.length })}</p>
      ) : (
        <GraphSettings />
      )}
    </aside>
  );
}

function NodeInspector({ node }: { node: GraphNode }) {
  const { editor } = useApp();
  const analysis = useEditor((s) => s.analysis);
  const lang = useEditor((s) => s.lang);
  const t = useT();
  const def = nodeDefinition(node.type);
  const text = def.text[lang];
  const info = analysis.nodes.find((n) => n.id === node.id);
  const problems = analysis.problems.filter((p) => p.nodeId === node.id);
  const set = (key: string, value: unknown) => editor.run({ type: 'setField', nodeId: node.id, key, value });
  const data = node.data as Record<string, unknown>;
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  return (
    <div>
      <h2>{problemFormat(lang).node(node.id, node.type)}</h2>
      <p className="ng-muted">{text.description}</p>
      {def.fields
        .filter((f) => !f.when || f.when(data))
        .map((f) => {
          const label = text.fields?.[f.key] ?? f.key;
          const bounds = fieldInfo(def, f);
          if (f.kind === 'select') {
            return (
              <SelectField
                key={f.key}
                testId={`param-${f.key}`}
                label={label}
                value={data[f.key] as string | undefined}
                options={bounds.options}
                optional={bounds.optional}
                onCommit={(v) => set(f.key, v)}
              />
            );
          }
          if (f.kind === 'ints') {
            return (
              <TextField
                key={f.key}
                testId={`param-${f.key}`}
                label={label}
                hint={t('field.intsHint')}
                value={intsText(data[f.key])}
                validate={(text) => (parseInts(def, f.key, text) === null ? t('field.ints') : null)}
                onCommit={(text) => set(f.key, parseInts(def, f.key, text))}
              />
            );
          }
          if (f.kind === 'bool') {
            return (
              <label key={f.key} className="ng-field ng-check">
                <input
                  type="checkbox"
                  data-testid={`param-${f.key}`}
                  checked={data[f.key] !== false}
                  onChange={(e) => set(f.key, e.target.checked ? undefined : false)}
                />
                <span>{label}</span>
              </label>
            );
          }
          return (
            <NumberField
              key={f.key}
              testId={`param-${f.key}`}
              label={label}
              value={data[f.key] as number | undefined}
              integer={f.kind === 'int'}
              min={bounds.min}
              max={bounds.max}
              optional={bounds.optional}
              onCommit={(v) => set(f.key, v)}
            />
          );
        })}
      {node.type === 'input' && <DatasetFields node={node} />}
      {info?.outputShape && (
        <p className="ng-muted">{t('inspector.outputShape', { shape: info.outputShape.join(', ') })}</p>
      )}
      {info && info.paramCount > 0 && (
        <p className="ng-muted">{t('inspector.params', { n: info.paramCount.toLocaleString(locale) })}</p>
      )}
      {problems.map((p) => (
        <p key={p.message} className="ng-error">
          {renderProblem(lang, p)}
        </p>
      ))}
    </div>
  );
}

function DatasetFields({ node }: { node: Extract<GraphNode, { type: 'input' }> }) {
  const { editor } = useApp();
  const t = useT();
  const d = node.data.dataset;
  const update = (next: DatasetSpec) => editor.run({ type: 'setField', nodeId: node.id, key: 'dataset', value: next });
  const num = (key: string, label: string, min: number, max: number, integer = true, optional = false) => (
    <NumberField
      testId={`param-dataset.${key}`}
      label={label}
      value={(d as unknown as Record<string, number | undefined>)[key]}
      min={min}
      max={max}
      integer={integer}
      optional={optional}
      onCommit={(v) => {
        const next = { ...d } as Record<string, unknown>;
        if (v === undefined) delete next[key];
        else next[key] = v;
        update(next as DatasetSpec);
      }}
    />
  );
  return (
    <div className="ng-group">
      <SelectField
        testId="param-dataset.kind"
        label={t('dataset.kind')}
        value={d?.kind}
        options={DATASET_KINDS}
        onCommit={(k) => {
          // NOTE: imported arrays come from files, not from defaults.
          if (k === 'arrays') openImportPicker();
          else if (k) update(defaultDataset(k as Exclude<DatasetSpec['kind'], 'arrays'>));
        }}
      />
      <div className="ng-row ng-import-buttons">
        <button
          type="button"
          data-testid="import-data-open"
          title={t('import.buttonHint')}
          onClick={() => {
            editor.select([node.id]);
            openImportPicker();
          }}
        >
          {t('import.button')}
        </button>
        <button
          type="button"
          title={t('import.folderHint')}
          onClick={() => {
            editor.select([node.id]);
            openImportPicker(true);
          }}
        >
          {t('import.folderButton')}
        </button>
      </div>
      {(d?.kind === 'arrays' || d?.kind === 'csv') && <DatasetSummary spec={d} />}
      {d?.kind === 'function' && (
        <>
          <TextField
            testId="param-dataset.expr"
            label="f(x) ="
            hint={t('dataset.exprHint')}
            value={d.expr}
            validate={(text) => {
              try {
                parseExpr(text);
                return null;
              } catch (e) {
                return (e as Error).message;
              }
            }}
            onCommit={(expr) => update({ ...d, expr })}
          />
          <NumberField
            testId="param-dataset.domain.0"
            label={t('dataset.from')}
            value={d.domain[0]}
            min={-1e6}
            max={d.domain[1] - 1e-9}
            onCommit={(v) => v !== undefined && update({ ...d, domain: [v, d.domain[1]] })}
          />
          <NumberField
            testId="param-dataset.domain.1"
            label={t('dataset.to')}
            value={d.domain[1]}
            min={d.domain[0] + 1e-9}
            max={1e6}
            onCommit={(v) => v !== undefined && update({ ...d, domain: [d.domain[0], v] })}
          />
          {num('samples', t('dataset.samples'), 2, 1_000_000)}
          {num('noise', t('dataset.noiseStd'), 0, 1000, false, true)}
        </>
      )}
      {(d?.kind === 'circle' || d?.kind === 'spiral' || d?.kind === 'gauss' || d?.kind === 'xor_cloud') && (
        <>
          {num('samples', t('dataset.samples'), 4, 1_000_000)}
          {num('noise', t('dataset.noise'), 0, 10, false)}
        </>
      )}
      {d?.kind === 'mnist' && (
        <>
          {num('train', t('dataset.trainDigits'), 1, 10_000 - d.test)}
          {num('test', t('dataset.testDigits'), 1, 10_000 - d.train)}
          <SelectField
            testId="param-dataset.binaryDigit"
            label={t('dataset.task')}
            value={d.binaryDigit === undefined ? undefined : String(d.binaryDigit)}
            options={['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']}
            optional
            hint={t('dataset.taskHint')}
            onCommit={(v) => {
              const next = { ...d };
              if (v === undefined) delete next.binaryDigit;
              else next.binaryDigit = Number(v);
              update(next);
            }}
          />
        </>
      )}
      {d?.kind === 'csv' && (
        <>
          {d.text.length <= MAX_EDITABLE_CSV_CHARS ? (
            <TextField
              testId="param-dataset.text"
              label={t('dataset.csv')}
              multiline
              value={d.text}
              onCommit={(text) => update({ ...d, text })}
            />
          ) : (
            <p className="ng-muted" data-testid="csv-not-editable">
              {t('dataset.csvTooLong', { mb: (d.text.length / 1e6).toFixed(1) })}
            </p>
          )}
          <TextField
            testId="param-dataset.target"
            label={t('dataset.target')}
            value={d.target}
            onCommit={(target) => update({ ...d, target })}
          />
        </>
      )}
    </div>
  );
}

/** One line on imported data ("209 images 64×64×3, 2 classes …"), or why it cannot be used. */
function DatasetSummary({ spec }: { spec: DatasetSpec }) {
  const lang = useEditor((s) => s.lang);
  let text: string;
  try {
    text = datasetSummary(spec, lang);
  } catch (e) {
    text = (e as Error).message;
  }
  return (
    <p className="ng-muted" data-testid="dataset-summary">
      {text}
    </p>
  );
}

const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;

function GraphSettings() {
  const doc = useEditor((s) => s.doc);
  const { editor } = useApp();
  const t = useT();
  const tr = doc.training;
  const o = tr.optimizer;
  const setOptimizer = (optimizer: OptimizerConfig) => editor.run({ type: 'setOptimizer', optimizer });
  /** One optional number of the optimizer (momentum, β1, β2, ε); empty means the default. */
  // NOTE: bounds come from the engine's schemas: the format's limits are the inspector's limits.
  const optimizerBounds = (key: string) =>
    schemaFieldInfo(
      optimizerSchema.options.find((s) => s.shape.type.value === o.type),
      key,
    );
  const optional = (key: 'momentum' | 'beta1' | 'beta2' | 'epsilon', label: string) => (
    <NumberField
      testId={`param-${key}`}
      label={label}
      value={(o as unknown as Record<string, number | undefined>)[key]}
      min={optimizerBounds(key).min}
      max={optimizerBounds(key).max}
      optional
      onCommit={(v) => {
        const next = { ...o } as Record<string, unknown>;
        if (v === undefined) delete next[key];
        else next[key] = v;
        setOptimizer(next as OptimizerConfig);
      }}
    />
  );
  const training = (key: TrainingField, label: string, integer = true) => {
    const bounds = schemaFieldInfo(trainingConfigSchema, key);
    return (
      <NumberField
        testId={`param-${key}`}
        label={label}
        value={tr[key]}
        integer={integer}
        min={bounds.min}
        max={bounds.max}
        optional={bounds.optional}
        onCommit={(v) => (bounds.optional || v !== undefined) && editor.run({ type: 'setTraining', key, value: v })}
      />
    );
  };
  return (
    <div>
      <h2>{t('inspector.graph')}</h2>
      <TextField
        testId="param-name"
        label={t('inspector.name')}
        value={doc.name}
        validate={(v) =>
          v.trim() === '' ? t('field.required') : v.length > 200 ? t('field.maxChars', { n: 200 }) : null
        }
        onCommit={(name) => editor.run({ type: 'rename', name })}
      />
      <h3>{t('inspector.training')}</h3>
      <SelectField
        testId="param-optimizer"
        label={t('inspector.optimizer')}
        value={o.type}
        options={OPTIMIZERS}
        onCommit={(type) => type && setOptimizer({ type, learningRate: o.learningRate } as OptimizerConfig)}
      />
      <NumberField
        testId="param-learningRate"
        label={t('inspector.learningRate')}
        value={o.learningRate}
        min={optimizerBounds('learningRate').min}
        max={optimizerBounds('learningRate').max}
        onCommit={(v) => v !== undefined && setOptimizer({ ...o, learningRate: v })}
      />
      {o.type === 'momentum' && optional('momentum', t('inspector.momentum'))}
      {o.type === 'adam' && (
        <>
          {optional('beta1', 'β1')}
          {optional('beta2', 'β2')}
          {optional('epsilon', 'ε')}
        </>
      )}
      {training('batchSize', t('inspector.batchSize'))}
      {training('epochs', t('inspector.epochs'))}
      {training('seed', t('inspector.seed'))}
      {training('weightDecay', t('inspector.weightDecay'), false)}
      <ThreadsControl />
      <p className="ng-muted">{t('inspector.summary', { nodes: doc.nodes.length, edges: doc.edges.length })}</p>
    </div>
  );
}
