// Every key the app keeps in the browser, in one place: the autosave's IndexedDB records and the
// small settings in localStorage. A record under any of them may be damaged (another version of the
// app, a browser extension, a half-written save): the app reads each one defensively, and the
// resilience tests loop over these lists.

/** The document and viewport (IndexedDB). */
export const DOC_KEY = 'nodegrad:autosave:v2';
/** The trained weights and optimizer state of the document's run (IndexedDB). */
export const TRAINED_KEY = 'nodegrad:autosave:v2:trained';
/** Whose run the trained record holds ({ lineage, tabId, savedAt }): read before each write, cheaply. */
export const TRAINED_HEAD_KEY = 'nodegrad:autosave:v2:trained-head';
/** The document's inline data (CSV rows, imported images), written only when it changes (IndexedDB). */
export const DATA_KEY = 'nodegrad:autosave:v2:data';
/** Graphs kept aside: conflicts, unreadable autosaves, the last working version (IndexedDB). */
export const VERSIONS_KEY = 'nodegrad:autosave:v2:versions';
/** The record of nodegrad ≤ 0.1 (document and weights together); read once, then replaced. */
export const LEGACY_KEY = 'nodegrad:autosave:v1';

/** Every IndexedDB key the autosave reads. */
export const AUTOSAVE_KEYS: readonly string[] = [
  DOC_KEY,
  DATA_KEY,
  TRAINED_KEY,
  TRAINED_HEAD_KEY,
  VERSIONS_KEY,
  LEGACY_KEY,
];

/** The interface language, 'en' or 'ja' (localStorage). */
export const LANG_KEY = 'nodegrad:lang';
/** The canvas' overview map, '1' or '0' (localStorage). */
export const MINIMAP_KEY = 'nodegrad:minimap';
/** The id of the column layout; react-resizable-panels stores it under COLUMNS_KEY (localStorage). */
export const COLUMNS_ID = 'nodegrad-columns';
export const COLUMNS_KEY = `react-resizable-panels:${COLUMNS_ID}`;
/** An example's first-visit hint was dismissed: '1' (localStorage). */
export const hintSeenKey = (example: string) => `nodegrad:hint-seen:${example}`;

/** Every localStorage key the app reads (the hint's for the first example, XOR). */
export const LOCAL_KEYS: readonly string[] = [LANG_KEY, MINIMAP_KEY, COLUMNS_KEY, hintSeenKey('xor')];
