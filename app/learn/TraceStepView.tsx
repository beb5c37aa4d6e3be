// One step of the step-through backprop: forward, what the node computes from its inputs; backward,
// "gradient from above × local derivative = gradient passed down", with the engine's numbers. The
// rows, their terms and their texts come from each node type's module (engine/nodes): this view
// only lays them out.
import {
  type Lang,
  nodeDefinition,
  type TraceBackwardStep,
  type TraceExplain,
  type TraceStep,
  type TraceTerm,
} from '../../engine/index.ts';
import { useEditor, useT } from '../appContext.tsx';
import { Mat, Vec } from './values.tsx';

/** `conceal`: shown in place of the gradient passed down and the parameter gradients until the learner has predicted it. */
export function TraceStepView({ step, conceal }: { step: TraceStep; conceal?: React.ReactNode }) {
  const lang = useEditor((s) => s.lang);
  if (step.phase === 'forward')
    return (
      <>
        {step.rows.map((row, i) => (
          <Row key={i} what={traceText(lang, step.type, row)}>
            <Terms terms={row.terms} />
          </Row>
        ))}
      </>
    );
  return <Backward step={step} lang={lang} conceal={conceal} />;
}

/** A row's text from its node type's step-through texts, `{name}` filled from its params. */
function traceText(lang: Lang, type: TraceStep['type'], row: Pick<TraceExplain, 'text' | 'params'>): string {
  const texts = nodeDefinition(type).text;
  const template = texts[lang].trace?.[row.text] ?? texts.en.trace?.[row.text] ?? '';
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(row.params, name) ? String(row.params[name]) : m,
  );
}

function Terms({ terms }: { terms: readonly TraceTerm[] }) {
  const t = useT();
  return (
    <>
      {terms.map((term, i) => {
        if ('op' in term) {
          return <Op key={i}>{term.op}</Op>;
        }
        if ('formula' in term)
          return (
            <code key={i} className="ng-trace-formula">
              {term.formula}
            </code>
          );
        const label = term.labelKey ? t(`trace.${term.labelKey}` as 'trace.out') : term.label;
        return term.matrix ? (
          <Mat key={i} value={term.tensor} label={label} />
        ) : (
          <Vec key={i} value={term.tensor} label={label} />
        );
      })}
    </>
  );
}

function Backward({ step, lang, conceal }: { step: TraceBackwardStep; lang: Lang; conceal: React.ReactNode }) {
  const t = useT();
  const local = step.local;
  return (
    <>
      <Row what={traceText(lang, step.type, local)}>
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
          <Terms terms={local.terms} />
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
      {!conceal &&
        step.rows.map((row, i) => (
          <Row key={i} what={traceText(lang, step.type, row)}>
            <Terms terms={row.terms} />
          </Row>
        ))}
    </>
  );
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
