// The helper of message-passing steps (engine/parallel/messages.ts): compiles the training thread's
// graph into memory of its own, then each step takes the parameters and its rows of the batch out of
// one buffer, runs them (the loss's gradient scaled for the whole batch) and answers with its loss,
// its parameter gradients and its rows of every plan array, written into buffers it was given back
// (transferred; made anew only when too small). Environment-free: engine/node.ts' worker threads and
// the app's nested worker (app/worker/helperWorker.ts) hand it their messages.
import { compileHelperModel } from '../compiler/compile.ts';
import type { CompiledModel } from '../compiler/model.ts';
import { parseGraph } from '../format/parse.ts';
import type { Tensor } from '../tensor.ts';
import type { FromMessageHelper, ToMessageHelper } from './messages.ts';

/** `arrays` one after another in `buffer`, or in a new buffer when it is too small; returns the buffer used. */
function concatInto(buffer: ArrayBuffer, arrays: readonly Float32Array[]): ArrayBuffer {
  let floats = 0;
  for (const a of arrays) floats += a.length;
  const out = buffer.byteLength >= 4 * floats ? buffer : new ArrayBuffer(4 * floats);
  const to = new Float32Array(out, 0, floats);
  let at = 0;
  for (const a of arrays) {
    to.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * A message helper that answers through `post`: give it every message the training thread sends.
 * After 'stop' (or a failure, answered with 'failed') it does nothing more.
 */
export function createMessageHelper(
  post: (reply: FromMessageHelper, transfer: ArrayBuffer[]) => void,
): (message: ToMessageHelper) => void {
  let model: CompiledModel | null = null;
  let params: Float32Array[] = [];
  let grads: Float32Array[] = [];
  let inputShape: number[] = [];
  let targetShape: number[] = [];
  let inSize = 1;
  let outSize = 1;
  const x: Tensor = { shape: [0], data: new Float32Array(0) };
  const y: Tensor = { shape: [0], data: new Float32Array(0) };

  const step = (message: Extract<ToMessageHelper, { type: 'step' }>) => {
    const { rows, total } = message;
    const data = new Float32Array(message.batch);
    let at = 0;
    for (const p of params) {
      p.set(data.subarray(at, at + p.length));
      at += p.length;
    }
    if (x.shape[0] !== rows) {
      x.shape = [rows, ...inputShape];
      y.shape = [rows, ...targetShape];
    }
    x.data = data.subarray(at, at + rows * inSize);
    at += rows * inSize;
    y.data = data.subarray(at, at + rows * outSize);
    const loss = model!.trainPart(x, y, total);
    const gradsOut = concatInto(message.grads, grads);
    const planOut = concatInto(message.plan, model!.lastPlanArrays());
    post({ type: 'done', loss, batch: message.batch, grads: gradsOut, plan: planOut }, [
      message.batch,
      gradsOut,
      planOut,
    ]);
  };

  return (message) => {
    try {
      if (message.type === 'init') {
        model = compileHelperModel(parseGraph(message.doc), message.options);
        params = [...model.params.values()].map((t) => t.data);
        const ownGrads = model.paramGrads();
        grads = [...model.params.keys()].map((key) => ownGrads.get(key)!.data);
        const floats = params.reduce((n, p) => n + p.length, 0);
        if (floats !== message.paramFloats)
          throw new Error(`helper: ${floats} parameter floats, the training thread has ${message.paramFloats}`);
        inputShape = message.options.inputShape;
        targetShape = message.options.targetShape;
        inSize = inputShape.reduce((a, b) => a * b, 1);
        outSize = targetShape.reduce((a, b) => a * b, 1);
        post({ type: 'ready' }, []);
      } else if (message.type === 'step' && model) step(message);
      else if (message.type === 'stop') {
        model?.release();
        model = null;
      }
    } catch (e) {
      model = null;
      post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }, []);
    }
  };
}
