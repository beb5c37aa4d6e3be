// NumPy export: the network from scratch, as the textbooks write it. forward() keeps every node's
// output in a dict keyed by node id; loss_and_grads() walks the nodes backwards and applies the
// chain rule one node at a time, each step commented, summing gradients where an output fans out.
import type { Model } from '../compiler/types.ts';
import type { GraphDoc } from '../format/types.ts';
import type { NumpyContext } from '../nodes/index.ts';
import { type ExportLayer, type ExportPlan, exportPlan, layerRules, layerView } from './plan.ts';
import {
  argumentLines,
  fileDocstring,
  lossTitle,
  nodeTitle,
  type PythonOptions,
  py,
  settingsBlock,
  weightsBlock,
} from './python.ts';

/**
 * The graph with its weights as a NumPy-only program: `init_params()`, `forward(params, x)`,
 * `loss_and_grads(params, x, y)` with the backward pass written out, and a plain-SGD `__main__`.
 *
 * @example
 * writeFileSync('xor_numpy.py', exportNumpy(doc, compile(doc)));
 */
export function exportNumpy(doc: GraphDoc, model: Model, options: PythonOptions = {}): string {
  const plan = exportPlan(doc, model);
  return [
    fileDocstring(plan, 'NumPy export', [
      'init_params()                   -> {"h.W": ..., "h.b": ...} with the trained weights',
      'forward(params, x)              -> the prediction',
      `loss_and_grads(params, x, y)    -> (loss, grads): the graph's loss (${lossTitle(plan)}) and its gradients`,
      '',
      'Train with plain SGD: python this.py --data data.npz [--epochs N] [--batch-size N] [--lr LR] [--out params.npz]',
      'x [N, ...] holds the inputs, y [N, ...] the targets (or [N] class labels for one-hot targets).',
    ]),
    'import argparse',
    'import base64',
    '',
    'import numpy as np',
    '',
    settingsBlock(plan),
    '',
    weightsBlock(plan, options),
    `BUFFER_KEYS = [${plan.buffers.map((b) => py(b.key)).join(', ')}]  # not trained (BatchNorm's running statistics)`,
    HELPERS,
    ...layerHelpers(plan),
    '',
    '',
    forwardFunction(plan),
    '',
    '',
    lossAndGradsFunction(plan),
    '',
    '',
    MAIN.replace('{{ARGS}}', argumentLines(`Train ${py(plan.name)} with plain SGD (nodegrad export)`)),
  ].join('\n');
}

const a = (id: string) => `a[${py(id)}]`;
const da = (id: string) => `da[${py(id)}]`;

/** A layer's NumPy context: where its inputs, output, gradients and parameters are. */
function context(plan: ExportPlan, layer: ExportLayer): NumpyContext<never> {
  const state = (name: string) => `${layer.id}.${name}`;
  return {
    layer: layerView(layer),
    data: layer.data as never,
    inputs: layer.inputs.map(a),
    out: a(layer.id),
    g: da(layer.id),
    param: (name) =>
      layer.buffers.some((b) => b.name === name) ? `buffers[${py(state(name))}]` : `params[${py(state(name))}]`,
    grad: (name) => `grads[${py(state(name))}]`,
    // NOTE: the batch x needs no gradient: nothing flows into the Input node.
    into: (port, value, rule) => {
      const id = layer.inputs[port]!;
      return id === plan.inputId ? [] : [`    accumulate(da, ${py(id)}, ${value})  # ${rule}`];
    },
  };
}

/** The Python helpers the layers need (im2col…), each once. */
function layerHelpers(plan: ExportPlan): string[] {
  const helpers = new Set(plan.layers.flatMap((l) => layerRules(l).numpy.helpers ?? []));
  return [...helpers].map((h) => `\n\n${h.trim()}`);
}

function forwardFunction(plan: ExportPlan): string {
  const lines = [
    'def forward(params, x, a=None, train=False):',
    '    """The prediction for x [batch, *INPUT_SHAPE]. a[id] keeps each node\'s output (pass a dict to see them).',
    '    train=True is the training pass: BatchNorm normalises with the batch\'s statistics and updates its running ones."""',
    '    a = {} if a is None else a',
    `    ${a(plan.inputId)} = x`,
  ];
  for (const layer of plan.layers) {
    const { lines: before, value, rule } = layerRules(layer).numpy.forward(context(plan, layer));
    lines.push(`    # ${nodeTitle(layer)}: ${rule}`, ...(before ?? []), `    ${a(layer.id)} = ${value}`);
  }
  lines.push(`    return ${a(plan.predId)}`);
  return lines.join('\n');
}

