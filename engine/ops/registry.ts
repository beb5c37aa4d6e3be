// The one list of node ops. The compiler looks ops up here; input and loss nodes are handled by
// the compiler itself (the batch enters at the input; the loss closes the graph).
import { activation } from './activation.ts';
import { add } from './add.ts';
import { concat } from './concat.ts';
import { dense } from './dense.ts';
import type { Op } from './types.ts';

export const OPS: Readonly<Record<'dense' | 'activation' | 'add' | 'concat', Op>> = { dense, activation, add, concat };
