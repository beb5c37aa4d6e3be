import { type DatasetSpec, type GraphNode, nodeLabel, type OptimizerConfig, parseExpr } from '../../engine/index.ts';
import { DATASET_KINDS, defaultDataset, NODE_TYPES } from '../nodeTypes.ts';
import { commands } from '../store/commands.ts';
import { useEditor } from '../store/documentStore.ts';
import { NumberField, SelectField, TextField } from './Field.tsx';

/** Fields of the selected node, or the graph's training settings when nothing is selected. */
export function Inspector() {
  const doc = useEditor((s) => s.doc);
  const selected = useEditor((s) => s.selectedNodes);
  const node = selected.length === 1 ? doc.nodes.find((n) => n.id === selected[0]) : undefined;
  return (
    <aside className="ng-inspector" aria-label="Inspector">
      {node ? (
        <NodeInspector key={node.id} node={node} />
      ) : selected.length > 1 ? (
        <p>{selected.length} nodes selected</p>
      ) : (
        <GraphSettings />
      )}
    </aside>
  );
}

function NodeInspector({ node }: { node: GraphNode }) {
  const run = useEditor((s) => s.run);
  const analysis = useEditor((s) => s.analysis);
  const info = analysis.nodes.find((n) => n.id === node.id);
  const problems = analysis.problems.filter((p) => p.nodeId === node.id);
  const set = (key: string, value: unknown, label: string) =>
    run(
      commands.updateNodeData(
        node.id,
        (data) => {
          if (value === undefined) delete data[key];
          else data[key] = value;
        },
        label,
      ),
    );
  const data = node.data as Record<string, unknown>;
  return (
    <div>
      <h2>{nodeLabel(node)}</h2>
      <p className="ng-muted">{NODE_TYPES[node.type].description}</p>
      {NODE_TYPES[node.type].fields.map((f) => {
        const label = `Set ${f.label.toLowerCase()}`;
        if (f.kind === 'select') {
          return (
            <SelectField
              key={f.key}
              testId={`param-${f.key}`}
              label={f.label}
              value={data[f.key] as string | undefined}
              options={f.options}
              optional={f.optional ?? false}
              onCommit={(v) => set(f.key, v, label)}
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
                onChange={(e) => set(f.key, e.target.checked ? undefined : false, label)}
              />
              <span>{f.label}</span>
            </label>
          );
        }
        return (
          <NumberField
            key={f.key}
            testId={`param-${f.key}`}
            label={f.label}
            value={data[f.key] as number | undefined}
            integer={f.kind === 'int'}
            min={f.min}
            max={f.max}
            optional={f.optional ?? false}
            onCommit={(v) => set(f.key, v, label)}
          />
        );
      })}
      {node.type === 'input' && <DatasetFields node={node} />}
      {info?.outputShape && <p className="ng-muted">Output shape [B, {info.outputShape.join(', ')}]</p>}
      {info && info.paramCount > 0 && <p className="ng-muted">{info.paramCount.toLocaleString('en-US')} parameters</p>}
      {problems.map((p) => (
        <p key={p.message} className="ng-error">
          {p.message}
        </p>
      ))}
    </div>
  );
}

