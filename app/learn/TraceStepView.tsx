// One step of the step-through backprop: forward, what the node computes from its inputs; backward,
// "gradient from above × local derivative = gradient passed down", with the engine's numbers.
import type { TraceBackwardStep, TraceForwardStep, TraceStep } from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { sci } from './levels.ts';
import { Mat, Vec } from './values.tsx';

/** `conceal`: shown in place of the gradient passed down and dL/dW until the learner has predicted it. */
export function TraceStepView({ step, conceal }: { step: TraceStep; conceal?: React.ReactNode }) {
  return step.phase === 'forward' ? <Forward step={step} /> : <Backward step={step} conceal={conceal} />;
}

function Forward({ step }: { step: TraceForwardStep }) {
  const t = useT();
  const fn = useActivationName(step.nodeId);
  const [a, b] = step.inputs;
  const W = step.params?.find((p) => p.name === 'W');
  const bias = step.params?.find((p) => p.name === 'b');
  switch (step.type) {
    case 'input':
      return (
        <Row what={t('trace.f.input')}>
          <Vec value={step.output} label="x" />
          {step.target && <Vec value={step.target} label={t('trace.target')} />}
        </Row>
      );
    case 'dense':
      return (
        <Row what={t('trace.f.dense')}>
          {a && <Vec value={a} label="x" />}
          <Op>·</Op>
          {W && <Mat value={W} label="W" />}
          <Op>+</Op>
          {bias && <Vec value={bias} label="b" />}
          <Op>=</Op>
          <Vec value={step.output} label="z" />
        </Row>
      );
    case 'loss': {
      const loss = step.loss;
      const target = step.inputs.find((i) => i.port === 'target');
      return (
        <Row what={t('trace.f.loss', { fn: loss?.fn ?? '' })}>
          {loss?.logits && <Vec value={loss.logits} label={t('trace.logits')} />}
          {loss && <Vec value={loss.prediction} label="p" />}
          {target && <Vec value={target} label="t" />}
          <Op>→</Op>
          <Vec value={step.output} label="L" />
        </Row>
      );
    }
    default:
      return (
        <Row what={t(`trace.f.${step.type}`, { fn })}>
          {a && <Vec value={a} label={step.type === 'activation' ? 'z' : a.port} />}
          {b && (
            <>
              <Op>{step.type === 'add' ? '+' : ','}</Op>
              <Vec value={b} label={b.port} />
            </>
          )}
          <Op>→</Op>
          <Vec value={step.output} label={step.type === 'activation' ? 'a' : t('trace.out')} />
          {step.fused && <p className="ng-muted">{t('trace.fusedForward')}</p>}
        </Row>
      );
  }
}

/** The activation function of an Activation node, from the document. */
function useActivationName(nodeId: string): string {
  return useEditor((s) => {
    const node = s.doc.nodes.find((n) => n.id === nodeId);
    return node?.type === 'activation' ? node.data.fn : '';
  });
}

function Backward({ step, conceal }: { step: TraceBackwardStep; conceal: React.ReactNode }) {
  const t = useT();
  const local = step.local;
  return (
    <>
      <Row what={t(`trace.b.${local.kind}`, localParams(step))}>
        <span className="ng-trace-term">
          <span className="ng-trace-term-title">{t('trace.fromAbove')}</span>
          {step.gradOut ? (
            <Vec value={step.gradOut} label={step.type === 'loss' ? 'dL/dL' : 'dL/dout'} />
          ) : (
            <span className="ng-muted">{t('trace.noGradOut')}</span>
          )}
          {step.contributions && (
            <span className="ng-trace-sum" data-testid="trace-fanout">
              {t('trace.fanOut')}
              {step.contributions.map((c) => (
                <Vec
                  key={`${c.to}.${c.port}`}
                  value={{ shape: step.gradOut?.shape ?? [], values: c.values }}
                  label={`← ${c.to}`}
                />
              ))}
            </span>
          )}
        </span>
        <Op>×</Op>
        <span className="ng-trace-term">
          <span className="ng-trace-term-title">{t('trace.local')}</span>
          <Local step={step} />
        </span>
        <Op>=</Op>
        <span className="ng-trace-term">
          <span className="ng-trace-term-title">{t('trace.passedDown')}</span>
          {conceal ?? (
            <>
              {step.gradIn.length === 0 && <span className="ng-muted">{t('trace.endsHere')}</span>}
              {step.gradIn.map((g) => (
                <Vec
                  key={`${g.to}.${g.port}`}
                  value={g}
                  label={g.wrt === 'logits' ? `→ ${g.to} (dL/dz)` : `→ ${g.to}`}
                />
              ))}
            </>
          )}
        </span>
      </Row>
      {!conceal && step.dW && step.db && (
        <Row what={t('trace.paramGrads')}>
          <Mat value={step.dW} label="dL/dW = xᵀ·δ" />
          <Vec value={step.db} label="dL/db = δ" />
        </Row>
      )}
    </>
  );
}

function localParams(step: TraceBackwardStep): Record<string, string | number> {
  const l = step.local;
  if (l.kind === 'loss') return { fn: l.fn, formula: l.formula };
  if (l.kind === 'activation') return { fn: l.fn };
  if (l.kind === 'fused') return { fn: l.activation, loss: l.loss };
  if (l.kind === 'concat') return { split: l.split };
  if (l.kind === 'flatten') return { shape: `[${l.inputShape.join(', ')}]` };
  if (l.kind === 'dropout') return { rate: l.rate };
  return {};
}

function Local({ step }: { step: TraceBackwardStep }) {
  const l = step.local;
  switch (l.kind) {
    case 'loss':
      return <code className="ng-trace-formula">{l.formula}</code>;
    case 'activation':
      return l.derivative.shape.length >= 2 && l.derivative.shape.at(-1) === l.derivative.shape.at(-2) ? (
        <Mat value={l.derivative} label={`∂p/∂z (${l.fn})`} />
      ) : (
        <Vec value={l.derivative} label={`${l.fn}′(z)`} />
      );
    case 'dense':
      return <Mat value={l.W} label="W" />;
    case 'dropout':
      return <Vec value={l.mask} label="mask" />;
    case 'add':
      return <code className="ng-trace-formula">1</code>;
    default:
      return <code className="ng-trace-formula">{l.kind === 'input' ? '—' : sci(1)}</code>;
  }
}

function Row({ what, children }: { what: string; children: React.ReactNode }) {
  return (
    <div className="ng-trace-row">
      <p className="ng-trace-what">{what}</p>
      <div className="ng-trace-terms">{children}</div>
    </div>
  );
}

function Op({ children }: { children: React.ReactNode }) {
  return <span className="ng-trace-op">{children}</span>;
}
