// What the Compare dialog offers to vary, derived from the graph on screen: each Conv2D's filters and
// padding, each Dense's units and layer count, each Activation's function, the learning rate, the
// optimizer and the batch size, each with a sensible default list of values. The engine (settingValue) checks what the learner types.
import { currentValue, type GraphDoc, LAYERS_FIELD } from '../../engine/index.ts';

export interface VaryChoice {
  path: string;
  /** What kind of setting, for its label (`compare.kind.<kind>`). */
  kind: 'filters' | 'padding' | 'units' | 'layers' | 'fn' | 'learningRate' | 'optimizer' | 'batchSize';
  /** The node it belongs to (none for training settings). */
  nodeId?: string;
  /** Default values, comma-separated. */
  defaults: string;
}

/** Most epochs the dialog proposes (a watchable comparison); the learner may type more. */
export const MAX_DEFAULT_EPOCHS = 1000;

const num = (v: number) => String(Number(v.toPrecision(3)));

/** A Dense layer whose output (or its activation's) feeds more layers, not the loss: a hidden layer. */
function isHidden(doc: GraphDoc, id: string): boolean {
  const feedsLoss = (from: string) =>
    doc.edges.some((e) => e.source === from && doc.nodes.some((n) => n.id === e.target && n.type === 'loss'));
  const out = doc.edges.filter((e) => e.source === id);
  const next = out.length === 1 ? doc.nodes.find((n) => n.id === out[0]!.target) : undefined;
  return !feedsLoss(id) && !(next?.type === 'activation' && feedsLoss(next.id));
}

export function varyChoices(doc: GraphDoc): VaryChoice[] {
  const out: VaryChoice[] = [];
  for (const n of doc.nodes) {
    if (n.type === 'conv2d') {
      out.push({ path: `${n.id}.filters`, kind: 'filters', nodeId: n.id, defaults: '4, 8, 16' });
      out.push({ path: `${n.id}.padding`, kind: 'padding', nodeId: n.id, defaults: 'valid, same' });
    }
    // NOTE: the output layer's units are the targets' count: only hidden layers are offered.
    if (n.type === 'dense' && isHidden(doc, n.id)) {
      out.push({ path: `${n.id}.units`, kind: 'units', nodeId: n.id, defaults: '1, 3, 10' });
      out.push({ path: `${n.id}.${LAYERS_FIELD}`, kind: 'layers', nodeId: n.id, defaults: '1, 2, 3' });
    }
    if (n.type === 'activation')
      out.push({ path: `${n.id}.fn`, kind: 'fn', nodeId: n.id, defaults: 'sigmoid, tanh, relu' });
  }
  const lr = Number(currentValue(doc, 'training.optimizer.learningRate'));
  out.push({
    path: 'training.optimizer.learningRate',
    kind: 'learningRate',
    defaults: [lr / 10, lr, lr * 10].map(num).join(', '),
  });
  out.push({ path: 'training.optimizer.type', kind: 'optimizer', defaults: 'sgd, momentum, adam' });
  out.push({ path: 'training.batchSize', kind: 'batchSize', defaults: '1, 8, 32' });
  return out;
}

/** The first choice to offer: the first hidden layer's units (the tutorial's question), else the first convolution's filters. */
export function defaultChoice(choices: readonly VaryChoice[]): VaryChoice | undefined {
  return choices.find((c) => c.kind === 'units') ?? choices.find((c) => c.kind === 'filters') ?? choices[0];
}

/** The epochs the dialog proposes: the document's, capped. */
export function defaultEpochs(doc: GraphDoc): number {
  return Math.min(doc.training.epochs, MAX_DEFAULT_EPOCHS);
}
