"""Parity with torch of the activations added after the first set: SELU, CELU, Softsign, Mish, Hardswish, Hardsigmoid,
LogSigmoid, Tanhshrink, Threshold, GLU and Softmax2d (nn.functional, the modules, the glasstorch.* spellings):
values and gradients in float32 and float64 including the kinks (hardswish at ±3, threshold at the threshold,
celu/selu at 0) and large magnitudes, reprs, in-place forms, node names and errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402

# the kinks and boundaries of the functions below (0, ±3, the thresholds used), values next to them, and magnitudes
# where a naive exp overflows (±100 in float32, ±1e4 in both)
KINKS = np.array([-3.0, 3.0, 0.0, 0.5, -0.5, 1.0, -1.0, 2.9999, -2.9999, 6.0, -6.0, 20.0, -20.0, 100.0, -100.0,
                  1e4, -1e4, 0.25, 1e-4, -1e-4], dtype=np.float64)


def _data(dtype=np.float32) -> np.ndarray:
    """A (4, 8) array: every kink, then random values (an even size along both dims, for GLU)."""
    return np.concatenate([KINKS, arr(4 * 8 - KINKS.size, dtype=np.float64, low=-4, high=4)]).astype(dtype).reshape(4, 8)


def _tolerances(dtype) -> dict:
    if dtype == np.float64:  # float64 in both libraries: agreement to (almost) the last digits
        return {"rtol": 1e-12, "atol": 1e-14}
    return {"rtol": 1e-5, "atol": 1e-6}


FUNCTIONAL = {
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x),
    "celu_alpha_half": lambda F, x: F.celu(x, alpha=0.5),
    "celu_alpha_2": lambda F, x: F.celu(x, 2.0),
    "celu_alpha_negative": lambda F, x: F.celu(x, -1.5),
    "softsign": lambda F, x: F.softsign(x),
    "mish": lambda F, x: F.mish(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "threshold": lambda F, x: F.threshold(x, 0.5, -1.0),
    "threshold_at_zero": lambda F, x: F.threshold(x, 0.0, 20.0),
    "threshold_value_above": lambda F, x: F.threshold(x, 0.25, 7),
    "threshold_negative": lambda F, x: F.threshold(x, -3.0, -3.0),
    "glu": lambda F, x: F.glu(x),
    "glu_dim0": lambda F, x: F.glu(x, 0),
    "glu_dim_negative": lambda F, x: F.glu(x, dim=-2),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional_values_and_gradients(name, dtype):
    fn = FUNCTIONAL[name]
    check(lambda lib, x: fn(lib.nn.functional, x), _data(dtype), **_tolerances(dtype))


# torch's own choice of derivative where the function has a kink (exact values, not within a tolerance)
KINK_GRADIENTS = [
    ("hardswish", lambda F, x: F.hardswish(x), [-3.0, 3.0], [0.0, 1.0]),
    ("hardsigmoid", lambda F, x: F.hardsigmoid(x), [-3.0, 3.0], [0.0, 0.0]),
    ("threshold", lambda F, x: F.threshold(x, 0.5, 2.0), [0.5], [0.0]),
    ("selu", lambda F, x: F.selu(x), [0.0], [1.0507009873554805 * 1.6732632423543772]),
    ("celu", lambda F, x: F.celu(x, 0.5), [0.0], [1.0]),
    ("mish", lambda F, x: F.mish(x), [0.0], [0.6]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, fn, points, expected", KINK_GRADIENTS, ids=[k[0] for k in KINK_GRADIENTS])
def test_gradient_at_the_kinks_is_torchs_choice(name, fn, points, expected, dtype):
    grads = []
    for lib in (torch, glasstorch):
        x = lib.tensor(np.array(points, dtype=dtype), requires_grad=True)
        fn(lib.nn.functional, x).sum().backward()
        grads.append(np.asarray(x.grad.tolist()))
    np.testing.assert_array_equal(grads[1], grads[0])
    np.testing.assert_allclose(grads[0], expected, rtol=1e-6)  # the documented value, as both libraries agree


LARGE = [[-1e30, -1e4, -100.0, -88.8, 88.8, 100.0, 1e4, 1e30]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["mish", "logsigmoid", "selu", "celu", "celu_alpha_negative", "hardswish", "glu"])
def test_large_magnitudes_without_overflow_warnings(name, dtype):
    x = np.array(LARGE, dtype=dtype)
    fn = FUNCTIONAL[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy overflow in exp would be a RuntimeWarning
        check(lambda lib, a: fn(lib.nn.functional, a), x, **_tolerances(dtype))
        out = fn(glasstorch.nn.functional, glasstorch.tensor(x))
    assert name == "celu_alpha_negative" or np.isfinite(out.numpy()).all()  # α < 0: e^(x/α) → inf, as torch


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["softsign", "tanhshrink"])
def test_large_magnitudes_of_the_composed_activations(name, dtype):
    # composed from core operations, whose overflow warnings (1e30² in float32 in Div's backward) are theirs to keep
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check(lambda lib, a: FUNCTIONAL[name](lib.nn.functional, a), np.array(LARGE, dtype=dtype),
              **_tolerances(dtype))


def test_logsigmoid_keeps_precision_where_the_naive_form_fails():
    x = np.array([-200.0, -50.0, 40.0, 200.0], dtype=np.float64)
    ours = glasstorch.nn.functional.logsigmoid(glasstorch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, [-200.0, -50.0, -np.exp(-40.0), -np.exp(-200.0)], rtol=1e-12)


MODULES = {
    "SELU": lambda nn: nn.SELU(),
    "CELU": lambda nn: nn.CELU(),
    "CELU_alpha": lambda nn: nn.CELU(alpha=0.3),
    "Softsign": lambda nn: nn.Softsign(),
    "Mish": lambda nn: nn.Mish(),
    "Hardswish": lambda nn: nn.Hardswish(),
    "Hardsigmoid": lambda nn: nn.Hardsigmoid(),
    "LogSigmoid": lambda nn: nn.LogSigmoid(),
    "Tanhshrink": lambda nn: nn.Tanhshrink(),
    "Threshold": lambda nn: nn.Threshold(0.1, 20),
    "Threshold_float_value": lambda nn: nn.Threshold(threshold=-1.0, value=0.5),
    "GLU": lambda nn: nn.GLU(),
    "GLU_dim0": lambda nn: nn.GLU(dim=0),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", MODULES)
def test_modules_values_gradients_and_repr(name, dtype):
    make = MODULES[name]
    check(lambda lib, x: make(lib.nn)(x), _data(dtype), **_tolerances(dtype))
    assert repr(make(glasstorch.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 4, 5)], ids=str)
def test_softmax2d_is_a_softmax_over_channels(shape):
    x = arr(*shape, low=-5, high=5)
    check(lambda lib, a: lib.nn.Softmax2d()(a), x)
    out = glasstorch.nn.Softmax2d()(glasstorch.tensor(x))
    np.testing.assert_allclose(out.sum(-3).numpy(), np.ones(shape[:-3] + shape[-2:]), rtol=1e-6)
    assert out.grad_fn is None and repr(glasstorch.nn.Softmax2d()) == repr(torch.nn.Softmax2d()) == "Softmax2d()"


REPRS = [
    lambda nn: nn.SELU(inplace=True), lambda nn: nn.SELU(False), lambda nn: nn.CELU(0.5, True),
    lambda nn: nn.CELU(alpha=2), lambda nn: nn.Mish(inplace=True), lambda nn: nn.Hardswish(inplace=True),
    lambda nn: nn.Hardsigmoid(True), lambda nn: nn.Threshold(0.1, 20, True), lambda nn: nn.Threshold(1, 2.5),
    lambda nn: nn.GLU(0), lambda nn: nn.GLU(dim=-2), lambda nn: nn.LogSigmoid(), lambda nn: nn.Softsign(),
    lambda nn: nn.Tanhshrink(),
    lambda nn: nn.Sequential(nn.Linear(2, 4), nn.SELU(), nn.GLU(), nn.Hardswish(True), nn.Threshold(0.0, -1.0)),
]


@pytest.mark.parametrize("make", REPRS)
def test_reprs(make):
    assert repr(make(glasstorch.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("name", ["SELU", "CELU", "Mish", "Hardswish", "Hardsigmoid", "Threshold", "GLU"])
def test_module_attributes_and_defaults(name):
    args = (0.5, -2.0) if name == "Threshold" else ()
    ours, theirs = getattr(glasstorch.nn, name)(*args), getattr(torch.nn, name)(*args)
    for attribute in ("inplace", "alpha", "threshold", "value", "dim"):
        assert hasattr(ours, attribute) == hasattr(theirs, attribute), attribute
        if hasattr(theirs, attribute):
            assert getattr(ours, attribute) == getattr(theirs, attribute), attribute


INPLACE = {
    "selu": (lambda F, y: F.selu(y, inplace=True), "EluBackward1"),
    "selu_": (lambda F, y: F.selu_(y), "EluBackward1"),
    "celu": (lambda F, y: F.celu(y, 0.7, inplace=True), "CeluBackward1"),
    "celu_": (lambda F, y: F.celu_(y, alpha=1.3), "CeluBackward1"),
    "mish": (lambda F, y: F.mish(y, inplace=True), "MishBackward0"),
    "hardswish": (lambda F, y: F.hardswish(y, inplace=True), "HardswishBackward0"),
    "hardsigmoid": (lambda F, y: F.hardsigmoid(y, True), "HardsigmoidBackward0"),
    "threshold": (lambda F, y: F.threshold(y, 0.5, 3.0, True), "ThresholdBackward1"),
    "threshold_": (lambda F, y: F.threshold_(y, 0.25, -2.0), "ThresholdBackward1"),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_forms(name):
    fn, node = INPLACE[name]

    def run(lib, x):
        y = x * 1.0  # not a leaf, so it may be changed in place
        out = fn(lib.nn.functional, y)
        assert out is y
        assert out.grad_fn.name() == node
        return y
    check(run, _data())


@pytest.mark.parametrize("name", ["SELU", "CELU", "Mish", "Hardswish", "Hardsigmoid", "Threshold"])
def test_inplace_modules_change_their_input(name):
    args = (0.5, -2.0, True) if name == "Threshold" else (True,) if name != "CELU" else (1.0, True)

    def run(lib, x):
        y = x * 1.0
        out = getattr(lib.nn, name)(*args)(y)
        assert out is y
        return y
    check(run, _data())


@pytest.mark.parametrize("name", ["selu", "celu", "mish", "hardswish", "hardsigmoid", "threshold"])
def test_inplace_on_a_leaf_that_requires_grad_fails_as_torch(name):
    args = (0.5, -2.0) if name == "threshold" else ()
    theirs, ours = raises_like(lambda lib, x: getattr(lib.nn.functional, name)(x.requires_grad_(), *args,
                                                                                inplace=True), _data())
    assert ours == theirs


def test_inplace_without_grad_writes_into_the_buffer():
    x = _data()
    for lib in (torch, glasstorch):
        t = lib.tensor(x)
        view = t[0]
        lib.nn.functional.selu_(t)
        np.testing.assert_allclose(np.asarray(view.tolist()), torch.selu(torch.tensor(x))[0].numpy(), rtol=1e-6)


def test_node_names_match_torch():
    x = _data()
    for name, fn in FUNCTIONAL.items():
        t = fn(torch.nn.functional, torch.tensor(x, requires_grad=True))
        o = fn(glasstorch.nn.functional, glasstorch.tensor(x, requires_grad=True))
        assert o.grad_fn.name() == t.grad_fn.name(), name


TOP_LEVEL = {
    "selu": lambda lib, x: lib.selu(x),
    "celu": lambda lib, x: lib.celu(x, 0.5),
    "threshold": lambda lib, x: lib.threshold(x, 0.5, -4.0),
    "selu_": lambda lib, x: lib.selu_(x * 1.0),
    "celu_": lambda lib, x: lib.celu_(x * 1.0, alpha=2.0),
    "threshold_": lambda lib, x: lib.threshold_(x * 1.0, 0.0, 9.0),
}


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_top_level_spellings(name):
    check(TOP_LEVEL[name], _data())


@pytest.mark.parametrize("name", ["selu", "celu", "threshold", "selu_", "celu_", "threshold_", "softsign", "mish",
                                  "hardswish", "hardsigmoid", "logsigmoid", "tanhshrink", "glu"])
def test_which_spellings_exist(name):
    # torch.selu, torch.celu, torch.threshold (and in-place forms) exist; the others are nn.functional only, and
    # torch.Tensor has none of them
    assert hasattr(glasstorch, name) == hasattr(torch, name)
    assert hasattr(glasstorch.Tensor, name) == hasattr(torch.Tensor, name)
    assert hasattr(glasstorch.nn.functional, name) == hasattr(torch.nn.functional, name)


INTEGERS = np.array([[0, 1, -1, 2, -2, 5]], dtype=np.int64)


@pytest.mark.parametrize("call", [
    lambda F, x: F.threshold(x, 0.5, -1.5),
    lambda F, x: F.threshold(x, -0.5, 5),  # the threshold truncates to 0: 0 is not above it
    lambda F, x: F.threshold(x, 1, 7.9),
    lambda F, x: F.threshold(x, -1.5, 2),
    lambda F, x: F.softsign(x),
    lambda F, x: F.tanhshrink(x),
])
def test_integer_inputs_that_torch_accepts(call):
    check(lambda lib, x: call(lib.nn.functional, x), INTEGERS, grad=False)
    check(lambda lib, x: call(lib.nn.functional, x.to(lib.int32)), INTEGERS, grad=False)


def test_threshold_casts_threshold_and_value_to_the_float_dtype():
    # 0.1 as float32 equals the float32 element 0.1, so it is not above the threshold; value rounds to float32
    for dtype in (np.float32, np.float64):
        check(lambda lib, x: lib.nn.functional.threshold(x, 0.1, 1 / 3), np.array([0.1, 0.2, 0.0], dtype=dtype),
              **_tolerances(dtype))


BOOLS = np.array([[True, False]])


def _lib(F):
    return torch if F is torch.nn.functional else glasstorch

ERRORS = {
    "selu_of_integers": (lambda F, x: F.selu(x), INTEGERS),
    "celu_of_integers": (lambda F, x: F.celu(x), INTEGERS),
    "mish_of_integers": (lambda F, x: F.mish(x), INTEGERS),
    "hardswish_of_integers": (lambda F, x: F.hardswish(x), INTEGERS),
    "hardsigmoid_of_integers": (lambda F, x: F.hardsigmoid(x), INTEGERS),
    "logsigmoid_of_integers": (lambda F, x: F.logsigmoid(x), INTEGERS),
    "glu_of_integers": (lambda F, x: F.glu(x), INTEGERS),
    "selu_of_bools": (lambda F, x: F.selu(x), BOOLS),
    "softsign_of_bools": (lambda F, x: F.softsign(x), BOOLS),
    "tanhshrink_of_bools": (lambda F, x: F.tanhshrink(x), BOOLS),
    "threshold_of_bools": (lambda F, x: F.threshold(x, 0, 1), BOOLS),
    "celu_alpha_zero": (lambda F, x: F.celu(x, 0.0), arr(2, 4)),
    "glu_odd_last_dim": (lambda F, x: F.glu(x), arr(2, 3)),
    "glu_odd_dim0_1d": (lambda F, x: F.glu(x), arr(5)),
    "glu_odd_integer_dim_first": (lambda F, x: F.glu(x), np.array([[1, 2, 3]])),
    "glu_scalar": (lambda F, x: F.glu(x), np.array(1.0, dtype=np.float32)),
    "glu_dim_out_of_range": (lambda F, x: F.glu(x, 2), arr(2, 4)),
    "glu_negative_dim_out_of_range": (lambda F, x: F.glu(x, -3), arr(2, 4)),
    "threshold_value_overflows_int64": (lambda F, x: F.threshold(x, 1, 1e30), INTEGERS),
    "threshold_value_overflows_int32": (lambda F, x: F.threshold(x.int(), 1, 2 ** 40), INTEGERS),
    "threshold_overflows_int16": (lambda F, x: F.threshold(x.to(_lib(F).int16), -2 ** 20, 0), INTEGERS),
    "threshold_overflows_uint8": (lambda F, x: F.threshold(x.abs().to(_lib(F).uint8), 300, 0), INTEGERS),
    "threshold_overflows_float16": (lambda F, x: F.threshold(x.to(_lib(F).float16), 0, 1e5), arr(2, 4)),
    "threshold_overflows_float32": (lambda F, x: F.threshold(x, 1e40, 1.0), arr(2, 4)),
    "threshold_value_overflows_float32": (lambda F, x: F.threshold(x, 0.0, -1e39), arr(2, 4)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    fn, data = ERRORS[name]
    theirs, ours = raises_like(lambda lib, a: fn(lib.nn.functional, a), data)
    assert ours == theirs


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4, 5, 6)], ids=str)
def test_softmax2d_rejects_other_ranks(shape):
    theirs, ours = raises_like(lambda lib, a: lib.nn.Softmax2d()(a), arr(*shape))
    assert ours == theirs


def test_module_errors_match_torch():
    theirs, ours = raises_like(lambda lib, a: lib.nn.CELU(alpha=0.0)(a), arr(3))
    assert ours == theirs
    raises_like(lambda lib, a: lib.nn.Threshold(), arr(3))  # no defaults for threshold and value: TypeError
    theirs, ours = raises_like(lambda lib, a: lib.nn.GLU(dim=1)(a), arr(4, 3))
    assert ours == theirs


def test_threshold_accepts_infinite_and_nan_values_as_torch():
    check(lambda lib, x: lib.nn.functional.threshold(x, 0.0, float("inf")), arr(2, 4))
    check(lambda lib, x: lib.nn.functional.threshold(x, 0.0, float("nan")), arr(2, 4))


def test_empty_inputs():
    check(lambda lib, x: lib.nn.functional.glu(x), np.zeros((0, 4), dtype=np.float32))
    check(lambda lib, x: lib.nn.functional.mish(x), np.zeros((0, 3), dtype=np.float64))


def test_a_small_network_with_the_new_activations_trains_as_torch():
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.SELU(), torch.nn.Linear(8, 8), torch.nn.Mish(),
                                 torch.nn.GLU(), torch.nn.Linear(4, 4), torch.nn.Hardswish(), torch.nn.LogSigmoid())
    ours = glasstorch.nn.Sequential(glasstorch.nn.Linear(3, 8), glasstorch.nn.SELU(), glasstorch.nn.Linear(8, 8),
                                    glasstorch.nn.Mish(), glasstorch.nn.GLU(), glasstorch.nn.Linear(4, 4),
                                    glasstorch.nn.Hardswish(), glasstorch.nn.LogSigmoid())
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = arr(5, 3)
    out_t, out_o = theirs(torch.tensor(x)), ours(glasstorch.tensor(x))
    compare(out_o, out_t)
    out_t.sum().backward()
    out_o.sum().backward()
    for (name, p_t), p_o in zip(theirs.named_parameters(), ours.parameters()):
        compare(p_o.grad, p_t.grad, rtol=1e-4, atol=1e-6, what=name)
