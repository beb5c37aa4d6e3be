// What the image nodes' emitters share: the transposes between the engine's channels-last layout
// and ONNX's NCHW, and NumPy's im2col / col2im.
import type { OnnxNode } from './rules.ts';

/** [B, H, W, C] → [B, C, H, W]. */
export const toNchw = (input: string, output: string): OnnxNode => ({
  op: 'Transpose',
  inputs: [input],
  outputs: [output],
  attributes: { perm: { ints: [0, 3, 1, 2] } },
});

/** [B, C, H, W] → [B, H, W, C]. */
export const toNhwc = (input: string, output: string): OnnxNode => ({
  op: 'Transpose',
  inputs: [input],
  outputs: [output],
  attributes: { perm: { ints: [0, 2, 3, 1] } },
});

/** im2col and its adjoint col2im, channels last, as the textbooks write them (loops over the window). */
export const CONV_NUMPY_HELPERS = `
def im2col(x, kh, kw, sh, sw, pads):
    """x [B, H, W, C] -> [B, OH, OW, kh*kw*C]: each output pixel's window as one row (zeros where padded)."""
    top, bottom, left, right = pads
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    B, H, W, C = x.shape
    oh, ow = (H - kh) // sh + 1, (W - kw) // sw + 1
    cols = np.empty((B, oh, ow, kh, kw, C), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, i, j, :] = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
    return cols.reshape(B, oh, ow, kh * kw * C)


def col2im(dcols, x_shape, kh, kw, sh, sw, pads):
    """The adjoint of im2col: each window row's gradient is added back where that window read from."""
    top, bottom, left, right = pads
    B, H, W, C = x_shape
    _, oh, ow, _ = dcols.shape
    dcols = dcols.reshape(B, oh, ow, kh, kw, C)
    dx = np.zeros((B, H + top + bottom, W + left + right, C), dtype=dcols.dtype)
    for i in range(kh):
        for j in range(kw):
            dx[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :] += dcols[:, :, :, i, j, :]
    return dx[:, top:top + H, left:left + W, :]
`;
