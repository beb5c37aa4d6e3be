import { useEffect, useState } from 'react';
import { type Translate, useEditor, useT } from '../appContext.tsx';
import { valueLabel } from '../i18n/values.ts';

interface Common {
  testId: string;
  label: string;
  hint?: string;
}

type NumberFieldProps = Common & {
  value: number | undefined;
  integer?: boolean;
  min: number;
  max: number;
  /** Empty input means "default" (undefined) when optional. */
  optional?: boolean;
  onCommit(value: number | undefined): void;
};

/** A number input validated as typed; commits on Enter or leaving the field when valid. */
export function NumberField({ testId, label, hint, value, integer, min, max, optional, onCommit }: NumberFieldProps) {
  const t = useT();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);
  const error = validateNumber(text, { integer, min, max, optional }, t);
  const commit = () => {
    if (error) return;
    const next = text.trim() === '' ? undefined : Number(text);
    if (next !== value) onCommit(next);
  };
  return (
    <label className={`ng-field${error ? ' invalid' : ''}`}>
      <span>{label}</span>
      <input
        data-testid={testId}
        inputMode="decimal"
        value={text}
        placeholder={optional ? t('field.default') : ''}
        aria-invalid={Boolean(error)}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(value === undefined ? '' : String(value));
        }}
      />
      {error ? <em className="ng-error">{error}</em> : hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function validateNumber(
  text: string,
  o: { integer?: boolean | undefined; min: number; max: number; optional?: boolean | undefined },
  t: Translate,
): string | null {
  if (text.trim() === '') return o.optional ? null : t('field.required');
  const n = Number(text);
  if (!Number.isFinite(n)) return t('field.notNumber');
  if (o.integer && !Number.isInteger(n)) return t('field.notInteger');
  if (n < o.min || n > o.max) return t('field.between', { min: o.min, max: o.max });
  return null;
}

type SelectFieldProps = Common & {
  value: string | undefined;
  options: readonly string[];
  optional?: boolean;
  onCommit(value: string | undefined): void;
};

export function SelectField({ testId, label, hint, value, options, optional, onCommit }: SelectFieldProps) {
  const t = useT();
  const lang = useEditor((s) => s.lang);
  return (
    <label className="ng-field">
      <span>{label}</span>
      <select
        data-testid={testId}
        value={value ?? ''}
        onChange={(e) => onCommit(e.target.value === '' ? undefined : e.target.value)}
      >
        {optional && <option value="">{t('field.default')}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {valueLabel(lang, o)}
          </option>
        ))}
      </select>
      {hint && <small>{hint}</small>}
    </label>
  );
}

type TextFieldProps = Common & {
  value: string;
  multiline?: boolean;
  validate?(text: string): string | null;
  onCommit(value: string): void;
};

export function TextField({ testId, label, hint, value, multiline, validate, onCommit }: TextFieldProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const error = validate?.(text) ?? null;
  const commit = () => {
    if (!error && text !== value) onCommit(text);
  };
  const props = {
    'data-testid': testId,
    value: text,
    'aria-invalid': Boolean(error),
    onChange: (e: { target: { value: string } }) => setText(e.target.value),
    onBlur: commit,
  };
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the input or textarea below
    <label className={`ng-field${error ? ' invalid' : ''}`}>
      <span>{label}</span>
      {multiline ? (
        <textarea rows={6} {...props} />
      ) : (
        <input {...props} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      )}
      {error ? <em className="ng-error">{error}</em> : hint ? <small>{hint}</small> : null}
    </label>
  );
}
