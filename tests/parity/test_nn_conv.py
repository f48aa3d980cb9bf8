"""Parity with torch of convolution: F.conv1d/F.conv2d over grids of shapes and options (values, gradients of input,
weight and bias, node names), padding='same' (odd and even kernels), padding modes, unbatched inputs, nn.Conv1d/
nn.Conv2d (reprs, state_dict keys, initialisation bounds, errors), float64 finite differences, a small CNN trained
with SGD in both libraries, and its torchsummary table."""
from __future__ import annotations

import itertools
import math
import re
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare  # noqa: E402

# float32 sums over C·kh·kw products in another order than torch's kernels
RTOL, ATOL = 1e-4, 1e-5


def run_conv(fn, x: np.ndarray, w: np.ndarray, b: np.ndarray | None, **options):
    """fn(lib, x, w, b, **options) in both libraries: outputs, input/weight/bias gradients and node names compared."""
    results = []
    for lib in (torch, glasstorch):
        tensors = [None if a is None else lib.tensor(a, requires_grad=True) for a in (x, w, b)]
        out = fn(lib, *tensors, **options)
        results.append((tensors, out))
    (theirs_in, theirs), (ours_in, ours) = results
    compare(ours, theirs, RTOL, ATOL, "output")
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    cotangent = arr(*theirs.shape)
    theirs.backward(torch.tensor(cotangent))
    ours.backward(glasstorch.tensor(cotangent))
    for name, o, t in zip(("input", "weight", "bias"), ours_in, theirs_in):
        if t is not None:
            compare(o.grad, t.grad, RTOL, ATOL, f"{name} grad")
    return ours, theirs


def conv2d(lib, x, w, b, **options):
    return lib.nn.functional.conv2d(x, w, b, **options)


def conv1d(lib, x, w, b, **options):
    return lib.nn.functional.conv1d(x, w, b, **options)


GRID_2D = list(itertools.product([1, 2, (2, 1)], [0, 1, (2, 0)], [1, 2], [1, 2], [True, False]))


