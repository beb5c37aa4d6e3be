// Instantiates the WebAssembly kernel modules: gemm.wat (relaxed SIMD where the engine has it)
// and conv.wat, which imports the GEMM module's memory so both work on the same operands.
import { CONV_RELAXED_WASM_BASE64, CONV_WASM_BASE64 } from './conv.generated.ts';
import { GEMM_RELAXED_WASM_BASE64, GEMM_WASM_BASE64 } from './gemm.generated.ts';

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

export interface GemmInstance {
  memory: WebAssembly.Memory;
  gemm: Gemm;
  pack: Pack;
  /** True when the kernel multiplies and adds in relaxed SIMD's fused step. */
  relaxed: boolean;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// NOTE: validate() is false on engines without the proposal a module uses: that is the feature test.
const valid = (b: Uint8Array) => WebAssembly.validate(b as BufferSource);
const instantiate = (bytes: Uint8Array, imports: WebAssembly.Imports) =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), imports);

/**
 * A fresh instance of the GEMM module (its own memory), or null where WebAssembly SIMD is not
 * supported. Relaxed SIMD (Chrome 114+, Node 22+, or Node 20 with --experimental-wasm-relaxed-simd)
 * is used where supported unless `relaxed` is false.
 */
export function instantiateGemm(options: { relaxed?: boolean } = {}): GemmInstance | null {
  if (typeof WebAssembly === 'undefined') return null;
  const relaxedBytes = options.relaxed === false ? null : decodeBase64(GEMM_RELAXED_WASM_BASE64);
  const relaxed = relaxedBytes !== null && valid(relaxedBytes);
  const bytes = relaxed ? relaxedBytes : decodeBase64(GEMM_WASM_BASE64);
  if (!valid(bytes)) return null;
  const exports = instantiate(bytes, {}).exports;
  return {
    memory: exports.memory as WebAssembly.Memory,
    gemm: exports.gemm as Gemm,
    pack: exports.pack as Pack,
    relaxed,
  };
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

/**
 * conv.wat instantiated on the given GEMM instance's memory (relaxed SIMD when the GEMM is), or
 * null where it does not validate.
 */
export function instantiateConvHelpers(gemm: GemmInstance): ConvHelpers | null {
  const bytes = decodeBase64(gemm.relaxed ? CONV_RELAXED_WASM_BASE64 : CONV_WASM_BASE64);
  if (!valid(bytes)) return null;
  return instantiate(bytes, { gemm: { memory: gemm.memory } }).exports as unknown as ConvHelpers;
}
