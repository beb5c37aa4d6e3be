// The dataset kinds the inspector offers, and a sensible dataset when the user picks one.
import { type DatasetSpec, datasetSchema } from '../../engine/index.ts';

// NOTE: zod's public accessors (an enum's `options`, a literal's `values`): the menu once read zod
// internals that zod 4's enums lack, and xor, circle, … silently vanished (datasets.test.ts).
export const DATASET_KINDS: readonly DatasetSpec['kind'][] = datasetSchema.options.flatMap((o) => {
  const kind = o.shape.kind;
  return 'options' in kind ? [...kind.options] : [...kind.values];
});

/** A sensible dataset of `kind` (imported arrays come from files: the import dialog). */
export function defaultDataset(kind: Exclude<DatasetSpec['kind'], 'arrays'>): DatasetSpec {
  switch (kind) {
    case 'xor':
    case 'and':
    case 'or':
      return { kind };
    case 'circle':
    case 'spiral':
    case 'gauss':
    case 'xor_cloud':
      return { kind, samples: 400, noise: 0.1 };
    case 'function':
      return { kind, expr: 'x^2', domain: [0, 3], samples: 200 };
    case 'mnist':
      return { kind, train: 8000, test: 2000 };
    case 'csv':
      return { kind, text: 'x1,x2,label\n0,0,a\n0,1,b\n1,0,b\n1,1,a\n', target: 'label' };
  }
}