function DatasetFields({ node }: { node: Extract<GraphNode, { type: 'input' }> }) {
  const run = useEditor((s) => s.run);
  const d = node.data.dataset;
  const update = (next: DatasetSpec, label = 'Change dataset') =>
    run(
      commands.updateNodeData(
        node.id,
        (data) => {
          data.dataset = next;
        },
        label,
      ),
    );
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
        update(next as DatasetSpec, `Set ${label.toLowerCase()}`);
      }}
    />
  );
  return (
    <div className="ng-group">
      <SelectField
        testId="param-dataset.kind"
        label="Dataset"
        value={d?.kind}
        options={DATASET_KINDS}
        onCommit={(k) => k && update(defaultDataset(k as DatasetSpec['kind']))}
      />
      {d?.kind === 'function' && (
        <>
          <TextField
            testId="param-dataset.expr"
            label="f(x) ="
            hint="x, + − * / ^, sin cos tan exp log sqrt abs tanh, pi, e"
            value={d.expr}
            validate={(t) => {
              try {
                parseExpr(t);
                return null;
              } catch (e) {
                return (e as Error).message;
              }
            }}
            onCommit={(expr) => update({ ...d, expr }, 'Set function')}
          />
          <NumberField
            testId="param-dataset.domain.0"
            label="x from"
            value={d.domain[0]}
            min={-1e6}
            max={d.domain[1] - 1e-9}
            onCommit={(v) => v !== undefined && update({ ...d, domain: [v, d.domain[1]] }, 'Set domain')}
          />
          <NumberField
            testId="param-dataset.domain.1"
            label="x to"
            value={d.domain[1]}
            min={d.domain[0] + 1e-9}
            max={1e6}
            onCommit={(v) => v !== undefined && update({ ...d, domain: [d.domain[0], v] }, 'Set domain')}
          />
          {num('samples', 'Samples', 2, 1_000_000)}
          {num('noise', 'Noise (std)', 0, 1000, false, true)}
        </>
      )}
      {(d?.kind === 'circle' || d?.kind === 'spiral' || d?.kind === 'gauss' || d?.kind === 'xor_cloud') && (
        <>
          {num('samples', 'Samples', 4, 1_000_000)}
          {num('noise', 'Noise', 0, 10, false)}
        </>
      )}
      {d?.kind === 'mnist' && (
        <>
          {num('train', 'Training digits', 1, 10_000)}
          {num('test', 'Test digits', 1, 10_000)}
          <SelectField
            testId="param-dataset.binaryDigit"
            label="Task"
            value={d.binaryDigit === undefined ? undefined : String(d.binaryDigit)}
            options={['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']}
            optional
            hint="default: all 10 digits; a digit: “is it that digit?”"
            onCommit={(v) => {
              const next = { ...d };
              if (v === undefined) delete next.binaryDigit;
              else next.binaryDigit = Number(v);
              update(next, 'Set MNIST task');
            }}
          />
        </>
      )}
      {d?.kind === 'csv' && (
        <>
          <TextField
            testId="param-dataset.text"
            label="CSV (header row first)"
            multiline
            value={d.text}
            onCommit={(text) => update({ ...d, text }, 'Edit CSV')}
          />
          <TextField
            testId="param-dataset.target"
            label="Target column"
            value={d.target}
            onCommit={(target) => update({ ...d, target }, 'Set target column')}
          />
        </>
      )}
    </div>
  );
}

const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;

function GraphSettings() {
  const doc = useEditor((s) => s.doc);
  const run = useEditor((s) => s.run);
  const t = doc.training;
  const edit = (label: string, change: (draft: typeof t) => void) => run(commands.updateTraining(change, label));
  return (
    <div>
      <h2>Graph</h2>
      <TextField
        testId="param-name"
        label="Name"
        value={doc.name}
        validate={(v) => (v.trim() === '' ? 'required' : v.length > 200 ? 'at most 200 characters' : null)}
        onCommit={(name) => run(commands.rename(name))}
      />
      <h3>Training</h3>
      <SelectField
        testId="param-optimizer"
        label="Optimizer"
        value={t.optimizer.type}
        options={OPTIMIZERS}
        onCommit={(type) =>
          edit('Set optimizer', (d) => {
            d.optimizer = { type, learningRate: d.optimizer.learningRate } as OptimizerConfig;
          })
        }
      />
      <NumberField
        testId="param-learningRate"
        label="Learning rate"
        value={t.optimizer.learningRate}
        min={1e-9}
        max={1e9}
        onCommit={(v) =>
          v !== undefined &&
          edit('Set learning rate', (d) => {
            d.optimizer.learningRate = v;
          })
        }
      />
      {t.optimizer.type === 'momentum' && (
        <NumberField
          testId="param-momentum"
          label="Momentum"
          value={t.optimizer.momentum}
          min={0}
          max={0.9999}
          optional
          onCommit={(v) =>
            edit('Set momentum', (d) => {
              if (d.optimizer.type !== 'momentum') return;
              if (v === undefined) delete d.optimizer.momentum;
              else d.optimizer.momentum = v;
            })
          }
        />
      )}
      <NumberField
        testId="param-batchSize"
        label="Batch size"
        value={t.batchSize}
        integer
        min={1}
        max={100_000}
        onCommit={(v) =>
          v !== undefined &&
          edit('Set batch size', (d) => {
            d.batchSize = v;
          })
        }
      />
      <NumberField
        testId="param-epochs"
        label="Epochs"
        value={t.epochs}
        integer
        min={1}
        max={1_000_000}
        onCommit={(v) =>
          v !== undefined &&
          edit('Set epochs', (d) => {
            d.epochs = v;
          })
        }
      />
      <NumberField
        testId="param-seed"
        label="Seed"
        value={t.seed}
        integer
        min={0}
        max={4_294_967_295}
        onCommit={(v) =>
          v !== undefined &&
          edit('Set seed', (d) => {
            d.seed = v;
          })
        }
      />
      <NumberField
        testId="param-weightDecay"
        label="L2 weight decay"
        value={t.weightDecay}
        min={0}
        max={1}
        optional
        onCommit={(v) =>
          edit('Set weight decay', (d) => {
            if (v === undefined) delete d.weightDecay;
            else d.weightDecay = v;
          })
        }
      />
      <p className="ng-muted">
        Select a node to edit it. {doc.nodes.length} nodes, {doc.edges.length} edges.
      </p>
    </div>
  );
}
