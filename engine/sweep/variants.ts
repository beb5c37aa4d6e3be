// A sweep: the values of one or more settings (`--vary h.units=1,3,10`), every combination of them,
// each trained `repeats` times with seeds seed, seed+1, … The CLI and the app's Compare dialog both
// build their runs here.
import type { GraphDoc } from '../format/types.ts';
import { type SettingValue, SweepError } from './fields.ts';
import { LAYERS_FIELD } from './layers.ts';
import { applySetting, settingValue } from './settings.ts';

/** One setting to vary and its values as written (typed against a document by sweepVariants). */
export interface Vary {
  path: string;
  values: string[];
}

/** One run of a sweep: its settings in the order they were varied, its seed, and the graph it trains. */
export interface SweepVariant {
  settings: [path: string, value: SettingValue][];
  seed: number;
  doc: GraphDoc;
}

/** Most runs one sweep may hold (combinations × repeats). */
export const MAX_SWEEP_RUNS = 1000;

/**
 * Parses `<path>=<v1>,<v2>,…`.
 * @example parseVary('h.units=1,3,10') // { path: 'h.units', values: ['1', '3', '10'] }
 */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  const path = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!path) throw new SweepError(`--vary needs <path>=<v1>,<v2>,… (e.g. h.units=1,3,10), not '${text}'`);
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (values.some((v) => v === ''))
    throw new SweepError(`--vary ${path} needs a comma-separated list of values without empty ones, not '${text}'`);
  return { path, values };
}

/** "h.units = 3, ha.fn = relu": how a variant is named in tables, legends and tooltips. */
export function settingsLabel(settings: readonly (readonly [string, SettingValue])[]): string {
  return settings.map(([p, v]) => `${p} = ${String(v)}`).join(', ');
}

/** "h.units=3,ha.fn=relu": the compact key of a variant's settings (test hooks, grouping). */
export function settingsKey(settings: readonly (readonly [string, SettingValue])[]): string {
  return settings.map(([p, v]) => `${p}=${String(v)}`).join(',');
}

/**
 * Every combination of the varied values (the first setting varies slowest), each `repeats` times
 * with seeds `training.seed`, +1, …; values are typed and checked before any run is built.
 * `.layers` settings are applied last, so the repeated layers carry the other settings.
 */
export function sweepVariants(doc: GraphDoc, varies: readonly Vary[], repeats = 1): SweepVariant[] {
  if (!Number.isInteger(repeats) || repeats < 1) throw new SweepError(`repeats must be a whole number ≥ 1`);
  const paths = new Set<string>();
  for (const v of varies) {
    if (paths.has(v.path)) throw new SweepError(`${v.path} is varied twice`);
    paths.add(v.path);
  }
  const typed = varies.map((v) => ({ path: v.path, values: v.values.map((raw) => settingValue(doc, v.path, raw)) }));
  const combos = typed.reduce<[string, SettingValue][][]>(
    (acc, v) => acc.flatMap((c) => v.values.map((value) => [...c, [v.path, value] as [string, SettingValue]])),
    [[]],
  );
  if (combos.length * repeats > MAX_SWEEP_RUNS)
    throw new SweepError(
      `a sweep of ${combos.length} combinations × ${repeats} repeats is ${combos.length * repeats} runs; at most ${MAX_SWEEP_RUNS}`,
    );
  const isLayers = (p: string) => p.endsWith(`.${LAYERS_FIELD}`) && !p.startsWith('training.');
  return combos.flatMap((settings) => {
    const ordered = [...settings.filter(([p]) => !isLayers(p)), ...settings.filter(([p]) => isLayers(p))];
    const base = ordered.reduce((d, [p, v]) => applySetting(d, p, v), doc);
    return Array.from({ length: repeats }, (_, r) => {
      const seed = base.training.seed + r;
      return { settings, seed, doc: r === 0 ? base : applySetting(base, 'training.seed', seed) };
    });
  });
}

/** Mean and sample standard deviation (0 for one value). */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Runs grouped by their settings (the repeats of one combination), in first-seen order. */
export function groupBySettings<R extends { settings: readonly (readonly [string, SettingValue])[] }>(
  runs: readonly R[],
): { settings: R['settings']; runs: R[] }[] {
  const groups = new Map<string, { settings: R['settings']; runs: R[] }>();
  for (const r of runs) {
    const key = settingsKey(r.settings);
    const g = groups.get(key);
    if (g) g.runs.push(r);
    else groups.set(key, { settings: r.settings, runs: [r] });
  }
  return [...groups.values()];
}
