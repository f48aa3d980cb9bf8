"""Parity with torch of creation functions and dtypes: values, shapes and dtypes; random ones by shape, dtype, range
and seed repeatability only (glasstorch's streams are NumPy's, not torch's)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check, compare, raises_like  # noqa: E402

DATA = {
    "float_list": [1.0, 2.5, -3.0],
    "int_list": [1, 2, 3],
    "bool_list": [True, False],
    "mixed_int_float": [1, 2.5],
    "mixed_bool_int": [True, 2],
    "nested": [[1.0, 2.0], [3.0, 4.0]],
    "float_scalar": 2.5,
    "int_scalar": 7,
    "bool_scalar": True,
    "empty": [],
    "tuple": (1.0, 2.0),
    "numpy_float64": np.array([1.0, 2.0]),
    "numpy_float32": np.array([1.0, 2.0], np.float32),
    "numpy_int32": np.array([1, 2], np.int32),
    "numpy_int64_scalar": np.int64(3),
    "numpy_float64_scalar": np.float64(0.5),
    "numpy_bool": np.array([True, False]),
    "numpy_uint8": np.array([1, 255], np.uint8),
}


@pytest.mark.parametrize("name", DATA)
def test_tensor_infers_torchs_dtype(name):
    check(lambda lib: lib.tensor(DATA[name]), grad=False)


@pytest.mark.parametrize("name", ["float_list", "int_list", "nested", "numpy_float64"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool", "float", "double", "long", "int"])
def test_tensor_with_dtype(name, dtype):
    check(lambda lib: lib.tensor(DATA[name], dtype=getattr(lib, dtype)), grad=False)


def test_tensor_of_tensors_and_copies():
    def fn(lib):
        a = np.array([1.0, 2.0], np.float32)
        t = lib.tensor(a)
        a[0] = 9.0  # tensor() copies
        return t, lib.tensor([lib.tensor(1.0), lib.tensor(2.0)]), lib.tensor([[lib.tensor(1)], [lib.tensor(2)]])
    check(fn, grad=False)


def test_as_tensor_and_from_numpy_share_memory():
    def fn(lib):
        a = np.array([1.0, 2.0])
        b = np.array([1, 2], np.int32)
        t, u, v = lib.as_tensor(a), lib.from_numpy(b), lib.as_tensor(a, dtype=lib.float32)
        a[1] = 5.0
        b[0] = 7
        w = lib.as_tensor([1, 2])
        return t, u, v, w, lib.as_tensor(t) is t
    check(fn, grad=False)
    raises_like(lambda lib: lib.from_numpy([1.0]))


SHAPES = [(2, 3), ((2, 3),), ([2, 3],), (0,), ((),), (4,), (glasstorch.Size([2, 1]),)]
FILLED = ["zeros", "ones", "empty"]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", FILLED)
def test_filled_shape_and_dtype(name, shape):
    check(lambda lib: getattr(lib, name)(*shape).shape, grad=False)
    check(lambda lib: getattr(lib, name)(*shape).dtype is lib.float32, grad=False)
    if name != "empty":
        check(lambda lib: getattr(lib, name)(*shape), grad=False)
        check(lambda lib: getattr(lib, name)(*shape, dtype=lib.int64), grad=False)
        check(lambda lib: getattr(lib, name)(*shape, dtype=lib.bool), grad=False)


@pytest.mark.parametrize("name", FILLED + ["rand", "randn"])
def test_filled_needs_a_size(name):
    raises_like(lambda lib: getattr(lib, name)())


@pytest.mark.parametrize("value", [1.5, 2, True, -0.5])
def test_full_and_like(value):
    check(lambda lib: lib.full((2, 3), value), grad=False)
    check(lambda lib: lib.full([2], value, dtype=lib.float64), grad=False)
    base = np.ones((2, 3), np.int32)
    check(lambda lib: (lib.full_like(lib.tensor(base), 3), lib.zeros_like(lib.tensor(base)), lib.ones_like(lib.tensor(base)),
                       lib.ones_like(lib.tensor(base), dtype=lib.float32), lib.empty_like(lib.tensor(base)).shape), grad=False)


def test_requires_grad_argument():
    def fn(lib):
        return tuple(t.requires_grad for t in (lib.zeros(2, requires_grad=True), lib.ones(2, requires_grad=True),
                                               lib.full((2,), 1.0, requires_grad=True), lib.tensor([1.0], requires_grad=True),
                                               lib.randn(2, requires_grad=True), lib.rand(2, requires_grad=True),
                                               lib.empty(2, requires_grad=True), lib.eye(2, requires_grad=True),
                                               lib.zeros_like(lib.ones(2), requires_grad=True),
                                               lib.arange(3.0, requires_grad=True), lib.linspace(0, 1, 3, requires_grad=True)))
    check(fn, grad=False)


ARANGE = [(5,), (2, 7), (1, 10, 3), (0.0, 1.0, 0.25), (5.0,), (10, 0, -2), (0, 1, 0.1), (-3, 3), (0, 0)]


@pytest.mark.parametrize("args", ARANGE, ids=str)
def test_arange(args):
    check(lambda lib: lib.arange(*args), grad=False)
    check(lambda lib: lib.arange(*args, dtype=lib.float64), grad=False)


def test_arange_errors():
    raises_like(lambda lib: lib.arange(0, 5, 0))


@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 4), (1, 1, 1), (0, 10, 0), (3, -3, 7)], ids=str)
def test_linspace(args):
    check(lambda lib: lib.linspace(*args), grad=False)
    check(lambda lib: lib.linspace(*args, dtype=lib.float64), grad=False)


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2)], ids=str)
def test_eye(args):
    check(lambda lib: lib.eye(*args), grad=False)
    check(lambda lib: lib.eye(*args, dtype=lib.int64), grad=False)


# ---- random creation: shapes, dtypes, ranges, seeds ----------------------------------------------------------------

RANDOM = {
    "rand": lambda lib, **k: lib.rand(3, 4, **k),
    "rand_tuple": lambda lib, **k: lib.rand((2, 5), **k),
    "randn": lambda lib, **k: lib.randn(3, 4, **k),
    "randint": lambda lib, **k: lib.randint(0, 10, (3, 4), **k),
    "randint_high_only": lambda lib, **k: lib.randint(5, (6,), **k),
    "randperm": lambda lib, **k: lib.randperm(10, **k),
    "rand_like": lambda lib, **k: lib.rand_like(lib.ones(2, 3, dtype=lib.float64), **k),
    "randn_like": lambda lib, **k: lib.randn_like(lib.ones(2, 3), **k),
    "normal": lambda lib, **k: lib.normal(2.0, 3.0, (4, 5), **k),
    "empty_uniform": lambda lib, **k: lib.empty(3, 4).uniform_(-2, 2, **k),
    "empty_normal": lambda lib, **k: lib.empty(3, 4).normal_(1, 0.1, **k),
}


def _meta(t):
    return tuple(t.shape), str(t.dtype).split(".")[-1], t.requires_grad


@pytest.mark.parametrize("name", RANDOM)
def test_random_shape_and_dtype(name):
    assert _meta(RANDOM[name](glasstorch)) == _meta(RANDOM[name](torch))


@pytest.mark.parametrize("name", RANDOM)
def test_random_seed_repeatability_and_generator(name):
    glasstorch.manual_seed(123)
    a = RANDOM[name](glasstorch)
    b = RANDOM[name](glasstorch)
    glasstorch.manual_seed(123)
    c = RANDOM[name](glasstorch)
    assert glasstorch.equal(a, c) and not glasstorch.equal(a, b)
    g1, g2 = glasstorch.Generator().manual_seed(7), glasstorch.Generator().manual_seed(7)
    assert glasstorch.equal(RANDOM[name](glasstorch, generator=g1), RANDOM[name](glasstorch, generator=g2))


def test_random_dtypes():
    for lib in (torch, glasstorch):
        assert str(lib.rand(2, dtype=lib.float64).dtype).endswith("float64")
        assert str(lib.randn(2, dtype=lib.float64).dtype).endswith("float64")
        assert str(lib.randint(0, 3, (2,), dtype=lib.int32).dtype).endswith("int32")
        assert str(lib.randperm(3, dtype=lib.int32).dtype).endswith("int32")


def test_random_ranges_and_moments():
    glasstorch.manual_seed(0)
    u = glasstorch.rand(10000)
    assert float(u.min()) >= 0.0 and float(u.max()) < 1.0 and abs(float(u.mean()) - 0.5) < 0.02
    n = glasstorch.randn(10000)
    assert abs(float(n.mean())) < 0.05 and abs(float(n.std()) - 1.0) < 0.05
    r = glasstorch.randint(3, 7, (10000,))
    assert set(r.unique().tolist()) == {3, 4, 5, 6}
    p = glasstorch.randperm(50)
    assert sorted(p.tolist()) == list(range(50))
    m = glasstorch.normal(2.0, 3.0, (10000,))
    assert abs(float(m.mean()) - 2.0) < 0.15 and abs(float(m.std()) - 3.0) < 0.15


def test_manual_seed_returns_a_generator_and_rng_state_round_trips():
    assert isinstance(glasstorch.manual_seed(5), glasstorch.Generator)
    state = glasstorch.get_rng_state()
    a = glasstorch.rand(3)
    glasstorch.set_rng_state(state)
    assert glasstorch.equal(a, glasstorch.rand(3))
    assert glasstorch.initial_seed() == 5


# ---- dtypes -------------------------------------------------------------------------------------------------------

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool", "float", "double",
          "long", "int", "half", "short"]


@pytest.mark.parametrize("name", DTYPES)
def test_dtype_names_and_properties(name):
    ours, theirs = getattr(glasstorch, name), getattr(torch, name)
    assert str(ours) == str(theirs).replace("torch", "glasstorch")
    assert repr(ours) == repr(theirs).replace("torch", "glasstorch")
    assert ours.is_floating_point == theirs.is_floating_point
    assert ours.is_signed == theirs.is_signed
    assert ours.itemsize == theirs.itemsize


CONVERSIONS = ["float", "double", "long", "int", "bool", "half"]


@pytest.mark.parametrize("name", CONVERSIONS)
def test_dtype_conversion_methods(name):
    a = np.array([1.7, -2.2, 0.0, 3.5], np.float32)
    check(lambda lib, x: getattr(x, name)(), a, grad=name in ("float", "double", "half"), rtol=1e-3)
    check(lambda lib, x: x.to(getattr(lib, name if name not in ("float", "double", "long", "int", "bool") else
                                       {"float": "float32", "double": "float64", "long": "int64", "int": "int32",
                                        "bool": "bool"}[name])), a, grad=False, rtol=1e-3)


def test_to_and_type_variants():
    a = np.array([1.5, -2.0], np.float32)
    check(lambda lib, x: (x.to(lib.float64), x.to("cpu"), x.to(lib.ones(1, dtype=lib.int64)), x.to("cpu", lib.float64),
                          x.to(dtype=lib.int32), x.to(device="cpu"), x.type(lib.float64), x.type_as(lib.ones(1, dtype=lib.int32)),
                          x.type("torch.DoubleTensor"), x.double().float()), a, grad=False)
    check(lambda lib, x: (x.type(), x.long().type(), x.double().type(), x.bool().type()), a, grad=False)
    check(lambda lib, x: (x.to(lib.float32) is x, x.float() is x, x.to("cpu") is x, x.cpu() is x), a, grad=False)


def test_to_keeps_the_graph():
    check(lambda lib, x: (x.double() * 2).float() + x.to(lib.float64).sum(), np.array([1.5, -2.0], np.float32))


def test_default_dtype():
    check(lambda lib: (lib.get_default_dtype(), lib.tensor([1.0]).dtype, lib.ones(2).dtype), grad=False)
    try:
        for lib in (torch, glasstorch):
            lib.set_default_dtype(lib.float64)
        check(lambda lib: (lib.tensor([1.0]), lib.ones(2), lib.tensor([1]) / 2, lib.arange(2.0), lib.tensor(1) + 0.5,
                           lib.get_default_dtype() is lib.float64), grad=False)
    finally:
        for lib in (torch, glasstorch):
            lib.set_default_dtype(lib.float32)


def test_tensor_attributes():
    check(lambda lib, x: (x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), lib.numel(x),
                          x.is_floating_point(), x.is_leaf, x.requires_grad, x.grad is None, x.grad_fn is None,
                          x.element_size(), x.T.shape, x.nelement()),
          np.ones((2, 3), np.float32), grad=False)
    check(lambda lib, x: (x.shape[0], list(x.shape), x.shape == (2, 3), x.shape.numel(), len(x.shape)),
          np.ones((2, 3), np.float32), grad=False)
    assert str(glasstorch.ones(2).device) == "cpu" and repr(glasstorch.ones(2, 3).shape) == "glasstorch.Size([2, 3])"
    assert glasstorch.is_tensor(glasstorch.ones(1)) and not glasstorch.is_tensor(np.ones(1))


def test_legacy_tensor_constructor():
    check(lambda lib: (lib.Tensor([1, 2]), lib.Tensor(2, 3).shape, lib.Tensor([[1.5]]), lib.Tensor(0).shape), grad=False)


def test_unsupported_data_types_raise():
    for data in (["a", "b"], np.array(["a"]), "a", [1, "a"], None, [[1, 2], [3]]):
        raises_like(lambda lib: lib.tensor(data))
    compare(glasstorch.tensor(np.float32(2.5)).dtype is glasstorch.float32, True)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("size", [[30], (2, 3)])
def test_size_keyword_as_the_course_writes_it(name, size):
    """The course's EWA example calls torch.randn(size=[ELEMENT_NUMBER,])."""
    ours = getattr(glasstorch, name)(size=size)
    theirs = getattr(torch, name)(size=size)
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1]


@pytest.mark.parametrize("value,dtype", [(300, "uint8"), (float("nan"), "int32"), (2.5e9, "int32"), (-1, "uint8"),
                                         (-1.5, "uint8"), (1e30, "int8"), (float("inf"), "int64"), (float("nan"), "bool"),
                                         (2 ** 63, "int64"), (2.7, "int64"), (-255, "uint8"), (-256, "uint8"),
                                         (127.9, "int8"), (-129, "int8"), (-3, "int16")], ids=str)
def test_full_checks_the_fill_value_against_an_integer_type_as_torch(value, dtype):
    """torch converts the fill value with an overflow check (NaN, inf and out-of-range values refused; an unsigned
    type takes negative integers down to -max, wrapping around); NumPy would warn and cast, or raise OverflowError."""
    outcomes = []
    for lib in (glasstorch, torch):
        try:
            outcomes.append(lib.full((2,), value, dtype=getattr(lib, dtype)).tolist())
        except Exception as error:  # noqa: BLE001 - the class and message are what is compared
            outcomes.append((type(error).__name__, str(error)))
    assert outcomes[0] == outcomes[1]
