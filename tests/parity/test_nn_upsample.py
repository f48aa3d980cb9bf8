"""Parity with torch of F.interpolate / nn.Upsample (nearest, nearest-exact, linear, bilinear with both
align_corners, area; size or scale_factor, recompute_scale_factor), UpsamplingNearest2d / UpsamplingBilinear2d,
PixelShuffle / PixelUnshuffle and Unfold / Fold: values, gradients, node names, reprs and errors, plus float64
gradients against finite differences."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from glasstorch.autograd import gradcheck  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402


def node_name(fn, x):
    return fn(torch, torch.tensor(x, requires_grad=True)).grad_fn.name(), \
        fn(glasstorch, glasstorch.tensor(x, requires_grad=True)).grad_fn.name()


SIZES_4D = [dict(size=(5, 7)), dict(size=3), dict(size=(2, 9)), dict(scale_factor=2), dict(scale_factor=1.5),
            dict(scale_factor=(0.5, 2.7)), dict(scale_factor=1.7, recompute_scale_factor=True),
            dict(scale_factor=(3, 0.6), recompute_scale_factor=False), dict(size=(3, 4))]
MODES_4D = [dict(mode="nearest"), dict(mode="nearest-exact"), dict(mode="bilinear"),
            dict(mode="bilinear", align_corners=True), dict(mode="bilinear", align_corners=False), dict(mode="area")]


@pytest.mark.parametrize("sizing", SIZES_4D, ids=str)
@pytest.mark.parametrize("mode", MODES_4D, ids=str)
def test_interpolate_4d_matches_torch(sizing, mode):
    def fn(lib, x):
        return lib.nn.functional.interpolate(x, **sizing, **mode)
    check(fn, arr(2, 3, 3, 4), rtol=1e-5, atol=1e-6, grad_atol=1e-5)
    theirs, ours = node_name(fn, arr(2, 3, 3, 4))
    assert ours == theirs


@pytest.mark.parametrize("sizing", [dict(size=7), dict(size=(2,)), dict(scale_factor=2), dict(scale_factor=2.5),
                                    dict(scale_factor=0.4), dict(scale_factor=1.3, recompute_scale_factor=True)], ids=str)
@pytest.mark.parametrize("mode", [dict(mode="nearest"), dict(mode="nearest-exact"), dict(mode="linear"),
                                  dict(mode="linear", align_corners=True), dict(mode="area")], ids=str)
def test_interpolate_3d_matches_torch(sizing, mode):
    def fn(lib, x):
        return lib.nn.functional.interpolate(x, **sizing, **mode)
    check(fn, arr(2, 3, 5), grad_atol=1e-5)
    theirs, ours = node_name(fn, arr(2, 3, 5))
    assert ours == theirs


@pytest.mark.parametrize("mode", [dict(mode="nearest"), dict(mode="bilinear"),
                                  dict(mode="bilinear", align_corners=True), dict(mode="nearest-exact")], ids=str)
def test_interpolate_float64_and_gradcheck(mode):
    check(lambda lib, x: lib.nn.functional.interpolate(x, size=(4, 6), **mode), arr(1, 2, 3, 5, dtype=np.float64))
    x = glasstorch.tensor(arr(1, 2, 3, 4, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda x: glasstorch.nn.functional.interpolate(x, scale_factor=1.5, **mode), (x,))


def test_bilinear_source_positions_are_torchs_on_an_odd_resize():
    """Half-pixel centres clamped at 0 (align_corners=False), the corners lined up (True): exact values on a ramp."""
    ramp = np.arange(12, dtype=np.float32).reshape(1, 1, 3, 4)
    for align in (False, True):
        for size in [(7, 5), (2, 3), (11, 13), (1, 1)]:
            check(lambda lib, x: lib.nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=align),
                  ramp, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.Upsample(scale_factor=2), lambda lib: lib.nn.Upsample(size=3, mode="bilinear"),
    lambda lib: lib.nn.Upsample(scale_factor=(2, 3.0), mode="bilinear", align_corners=True),
    lambda lib: lib.nn.Upsample(size=(4, 5), mode="nearest-exact"),
    lambda lib: lib.nn.Upsample(scale_factor=2.5, recompute_scale_factor=True),
    lambda lib: lib.nn.UpsamplingNearest2d(scale_factor=2), lambda lib: lib.nn.UpsamplingBilinear2d(size=(3, 4)),
    lambda lib: lib.nn.UpsamplingBilinear2d(scale_factor=1.5),
])
def test_upsample_modules_match_torch(make):
    theirs, ours = make(torch), make(glasstorch)
    assert repr(ours) == repr(theirs)
    assert (ours.size, ours.scale_factor, ours.mode, ours.align_corners, ours.recompute_scale_factor, ours.name) == \
        (theirs.size, theirs.scale_factor, theirs.mode, theirs.align_corners, theirs.recompute_scale_factor,
         theirs.name)
    check(lambda lib, x: make(lib)(x), arr(2, 2, 3, 4), grad_atol=1e-5)
    assert list(ours.state_dict()) == []


@pytest.mark.parametrize("make", [
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, scale_factor=2),
    lambda lib, x: lib.nn.functional.interpolate(x),
    lambda lib, x: lib.nn.functional.interpolate(x, size=(3, 4, 5)),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=(2, 3, 4)),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, recompute_scale_factor=True),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, align_corners=True),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, mode="linear"),
    lambda lib, x: lib.nn.functional.interpolate(x[0], size=3, mode="bilinear"),
    lambda lib, x: lib.nn.functional.interpolate(x[0, 0], size=3),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, mode="nearest-exactly"),
])
def test_interpolate_errors_match_torch(make):
    theirs, ours = raises_like(make, arr(2, 3, 4, 5))
    assert ours == theirs


# ---- PixelShuffle / PixelUnshuffle --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,factor", [((1, 8, 2, 3), 2), ((2, 9, 2, 2), 3), ((4, 3, 2), 2), ((2, 2, 4, 3, 2), 1)],
                         ids=str)
def test_pixel_shuffle_round_trip_matches_torch(shape, factor):
    check(lambda lib, x: lib.nn.PixelShuffle(factor)(x), arr(*shape))
    shuffled = tuple(shape[:-3]) + (shape[-3] // factor ** 2, shape[-2] * factor, shape[-1] * factor)
    check(lambda lib, x: lib.nn.PixelUnshuffle(factor)(x), arr(*shuffled))
    x = glasstorch.tensor(arr(*shape))
    assert np.array_equal(glasstorch.nn.functional.pixel_unshuffle(glasstorch.nn.functional.pixel_shuffle(x, factor),
                                                                   factor).numpy(), x.numpy())
    assert node_name(lambda lib, x: lib.nn.functional.pixel_shuffle(x, factor), arr(*shape)) == \
        ("PixelShuffleBackward0",) * 2
    assert node_name(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, factor), arr(*shuffled)) == \
        ("PixelUnshuffleBackward0",) * 2
    assert repr(glasstorch.nn.PixelShuffle(factor)) == repr(torch.nn.PixelShuffle(factor))
    assert repr(glasstorch.nn.PixelUnshuffle(factor)) == repr(torch.nn.PixelUnshuffle(factor))


@pytest.mark.parametrize("make", [lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2),
                                  lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2),
                                  lambda lib, x: lib.nn.functional.pixel_shuffle(x[0, 0], 2),
                                  lambda lib, x: lib.nn.functional.pixel_shuffle(x, 0)])
def test_pixel_shuffle_errors_match_torch(make):
    theirs, ours = raises_like(make, arr(1, 3, 3, 5))
    assert ours == theirs


# ---- Unfold / Fold -----------------------------------------------------------------------------------------------

UNFOLD_ARGS = [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=(1, 2)), dict(kernel_size=3, padding=1),
               dict(kernel_size=2, dilation=2, padding=(1, 0), stride=2), dict(kernel_size=(1, 2), stride=(2, 1))]


@pytest.mark.parametrize("kwargs", UNFOLD_ARGS, ids=str)
@pytest.mark.parametrize("shape", [(2, 3, 5, 6), (3, 4, 5)], ids=str)
def test_unfold_and_fold_match_torch(kwargs, shape):
    check(lambda lib, x: lib.nn.Unfold(**kwargs)(x), arr(*shape))
    assert node_name(lambda lib, x: lib.nn.functional.unfold(x, **kwargs), arr(*shape)) == ("Im2ColBackward0",) * 2
    columns = torch.nn.functional.unfold(torch.zeros(shape), **kwargs).shape
    check(lambda lib, x: lib.nn.Fold(shape[-2:], **kwargs)(x), arr(*columns), grad_atol=1e-5)
    assert node_name(lambda lib, x: lib.nn.functional.fold(x, shape[-2:], **kwargs), arr(*columns)) == \
        ("Col2ImBackward0",) * 2
    assert repr(glasstorch.nn.Fold(shape[-2:], **kwargs)) == repr(torch.nn.Fold(shape[-2:], **kwargs))
    assert repr(glasstorch.nn.Unfold(**kwargs)) == repr(torch.nn.Unfold(**kwargs))
    x = glasstorch.tensor(arr(*shape, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda x: glasstorch.nn.functional.fold(glasstorch.nn.functional.unfold(x, **kwargs),
                                                             shape[-2:], **kwargs), (x,))


@pytest.mark.parametrize("make", [lambda lib, x: lib.nn.functional.unfold(x[0, 0], 2),
                                  lambda lib, x: lib.nn.functional.unfold(x, 6),
                                  lambda lib, x: lib.nn.functional.fold(x[0], (4, 4), 2),
                                  lambda lib, x: lib.nn.functional.fold(x.reshape(1, 5, 9), (4, 4), 2),
                                  lambda lib, x: lib.nn.functional.fold(x.reshape(1, 4, 11)[:, :, :9], (4, 4), 2,
                                                                        stride=2)])
def test_unfold_fold_errors_match_torch(make):
    theirs, ours = raises_like(make, arr(1, 3, 3, 5))
    assert ours.replace("glasstorch.", "torch.") == theirs
