// What the training thread and its helper thread share for one data-parallel step: a control
// block (Int32 words waited on with Atomics, the helper's loss) and, in the training thread's
// WebAssembly arena, the parameters, the helper's gradients and its half of the batch.

/** Int32 words of the control block. */
export const SEQ = 0; // the step the helper should run (the training thread counts up)
export const DONE = 1; // the last step the helper finished
export const ROWS = 2; // rows of the helper's half
export const STATE = 3; // STARTING, READY or FAILED
export const STOP = 4; // 1: the helper leaves its loop

export const STARTING = 0;
export const READY = 1;
export const FAILED = 2;

/** Bytes of the control block: 8 Int32 words, then the helper's loss as a Float64. */
export const CONTROL_BYTES = 48;
export const LOSS_AT = 32;

/** One parameter's place in the exchange: `floats` floats at `params` (values) and `grads` (float offsets). */
export interface ExchangeSlot {
  key: string;
  floats: number;
  params: number;
  grads: number;
}

/** What the helper thread is started with (structured-cloned: plain data and shared buffers). */
export interface HelperInit {
  /** The graph document and compile options of the training thread's model (threads left out). */
  doc: unknown;
  options: { seed?: number; inputShape?: number[]; targetShape?: number[] };
  control: SharedArrayBuffer;
  /** The training thread's arena memory: the exchange regions below are float offsets into it. */
  memory: SharedArrayBuffer;
  slots: ExchangeSlot[];
  x: number;
  y: number;
  inSize: number;
  outSize: number;
  /** Most rows the helper's half may hold. */
  capacity: number;
}
