"""Parity with torch of pooling and padding: max, average and adaptive pooling in 1-d and 2-d over grids of options
(values, indices, gradients, node names), ties, the modules' reprs, F.pad's modes, and the errors."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare  # noqa: E402


def run_both(fn, x: np.ndarray, **options):
    """fn(F, x, **options) in both libraries: output(s), node name and input gradient compared."""
    results = []
    for lib in (torch, glasstorch):
        xt = lib.tensor(x, requires_grad=True)
        results.append((xt, fn(lib.nn.functional, xt, **options)))
    (xt, theirs), (xo, ours) = results
    compare(ours, theirs, 1e-5, 1e-6, "output")
    out_t, out_o = (theirs[0], ours[0]) if isinstance(theirs, tuple) else (theirs, ours)
    assert out_o.grad_fn.name() == out_t.grad_fn.name()
    cotangent = arr(*out_t.shape)
    out_t.backward(torch.tensor(cotangent))
    out_o.backward(glasstorch.tensor(cotangent))
    compare(xo.grad, xt.grad, 1e-5, 1e-6, "input grad")
    return ours, theirs


MAX_GRID = list(itertools.product([2, 3, (3, 2)], [None, 1, (2, 1)], [0, 1], [1, 2], [False, True]))


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode", MAX_GRID, ids=str)
def test_max_pool2d_grid_matches_torch(kernel, stride, padding, dilation, ceil_mode):
    run_both(lambda F, x, **o: F.max_pool2d(x, **o), arr(2, 3, 9, 8), kernel_size=kernel, stride=stride,
             padding=padding, dilation=dilation, ceil_mode=ceil_mode, return_indices=True)


@pytest.mark.parametrize("shape", [(3, 7, 7), (1, 1, 4, 4), (2, 2, 5, 3)], ids=str)
def test_max_pool2d_unbatched_and_small_inputs_match_torch(shape):
    run_both(lambda F, x: F.max_pool2d(x, 2, 1, 1, return_indices=True), arr(*shape))
    run_both(lambda F, x: F.max_pool2d(x, 3, ceil_mode=True), arr(*shape))


def test_max_pool_ties_route_to_the_first_maximum_like_torch():
    x = np.array([[[1.0, 3, 3, 0], [3, 0, 3, 3], [1, 1, 1, 1], [2, 2, 2, 2]]], dtype=np.float32)
    run_both(lambda F, x: F.max_pool2d(x, 2, stride=1, return_indices=True), x)
    run_both(lambda F, x: F.max_pool2d(x, 3, stride=1, padding=1, return_indices=True), np.zeros((1, 4, 4), np.float32))
    run_both(lambda F, x: F.max_pool1d(x, 2, stride=1, return_indices=True), np.ones((2, 5), np.float32))


def test_max_pool_with_nans_routes_to_the_last_nan_like_torch():
    """torch's CPU kernel lets a NaN take over the window's maximum, so the last NaN in the scan is the index."""
    nan = np.nan
    x = np.array([[[nan, 1, 5, 0], [nan, 3, nan, 2], [0, 2, 1, nan], [4, nan, 0, 1]]], dtype=np.float32)
    run_both(lambda F, x: F.max_pool2d(x, 2, stride=1, return_indices=True), x)
    run_both(lambda F, x: F.max_pool2d(x, 2, return_indices=True), x)


AVG_GRID = list(itertools.product([2, 3, (3, 2)], [None, 1, (2, 3)], [0, 1], [False, True], [True, False],
                                  [None, 5]))


@pytest.mark.parametrize("kernel,stride,padding,ceil_mode,count_include_pad,divisor", AVG_GRID, ids=str)
def test_avg_pool2d_grid_matches_torch(kernel, stride, padding, ceil_mode, count_include_pad, divisor):
    run_both(lambda F, x, **o: F.avg_pool2d(x, **o), arr(2, 3, 9, 8), kernel_size=kernel, stride=stride,
             padding=padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad, divisor_override=divisor)


@pytest.mark.parametrize("output_size", [3, (2, 5), (None, 3), (4, None), 1, (1, 1), (7, 6), (9, 8), (1, 4), 0],
                         ids=str)
def test_adaptive_pool2d_matches_torch(output_size):
    x = arr(2, 3, 7, 6)
    if output_size != 0:
        run_both(lambda F, x: F.adaptive_avg_pool2d(x, output_size), x)
        run_both(lambda F, x: F.adaptive_avg_pool2d(x, output_size), x[0])
        run_both(lambda F, x: F.adaptive_max_pool2d(x, output_size, return_indices=True), x)
    else:
        compare(glasstorch.nn.functional.adaptive_avg_pool2d(glasstorch.tensor(x), 0),
                torch.nn.functional.adaptive_avg_pool2d(torch.tensor(x), 0))


ONE_D = [
    lambda F, x: F.max_pool1d(x, 3),
    lambda F, x: F.max_pool1d(x, 3, stride=2, padding=1, dilation=2, ceil_mode=True, return_indices=True),
    lambda F, x: F.max_pool1d(x, (2,), stride=(1,), return_indices=True),
    lambda F, x: F.avg_pool1d(x, 3),
    lambda F, x: F.avg_pool1d(x, 4, stride=3, padding=2, ceil_mode=True, count_include_pad=False),
    lambda F, x: F.avg_pool1d(x, 3, 2, 1),
    lambda F, x: F.adaptive_avg_pool1d(x, 4),
    lambda F, x: F.adaptive_avg_pool1d(x, (3,)),
    lambda F, x: F.adaptive_max_pool1d(x, 4, return_indices=True),
    lambda F, x: F.adaptive_max_pool1d(x, 3),
]


@pytest.mark.parametrize("index", range(len(ONE_D)))
@pytest.mark.parametrize("shape", [(2, 3, 11), (3, 10)], ids=str)
def test_pool1d_matches_torch(index, shape):
    run_both(ONE_D[index], arr(*shape))


PADS = [((1, 2), "constant"), ((1, 1, 2, 0), "constant"), ((-1, 2, 1, -2), "constant"), ((1, 1, 1, 1, 1, 1), "constant"),
        ((2, 1), "reflect"), ((2, 3, 1, 0), "reflect"), ((-1, 2, 1, 1), "reflect"), ((2, 1), "replicate"),
        ((3, 0, 4, 1), "replicate"), ((1, 2), "circular"), ((2, 1, 3, 0), "circular")]


@pytest.mark.parametrize("pad,mode", PADS, ids=str)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 5)], ids=str)
def test_pad_matches_torch(pad, mode, shape):
    if mode != "constant" and len(pad) == 2 and len(shape) == 4:
        shape = shape[1:]  # 1-d padding takes (N, C, L) or (C, L)
    run_both(lambda F, x: F.pad(x, pad, mode=mode), arr(*shape))
    if mode == "constant":
        run_both(lambda F, x: F.pad(x, pad, value=2.5), arr(*shape))


MODULES = [
    ("MaxPool2d", (2,), {}), ("MaxPool2d", ((2, 3),), dict(stride=1, padding=1, dilation=2, ceil_mode=True)),
    ("MaxPool2d", (3,), dict(stride=2, return_indices=True)), ("MaxPool1d", (2,), {}),
    ("MaxPool1d", (3,), dict(stride=1, padding=1, return_indices=True)),
    ("AvgPool2d", (2,), {}), ("AvgPool2d", ((2, 3),), dict(stride=1, padding=1, ceil_mode=True,
                                                            count_include_pad=False, divisor_override=3)),
    ("AvgPool1d", (2,), {}), ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AdaptiveAvgPool2d", ((2, None),), {}), ("AdaptiveAvgPool2d", (1,), {}), ("AdaptiveAvgPool1d", (2,), {}),
    ("AdaptiveMaxPool2d", (3,), {}), ("AdaptiveMaxPool2d", ((2, 3),), dict(return_indices=True)),
    ("AdaptiveMaxPool1d", (3,), {}),
    ("ZeroPad2d", (1,), {}), ("ZeroPad2d", ((1, 2, 3, 0),), {}), ("ConstantPad2d", (2, 3.5), {}),
    ("ConstantPad1d", ((2, 1), -1.0), {}), ("ZeroPad1d", (2,), {}), ("ReflectionPad2d", (1,), {}),
    ("ReflectionPad1d", ((2, 1),), {}), ("ReplicationPad2d", ((1, 0, 2, 0),), {}), ("ReplicationPad1d", (2,), {}),
    ("CircularPad2d", (1,), {}), ("CircularPad1d", ((1, 2),), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES, ids=str)
def test_pool_and_pad_modules_match_torch(name, args, kwargs):
    theirs, ours = getattr(torch.nn, name)(*args, **kwargs), getattr(glasstorch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == [] and not list(ours.parameters())
    shape = (2, 3, 7, 8) if name.endswith("2d") else (2, 3, 9)
    run_both(lambda F, x: (theirs if x.__class__ is torch.Tensor else ours)(x), arr(*shape))


ERRORS = [
    lambda F, x: F.max_pool2d(x[0, 0], 2),
    lambda F, x: F.max_pool2d(x[None], 2),
    lambda F, x: F.max_pool2d(x, 3, padding=2),
    lambda F, x: F.max_pool2d(x, 9),
    lambda F, x: F.max_pool2d(x, 0),
    lambda F, x: F.max_pool2d(x, 0, 1),
    lambda F, x: F.max_pool2d(x, 2, stride=0),
    lambda F, x: F.max_pool2d(x, 2, dilation=0),
    lambda F, x: F.max_pool2d(x, 2, padding=-1),
    lambda F, x: F.max_pool2d(x, (2, 2, 2)),
    lambda F, x: F.max_pool2d(x, 2, stride=(1, 1, 1)),
    lambda F, x: F.max_pool2d(x, 2, padding=(1, 1, 1)),
    lambda F, x: F.max_pool2d(x, (3, 5), padding=(2, 1)),
    lambda F, x: F.max_pool2d(x[:, :, :0], 2),
    lambda F, x: F.avg_pool2d(x, 3, padding=2),
    lambda F, x: F.avg_pool2d(x, 9),
    lambda F, x: F.avg_pool2d(x[0, 0], 2),
    lambda F, x: F.avg_pool2d(x[0, 0, 0], 2),
    lambda F, x: F.avg_pool2d(x[None], 2),
    lambda F, x: F.avg_pool2d(x, 2, divisor_override=0),
    lambda F, x: F.avg_pool2d(x, 2, stride=0),
    lambda F, x: F.avg_pool2d(x, (2, 2, 2)),
    lambda F, x: F.max_pool1d(x, 2),
    lambda F, x: F.max_pool1d(x[0, 0, 0], 2),
    lambda F, x: F.max_pool1d(x[0, 0], 9),
    lambda F, x: F.max_pool1d(x[0, 0], 3, padding=2),
    lambda F, x: F.avg_pool1d(x, 2),
    lambda F, x: F.avg_pool1d(x[0, 0, 0], 2),
    lambda F, x: F.avg_pool1d(x[0], 9),
    lambda F, x: F.adaptive_avg_pool2d(x[0, 0, 0], 2),
    lambda F, x: F.adaptive_avg_pool2d(x[None], 2),
    lambda F, x: F.adaptive_avg_pool2d(x, (2, 2, 2)),
    lambda F, x: F.adaptive_avg_pool2d(x, -1),
    lambda F, x: F.adaptive_avg_pool2d(x[:, :, :0], 2),
    lambda F, x: F.adaptive_max_pool2d(x[0, 0, 0], 3),
    lambda F, x: F.adaptive_max_pool2d(x, (2, 2, 2)),
    lambda F, x: F.adaptive_avg_pool1d(x, 2),
    lambda F, x: F.adaptive_avg_pool1d(x[0], (2, 2)),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_pool_errors_match_torch(index):
    x = arr(2, 3, 8, 8)
    messages = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as caught:
            ERRORS[index](lib.nn.functional, lib.tensor(x))
        messages.append((type(caught.value), str(caught.value)))
    assert messages[1] == messages[0]


def test_pooling_gradients_pass_gradcheck_in_float64():
    F = glasstorch.nn.functional
    x = glasstorch.tensor(arr(2, 2, 6, 5, dtype=np.float64), requires_grad=True)
    for fn in (lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), lambda x: F.avg_pool2d(x, 3, 2, 1, True, False),
               lambda x: F.adaptive_avg_pool2d(x, (4, 3)), lambda x: F.adaptive_max_pool2d(x, (4, 3)),
               lambda x: F.pad(x, (2, 1, 1, 3), mode="reflect"), lambda x: F.pad(x, (-1, 2, 1, 0), value=1.0),
               lambda x: F.pad(x, (2, 1, 1, 3), mode="circular"), lambda x: F.pad(x, (2, 4, 0, 1), mode="replicate")):
        assert glasstorch.autograd.gradcheck(fn, (x,))
