// What the training thread and its helper thread share for one data-parallel step: a control
// block (Int32 words waited on with Atomics, the helper's loss, the helper's gradient offsets and
// the layout of the plan both halves write into) and the training thread's WebAssembly memory,
// which the helper adopts as its own arena: the parameters, both halves of the batch's arrays and
// the helper's gradients all live there.

/** Int32 words of the control block. */
export const SEQ = 0; // the step the helper should run (the training thread counts up)
export const DONE = 1; // the last step the helper finished
export const ROWS = 2; // rows of the helper's half
export const STATE = 3; // STARTING, READY or FAILED
export const STOP = 4; // 1: the helper leaves its loop
export const FROM = 5; // rows of the batch before the helper's
export const TOTAL = 6; // rows of the whole batch (the loss is a mean over them)
export const X_AT = 7; // float offset of the helper's first input row in the memory
export const Y_AT = 8; // float offset of its first target row
export const PLAN = 9; // counts up when the layout below changes

export const STARTING = 0;
export const READY = 1;
export const FAILED = 2;

/** Byte offset of the helper's loss (a Float64). */
export const LOSS_AT = 48;
/** Int32 index of the helper's gradient offsets, one per parameter in HelperInit.params order. */
export const GRADS_AT = 16;

/** Int32 index of the plan layout (after the gradient offsets). */
export const layoutAt = (params: number) => GRADS_AT + params;

/** Bytes of the control block for `params` parameters and plans of `arrays` arrays. */
export const controlBytes = (params: number, arrays: number) => 4 * (layoutAt(params) + arrays);

/** One parameter of the training thread's model: `floats` floats at float offset `at` of the memory. */
export interface SharedParam {
  key: string;
  at: number;
  floats: number;
}

/** What the helper thread is started with (structured-cloned: plain data, a shared buffer and memory). */
export interface HelperInit {
  /** The graph document and compile options of the training thread's model (threads left out). */
  doc: unknown;
  options: { seed?: number; inputShape?: number[]; targetShape?: number[] };
  control: SharedArrayBuffer;
  /** The training thread's arena memory (shared): the helper's arena too. */
  memory: WebAssembly.Memory;
  params: SharedParam[];
  /** Arrays of one plan (entries of the layout). */
  arrays: number;
}
