// Every user-visible string of the app, in English and Japanese. Node labels and problem texts
// come from the engine's node definitions and problem table (one truth each); this file holds the
// rest. `ja` must have every key of `en` (the type says so, and app/i18n/catalogue.test.ts checks).
import { en } from './en.ts';
import { ja } from './ja.ts';
import { LANG_KEY } from '../editor/storageKeys.ts';
import { unitsToMatch } from '../editor/quickFixes.ts';
import {
  jaSpacing,
  type Lang,
  NODE_DEFINITIONS,
  nodeDefinition,
  type NodeType,
  PROBLEM_TEXTS,
  problemFormat,
  problemMessage,
} from '../../engine/index.ts';

export type MessageKey = keyof typeof en;

export const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ja };

/** A message in a language, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  const template = CATALOGUES[lang][key] ?? CATALOGUES.en[key] ?? key;
  const text = template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : m,
  );
  return lang === 'ja' ? jaSpacing(text) : text;
}

interface ProblemLike {
  code?: string | undefined;
  params?: Readonly<Record<string, unknown>> | undefined;
  message: string;
}

/** A problem (format, compile or edge) in the UI's language, from its code and params. */
export function renderProblem(lang: Lang, p: ProblemLike): string {
  if (!p.code) return p.message;
  const params = (p.params ?? {}) as Parameters<typeof translate>[2] & Record<string, never>;
  if (PROBLEM_TEXTS.has(p.code)) return problemMessage(p.code, p.params as never, lang);
  if (Object.hasOwn(en, p.code)) return translate(lang, p.code as MessageKey, params);
  return p.message;
}

/** The app's own hint for fixing a problem (the engine names the problem; the app says where to click). */
export function problemHint(lang: Lang, p: { code: string; params: Readonly<Record<string, unknown>> }): string | null {
  switch (p.code) {
    // NOTE: no hint for 'dense.input-rank': its message says to insert a Flatten and its fix does it.
    case 'graph.no-input':
      return translate(lang, 'hint.no-input');
    case 'graph.no-loss':
      return translate(lang, 'hint.no-loss');
    case 'input.no-dataset':
      return translate(lang, 'hint.no-dataset');
    case 'loss.shape-mismatch': {
      const m = unitsToMatch(p);
      return (
        m && translate(lang, 'hint.loss-shape', { node: problemFormat(lang).node(m.nodeId, m.nodeType), n: m.units })
      );
    }
    default:
      return null;
  }
}

/** A field's name as the inspector shows it: a node type's field, the Input's dataset, or a training setting. */
function fieldText(lang: Lang, key: string): string {
  for (const def of NODE_DEFINITIONS) {
    const label = (def.text[lang].fields as Readonly<Record<string, string>> | undefined)?.[key];
    if (label) return label;
  }
  const catalogueKey = key === 'dataset' ? 'dataset.kind' : `inspector.${key}`;
  return Object.hasOwn(en, catalogueKey) ? translate(lang, catalogueKey as MessageKey) : key;
}

/** "Add Dense" / "全結合を追加": a command's name in the undo tooltips. */
export function commandText(lang: Lang, label: { key: string; params: Readonly<Record<string, string>> }): string {
  const params: Record<string, string> = { ...label.params };
  if (params.type) params.type = nodeDefinition(params.type as NodeType).text[lang].label;
  if (params.field) params.field = fieldText(lang, params.field);
  return Object.hasOwn(en, label.key) ? translate(lang, label.key as MessageKey, params) : label.key;
}

/** The language to start in: the saved choice, else the browser's, else English. */
export function preferredLang(saved: string | null, browser: readonly string[]): Lang {
  if (saved === 'en' || saved === 'ja') return saved;
  return browser.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // NOTE: storage may be unavailable (private mode); the choice then lasts for this page only.
  }
}
