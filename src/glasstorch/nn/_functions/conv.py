"""Convolution as one matrix product over sliding windows (im2col), and its backward by col2im (torch's
ConvolutionBackward0).

The two helpers below are shared with pooling (``pooling.py``): ``windows`` looks at every kernel-sized patch of an
input without copying it, and ``add_windows`` is its adjoint, adding each patch's gradient back where the patch
came from.
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import Function

_sliding_window_view = np.lib.stride_tricks.sliding_window_view


def windows(x, kernel: tuple, stride: tuple, dilation: tuple):
    """The patches of x (N, C, H, W) as a view (N, C, OH, OW, kh, kw), without copying:
    view[n, c, i, j, a, b] = x[n, c, i·sh + a·dh, j·sw + b·dw]  (OH = (H − dh·(kh − 1) − 1) // sh + 1, OW alike)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1  # the extent of one dilated kernel
    view = _sliding_window_view(x, (span_h, span_w), axis=(2, 3))  # every position, stride 1, undilated
    return view[:, :, ::sh, ::sw, ::dh, ::dw]


def add_windows(grad_windows, shape: tuple, stride: tuple, dilation: tuple):
    """The adjoint of ``windows`` (col2im): grad_windows (..., OH, OW, kh, kw) → an array of ``shape`` (..., H, W)
    where each element gets the sum of the gradients of every patch position that read it.
    One strided slice per kernel offset (kh·kw vectorised additions), instead of a scatter per element."""
    oh, ow, kh, kw = grad_windows.shape[-4:]
    (sh, sw), (dh, dw) = stride, dilation
    grad = np.zeros(shape, dtype=grad_windows.dtype)
    for a in range(kh):
        rows = slice(a * dh, a * dh + sh * (oh - 1) + 1, sh)
        for b in range(kw):
            grad[..., rows, b * dw:b * dw + sw * (ow - 1) + 1:sw] += grad_windows[..., a, b]
    return grad


class Convolution(Function):
    """2-d cross-correlation (conv1d runs as conv2d on a height of 1), with zero padding, stride, dilation, groups:

        out[n, o, i, j] = b[o] + Σ_{c in o's group, a, b'} w[o, c, a, b'] · x_pad[n, c, i·sh + a·dh, j·sw + b'·dw]

    Written as a matrix product per group g: the patches of x become rows of a matrix X_cols (N·OH·OW, C_g·kh·kw)
    (im2col), the weight a matrix W_g (O_g, C_g·kh·kw), and out_g = X_cols · W_gᵀ. Backward, with G_g the output
    gradient as a (N·OH·OW, O_g) matrix:
        ∂L/∂W_g = G_gᵀ · X_cols       ∂L/∂b = Σ_{n,i,j} g[n, :, i, j]
        ∂L/∂X_cols = G_g · W_g, then col2im adds every patch's gradient back to the input positions it read
        (``add_windows``), and the padding border is cut off.
    """

    backward_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation, groups):
        one_d = x.ndim == 3  # (N, C, L): a (N, C, 1, L) image with a (O, C_g, 1, k) kernel
        if one_d:
            x, weight = x[:, :, None, :], weight[:, :, None, :]
            stride, padding, dilation = (1,) + stride, (0,) + padding, (1,) + dilation
        (ph, pw) = padding
        if ph or pw:
            x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        n, c = x.shape[:2]
        out_channels, c_group, kh, kw = weight.shape
        patches = windows(x, (kh, kw), stride, dilation)  # (N, C, OH, OW, kh, kw), a view
        oh, ow = patches.shape[2:4]
        # im2col: one row per (sample, output position) and group, one column per (channel of the group, kh, kw)
        cols = patches.reshape(n, groups, c_group, oh, ow, kh * kw).transpose(1, 0, 3, 4, 2, 5)
        cols = cols.reshape(groups, n * oh * ow, c_group * kh * kw)  # (the one copy)
        w_mat = weight.reshape(groups, out_channels // groups, c_group * kh * kw)
        out = np.matmul(cols, w_mat.transpose(0, 2, 1))  # (G, N·OH·OW, O_g)
        out = out.reshape(groups, n, oh, ow, out_channels // groups).transpose(1, 0, 4, 2, 3).reshape(n, out_channels, oh, ow)
        if bias is not None:
            out += bias.reshape(1, -1, 1, 1)
        ctx.save_for_backward(cols, w_mat)
        ctx.geometry = (x.shape, weight.shape, stride, padding, dilation, groups, one_d)
        return out[:, :, 0, :] if one_d else out

    @staticmethod
    def backward(ctx, g):
        cols, w_mat = ctx.saved_tensors
        padded_shape, weight_shape, stride, (ph, pw), dilation, groups, one_d = ctx.geometry
        if one_d:
            g = g[:, :, None, :]
        n, out_channels, oh, ow = g.shape
        g_mat = g.reshape(n, groups, out_channels // groups, oh, ow).transpose(1, 0, 3, 4, 2)
        g_mat = g_mat.reshape(groups, n * oh * ow, out_channels // groups)  # (G, N·OH·OW, O_g)
        grad_x = grad_w = grad_b = None
        if ctx.inputs[0] is not None:
            grad_cols = np.matmul(g_mat, w_mat)  # (G, N·OH·OW, C_g·kh·kw)
            _, c_group, kh, kw = weight_shape
            # a view (N, G, C_g, OH, OW, kh, kw), added into a (N, G, C_g, H, W) view of the input's gradient
            grad_cols = grad_cols.reshape(groups, n, oh, ow, c_group, kh, kw).transpose(1, 0, 4, 2, 3, 5, 6)
            grouped_shape = (n, groups, c_group) + padded_shape[2:]
            grad_x = add_windows(grad_cols, grouped_shape, stride, dilation).reshape(padded_shape)
            grad_x = grad_x[:, :, ph:padded_shape[2] - ph, pw:padded_shape[3] - pw]
            grad_x = np.ascontiguousarray(grad_x[:, :, 0, :] if one_d else grad_x)
        if ctx.inputs[1] is not None:
            grad_w = np.matmul(g_mat.transpose(0, 2, 1), cols).reshape(weight_shape)  # (G, O_g, C_g·kh·kw)
            if one_d:
                grad_w = grad_w[:, :, 0, :]
        if ctx.inputs[2] is not None:
            grad_b = g.sum(axis=(0, 2, 3))
        return grad_x, grad_w, grad_b, None, None, None, None
