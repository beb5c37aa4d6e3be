;; nodegrad matrix-product kernels: WebAssembly 128-bit SIMD, 4×8 register tile.
;; All addresses and strides are in bytes, in the imported memory (the arena: arena.ts); operands
;; that live elsewhere are copied in by simdKernels.ts, which picks the strides for each orientation.
;; Assembled by scripts/build-wasm.mjs (wabt), also with a shared memory and with relaxed SIMD.
(module
  (import "env" "memory" (memory 1))

  ;; C[m × 8·panels] (+)= A · B over k, m a multiple of 4.
  ;;   A(i, p) at a + i·ars + p·acs: A·B reads A row-major (ars = 4k, acs = 4); Aᵀ·B reads the
  ;;     stored [k × m] matrix in place (ars = 4, acs = 4m), so no transposing copy is needed.
  ;;   B in 8-column panels (see pack): B(p, 8q .. 8q+7) is 8 contiguous floats at b + 32·(q·k + p).
  ;;   C(i, 8q .. 8q+7) at c + i·ldc + 32q; with acc ≠ 0 the tile starts from C instead of 0.
  (func (export "gemm")
    (param $a i32) (param $ars i32) (param $acs i32)
    (param $b i32)
    (param $c i32) (param $ldc i32)
    (param $m i32) (param $k i32) (param $panels i32) (param $acc i32)
    (local $i i32) (local $q i32) (local $aend i32) (local $ao i32) (local $panelbytes i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bptr i32) (local $cptr i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (if (i32.or (i32.eqz (local.get $k)) (i32.eqz (local.get $panels))) (then (return)))
    (local.set $aend (i32.mul (local.get $k) (local.get $acs)))
    (local.set $panelbytes (i32.shl (local.get $k) (i32.const 5)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $ars)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
        (local.set $q (i32.const 0))
        (loop $cols
          (local.set $cptr (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                                    (i32.shl (local.get $q) (i32.const 5))))
          (if (local.get $acc)
            (then
              (local.set $c00 (v128.load (local.get $cptr)))
              (local.set $c01 (v128.load offset=16 (local.get $cptr)))
              (local.set $c10 (v128.load (i32.add (local.get $cptr) (local.get $ldc))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $cptr) (local.get $ldc))))
              (local.set $c20 (v128.load (i32.add (local.get $cptr) (i32.shl (local.get $ldc) (i32.const 1)))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $cptr) (i32.shl (local.get $ldc) (i32.const 1)))))
              (local.set $c30 (v128.load (i32.add (local.get $cptr) (i32.mul (local.get $ldc) (i32.const 3)))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $cptr) (i32.mul (local.get $ldc) (i32.const 3))))))
            (else
              (local.set $c00 (v128.const i32x4 0 0 0 0))
              (local.set $c01 (v128.const i32x4 0 0 0 0))
              (local.set $c10 (v128.const i32x4 0 0 0 0))
              (local.set $c11 (v128.const i32x4 0 0 0 0))
              (local.set $c20 (v128.const i32x4 0 0 0 0))
              (local.set $c21 (v128.const i32x4 0 0 0 0))
              (local.set $c30 (v128.const i32x4 0 0 0 0))
              (local.set $c31 (v128.const i32x4 0 0 0 0))))
          (local.set $bptr (i32.add (local.get $b) (i32.mul (local.get $q) (local.get $panelbytes))))
          (local.set $ao (i32.const 0))
          (loop $inner
            (local.set $b0 (v128.load (local.get $bptr)))
            (local.set $b1 (v128.load offset=16 (local.get $bptr)))
            (local.set $x (v128.load32_splat (i32.add (local.get $a0) (local.get $ao))))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $a1) (local.get $ao))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $a2) (local.get $ao))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $a3) (local.get $ao))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $bptr (i32.add (local.get $bptr) (i32.const 32)))
            (local.set $ao (i32.add (local.get $ao) (local.get $acs)))
            (br_if $inner (i32.lt_u (local.get $ao) (local.get $aend))))
          (v128.store (local.get $cptr) (local.get $c00))
          (v128.store offset=16 (local.get $cptr) (local.get $c01))
          (local.set $cptr (i32.add (local.get $cptr) (local.get $ldc)))
          (v128.store (local.get $cptr) (local.get $c10))
          (v128.store offset=16 (local.get $cptr) (local.get $c11))
          (local.set $cptr (i32.add (local.get $cptr) (local.get $ldc)))
          (v128.store (local.get $cptr) (local.get $c20))
          (v128.store offset=16 (local.get $cptr) (local.get $c21))
          (local.set $cptr (i32.add (local.get $cptr) (local.get $ldc)))
          (v128.store (local.get $cptr) (local.get $c30))
          (v128.store offset=16 (local.get $cptr) (local.get $c31))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $cols (i32.lt_u (local.get $q) (local.get $panels))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))
  )

  ;; Packs B into 8-column panels at dst: dst[(q·k + p)·8 + j] = B(p, 8q + j), 0 where 8q + j ≥ n.
  ;; B(p, j) is at src + p·rs + j·cs: a row-major [k × n] B has rs = 4n, cs = 4; Wᵀ for a
  ;; row-major W [n × k] has rs = 4, cs = 4k.
  ;; Rows of contiguous floats (cs = 4) go 8 at a time, a row of B at a time (measured on
  ;; 784×64: the column-by-column copy below took ≈ 10% of an MNIST MLP step).
  (func (export "pack")
    (param $src i32) (param $rs i32) (param $cs i32) (param $dst i32) (param $k i32) (param $n i32)
    (local $j i32) (local $p i32) (local $s i32) (local $d i32) (local $full i32) (local $q i32)
    (local $panelbytes i32) (local $tail i32)
    (if (i32.eq (local.get $cs) (i32.const 4))
      (then
        (local.set $full (i32.shr_u (local.get $n) (i32.const 3)))
        (local.set $tail (i32.and (local.get $n) (i32.const 7)))
        (local.set $panelbytes (i32.shl (local.get $k) (i32.const 5)))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $rs))))
            (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
            (local.set $q (i32.const 0))
            (block $panels_done
              (loop $panels
                (br_if $panels_done (i32.ge_u (local.get $q) (local.get $full)))
                (v128.store (local.get $d) (v128.load (local.get $s)))
                (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
                (local.set $s (i32.add (local.get $s) (i32.const 32)))
                (local.set $d (i32.add (local.get $d) (local.get $panelbytes)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $panels)))
            (if (local.get $tail)
              (then
                (local.set $j (i32.const 0))
                (loop $lanes
                  (f32.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2)))
                    (select
                      (f32.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))))
                      (f32.const 0)
                      (i32.lt_u (local.get $j) (local.get $tail))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $lanes (i32.lt_u (local.get $j) (i32.const 8))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (return)))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
        ;; column j lands in panel j/8, lane j%8: dst + (j/8)·32k + 4·(j%8), then every 32 bytes.
        (local.set $d (i32.add (local.get $dst)
          (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (i32.shl (local.get $k) (i32.const 5)))
                   (i32.shl (i32.and (local.get $j) (i32.const 7)) (i32.const 2)))))
        (local.set $p (i32.const 0))
        (if (i32.lt_u (local.get $j) (local.get $n))
          (then
            (local.set $s (i32.add (local.get $src) (i32.mul (local.get $j) (local.get $cs))))
            (loop $copy
              (f32.store (local.get $d) (f32.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $rs)))
              (local.set $d (i32.add (local.get $d) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $copy (i32.lt_u (local.get $p) (local.get $k)))))
          (else
            (loop $zero
              (f32.store (local.get $d) (f32.const 0))
              (local.set $d (i32.add (local.get $d) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $zero (i32.lt_u (local.get $p) (local.get $k))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))
  )
)
