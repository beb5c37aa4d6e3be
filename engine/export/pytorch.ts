// PyTorch export: one self-contained Python file (torch only) with the network as an nn.Module,
// the document's loss (the stable fused form where the engine fuses), its optimizer, and a
// `__main__` that trains on an .npz file, alone or under torchrun (DistributedDataParallel).
import type { Model } from '../compiler/types.ts';
import type { GraphDoc } from '../format/types.ts';
import type { PyTorchLayer } from '../nodes/index.ts';
import { type ExportPlan, exportPlan, identifiers, layerRules, layerView } from './plan.ts';
import { PYTORCH_MAIN } from './pytorch-main.ts';
import {
  argumentLines,
  fileDocstring,
  lossTitle,
  nodeTitle,
  PYTHON_KEYWORDS,
  type PythonOptions,
  py,
  pyFloat,
  settingsBlock,
  weightsBlock,
} from './python.ts';

/** Names the generated code uses itself, and nn.Module's own attributes (a layer must not shadow them). */
const RESERVED = new Set([
  ...PYTHON_KEYWORDS,
  ...'x y t z self logits model torch nn F dist argparse ast base64 os struct zipfile len range print float int'.split(
    ' ',
  ),
  ...(
    'T_destination add_module apply bfloat16 buffers children cpu cuda double dump_patches eval extra_repr float ' +
    'forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules named_buffers ' +
    'named_children named_modules named_parameters parameters register_backward_hook register_buffer ' +
    'register_forward_hook register_forward_pre_hook register_full_backward_hook ' +
    'register_load_state_dict_post_hook register_module register_parameter requires_grad_ set_extra_state ' +
    'share_memory state_dict to to_empty train training type xpu zero_grad mtia compile'
  ).split(' '),
]);

/**
 * The graph with its weights as a PyTorch program: `build_model()`, `loss_fn(model, x, y)`,
 * `make_optimizer(model)`, `engine_params(model)` and a training `__main__`.
 *
 * @example
 * writeFileSync('xor.py', exportPyTorch(doc, compile(doc)));
 * // python xor.py --data xor.npz   or   torchrun --nproc_per_node 4 xor.py --data xor.npz
 */
export function exportPyTorch(doc: GraphDoc, model: Model, options: PythonOptions = {}): string {
  const plan = exportPlan(doc, model);
  const names = identifiers(
    plan.layers.map((l) => l.id),
    RESERVED,
  );
  names.set(plan.inputId, 'x');
  const name = (id: string) => names.get(id)!;
  const emitted = new Map(
    plan.layers.map((layer) => [
      layer.id,
      layerRules(layer).pytorch({
        layer: layerView(layer),
        data: layer.data as never,
        self: `self.${name(layer.id)}`,
        inputs: layer.inputs.map(name),
      }),
    ]),
  );
  const stateLine = (p: { key: string; name: string; shape: number[] }) => {
    const id = p.key.slice(0, p.key.lastIndexOf('.'));
    const s = emitted.get(id)?.state?.[p.name];
    if (!s) throw new Error(`export: ${id} does not say where '${p.name}' goes in PyTorch`);
    const back = s.permute ? inverse(s.permute) : undefined;
    const axes = (order: number[] | undefined) => (order ? `(${order.join(', ')})` : 'None');
    return `    ${py(p.key)}: (${py(`${name(id)}.${s.name}`)}, ${axes(s.permute)}, ${axes(back)}),`;
  };
  return [
    fileDocstring(plan, 'PyTorch export', [
      'build_model()               -> nn.Module with the trained weights; forward(x) returns the prediction',
      `loss_fn(model, x, y)        -> the graph's loss (${lossTitle(plan)})`,
      `make_optimizer(model)       -> ${optimizerTitle(plan)}`,
      "engine_params(model)        -> the parameters under the engine's keys and layout",
      '',
      'Train: python this.py --data data.npz [--epochs N] [--batch-size N] [--lr LR] [--out model.pt]',
      '       torchrun --nproc_per_node 4 this.py --data data.npz   (DistributedDataParallel; --batch-size per process)',
      'x [N, ...] holds the inputs, y [N, ...] the targets (or [N] class labels for one-hot targets).',
    ]),
    'import argparse',
    'import ast',
    'import base64',
    'import os',
    'import struct',
    'import zipfile',
    '',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    settingsBlock(plan),
    '',
    "# Engine key -> (state_dict name, the engine's axes in torch's order, torch's axes in the engine's order).",
    '# nn.Linear keeps W as [out, in] where the engine\'s "h.W" is [in, out]; nn.Conv2d [out, in, kh, kw] where',
    '# the engine\'s "c.W" is [kh, kw, in, out]. Buffers (BatchNorm\'s running statistics) are not trained.',
    'PARAM_KEYS = {',
    ...plan.params.map(stateLine),
    '}',
    'BUFFER_KEYS = {',
    ...plan.buffers.map(stateLine),
    '}',
    '',
    weightsBlock(plan, options),
    '',
    '',
    moduleClass(plan, name, emitted),
    PYTORCH_FUNCTIONS,
    '',
    '',
    lossFunction(plan),
    '',
    '',
    optimizerFunction(plan),
    '',
    '',
    PYTORCH_MAIN.replace('{{ARGS}}', argumentLines(`Train ${py(plan.name)} (nodegrad export)`)),
  ].join('\n');
}

