// Instantiates the WebAssembly kernel modules (gemm.wat, conv.wat, step.wat) on an arena's memory, with
// relaxed SIMD where the engine has it. Each variant is compiled once per thread.
import type { Arena } from './arena.ts';
import { CONV_WASM, GEMM_WASM, STEP_WASM } from './kernels.generated.ts';

/** gemm.wat's kernel; see the comments there. Addresses and strides in bytes. */
export type Gemm = (
  a: number,
  ars: number,
  acs: number,
  b: number,
  c: number,
  ldc: number,
  m: number,
  k: number,
  panels: number,
  acc: number,
) => void;
/** gemm.wat's packing of B into 8-column panels. */
export type Pack = (src: number, rs: number, cs: number, dst: number, k: number, n: number) => void;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

type Variant = keyof typeof GEMM_WASM;
const compiled = new Map<string, WebAssembly.Module>();

/**
 * The compiled module, or null where it does not validate (the feature test for SIMD, relaxed
 * SIMD, threads). NOTE: a failure is not remembered: a V8 flag (enableRelaxedSimd) may turn a
 * feature on later.
 */
function moduleOf(name: string, sources: Record<Variant, string>, variant: Variant): WebAssembly.Module | null {
  const key = `${name}:${variant}`;
  let module = compiled.get(key);
  if (!module) {
    const bytes = decodeBase64(sources[variant]) as BufferSource;
    if (!WebAssembly.validate(bytes)) return null;
    module = new WebAssembly.Module(bytes);
    compiled.set(key, module);
  }
  return module;
}

/** True where the engine runs relaxed SIMD (Chrome 114+, Node 22+, Node 20 with --experimental-wasm-relaxed-simd). */
export function hasRelaxedSimd(): boolean {
  return typeof WebAssembly !== 'undefined' && moduleOf('gemm', GEMM_WASM, 'relaxed') !== null;
}

/** step.wat's optimizer updates and element-wise steps (byte addresses; n a multiple of 4). */
export interface StepKernels {
  relu(x: number, y: number, n: number): void;
  relu_backward(x: number, dy: number, dx: number, n: number): void;
  bias(y: number, b: number, rows: number, n: number): void;
  scale_add(y: number, x: number, n: number, a: number, b: number): void;
  all_finite(x: number, n: number): number;
  copy(dst: number, src: number, bytes: number): void;
  exp(x: number, y: number, n: number): void;
  softmax(x: number, y: number, rows: number, cols: number): void;
  maxpool(
    x: number,
    y: number,
    win: number,
    batch: number,
    inH: number,
    inW: number,
    inC: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    outH: number,
    outW: number,
  ): void;
  maxpool_backward(
    dy: number,
    win: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    inC: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    outH: number,
    outW: number,
  ): void;
  sgd(p: number, g: number, n: number, lr: number, decay: number): void;
  momentum(p: number, g: number, m: number, n: number, lr: number, decay: number, mu: number): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    decay: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
}

export interface KernelInstance {
  arena: Arena;
  gemm: Gemm;
  pack: Pack;
  conv: ConvHelpers;
  step: StepKernels;
  /** True when the register tiles multiply and add in relaxed SIMD's fused step. */
  relaxed: boolean;
}

/**
 * The kernel modules instantiated on `arena`'s memory, or null where WebAssembly SIMD is not
 * supported. Relaxed SIMD is used where supported unless `relaxed` is false.
 */
export function instantiateKernels(arena: Arena, options: { relaxed?: boolean } = {}): KernelInstance | null {
  if (typeof WebAssembly === 'undefined') return null;
  const relaxed = options.relaxed !== false && hasRelaxedSimd();
  const variant: Variant = arena.shared ? (relaxed ? 'sharedRelaxed' : 'shared') : relaxed ? 'relaxed' : 'plain';
  const gemmModule = moduleOf('gemm', GEMM_WASM, variant);
  const convModule = moduleOf('conv', CONV_WASM, variant);
  const stepModule = moduleOf('step', STEP_WASM, variant);
  if (!gemmModule || !convModule || !stepModule) return null;
  const imports = { env: { memory: arena.memory } };
  const gemm = new WebAssembly.Instance(gemmModule, imports).exports;
  const conv = new WebAssembly.Instance(convModule, imports).exports as unknown as ConvHelpers;
  const step = new WebAssembly.Instance(stepModule, imports).exports as unknown as StepKernels;
  return { arena, gemm: gemm.gemm as Gemm, pack: gemm.pack as Pack, conv, step, relaxed };
}

/** conv.wat's exports (see the comments there). */
export interface ConvHelpers {
  geometry(
    inH: number,
    inW: number,
    inC: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
    outH: number,
    outW: number,
  ): void;
  conv_nn(
    img: number,
    b: number,
    c: number,
    ldc: number,
    r0: number,
    r1: number,
    rend: number,
    panels: number,
    acc: number,
  ): void;
  conv_tn(
    img: number,
    dyp: number,
    M: number,
    dw: number,
    ldc: number,
    r0: number,
    r1: number,
    panels: number,
    acc: number,
  ): void;
  pad(
    src: number,
    dst: number,
    batch: number,
    H: number,
    W: number,
    C: number,
    Hp: number,
    Wp: number,
    top: number,
    left: number,
  ): void;
  flip(src: number, dst: number, taps: number, C: number, N: number): void;
  add(dst: number, src: number, n: number): void;
  im2col(x: number, col: number, ldcol: number, r0: number, r1: number): void;
  col2im(dx: number, col: number, ldcol: number, r0: number, r1: number): void;
  broadcast(dst: number, ld: number, rows: number, src: number, n: number): void;
  compact(src: number, ld: number, rows: number, n: number): void;
  colsum(src: number, rows: number, n: number, sums: number): void;
}
