// Messages between the import dialog and its CSV worker (csvWorker.ts): the text goes over once, then
// each choice of columns is checked there against every row.
import type { CsvChoices, CsvFacts, CsvPreview } from '../../engine/index.ts';
import type { Problem } from '../data/problem.ts';

export type ToCsvWorker =
  /** Parse this text and preview it; later checks read this text. */
  | { id: number; kind: 'preview'; text: string }
  /** Load the text with these choices as training would; reply with its facts. */
  | { id: number; kind: 'check'; choices: CsvChoices };

export type FromCsvWorker =
  | { id: number; kind: 'preview'; preview: CsvPreview }
  | { id: number; kind: 'facts'; facts: CsvFacts }
  | { id: number; kind: 'problem'; problem: Problem };
