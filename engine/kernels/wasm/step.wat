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
;; e^x in each lane (Cephes' expf, 4 lanes at a time): n = round(x·log₂e), r = x − n·ln 2 (ln 2 in
  ;; two parts, so r is exact), e^r by Cephes' degree-7 polynomial on |r| ≤ ln 2 / 2, times 2^n built
  ;; in the exponent bits. Within 1 ulp of Math.exp rounded to float32 for −87.33 ≤ x ≤ 88.37
  ;; (elementwise.test.ts sweeps it); below, where e^x is under the smallest normal float (1.2e-38),
  ;; 0; above, +Infinity (e^88.38 = 2.4e38, the largest float is e^88.72); NaN stays NaN; e^0 = 1.
  (func $exp4 (param $x v128) (result v128)
    (local $t v128) (local $n v128) (local $r v128) (local $p v128) (local $c v128)
    (local.set $c (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.33654475))) (f32x4.splat (f32.const 88.37626266))))
    ;; t = x·log₂e + 1.5·2²³ rounds to an integer in t's low mantissa bits: n = t − 1.5·2²³.
    (local.set $t (f32x4.add (f32x4.mul (local.get $c) (f32x4.splat (f32.const 1.44269504088896341))) (f32x4.splat (f32.const 12582912))))
    (local.set $n (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $c) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
                             (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
                             (f32x4.splat (f32.const 1))))
    ;; 2^n: n + 127 in the exponent field (n ≥ −126 after the clamp, so a normal float); t's bits are
    ;; 0x4B400000 + n, and 0x4B400000 shifted left by 23 is 0 in 32 bits.
    (local.set $p (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (local.get $t) (i32x4.splat (i32.const 127))) (i32.const 23))))
    ;; x below the clamp: 0; above: +Infinity (NaN compares false both ways and stays NaN).
    (local.set $p (v128.andnot (local.get $p) (f32x4.lt (local.get $x) (f32x4.splat (f32.const -87.33654475)))))
    (v128.bitselect (f32x4.splat (f32.const inf)) (local.get $p) (f32x4.gt (local.get $x) (f32x4.splat (f32.const 88.37626266)))))

  ;; y = e^x over n floats (n a multiple of 4), for tests of $exp4.
  (func (export "exp") (param $x i32) (param $y i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $wide
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $i)) (call $exp4 (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide))))

  ;; Softmax of each of `rows` rows of `cols` floats (cols ≥ 4), the row's maximum subtracted first, as
  ;; activations.ts softmaxRows (a NaN anywhere in a row makes the row NaN). A row's last 1–3 floats
  ;; past its whole groups of 4 go with the row's last 4 floats (overlapping the group before),
  ;; computed from x before anything is written, so y may be x.
  (func (export "softmax") (param $x i32) (param $y i32) (param $rows i32) (param $cols i32)
    (local $bytes i32) (local $whole i32) (local $i i32)
    (local $m v128) (local $s v128) (local $e v128) (local $tail v128) (local $mask v128)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $whole (i32.and (local.get $bytes) (i32.const -16)))
    ;; The tail's lanes not in a whole group: the last (bytes − whole)/4 of the 4.
    (local.set $mask (i32x4.gt_s (v128.const i32x4 0 1 2 3)
      (i32x4.splat (i32.sub (i32.const 3) (i32.shr_u (i32.sub (local.get $bytes) (local.get $whole)) (i32.const 2))))))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $m (v128.load (i32.sub (i32.add (local.get $x) (local.get $bytes)) (i32.const 16))))
        (local.set $i (i32.const 0))
        (block $max_done
          (loop $max
            (br_if $max_done (i32.ge_u (local.get $i) (local.get $whole)))
            (local.set $m (f32x4.max (local.get $m) (v128.load (i32.add (local.get $x) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $max)))
        (local.set $m (f32x4.max (local.get $m) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
        (local.set $m (f32x4.max (local.get $m) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m) (local.get $m))))
        (local.set $tail (call $exp4 (f32x4.sub (v128.load (i32.sub (i32.add (local.get $x) (local.get $bytes)) (i32.const 16))) (local.get $m))))
        (local.set $s (v128.and (local.get $tail) (local.get $mask)))
        (local.set $i (i32.const 0))
        (block $exp_done
          (loop $exps
            (br_if $exp_done (i32.ge_u (local.get $i) (local.get $whole)))
            (local.set $e (call $exp4 (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $m))))
            (v128.store (i32.add (local.get $y) (local.get $i)) (local.get $e))
            (local.set $s (f32x4.add (local.get $s) (local.get $e)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $exps)))
        (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s))))
        (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $s) (local.get $s))))
        (local.set $s (f32x4.div (f32x4.splat (f32.const 1)) (local.get $s)))
        (local.set $i (i32.const 0))
        (block $scale_done
          (loop $scale
            (br_if $scale_done (i32.ge_u (local.get $i) (local.get $whole)))
            (v128.store (i32.add (local.get $y) (local.get $i)) (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $i))) (local.get $s)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $scale)))
        (v128.store (i32.sub (i32.add (local.get $y) (local.get $bytes)) (i32.const 16)) (f32x4.mul (local.get $tail) (local.get $s)))
        (local.set $x (i32.add (local.get $x) (local.get $bytes)))
        (local.set $y (i32.add (local.get $y) (local.get $bytes)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $each))))

    ;; Copies `bytes` bytes from $src to $dst (a batch's row gathered from a split resident in the arena:
  ;; an MNIST batch of 100 rows in 9.6 µs alone, where a TypedArray's copyWithin on a shared memory took 39).
  (func (export "copy") (param $dst i32) (param $src i32) (param $bytes i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $bytes)))
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
