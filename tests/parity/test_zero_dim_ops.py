"""0-dim tensors along dim 0 / -1, against torch: torch accepts those dims for reductions, scans and softmax (the
result stays 0-dim, keepdim too), where NumPy has no axis 0; and torch's errors where a 0-dim tensor has no dim
(size, unbind, roll, split, chunk) or where the dim is out of range. Values, dtypes, shapes and gradients."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check, compare  # noqa: E402

FLOAT_OPS = {
    "sum": lambda x, d: x.sum(dim=d),
    "sum_keepdim": lambda x, d: x.sum(d, keepdim=True),
    "sum_tuple": lambda x, d: x.sum(dim=(d,)),
    "mean": lambda x, d: x.mean(dim=d),
    "mean_keepdim": lambda x, d: x.mean(d, keepdim=True),
    "prod": lambda x, d: x.prod(dim=d),
    "max": lambda x, d: x.max(dim=d),
    "min_keepdim": lambda x, d: x.min(dim=d, keepdim=True),
    "amax": lambda x, d: x.amax(dim=d),
    "amin": lambda x, d: x.amin(dim=d),
    "argmax": lambda x, d: x.argmax(dim=d),
    "argmin": lambda x, d: x.argmin(dim=d, keepdim=True),
    "std_no_dof": lambda x, d: x.std(dim=d, correction=0),
    "var_no_dof": lambda x, d: x.var(dim=d, unbiased=False),
    "logsumexp": lambda x, d: x.logsumexp(dim=d),
    "softmax": lambda x, d: x.softmax(d),
    "log_softmax": lambda x, d: x.log_softmax(d),
    "cumsum": lambda x, d: x.cumsum(d),
    "cumprod": lambda x, d: x.cumprod(d),
    "norm": lambda x, d: x.norm(dim=d),
    "norm_1": lambda x, d: x.norm(p=1, dim=d),
    "norm_inf": lambda x, d: x.norm(p=float("inf"), dim=d),
    "any": lambda x, d: x.any(dim=d),
    "all": lambda x, d: x.all(dim=d),
    "nansum": lambda x, d: x.nansum(dim=d),
    "nanmean": lambda x, d: x.nanmean(dim=d),
    "median": lambda x, d: x.median(dim=d),
    "count_nonzero": lambda x, d: x.count_nonzero(dim=d),
    "sort": lambda x, d: x.sort(dim=d),
    "argsort": lambda x, d: x.argsort(dim=d),
    "topk": lambda x, d: x.topk(1, dim=d),
    "flip": lambda x, d: x.flip(d),
    "squeeze": lambda x, d: x.squeeze(d),
    "unsqueeze": lambda x, d: x.unsqueeze(d),
    "transpose": lambda x, d: x.transpose(d, 0),
    "flatten": lambda x, d: x.flatten(d),
    "gather": lambda x, d: x.gather(d, x.new_zeros((), dtype=glasstorch.int64) if isinstance(x, glasstorch.Tensor)
                                    else x.new_zeros((), dtype=torch.int64)),
    "index_select": lambda x, d: x.index_select(d, (glasstorch if isinstance(x, glasstorch.Tensor) else torch).tensor([0])),
    "functional_softmax": lambda x, d: (glasstorch if isinstance(x, glasstorch.Tensor) else torch).nn.functional.softmax(x, d),
}


def _outputs(out):
    return tuple(out) if isinstance(out, tuple) else out


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", FLOAT_OPS)
def test_float_0d_along_dim(name, dim):
    check(lambda lib, x: _outputs(FLOAT_OPS[name](x, dim)), np.array(1.75, dtype=np.float32))


INTEGER_OPS = ["sum", "sum_keepdim", "prod", "max", "amax", "cumsum", "cumprod", "any", "all", "nansum",
               "count_nonzero", "sort", "flip", "index_select", "gather"]


@pytest.mark.parametrize("dtype", ["int64", "bool"])
@pytest.mark.parametrize("name", INTEGER_OPS)
def test_integer_0d_along_dim(name, dtype):
    for dim in (0, -1):
        ours = FLOAT_OPS[name](glasstorch.tensor(3 if dtype == "int64" else True), dim)
        theirs = FLOAT_OPS[name](torch.tensor(3 if dtype == "int64" else True), dim)
        compare(_outputs(ours), _outputs(theirs))


ERRORS = {
    "sum_dim_1": lambda lib, x: x.sum(dim=1),
    "softmax_dim_1_int": lambda lib, x: x.long().softmax(1),
    "softmax_int": lambda lib, x: x.long().softmax(0),
    "log_softmax_int_2d_dim0": lambda lib, x: lib.zeros(2, 3, dtype=lib.int64).log_softmax(0),
    "std_int": lambda lib, x: x.long().std(dim=0),
    "var_bool": lambda lib, x: x.bool().var(),
    "topk_dim_1": lambda lib, x: x.topk(1, dim=1),
    "median_bool_dim_1": lambda lib, x: x.bool().median(dim=1),
    "unbind": lambda lib, x: x.unbind(0),
    "unbind_last": lambda lib, x: x.unbind(-1),
    "unbind_1": lambda lib, x: x.unbind(1),
    "roll": lambda lib, x: x.roll(1, dims=-1),
    "size": lambda lib, x: x.size(0),
    "size_last": lambda lib, x: x.size(-1),
    "stride": lambda lib, x: x.stride(0),
    "split": lambda lib, x: x.split(1, dim=0),
    "chunk": lambda lib, x: x.chunk(1, dim=0),
    "flatten_1": lambda lib, x: x.flatten(1),
    "index_select_two": lambda lib, x: x.index_select(0, lib.tensor([0, 0])),
    "narrow": lambda lib, x: x.narrow(0, 0, 1),
    "argmax_bool": lambda lib, x: x.bool().argmax(0),
}


@pytest.mark.parametrize("name", ERRORS)
def test_0d_errors_as_torch(name):
    found = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as error:
            ERRORS[name](lib, lib.tensor(1.75))
        found.append((error.type, str(error.value)))
    assert found[1] == found[0]


@pytest.mark.parametrize("value", [2.5, 0.0])
def test_nonzero_of_a_0d_tensor(value):
    for make in (lambda lib: lib.tensor(value).nonzero(), lambda lib: lib.argwhere(lib.tensor(value)),
                 lambda lib: lib.tensor(value).nonzero(as_tuple=True)):
        compare(_outputs(make(glasstorch)), _outputs(make(torch)))


@pytest.mark.parametrize("dim", [0, 1, -1, -2])
@pytest.mark.parametrize("shape", [(3,), (3, 4), (3, 4, 2), (2, 3, 4, 5)])
@pytest.mark.parametrize("index", [[5], [-1], [0, 7], [4]])
def test_index_select_out_of_range_error_class(shape, dim, index):
    """torch's CPU kernel raises RuntimeError along dim 1 of a tensor of 2+ dims, IndexError elsewhere."""
    if not -len(shape) <= dim < len(shape):
        return
    found = []
    for lib in (torch, glasstorch):
        try:
            found.append(tuple(lib.zeros(shape).index_select(dim, lib.tensor(index)).shape))
        except Exception as error:  # noqa: BLE001 - the class and message are what is compared
            found.append((type(error), str(error)))
    assert found[1] == found[0]
