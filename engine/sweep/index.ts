// Sweeps: variants of a document (one setting changed, layers repeated), every combination of varied
// values × repeats, and the summaries the CLI and the app's Compare dialog show.
export {
  describeType,
  type FieldType,
  type SettingValue,
  SweepError,
} from './fields.ts';
export { LAYERS_FIELD, MAX_LAYERS } from './layers.ts';
export { applySetting, currentValue, settingPaths, settingType, settingValue } from './settings.ts';
export {
  groupBySettings,
  MAX_SWEEP_RUNS,
  meanSd,
  parseVary,
  type SweepVariant,
  settingsKey,
  settingsLabel,
  sweepVariants,
  type Vary,
} from './variants.ts';
