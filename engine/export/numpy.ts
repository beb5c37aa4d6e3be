// NumPy export: the network from scratch, as the textbooks write it. forward() keeps every node's
// output in a dict keyed by node id; loss_and_grads() walks the nodes backwards and applies the
// chain rule one node at a time, each step commented, summing gradients where an output fans out.
import type { Model } from '../api.ts';
import type { GraphDoc } from '../format/types.ts';
import { type ExportLayer, type ExportPlan, exportPlan } from './plan.ts';
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

const FORWARD: Record<string, (v: string) => string> = {
  identity: (v) => v,
  relu: (v) => `np.maximum(${v}, 0)`,
  leaky_relu: (v) => `np.where(${v} >= 0, ${v}, np.float32(0.01) * ${v})`,
  sigmoid: (v) => `sigmoid(${v})`,
  tanh: (v) => `np.tanh(${v})`,
  softmax: (v) => `softmax(${v})`,
};

/** dL/din of an activation from g = dL/da, its input z and its output a, with the rule it applies. */
const BACKWARD: Record<string, (g: string, z: string, a: string) => [string, string]> = {
  identity: (g) => [g, 'identity: dL/dz = dL/da'],
  relu: (g, z) => [`${g} * (${z} >= 0)`, "relu'(z) = 1 where z ≥ 0, else 0"],
  leaky_relu: (g, z) => [
    `${g} * np.where(${z} >= 0, np.float32(1), np.float32(0.01))`,
    "leaky_relu'(z) = 1 where z ≥ 0, else 0.01",
  ],
  sigmoid: (g, _z, a) => [`${g} * ${a} * (1 - ${a})`, "σ'(z) = σ(z)(1 − σ(z))"],
  tanh: (g, _z, a) => [`${g} * (1 - ${a} ** 2)`, "tanh'(z) = 1 − tanh(z)²"],
  softmax: (g, _z, a) => [
    `${a} * (${g} - (${g} * ${a}).sum(axis=-1, keepdims=True))`,
    'softmax: dL/dz_i = s_i (dL/ds_i − Σ_j dL/ds_j s_j)',
  ],
};

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
    HELPERS,
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

function forwardFunction(plan: ExportPlan): string {
  const lines = [
    'def forward(params, x, a=None):',
    '    """The prediction for x [batch, *INPUT_SHAPE]. a[id] keeps each node\'s output (pass a dict to see them)."""',
    '    a = {} if a is None else a',
    `    ${a(plan.inputId)} = x`,
  ];
  for (const layer of plan.layers) {
    const [i, j] = layer.inputs.map(a) as [string, string | undefined];
    const key = (name: string) => `params[${py(`${layer.id}.${name}`)}]`;
    let value: string;
    let rule: string;
    if (layer.type === 'dense') {
      value = `${i} @ ${key('W')}${layer.params.length > 1 ? ` + ${key('b')}` : ''}`;
      rule = layer.params.length > 1 ? 'a = in · W + b' : 'a = in · W';
    } else if (layer.type === 'activation') {
      value = FORWARD[layer.data.fn as string]!(i);
      rule = `a = ${layer.data.fn}(in)${layer.data.fn === 'softmax' ? ' along the last axis' : ''}`;
    } else if (layer.type === 'add') {
      [value, rule] = [`${i} + ${j}`, 'a = in_a + in_b (element-wise)'];
    } else if (layer.type === 'concat') {
      [value, rule] = [`np.concatenate([${i}, ${j}], axis=-1)`, 'a = [in_a, in_b] joined along the last axis'];
    } else if (layer.type === 'flatten') {
      [value, rule] = [`${i}.reshape(len(${i}), -1)`, 'a = in as one vector per sample'];
    } else {
      [value, rule] = [
        i,
        `dropout (rate ${layer.data.rate ?? 0.5}) is the identity here: its random mask is for training`,
      ];
    }
    lines.push(`    # ${nodeTitle(layer)}: ${rule}`, `    ${a(layer.id)} = ${value}`);
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
  const g = da(layer.id);
  const [i, j] = layer.inputs;
  // NOTE: the batch x needs no gradient: nothing flows into the Input node.
  const into = (id: string, value: string, rule: string) =>
    id === plan.inputId ? [] : [`    accumulate(da, ${py(id)}, ${value})  # ${rule}`];
  const lines = [`    # ${nodeTitle(layer)}`];
  if (layer.type === 'dense') {
    lines.push(`    grads[${py(`${layer.id}.W`)}] = ${a(i!)}.T @ ${g}  # dL/dW = inᵀ · dL/da`);
    if (layer.params.length > 1)
      lines.push(`    grads[${py(`${layer.id}.b`)}] = ${g}.sum(axis=0)  # dL/db = Σ over the batch of dL/da`);
    lines.push(...into(i!, `${g} @ params[${py(`${layer.id}.W`)}].T`, 'dL/din = dL/da · Wᵀ'));
  } else if (layer.type === 'activation') {
    const [value, rule] = BACKWARD[layer.data.fn as string]!(g, a(i!), a(layer.id));
    lines.push(...into(i!, value, `dL/dz = dL/da · f'(z); ${rule}`));
  } else if (layer.type === 'add') {
    lines.push(...into(i!, g, 'dL/din_a = dL/da'), ...into(j!, g, 'dL/din_b = dL/da'));
  } else if (layer.type === 'concat') {
    const n = plan.layers.find((l) => l.id === i)?.shape ?? plan.inputShape;
    const cut = n[n.length - 1];
    lines.push(
      ...into(i!, `${g}[..., :${cut}]`, `dL/din_a: the first ${cut} features`),
      ...into(j!, `${g}[..., ${cut}:]`, 'dL/din_b: the rest'),
    );
  } else if (layer.type === 'flatten') {
    lines.push(...into(i!, `${g}.reshape(${a(i!)}.shape)`, 'back to the input shape'));
  } else {
    lines.push(...into(i!, g, 'dropout as the identity (see forward)'));
  }
  if (lines.length === 1) lines.push('    # (reads only x, which needs no gradient)');
  return lines;
}

function lossAndGradsFunction(plan: ExportPlan): string {
  const lines = [
    'def loss_and_grads(params, x, y):',
    '    """The loss on a batch and dL/dθ for every parameter, by the chain rule from the loss back."""',
    '    a = {}',
    '    p = forward(params, x, a)',
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


def init_params():
    """The parameters under the engine's keys, from WEIGHTS."""
    return {key: np.frombuffer(base64.b64decode(data), dtype="<f4").reshape(shape).copy()
            for key, (shape, data) in WEIGHTS.items()}`;

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