@pytest.mark.parametrize("stride,padding,dilation,groups,bias", GRID_2D, ids=str)
def test_conv2d_grid_matches_torch(stride, padding, dilation, groups, bias):
    x, w = arr(2, 4, 9, 8), arr(6, 4 // groups, 3, 2)
    run_conv(conv2d, x, w, arr(6) if bias else None, stride=stride, padding=padding, dilation=dilation,
             groups=groups)


@pytest.mark.parametrize("shape,out_channels,kernel", [((1, 1, 5, 5), 1, 5), ((3, 2, 7, 11), 5, (1, 4)),
                                                     ((2, 3, 6, 6), 4, 1), ((4, 8, 5, 6), 8, 3)], ids=str)
def test_conv2d_shapes_match_torch(shape, out_channels, kernel):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    run_conv(conv2d, arr(*shape), arr(out_channels, shape[1], kh, kw), arr(out_channels))


def test_depthwise_conv2d_matches_torch():
    run_conv(conv2d, arr(2, 6, 7, 7), arr(12, 1, 3, 3), arr(12), groups=6, padding=1)


@pytest.mark.parametrize("kernel,dilation", [((3, 3), 1), ((2, 4), 1), ((2, 3), 2), ((4, 1), 3), ((1, 2), 1)], ids=str)
def test_same_padding_matches_torch(kernel, dilation):
    x, w = arr(2, 3, 7, 6), arr(4, 3, *kernel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch warns once per process: its count cannot be compared)
        ours, theirs = run_conv(conv2d, x, w, arr(4), padding="same", dilation=dilation)
    assert ours.shape == x.shape[:1] + (4,) + x.shape[2:]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glasstorch.nn.functional.conv2d(glasstorch.tensor(x), glasstorch.tensor(w), padding="same", dilation=dilation)
    uneven = any(dilation * (k - 1) % 2 for k in kernel)
    assert [str(c.message) for c in caught] == (["Using padding='same' with even kernel lengths and odd dilation may "
                                                 "require a zero-padded copy of the input be created"] if uneven else [])


def test_valid_padding_and_unbatched_input_match_torch():
    run_conv(conv2d, arr(3, 6, 6), arr(4, 3, 3, 3), arr(4), padding="valid")
    run_conv(conv1d, arr(3, 9), arr(4, 3, 2), None, stride=2)


GRID_1D = [(s, p, d, g) for s, p, d, g in itertools.product([1, 3], [0, 2, "same"], [1, 2], [1, 3])
           if not (p == "same" and s != 1)]  # (torch refuses 'same' with a stride: tested with the errors)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("stride,padding,dilation,groups", GRID_1D, ids=str)
def test_conv1d_grid_matches_torch(stride, padding, dilation, groups):
    run_conv(conv1d, arr(2, 6, 11), arr(3, 6 // groups, 4), arr(3), stride=stride, padding=padding,
             dilation=dilation, groups=groups)


def test_conv_float64_gradients_pass_gradcheck_and_match_torch():
    x, w, b = arr(2, 2, 5, 4, dtype=np.float64), arr(4, 1, 2, 3, dtype=np.float64), arr(4, dtype=np.float64)
    ours, _ = run_conv(conv2d, x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
    assert ours.dtype == glasstorch.float64
    inputs = [glasstorch.tensor(a, requires_grad=True) for a in (x, w, b)]
    assert glasstorch.autograd.gradcheck(
        lambda x, w, b: glasstorch.nn.functional.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2),
        inputs)
    inputs = [glasstorch.tensor(a, requires_grad=True) for a in (arr(2, 3, 7, dtype=np.float64),
                                                                 arr(2, 3, 3, dtype=np.float64))]
    assert glasstorch.autograd.gradcheck(lambda x, w: glasstorch.nn.functional.conv1d(x, w, padding="same",
                                                                                      dilation=2), inputs)


# ---- modules -------------------------------------------------------------------------------------------------------

def copy_weights(theirs, ours) -> None:
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


MODULES = [
    ("Conv2d", (3, 8, 3), {}),
    ("Conv2d", (4, 8, (3, 5)), dict(stride=2, padding=1, dilation=2, bias=False)),
    ("Conv2d", (4, 8, 3), dict(padding="same", groups=2)),
    ("Conv2d", (4, 8, (2, 3)), dict(padding="same")),
    ("Conv2d", (2, 4, 3), dict(padding="valid", stride=(1, 2))),
    ("Conv2d", (3, 6, 3), dict(padding=(2, 1), padding_mode="reflect")),
    ("Conv2d", (3, 6, 3), dict(padding=1, padding_mode="replicate", stride=2)),
    ("Conv2d", (3, 6, 3), dict(padding=(1, 2), padding_mode="circular")),
    ("Conv2d", (3, 6, 4), dict(padding="same", padding_mode="reflect")),
    ("Conv1d", (3, 8, 3), {}),
    ("Conv1d", (3, 6, 2), dict(padding="same", padding_mode="replicate", bias=False)),
    ("Conv1d", (4, 4, 3), dict(stride=2, padding=2, groups=4, padding_mode="circular")),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES, ids=str)
def test_conv_modules_match_torch(name, args, kwargs):
    theirs, ours = getattr(torch.nn, name)(*args, **kwargs), getattr(glasstorch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attribute in ("kernel_size", "stride", "padding", "dilation", "groups", "padding_mode", "output_padding",
                      "_reversed_padding_repeated_twice"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    copy_weights(theirs, ours)
    shape = (2, args[0], 9, 8) if name == "Conv2d" else (2, args[0], 10)
    x = arr(*shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xt, xo = torch.tensor(x, requires_grad=True), glasstorch.tensor(x, requires_grad=True)
        yt, yo = theirs(xt), ours(xo)
    compare(yo, yt, RTOL, ATOL)
    assert yo.grad_fn.name() == yt.grad_fn.name()
    cotangent = arr(*yt.shape)
    yt.backward(torch.tensor(cotangent))
    yo.backward(glasstorch.tensor(cotangent))
    compare(xo.grad, xt.grad, RTOL, ATOL, "input grad")
    for (key, pt), (_, po) in zip(theirs.named_parameters(), ours.named_parameters()):
        compare(po.grad, pt.grad, RTOL, ATOL, f"{key} grad")


@pytest.mark.parametrize("groups,kernel", [(1, 3), (2, (2, 5)), (4, 1)], ids=str)
def test_conv2d_default_initialisation_bounds(groups, kernel):
    glasstorch.manual_seed(0)
    conv = glasstorch.nn.Conv2d(4, 8, kernel, groups=groups)
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    bound = 1 / math.sqrt(4 // groups * kh * kw)  # kaiming_uniform_(a=√5): gain·√(3/fan_in) = 1/√fan_in
    weight, bias = conv.weight.detach().numpy(), conv.bias.detach().numpy()
    assert weight.shape == (8, 4 // groups, kh, kw) and weight.dtype == np.float32
    assert np.abs(weight).max() <= bound and np.abs(weight).max() > 0.7 * bound
    assert np.abs(bias).max() <= bound and len(np.unique(bias)) == 8
    assert conv.weight.requires_grad and conv.bias.requires_grad


ERRORS_F = [
    lambda F, x, w: F.conv2d(x[0, 0], w),
    lambda F, x, w: F.conv2d(x[None], w),
    lambda F, x, w: F.conv2d(x, w[:, :2]),
    lambda F, x, w: F.conv2d(x[0], w[:, :2]),
    lambda F, x, w: F.conv2d(x, w, groups=2),
    lambda F, x, w: F.conv2d(x, w[:3], groups=2),
    lambda F, x, w: F.conv2d(x[:, :, :2, :2], w),
    lambda F, x, w: F.conv2d(x[:, :, :4], w, dilation=2),
    lambda F, x, w: F.conv2d(x, w, padding="foo"),
    lambda F, x, w: F.conv2d(x, w, padding="same", stride=2),
    lambda F, x, w: F.conv2d(x, w, padding=-1),
    lambda F, x, w: F.conv2d(x, w, stride=0),
    lambda F, x, w: F.conv2d(x, w, dilation=0),
    lambda F, x, w: F.conv2d(x, w, groups=0),
    lambda F, x, w: F.conv2d(x, w, stride=(1, 2, 3)),
    lambda F, x, w: F.conv2d(x, w, padding=(1, 2, 3)),
    lambda F, x, w: F.conv2d(x, w[0]),
    lambda F, x, w: F.conv2d(x, w, bias=x[0, 0, 0, :3]),
    lambda F, x, w: F.conv2d(x, w.double()),
    lambda F, x, w: F.conv2d(x.double(), w),
    lambda F, x, w: F.conv2d(x, w, bias=x[0, 0, 0, :4].double()),
    lambda F, x, w: F.conv1d(x, w),
    lambda F, x, w: F.conv1d(x[0, 0, 0], w[:, :, 0]),
    lambda F, x, w: F.pad(x, (1,)),
    lambda F, x, w: F.pad(x, (1,) * 10),
    lambda F, x, w: F.pad(x, (1, 1), mode="reflect"),
    lambda F, x, w: F.pad(x, (8, 8, 1, 1), mode="reflect"),
    lambda F, x, w: F.pad(x, (9, 9, 1, 1), mode="circular"),
    lambda F, x, w: F.pad(x, (1, 1, 1, 1), mode="foo"),
    lambda F, x, w: F.pad(x, (1, 1, 1, 1), mode="reflect", value=2),
    lambda F, x, w: F.pad(x, (-5, -5)),
]


@pytest.mark.parametrize("index", range(len(ERRORS_F)))
def test_functional_errors_match_torch(index):
    x, w = arr(2, 3, 8, 8), arr(4, 3, 3, 3)
    messages = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as caught:
            ERRORS_F[index](lib.nn.functional, lib.tensor(x), lib.tensor(w))
        messages.append((type(caught.value), str(caught.value)))
    assert messages[1] == messages[0]


ERRORS_MODULE = [
    lambda lib: lib.nn.Conv2d(3, 4, 3, padding="foo"),
    lambda lib: lib.nn.Conv2d(3, 4, 3, padding="same", stride=2),
    lambda lib: lib.nn.Conv2d(3, 4, 3, groups=2),
    lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2),
    lambda lib: lib.nn.Conv2d(3, 4, 3, groups=0),
    lambda lib: lib.nn.Conv2d(3, 4, 3, padding_mode="zero"),
    lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.zeros(2, 2, 8, 8)),
    lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.zeros(8, 8)),
    lambda lib: lib.nn.Conv1d(3, 4, 5)(lib.zeros(3, 4)),
]


def _sets_sorted(message: str) -> str:
    """A message with each printed set's items sorted: a set prints in an order that depends on the hash seed of the
    process that compiled the code (torch's and glasstorch's .pyc files differ), not on anything either library does."""
    return re.sub(r"\{('[^{}]*')\}", lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)


@pytest.mark.parametrize("index", range(len(ERRORS_MODULE)))
def test_module_errors_match_torch(index):
    messages = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as caught:
            ERRORS_MODULE[index](lib)
        messages.append((type(caught.value), _sets_sorted(str(caught.value))))
    assert messages[1] == messages[0]


# ---- a small CNN: training and the summary table ------------------------------------------------------------------

def small_cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 4, 3, groups=2),
                         nn.ReLU(), nn.AvgPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(4 * 2 * 2, 5))


def test_small_cnn_trains_like_torch():
    theirs, ours = small_cnn(torch), small_cnn(glasstorch)
    copy_weights(theirs, ours)
    x, y = arr(6, 3, 10, 10), np.array([0, 1, 2, 3, 4, 0])
    optimizers = (torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9),
                  glasstorch.optim.SGD(ours.parameters(), lr=0.1, momentum=0.9))
    for _ in range(5):
        losses = []
        for lib, model, optimizer in zip((torch, glasstorch), (theirs, ours), optimizers):
            loss = lib.nn.functional.cross_entropy(model(lib.tensor(x)), lib.tensor(y))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        assert losses[1] == pytest.approx(losses[0], rel=1e-4)
    for (key, pt), (_, po) in zip(theirs.state_dict().items(), ours.state_dict().items()):
        compare(po, pt, 1e-4, 1e-5, key)


def summary_cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 8, 3, bias=False),
                         nn.AdaptiveAvgPool2d((4, 4)), nn.Flatten(), nn.Linear(8 * 16, 10))


def brief_cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 15 * 15, 10))


@pytest.mark.parametrize("build,input_size", [(brief_cnn, (3, 32, 32)), (small_cnn, (3, 10, 10)),
                                              (summary_cnn, (3, 32, 32))])
def test_cnn_summary_matches_torchsummary(build, input_size, capsys):
    torchsummary = pytest.importorskip("torchsummary")
    torchsummary.summary(build(torch), input_size, device="cpu")
    theirs = capsys.readouterr().out
    glasstorch.summary(build(glasstorch), input_size)
    assert capsys.readouterr().out == theirs