function moduleClass(plan: ExportPlan, name: (id: string) => string, emitted: Map<string, PyTorchLayer>): string {
  const init: string[] = [];
  const forward: string[] = [];
  const fused = plan.loss.fused !== null;
  for (const layer of plan.layers) {
    const out = name(layer.id);
    const code = emitted.get(layer.id)!;
    const title = `  # ${nodeTitle(layer)}`;
    if (code.module) init.push(`        self.${out} = ${code.module}${title}`);
    if (layer.fused)
      forward.push(
        `        if logits:`,
        `            return ${name(layer.inputs[0]!)}  # the input of the softmax/sigmoid the loss fuses`,
      );
    forward.push(`        ${out} = ${code.forward}${title}`);
  }
  return [
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length > 0 ? init : ['        pass']),
    '',
    `    def forward(self, x${fused ? ', logits=False' : ''}):`,
    `        """x [batch, *INPUT_SHAPE] -> the prediction${fused ? '; logits=True stops before the activation the loss fuses' : ''}."""`,
    ...forward,
    `        return ${name(plan.predId)}`,
  ].join('\n');
}

/** The permutation that undoes `order`. */
function inverse(order: readonly number[]): number[] {
  const back = new Array<number>(order.length);
  order.forEach((axis, i) => {
    back[axis] = i;
  });
  return back;
}

function lossFunction(plan: ExportPlan): string {
  const { fn, fused } = plan.loss;
  const body: Record<string, string[]> = {
    squared_error: ['    # (1/B) Σ_b ½ Σ_i (p − t)²', '    return 0.5 * ((p - t) ** 2).sum() / x.shape[0]'],
    mse: ['    # mean over all elements of (p − t)²', '    return ((p - t) ** 2).mean()'],
    cross_entropy: fused
      ? [
          '    # −(1/B) Σ t · log_softmax(z): exact from the logits z',
          '    return -(t * F.log_softmax(z, dim=-1)).sum() / x.shape[0]',
        ]
      : ['    # −(1/B) Σ t · log(p + 1e-7)', '    return -(t * torch.log(p + 1e-7)).sum() / x.shape[0]'],
    binary_cross_entropy: fused
      ? [
          '    # mean of t·softplus(−z) + (1 − t)·softplus(z): exact from the logits z',
          '    return (t * F.softplus(-z) + (1 - t) * F.softplus(z)).mean()',
        ]
      : [
          '    # −mean of t·log(p + 1e-7) + (1 − t)·log(1 − p + 1e-7)',
          '    return -(t * torch.log(p + 1e-7) + (1 - t) * torch.log(1 - p + 1e-7)).mean()',
        ],
  };
  const head = fused
    ? ['    z = model(x, logits=True)', '    t = y.reshape(z.shape)']
    : ['    p = model(x)', '    t = y.reshape(p.shape)'];
  return [
    'def loss_fn(model, x, y):',
    `    """The graph's loss on a batch, as the nodegrad engine computes it (${lossTitle(plan)})."""`,
    ...head,
    ...body[fn]!,
  ].join('\n');
}

function optimizerTitle(plan: ExportPlan): string {
  const o = plan.training.optimizer;
  return `${o.type}, learning rate ${o.learningRate}${plan.training.weightDecay ? `, weight decay ${plan.training.weightDecay} on weights` : ''}`;
}

function optimizerFunction(plan: ExportPlan): string {
  const o = plan.training.optimizer;
  let make: string;
  if (o.type === 'sgd') make = 'torch.optim.SGD(groups, lr=lr)';
  else if (o.type === 'momentum')
    make = `torch.optim.SGD(groups, lr=lr, momentum=${pyFloat(o.momentum ?? 0.9)})  # v ← μv + g; p ← p − lr·v, as the engine`;
  else
    make = `torch.optim.Adam(groups, lr=lr, betas=(${pyFloat(o.beta1 ?? 0.9)}, ${pyFloat(o.beta2 ?? 0.999)}), eps=${o.epsilon ?? 1e-8})`;
  return [
    'def make_optimizer(model, lr=None):',
    `    """The graph's optimizer (${optimizerTitle(plan)}); L2 weight decay on weights only, as the engine."""`,
    '    module = getattr(model, "module", model)',
    '    decay = [module.get_parameter(PARAM_KEYS[key][0]) for key in DECAY_KEYS]',
    '    rest = [module.get_parameter(name) for key, (name, _, _) in PARAM_KEYS.items() if key not in DECAY_KEYS]',
    '    groups = [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": rest, "weight_decay": 0.0}]',
    '    lr = LEARNING_RATE if lr is None else lr',
    `    return ${make}`,
  ].join('\n');
}

const PYTORCH_FUNCTIONS = `

def build_model():
    """The network with the weights and buffers in WEIGHTS (PyTorch's own initialisation for any left out)."""
    model = Net()
    state = model.state_dict()  # shares storage with the model's parameters and buffers
    with torch.no_grad():
        for key, (shape, data) in WEIGHTS.items():
            name, to_torch, _ = PARAM_KEYS[key] if key in PARAM_KEYS else BUFFER_KEYS[key]
            value = torch.frombuffer(bytearray(base64.b64decode(data)), dtype=torch.float32).reshape(shape)
            state[name].copy_(value.permute(*to_torch) if to_torch else value)
    return model


def engine_params(model, grads=False):
    """The parameters (or their gradients, grads=True) under the engine's keys and layout."""
    module = getattr(model, "module", model)
    result = {}
    for key, (name, _, to_engine) in PARAM_KEYS.items():
        param = module.get_parameter(name)
        value = (param.grad if grads else param).detach()
        result[key] = value.permute(*to_engine) if to_engine else value
    return result`;
