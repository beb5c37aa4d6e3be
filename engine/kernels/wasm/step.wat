;; nodegrad's optimizer updates and element-wise steps on WebAssembly SIMD, over arrays in the
;; arena (byte addresses; n a multiple of 4: the caller does the last few floats itself). The same
;; updates as engine/optim/optimizers.ts, in float32 arithmetic, and the same element-wise rules
;; as engine/ops/activations.ts.
;; Assembled by scripts/build-wasm.mjs (wabt).
(module
  (import "env" "memory" (memory 1))

  ;; p ← p − lr·(g + decay·p)
  (func (export "sgd") (param $p i32) (param $g i32) (param $n i32) (param $lr f32) (param $decay f32)
    (local $end i32) (local $vlr v128) (local $vdecay v128) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (v128.store (local.get $p)
          (f32x4.sub (local.get $x)
            (f32x4.mul (local.get $vlr)
              (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $vdecay) (local.get $x))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $wide))))

  ;; gi = g + decay·p;  m ← μ·m + gi;  p ← p − lr·m   (the PyTorch form)
  (func (export "momentum")
    (param $p i32) (param $g i32) (param $m i32) (param $n i32) (param $lr f32) (param $decay f32) (param $mu f32)
    (local $end i32) (local $vlr v128) (local $vdecay v128) (local $vmu v128) (local $x v128) (local $v v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vlr (f32x4.splat (local.get $lr)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vmu (f32x4.splat (local.get $mu)))
    (block $done
      (loop $wide
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $v
          (f32x4.add (f32x4.mul (local.get $vmu) (v128.load (local.get $m)))
                     (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $vdecay) (local.get $x)))))
        (v128.store (local.get $m) (local.get $v))
        (v128.store (local.get $p) (f32x4.sub (local.get $x) (f32x4.mul (local.get $vlr) (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (br $wide))))

  ;; gi = g + decay·p;  m ← β1·m + (1−β1)·gi;  v ← β2·v + (1−β2)·gi²;
  ;; p ← p − (lr·m/c1) / (√(v/c2) + ε)   with c1 = 1 − β1^t, c2 = 1 − β2^t
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $lr f32) (param $decay f32) (param $b1 f32) (param $b2 f32) (param $eps f32) (param $c1 f32) (param $c2 f32)
    (local $end i32) (local $i i32)
    (local $x v128) (local $gi v128) (local $mi v128) (local $vi v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $wide
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $p) (local.get $i))))
        (local.set $gi (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i)))
                                  (f32x4.mul (f32x4.splat (local.get $decay)) (local.get $x))))
        (local.set $mi (f32x4.add (f32x4.mul (f32x4.splat (local.get $b1)) (v128.load (i32.add (local.get $m) (local.get $i))))
                                  (f32x4.mul (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))) (local.get $gi))))
        (local.set $vi (f32x4.add (f32x4.mul (f32x4.splat (local.get $b2)) (v128.load (i32.add (local.get $v) (local.get $i))))
                                  (f32x4.mul (f32x4.splat (f32.sub (f32.const 1) (local.get $b2)))
                                             (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.sub (local.get $x)
            (f32x4.div (f32x4.mul (f32x4.splat (local.get $lr)) (f32x4.div (local.get $mi) (f32x4.splat (local.get $c1))))
                       (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vi) (f32x4.splat (local.get $c2))))
                                  (f32x4.splat (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide))))
  ;; y = max(x, 0); NaN stays NaN (f32x4.max propagates it), -0 and -Infinity give 0.
  (func (export "relu") (param $x i32) (param $y i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $wide
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.max (v128.load (i32.add (local.get $x) (local.get $i))) (v128.const i32x4 0 0 0 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide))))

  ;; dx += dy where x is not below 0 (relu'(±0) = 1, and for NaN): dy with the lanes where x < 0 cleared.
  (func (export "relu_backward") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $wide
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dx) (local.get $i)))
            (v128.andnot (v128.load (i32.add (local.get $dy) (local.get $i)))
                         (f32x4.lt (v128.load (i32.add (local.get $x) (local.get $i))) (v128.const i32x4 0 0 0 0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide))))

  ;; y[r][j] += b[j] for `rows` rows of n floats (n a multiple of 4 here).
  (func (export "bias") (param $y i32) (param $b i32) (param $rows i32) (param $n i32)
    (local $j i32) (local $row i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $rowsloop
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $row)))
            (v128.store (i32.add (local.get $y) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $y) (local.get $j))) (v128.load (i32.add (local.get $b) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $y (i32.add (local.get $y) (local.get $row)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $rowsloop))))
  ;; y = a·y + b·x (a data-parallel step's halves of a gradient, weighted by their rows).
  (func (export "scale_add") (param $y i32) (param $x i32) (param $n i32) (param $a f32) (param $b f32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $wide
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f32x4.add (f32x4.mul (f32x4.splat (local.get $a)) (v128.load (i32.add (local.get $y) (local.get $i))))
                     (f32x4.mul (f32x4.splat (local.get $b)) (v128.load (i32.add (local.get $x) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide))))
  ;; 1 when all n floats at $x are finite, else 0 (n a multiple of 4). x − x is 0 for a finite x and
  ;; NaN for ±Infinity and NaN; NaNs stay NaN through the sums, so one comparison per 64 floats tells.
  (func (export "all_finite") (param $x i32) (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $block i32) (local $acc v128) (local $v v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $block (i32.add (local.get $i) (i32.const 256)))
        (if (i32.gt_u (local.get $block) (local.get $end)) (then (local.set $block (local.get $end))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (block $inner_done
          (loop $inner
            (br_if $inner_done (i32.ge_u (local.get $i) (local.get $block)))
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.sub (local.get $v) (local.get $v))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $inner)))
        ;; NaN ≠ NaN: a lane that is not equal to itself saw a non-finite value.
        (if (v128.any_true (f32x4.ne (local.get $acc) (local.get $acc))) (then (return (i32.const 0))))
        (br $blocks)))
    (i32.const 1))
  ;; Max pooling, channels last, 4 channels at a time (inC a multiple of 4): y = the maximum of each
  ;; kh × kw window (valid, strides sh × sw), win = its offset ky·kw + kx as a float, the first in
  ;; row-major order (a later value wins only when greater, so a NaN first value stays), as pool.ts.
  (func (export "maxpool")
    (param $x i32) (param $y i32) (param $win i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $inC i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $outH i32) (param $outW i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $c i32) (local $ky i32) (local $kx i32)
    (local $first i32) (local $at i32) (local $pix i32) (local $rowbytes i32) (local $cbytes i32)
    (local $best v128) (local $idx v128) (local $v v128) (local $m v128)
    (local.set $pix (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $rowbytes (i32.mul (local.get $inW) (local.get $pix)))
    (local.set $cbytes (local.get $pix))
    (block $b_done (loop $bs
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oys
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $oxs
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          ;; The window's first pixel, channel 0.
          (local.set $first (i32.add (local.get $x)
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.mul (local.get $oy) (local.get $sh)))
                              (local.get $rowbytes))
                     (i32.mul (i32.mul (local.get $ox) (local.get $sw)) (local.get $pix)))))
          (local.set $c (i32.const 0))
          (block $c_done (loop $cs
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $cbytes)))
            (local.set $best (v128.load (i32.add (local.get $first) (local.get $c))))
            (local.set $idx (v128.const i32x4 0 0 0 0))
            (local.set $ky (i32.const 0))
            (block $ky_done (loop $kys
              (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $kh)))
              (local.set $kx (i32.const 0))
              (block $kx_done (loop $kxs
                (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $kw)))
                (local.set $v (v128.load (i32.add (i32.add (local.get $first) (local.get $c))
                  (i32.add (i32.mul (local.get $ky) (local.get $rowbytes)) (i32.mul (local.get $kx) (local.get $pix))))))
                (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                (local.set $idx (v128.bitselect
                  (f32x4.splat (f32.convert_i32_u (i32.add (i32.mul (local.get $ky) (local.get $kw)) (local.get $kx))))
                  (local.get $idx) (local.get $m)))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br $kxs)))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kys)))
            (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $best))
            (v128.store (i32.add (local.get $win) (local.get $at)) (local.get $idx))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cs)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxs)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oys)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bs))))
  ;; Max pooling's backward, channels last, 4 channels at a time (inC a multiple of 4): dx += dy at
  ;; each window's winner (win, as maxpool writes it). Each window position adds dy in the lanes whose
  ;; winner it is (a select instead of a scatter), so overlapping windows add up as pool.ts's loop does.
  (func (export "maxpool_backward")
    (param $dy i32) (param $win i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $inC i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $outH i32) (param $outW i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $c i32) (local $ky i32) (local $kx i32)
    (local $first i32) (local $at i32) (local $pix i32) (local $rowbytes i32) (local $p i32)
    (local $g v128) (local $w v128) (local $d i32)
    (local.set $pix (i32.shl (local.get $inC) (i32.const 2)))
    (local.set $rowbytes (i32.mul (local.get $inW) (local.get $pix)))
    (block $b_done (loop $bs
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oys
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $oxs
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          (local.set $first (i32.add (local.get $dx)
            (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (i32.mul (local.get $oy) (local.get $sh)))
                              (local.get $rowbytes))
                     (i32.mul (i32.mul (local.get $ox) (local.get $sw)) (local.get $pix)))))
          (local.set $c (i32.const 0))
          (block $c_done (loop $cs
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $pix)))
            (local.set $g (v128.load (i32.add (local.get $dy) (local.get $at))))
            (local.set $w (v128.load (i32.add (local.get $win) (local.get $at))))
            (local.set $ky (i32.const 0))
            (local.set $p (i32.const 0))
            (block $ky_done (loop $kys
              (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $kh)))
              (local.set $kx (i32.const 0))
              (block $kx_done (loop $kxs
                (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $kw)))
                (local.set $d (i32.add (i32.add (local.get $first) (local.get $c))
                  (i32.add (i32.mul (local.get $ky) (local.get $rowbytes)) (i32.mul (local.get $kx) (local.get $pix)))))
                (v128.store (local.get $d)
                  (f32x4.add (v128.load (local.get $d))
                    (v128.and (local.get $g)
                      (f32x4.eq (local.get $w) (f32x4.splat (f32.convert_i32_u (local.get $p)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br $kxs)))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kys)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $cs)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxs)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oys)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bs))))
)