function lossLines(plan: ExportPlan): string[] {
  const { fn, fused, logitsId } = plan.loss;
  const into = (value: string, rule: string) =>
    `    accumulate(da, ${py(fused ? logitsId! : plan.predId)}, ${value})  # ${rule}`;
  const z = fused ? a(logitsId!) : '';
  switch (fn) {
    case 'squared_error':
      return [
        '    # squared error: L = (1/B) Σ_b ½ Σ_i (p − t)²',
        '    loss = 0.5 * np.sum((p - t) ** 2) / B',
        into('(p - t) / B', 'dL/dp = (p − t) / B'),
      ];
    case 'mse':
      return [
        '    # mean squared error: L = mean of (p − t)²',
        '    loss = np.mean((p - t) ** 2)',
        into('2 * (p - t) / p.size', 'dL/dp = 2 (p − t) / N'),
      ];
    case 'cross_entropy':
      return fused
        ? [
            '    # cross-entropy fused with the softmax: L = −(1/B) Σ t · log_softmax(z), exact from the logits z',
            `    loss = -np.sum(t * log_softmax(${z})) / B`,
            into('(p - t) / B', "dL/dz = (softmax(z) − t) / B: the softmax's backward is folded in"),
          ]
        : [
            '    # cross-entropy: L = −(1/B) Σ t · log(p + 1e-7)',
            '    loss = -np.sum(t * np.log(p + 1e-7)) / B',
            into('-t / (p + 1e-7) / B', 'dL/dp = −t / (p + 1e-7) / B'),
          ];
    case 'binary_cross_entropy':
      return fused
        ? [
            '    # binary cross-entropy fused with the sigmoid: L = mean of t·softplus(−z) + (1 − t)·softplus(z)',
            `    loss = np.mean(t * softplus(-${z}) + (1 - t) * softplus(${z}))`,
            into('(p - t) / p.size', "dL/dz = (σ(z) − t) / N: the sigmoid's backward is folded in"),
          ]
        : [
            '    # binary cross-entropy: L = −mean of t·log(p + 1e-7) + (1 − t)·log(1 − p + 1e-7)',
            '    loss = -np.mean(t * np.log(p + 1e-7) + (1 - t) * np.log(1 - p + 1e-7))',
            into(
              '-(t / (p + 1e-7) - (1 - t) / (1 - p + 1e-7)) / p.size',
              'dL/dp = −(t/(p + ε) − (1 − t)/(1 − p + ε)) / N',
            ),
          ];
  }
}

function backwardLines(plan: ExportPlan, layer: ExportLayer): string[] {
  const lines = [`    # ${nodeTitle(layer)}`, ...layerRules(layer).numpy.backward(context(plan, layer))];
  if (lines.length === 1) lines.push('    # (reads only x, which needs no gradient)');
  return lines;
}

function lossAndGradsFunction(plan: ExportPlan): string {
  const lines = [
    'def loss_and_grads(params, x, y):',
    '    """The loss on a batch and dL/dθ for every parameter, by the chain rule from the loss back."""',
    '    a = {}',
    '    p = forward(params, x, a, train=True)',
    '    t = y.reshape(p.shape).astype(np.float32)',
    '    B = len(x)',
    '    da = {}  # da[id] = dL/d(output of node id), summed over every node that reads it',
    '    grads = {}',
    ...lossLines(plan),
  ];
  for (const layer of [...plan.layers].reverse()) {
    if (layer.fused) continue; // folded into the loss above
    lines.push(...backwardLines(plan, layer));
  }
  lines.push('    return float(loss), grads');
  return lines.join('\n');
}

const HELPERS = `


def sigmoid(z):
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def accumulate(da, key, g):
    """da[key] += g: an output read by several nodes gets the sum of their gradients."""
    da[key] = da[key] + g if key in da else g


def decode(key):
    shape, data = WEIGHTS[key]
    return np.frombuffer(base64.b64decode(data), dtype="<f4").reshape(shape).copy()


def init_params():
    """The parameters under the engine's keys, from WEIGHTS."""
    return {key: decode(key) for key in WEIGHTS if key not in BUFFER_KEYS}


buffers = {key: decode(key) for key in BUFFER_KEYS}  # forward(..., train=True) updates them`;

const MAIN = `def main():
{{ARGS}}
    parser.add_argument("--out", default="params.npz", help="where to save the trained parameters")
    args = parser.parse_args()
    data = np.load(args.data)
    x = data["x"].astype(np.float32).reshape(-1, *INPUT_SHAPE)
    y = data["y"]
    targets = int(np.prod(TARGET_SHAPE))
    if y.ndim == 1 and targets > 1:  # class labels -> one-hot rows
        y = np.eye(targets, dtype=np.float32)[y.astype(int)]
    y = y.astype(np.float32).reshape(-1, *TARGET_SHAPE)
    params = init_params()
    rng = np.random.default_rng(args.seed)
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), args.batch_size):
            rows = order[start:start + args.batch_size]
            loss, grads = loss_and_grads(params, x[rows], y[rows])
            for key in params:
                decay = WEIGHT_DECAY * params[key] if key in DECAY_KEYS else 0
                params[key] -= args.lr * (grads[key] + decay)  # plain SGD: θ ← θ − η (dL/dθ + λθ)
            total += loss * len(rows)
        print(f"epoch {epoch} loss {total / len(x):.6g}", flush=True)
    np.savez(args.out, **params)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
`;
