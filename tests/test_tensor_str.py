"""Parity of ``glasstorch._tensor_str.format_tensor`` with torch's ``repr``."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from glasstorch import _tensor_str  # noqa: E402
from glasstorch._tensor_str import format_tensor  # noqa: E402


def _expected(t):
    return repr(t).replace("torch.", "glasstorch.")


def _name(t):
    return str(t.dtype).removeprefix("torch.")


def _check(a, suffixes=(), t=None):
    a = np.array(a, order="C")
    t = torch.from_numpy(a.copy()) if t is None else t
    assert format_tensor(a, _name(t), list(suffixes)) == _expected(t)


F32, F64 = np.float32, np.float64
RNG = np.random.default_rng(0)

CASES = {
    # 0-d
    "scalar_float": np.array(0.5, F32),
    "scalar_int_valued": np.array(3.0, F32),
    "scalar_neg": np.array(-2.25, F64),
    "scalar_tiny": np.array(1e-7, F32),
    "scalar_big": np.array(1e9, F32),
    "scalar_nan": np.array(np.nan, F32),
    "scalar_inf": np.array(-np.inf, F64),
    "scalar_zero": np.array(0.0, F32),
    "scalar_negzero": np.array(-0.0, F32),
    "scalar_int": np.array(-17, np.int64),
    "scalar_int32": np.array(5, np.int32),
    "scalar_bool": np.array(True),
    # 1-D floats
    "small_floats": np.array([0.0212, 0.0177], F32),
    "int_valued": np.array([1.0, 2.0, 3.0], F32),
    "int_valued_neg": np.array([-1.0, 20.0, 300.0], F64),
    "sci_small": np.array([1e-5, 1e8], F32),
    "sci_ratio": np.array([1.0, 1001.0, 0.5], F32),
    "no_sci_ratio": np.array([1.0, 999.0, 1.5], F32),
    "sci_big": np.array([1.5e8, 2.0], F64),
    "sci_int_valued": np.array([1.0, 1e10], F32),
    "nan_inf": np.array([np.nan, np.inf, -np.inf], F32),
    "nan_inf_mixed": np.array([np.nan, 1.5, -np.inf, 0.0], F32),
    "nan_inf_int": np.array([np.nan, 2.0, np.inf], F64),
    "nan_sci": np.array([np.nan, 1e-6, np.inf], F32),
    "zeros": np.zeros(4, F32),
    "neg_zero": np.array([-0.0, 1.5], F32),
    "neg_zero_int": np.array([-0.0, 2.0, 0.0], F32),
    "neg_zero_sci": np.array([-0.0, 1e-9, 3.0], F64),
    "negatives": np.array([-1.2345678, 2.5, -300.125], F32),
    "rounding": np.array([0.00005, 0.12345, 9.99995], F64),
    "float16": np.array([0.1, 2.0, -3.5], np.float16),
    "float16_int": np.array([1.0, 2048.0], np.float16),
    "float64_rand": RNG.standard_normal(7),
    # 1-D ints / bools
    "ints": np.array([1, 2, 3], np.int64),
    "ints_neg": np.array([-100, 2, 30000], np.int64),
    "int32": np.array([1, -2, 3], np.int32),
    "int16": np.array([7, -8], np.int16),
    "int8": np.array([-128, 127], np.int8),
    "uint8": np.array([0, 255, 3], np.uint8),
    "bools": np.array([True, False]),
    "bools_many": RNG.random(40) > 0.5,
    # wrapping rows
    "wide_float": RNG.standard_normal(40).astype(F32),
    "wide_int": np.arange(-50, 50, dtype=np.int64),
    "wide_sci": (RNG.standard_normal(30) * 10.0 ** RNG.integers(-8, 8, 30)).astype(F64),
    "wide_int_valued": np.arange(60, dtype=F32),
    # 2-D / 3-D / 4-D
    "mat_int_valued": np.array([[1.0, 2.0], [3.0, 4.0]], F32),
    "mat_rand": RNG.standard_normal((3, 4)).astype(F32),
    "mat_wide": RNG.standard_normal((3, 25)).astype(F32),
    "mat_int32": RNG.integers(-1000, 1000, (4, 5)).astype(np.int32),
    "mat_bool": RNG.random((3, 3)) > 0.5,
    "mat_sci": np.array([[1e-10, 1.0], [5.0, 1e3]], F64),
    "cube": RNG.standard_normal((2, 3, 4)).astype(F32),
    "cube_int": np.arange(24, dtype=np.int64).reshape(2, 3, 4),
    "cube_wide": RNG.standard_normal((2, 2, 20)),
    "hyper": RNG.standard_normal((2, 2, 2, 2)).astype(F32),
    "row_col": RNG.standard_normal((1, 5)).astype(F32),
    "col": RNG.standard_normal((5, 1)).astype(F32),
    # summarised (> 1000 elements)
    "big_1d": np.arange(2000, dtype=F32),
    "big_1d_rand": RNG.standard_normal(1500).astype(F32),
    "big_1d_int": np.arange(1001, dtype=np.int64),
    "big_2d": RNG.standard_normal((50, 50)).astype(F32),
    "big_2d_int": np.arange(5000, dtype=np.int64).reshape(100, 50),
    "big_2d_narrow": RNG.standard_normal((600, 2)).astype(F64),
    "big_2d_short_rows": RNG.standard_normal((2, 600)).astype(F32),
    "big_3d": RNG.standard_normal((10, 10, 11)).astype(F32),
    "big_hidden_outlier": np.concatenate([np.ones(600), [1e12], np.ones(600)]).astype(F32),
    "big_bool": RNG.random(1200) > 0.5,
    "big_4d": RNG.standard_normal((4, 5, 7, 8)).astype(F32),
    # empty
    "empty_1d": np.zeros(0, F32),
    "empty_2d": np.zeros((0, 3), F32),
    "empty_3d": np.zeros((2, 0, 4), F32),
    "empty_int": np.zeros(0, np.int64),
    "empty_int_2d": np.zeros((3, 0), np.int64),
    "empty_f64": np.zeros((0, 2), F64),
    "empty_bool": np.zeros(0, bool),
    # complex
    "complex64": np.array([1 + 2j, -0.5 - 1.25j], np.complex64),
    "complex128": np.array([[1e-6 + 1j, 3 - 0j], [np.nan + 1j, 2 + np.inf * 1j]]),
    "complex_scalar": np.array(2 - 3j, np.complex64),
}

FLOAT_CASES = [k for k, v in CASES.items() if v.dtype.kind == "f"]


@pytest.mark.parametrize("name", list(CASES))
def test_plain(name):
    _check(CASES[name])


@pytest.mark.parametrize("name", FLOAT_CASES)
def test_requires_grad(name):
    a = CASES[name]
    if a.dtype == np.float16:
        pytest.skip("float16 autograd is not relevant here")
    t = torch.tensor(a, requires_grad=True)
    _check(a, ["requires_grad=True"], t)


@pytest.mark.parametrize("name", FLOAT_CASES)
def test_grad_fn(name):
    a = CASES[name]
    if a.dtype == np.float16:
        pytest.skip("float16 autograd is not relevant here")
    t = torch.tensor(a, requires_grad=True) * 1
    _check(a, ["grad_fn=<MulBackward0>"], t)


@pytest.mark.parametrize("length", range(1, 40))
@pytest.mark.parametrize("dtype", [F32, F64, np.int32])
def test_suffix_wrapping(length, dtype):
    """Rows of every length so that the last line hits the linewidth limit."""
    a = (np.arange(length) * 1.37 - 11).astype(dtype)
    t = torch.from_numpy(a.copy())
    if dtype != np.int32:
        t = t.requires_grad_() * 1
        _check(a, ["grad_fn=<MulBackward0>"], t)
    else:
        _check(a, [], t)


@pytest.mark.parametrize("seed", range(60))
def test_random(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(0, 7, rng.integers(0, 5)))
    if rng.random() < 0.2:
        shape = shape + (int(rng.integers(100, 400)),)
    dtype = rng.choice(["float32", "float64", "int64", "int32", "bool", "float16"])
    scale = 10.0 ** rng.integers(-9, 10)
    a = rng.standard_normal(shape) * scale
    if rng.random() < 0.3:
        a = np.round(a)
    if rng.random() < 0.2 and a.size:
        a.flat[rng.integers(0, a.size)] = rng.choice([np.nan, np.inf, -np.inf, -0.0])
    if dtype in ("int64", "int32"):
        a = np.nan_to_num(a, posinf=0, neginf=0).clip(-1e9, 1e9)
    with np.errstate(over="ignore"):
        a = a > 0 if dtype == "bool" else a.astype(dtype)
    _check(a)


@pytest.mark.parametrize(
    "opts",
    [
        dict(precision=2),
        dict(precision=8),
        dict(threshold=5),
        dict(threshold=5, edgeitems=1),
        dict(threshold=5, edgeitems=0),
        dict(linewidth=40),
        dict(sci_mode=True),
        dict(sci_mode=False),
    ],
    ids=str,
)
@pytest.mark.parametrize("name", ["mat_wide", "wide_sci", "cube_int", "big_2d", "int_valued"])
def test_print_options(opts, name):
    old = _tensor_str.PRINT_OPTS
    _tensor_str.PRINT_OPTS = _tensor_str.PrintOptions(**opts)
    try:
        with torch._tensor_str.printoptions(**opts):
            _check(CASES[name])
    finally:
        _tensor_str.PRINT_OPTS = old
