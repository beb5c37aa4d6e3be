;; nodegrad convolution kernels for channels-last images, on the arena's memory as gemm.wat:
;; conv_nn and conv_tn are gemm.wat's 4×8 register tile with the column matrix implicit (each tile
;; row reads its window straight from a zero-padded image, so no im2col copy is made); im2col and
;; col2im serve the one case they do not cover (the input gradient of a strided convolution or of
;; few channels); the rest are the small row operations around them. Addresses and strides are in
;; bytes. Assembled by scripts/build-wasm.mjs (wabt), with a relaxed-SIMD twin as gemm.wat.
(module
  (import "env" "memory" (memory 1))

  ;; n bytes (a multiple of 4) of zeros at dst.
  (func $zero (param $dst i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $n)))
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.const 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $tail))))

  ;; Copies n bytes (a multiple of 4) from src to dst (regions do not overlap).
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $n)))
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; dst[i] += src[i] over n bytes (a multiple of 4).
  (func $addto (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $n)))
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; The geometry, set once per call by `geometry` (globals keep the per-row functions' signatures short).
  (global $inH (mut i32) (i32.const 0))
  (global $inW (mut i32) (i32.const 0))
  (global $inC (mut i32) (i32.const 0))
  (global $kh (mut i32) (i32.const 0))
  (global $kw (mut i32) (i32.const 0))
  (global $sh (mut i32) (i32.const 0))
  (global $sw (mut i32) (i32.const 0))
  (global $padTop (mut i32) (i32.const 0))
  (global $padLeft (mut i32) (i32.const 0))
  (global $outH (mut i32) (i32.const 0))
  (global $outW (mut i32) (i32.const 0))

  (func (export "geometry")
    (param $inH i32) (param $inW i32) (param $inC i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (param $outH i32) (param $outW i32)
    (global.set $inH (local.get $inH))
    (global.set $inW (local.get $inW))
    (global.set $inC (local.get $inC))
    (global.set $kh (local.get $kh))
    (global.set $kw (local.get $kw))
    (global.set $sh (local.get $sh))
    (global.set $sw (local.get $sw))
    (global.set $padTop (local.get $padTop))
    (global.set $padLeft (local.get $padLeft))
    (global.set $outH (local.get $outH))
    (global.set $outW (local.get $outW)))

  ;; Byte offset of output pixel r's window origin in the padded image (padTop = padLeft = 0 there).
  (func $origin (param $r i32) (result i32)
    (local $pix i32) (local $b i32) (local $rem i32)
    (local.set $pix (i32.mul (global.get $outH) (global.get $outW)))
    (local.set $b (i32.div_u (local.get $r) (local.get $pix)))
    (local.set $rem (i32.rem_u (local.get $r) (local.get $pix)))
    (i32.shl
      (i32.mul
        (i32.add
          (i32.mul
            (i32.add (i32.mul (local.get $b) (global.get $inH))
                     (i32.mul (i32.div_u (local.get $rem) (global.get $outW)) (global.get $sh)))
            (global.get $inW))
          (i32.mul (i32.rem_u (local.get $rem) (global.get $outW)) (global.get $sw)))
        (global.get $inC))
      (i32.const 2)))

  ;; C[pixels r0 .. r1-1 (rounded up to 4) × 8·panels] (+)= col(img) · W, the column matrix implicit:
  ;; img is the zero-padded image (geometry's inH × inW, no padding left to apply), W [kh·kw·inC × n]
  ;; in 8-column panels (gemm.wat's pack). Row r of C at c + (r - r0)·ldc. Tile rows past rend - 1
  ;; read pixel rend - 1 and write the rows after r1 (slack the caller leaves).
  (func (export "conv_nn")
    (param $img i32) (param $b i32) (param $c i32) (param $ldc i32)
    (param $r0 i32) (param $r1 i32) (param $rend i32) (param $panels i32) (param $acc i32)
    (local $r i32) (local $q i32) (local $last i32) (local $ky i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $ao i32) (local $aend i32) (local $rowbytes i32) (local $rowskip i32) (local $panelbytes i32)
    (local $bptr i32) (local $cptr i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowbytes (i32.shl (i32.mul (global.get $kw) (global.get $inC)) (i32.const 2)))
    (local.set $rowskip (i32.sub (i32.shl (i32.mul (global.get $inW) (global.get $inC)) (i32.const 2)) (local.get $rowbytes)))
    (local.set $panelbytes (i32.shl (i32.mul (global.get $kh) (local.get $rowbytes)) (i32.const 3)))
    (if (i32.or (i32.eqz (local.get $rowbytes)) (i32.eqz (global.get $kh))) (then (return)))
    (local.set $last (i32.sub (local.get $rend) (i32.const 1)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $a0 (i32.add (local.get $img) (call $origin (local.get $r))))
        (local.set $a1 (i32.add (local.get $img) (call $origin
          (select (i32.add (local.get $r) (i32.const 1)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $rend))))))
        (local.set $a2 (i32.add (local.get $img) (call $origin
          (select (i32.add (local.get $r) (i32.const 2)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rend))))))
        (local.set $a3 (i32.add (local.get $img) (call $origin
          (select (i32.add (local.get $r) (i32.const 3)) (local.get $last) (i32.lt_u (i32.add (local.get $r) (i32.const 3)) (local.get $rend))))))
        (local.set $q (i32.const 0))
        (loop $cols
          (local.set $cptr (i32.add (i32.add (local.get $c) (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $ldc)))
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
          (local.set $ky (i32.const 0))
          (loop $kys
            (local.set $aend (i32.add (local.get $ao) (local.get $rowbytes)))
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
              (local.set $ao (i32.add (local.get $ao) (i32.const 4)))
              (br_if $inner (i32.lt_u (local.get $ao) (local.get $aend))))
            (local.set $ao (i32.add (local.get $ao) (local.get $rowskip)))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br_if $kys (i32.lt_u (local.get $ky) (global.get $kh))))
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
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows))))

  ;; Byte offset of column p of the column matrix inside a window of the padded image
  ;; (p = (ky·kw + kx)·inC + c); 0 past the last column (those tile rows are thrown away).
  (func $tap (param $p i32) (result i32)
    (local $row i32)
    (local.set $row (i32.mul (global.get $kw) (global.get $inC)))
    (if (result i32) (i32.ge_u (local.get $p) (i32.mul (global.get $kh) (local.get $row)))
      (then (i32.const 0))
      (else
        (i32.shl
          (i32.add (i32.mul (i32.mul (i32.div_u (local.get $p) (local.get $row)) (global.get $inW)) (global.get $inC))
                   (i32.rem_u (local.get $p) (local.get $row)))
          (i32.const 2)))))

  ;; dW[kh·kw·inC (rounded up to 4) × 8·panels] (+)= col(img)ᵀ · dy over the pixels r0 .. r1-1: the
  ;; column matrix implicit, as conv_nn. dy in 8-column panels of M rows (pack with k = M): panel q's
  ;; row r at dyp + 32·(q·M + r). Row i of dW at dw + i·ldc.
  (func (export "conv_tn")
    (param $img i32) (param $dyp i32) (param $M i32) (param $dw i32) (param $ldc i32)
    (param $r0 i32) (param $r1 i32) (param $panels i32) (param $acc i32)
    (local $i i32) (local $q i32) (local $K i32) (local $r i32) (local $pix i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $ox i32) (local $oy i32) (local $bimg i32) (local $base i32) (local $xstep i32) (local $rowstep i32)
    (local $bptr i32) (local $cptr i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (if (i32.ge_u (local.get $r0) (local.get $r1)) (then (return)))
    (local.set $K (i32.mul (i32.mul (global.get $kh) (global.get $kw)) (global.get $inC)))
    (local.set $pix (i32.mul (global.get $outH) (global.get $outW)))
    (local.set $xstep (i32.shl (i32.mul (global.get $sw) (global.get $inC)) (i32.const 2)))
    (local.set $rowstep (i32.shl (i32.mul (i32.mul (global.get $sh) (global.get $inW)) (global.get $inC)) (i32.const 2)))
    (block $tiles_done
      (loop $tiles
        (br_if $tiles_done (i32.ge_u (local.get $i) (local.get $K)))
        (local.set $o0 (call $tap (local.get $i)))
        (local.set $o1 (call $tap (i32.add (local.get $i) (i32.const 1))))
        (local.set $o2 (call $tap (i32.add (local.get $i) (i32.const 2))))
        (local.set $o3 (call $tap (i32.add (local.get $i) (i32.const 3))))
        (local.set $q (i32.const 0))
        (loop $cols
          (local.set $cptr (i32.add (i32.add (local.get $dw) (i32.mul (local.get $i) (local.get $ldc)))
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
          (local.set $bptr (i32.add (local.get $dyp) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $M)) (local.get $r0)) (i32.const 5))))
          ;; Walk the pixels from r0: the window origin moves by one stride, or to the next output row.
          (local.set $bimg (i32.div_u (local.get $r0) (local.get $pix)))
          (local.set $oy (i32.rem_u (local.get $r0) (local.get $pix)))
          (local.set $ox (i32.rem_u (local.get $oy) (global.get $outW)))
          (local.set $oy (i32.div_u (local.get $oy) (global.get $outW)))
          (local.set $base (i32.add (local.get $img) (call $origin (local.get $r0))))
          (local.set $r (local.get $r0))
          (loop $inner
            (local.set $b0 (v128.load (local.get $bptr)))
            (local.set $b1 (v128.load offset=16 (local.get $bptr)))
            (local.set $x (v128.load32_splat (i32.add (local.get $base) (local.get $o0))))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $base) (local.get $o1))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $base) (local.get $o2))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (i32.add (local.get $base) (local.get $o3))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $bptr (i32.add (local.get $bptr) (i32.const 32)))
            (local.set $base (i32.add (local.get $base) (local.get $xstep)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (if (i32.eq (local.get $ox) (global.get $outW))
              (then
                (local.set $ox (i32.const 0))
                (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
                (if (i32.eq (local.get $oy) (global.get $outH))
                  (then
                    (local.set $oy (i32.const 0))
                    (local.set $bimg (i32.add (local.get $bimg) (i32.const 1)))))
                (local.set $base (i32.add (local.get $img)
                  (i32.add (i32.mul (local.get $oy) (local.get $rowstep))
                           (i32.shl (i32.mul (i32.mul (i32.mul (local.get $bimg) (global.get $inH)) (global.get $inW)) (global.get $inC))
                                    (i32.const 2)))))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br_if $inner (i32.lt_u (local.get $r) (local.get $r1))))
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
        (br $tiles))))

  ;; Copies images [batch × H × W × C] at src into [batch × Hp × Wp × C] at dst with `top` rows and
  ;; `left` columns of zeros before them and zeros after (top + H ≤ Hp, left + W ≤ Wp).
  (func (export "pad")
    (param $src i32) (param $dst i32) (param $batch i32) (param $H i32) (param $W i32) (param $C i32)
    (param $Hp i32) (param $Wp i32) (param $top i32) (param $left i32)
    (local $b i32) (local $y i32) (local $pixbytes i32) (local $rowbytes i32)
    (local.set $pixbytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowbytes (i32.mul (local.get $Wp) (local.get $pixbytes)))
    (block $done
      (loop $images
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $y (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $y) (local.get $Hp)))
            (if (i32.or (i32.lt_u (local.get $y) (local.get $top))
                        (i32.ge_u (local.get $y) (i32.add (local.get $top) (local.get $H))))
              (then (call $zero (local.get $dst) (local.get $rowbytes)))
              (else
                (call $zero (local.get $dst) (i32.mul (local.get $left) (local.get $pixbytes)))
                (call $copy (i32.add (local.get $dst) (i32.mul (local.get $left) (local.get $pixbytes)))
                            (local.get $src) (i32.mul (local.get $W) (local.get $pixbytes)))
                (call $zero (i32.add (local.get $dst) (i32.mul (i32.add (local.get $left) (local.get $W)) (local.get $pixbytes)))
                            (i32.mul (i32.sub (i32.sub (local.get $Wp) (local.get $left)) (local.get $W)) (local.get $pixbytes)))
                (local.set $src (i32.add (local.get $src) (i32.mul (local.get $W) (local.get $pixbytes))))))
            (local.set $dst (i32.add (local.get $dst) (local.get $rowbytes)))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images))))

  ;; The kernel of the transposed convolution: dst[taps-1-s][f][c] = src[s][c][f] for s < taps
  ;; (taps = kh·kw: reversing the tap index flips both spatial axes), c < C, f < N.
  (func (export "flip")
    (param $src i32) (param $dst i32) (param $taps i32) (param $C i32) (param $N i32)
    (local $s i32) (local $c i32) (local $f i32) (local $block i32) (local $out i32)
    (local.set $block (i32.shl (i32.mul (local.get $C) (local.get $N)) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $s) (local.get $taps)))
        (local.set $out (i32.add (local.get $dst)
          (i32.mul (i32.sub (i32.sub (local.get $taps) (i32.const 1)) (local.get $s)) (local.get $block))))
        (local.set $c (i32.const 0))
        (block $cs_done
          (loop $cs
            (br_if $cs_done (i32.ge_u (local.get $c) (local.get $C)))
            (local.set $f (i32.const 0))
            (block $fs_done
              (loop $fs
                (br_if $fs_done (i32.ge_u (local.get $f) (local.get $N)))
                (f32.store
                  (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $f) (local.get $C)) (local.get $c)) (i32.const 2)))
                  (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $fs)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cs)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $each))))

  ;; dst[i] += src[i] for n floats.
  (func (export "add") (param $dst i32) (param $src i32) (param $n i32)
    (call $addto (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 2))))

  ;; Walks the rows r0 .. r1-1 of the column matrix (row r = output pixel r of the batch, its
  ;; kh·kw·inC window values in (ky, kx, c) order, stride ldcol bytes from col). mode 0 (im2col):
  ;; writes each window from the image x, zeros where it hangs over the padding. mode 1 (col2im):
  ;; adds each row back into the image gradient x where the window lies inside it.
  ;; NOTE: channels last makes the kx·inC values of one window row contiguous in the image, so
  ;; each (row, ky) is one copy (or add) of the part inside the image and zeros around it.
  (func $walk (param $mode i32) (param $x i32) (param $col i32) (param $ldcol i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $pix i32) (local $b i32) (local $oy i32) (local $ox i32)
    (local $iy i32) (local $ix0 i32) (local $kxa i32) (local $kxb i32) (local $ky i32)
    (local $dst i32) (local $pixbytes i32) (local $rowbytes i32) (local $inner i32) (local $src i32)
    (local.set $pixbytes (i32.shl (global.get $inC) (i32.const 2)))
    (local.set $rowbytes (i32.mul (global.get $kw) (local.get $pixbytes)))
    (local.set $pix (i32.mul (global.get $outH) (global.get $outW)))
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $b (i32.div_u (local.get $r) (local.get $pix)))
        (local.set $oy (i32.rem_u (local.get $r) (local.get $pix)))
        (local.set $ox (i32.rem_u (local.get $oy) (global.get $outW)))
        (local.set $oy (i32.div_u (local.get $oy) (global.get $outW)))
        (local.set $ix0 (i32.sub (i32.mul (local.get $ox) (global.get $sw)) (global.get $padLeft)))
        ;; kx in [kxa, kxb) lies inside the image.
        (local.set $kxa (select (i32.sub (i32.const 0) (local.get $ix0)) (i32.const 0)
          (i32.lt_s (local.get $ix0) (i32.const 0))))
        (local.set $kxb (i32.sub (global.get $inW) (local.get $ix0)))
        (if (i32.gt_s (local.get $kxb) (global.get $kw)) (then (local.set $kxb (global.get $kw))))
        (local.set $dst (i32.add (local.get $col) (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $ldcol))))
        (local.set $ky (i32.const 0))
        (block $ky_done
          (loop $kys
            (br_if $ky_done (i32.ge_u (local.get $ky) (global.get $kh)))
            (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (global.get $sh)) (global.get $padTop)) (local.get $ky)))
            (if (i32.or (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (global.get $inH)))
                        (i32.le_s (local.get $kxb) (local.get $kxa)))
              (then (if (i32.eqz (local.get $mode)) (then (call $zero (local.get $dst) (local.get $rowbytes)))))
              (else
                (local.set $src (i32.add (local.get $x)
                  (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (global.get $inH)) (local.get $iy)) (global.get $inW))
                                    (i32.add (local.get $ix0) (local.get $kxa)))
                           (local.get $pixbytes))))
                (local.set $inner (i32.mul (i32.sub (local.get $kxb) (local.get $kxa)) (local.get $pixbytes)))
                (if (i32.eqz (local.get $mode))
                  (then
                    (call $zero (local.get $dst) (i32.mul (local.get $kxa) (local.get $pixbytes)))
                    (call $copy (i32.add (local.get $dst) (i32.mul (local.get $kxa) (local.get $pixbytes))) (local.get $src) (local.get $inner))
                    (call $zero (i32.add (local.get $dst) (i32.mul (local.get $kxb) (local.get $pixbytes)))
                                (i32.mul (i32.sub (global.get $kw) (local.get $kxb)) (local.get $pixbytes))))
                  (else
                    (call $addto (local.get $src) (i32.add (local.get $dst) (i32.mul (local.get $kxa) (local.get $pixbytes))) (local.get $inner))))))
            (local.set $dst (i32.add (local.get $dst) (local.get $rowbytes)))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kys)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  (func (export "im2col") (param $x i32) (param $col i32) (param $ldcol i32) (param $r0 i32) (param $r1 i32)
    (call $walk (i32.const 0) (local.get $x) (local.get $col) (local.get $ldcol) (local.get $r0) (local.get $r1)))

  (func (export "col2im") (param $dx i32) (param $col i32) (param $ldcol i32) (param $r0 i32) (param $r1 i32)
    (call $walk (i32.const 1) (local.get $dx) (local.get $col) (local.get $ldcol) (local.get $r0) (local.get $r1)))

  ;; Each of `rows` rows (stride ld bytes from dst) starts as the n floats at src (the bias).
  (func (export "broadcast") (param $dst i32) (param $ld i32) (param $rows i32) (param $src i32) (param $n i32)
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $rows)))
        (call $copy (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (local.get $ld)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))

  ;; Packs `rows` rows of n floats (stride ld bytes) contiguously at src, in place.
  ;; NOTE: memory.copy moves overlapping bytes correctly (memmove), and row i never lands past row i+1.
  (func (export "compact") (param $src i32) (param $ld i32) (param $rows i32) (param $n i32)
    (local $dst i32) (local $nbytes i32)
    (local.set $nbytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $dst (local.get $src))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $rows)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $nbytes))
        (local.set $dst (i32.add (local.get $dst) (local.get $nbytes)))
        (local.set $src (i32.add (local.get $src) (local.get $ld)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))

  ;; sums[j] = Σ over `rows` contiguous rows of n floats at src of src[row][j] (the bias gradient).
  (func (export "colsum") (param $src i32) (param $rows i32) (param $n i32) (param $sums i32)
    (call $zero (local.get $sums) (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $rows)))
        (call $addto (local.get $sums) (local.get $src) (i32.shl (local.get $n) (i32.const 2)))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))
)
