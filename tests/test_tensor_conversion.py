"""Conversions (item, tolist, numpy, float/int/bool, len, iteration, indexing with tensors) and the repr of tensors in
a graph (requires_grad=True, grad_fn=<...Backward0>), against torch."""
from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402


@pytest.fixture(autouse=True)
def torch_default_print_options():
    """torch's print options are global: start from its defaults whatever ran before."""
    torch.set_printoptions(profile="default")
    yield


def both(fn):
    return fn(glasstorch), fn(torch)


def _plain(value):
    """Tensors and dtypes as comparable text, everything else as is."""
    if isinstance(value, (glasstorch.Tensor, torch.Tensor)):
        return repr(value).replace("torch.", "glasstorch.")
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value).__name__, [_plain(v) for v in value]
    return value


CONVERSIONS = {
    "item_float": lambda lib: lib.tensor(2.5).item(),
    "item_int": lambda lib: lib.tensor([7]).item(),
    "item_bool": lambda lib: lib.tensor(True).item(),
    "item_of_1x1": lambda lib: lib.tensor([[1.5]]).item(),
    "item_float64": lambda lib: lib.tensor(0.1, dtype=lib.float64).item(),
    "tolist": lambda lib: lib.tensor([[1.5, 2.0], [3.0, 4.0]]).tolist(),
    "tolist_int": lambda lib: lib.tensor([[1, 2]]).tolist(),
    "tolist_scalar": lambda lib: lib.tensor(3.0).tolist(),
    "tolist_bool": lambda lib: (lib.tensor([1, 2]) > 1).tolist(),
    "float": lambda lib: float(lib.tensor([2.5])),
    "int": lambda lib: int(lib.tensor(-3.7)),
    "int_of_int": lambda lib: int(lib.tensor([9])),
    "bool_true": lambda lib: bool(lib.tensor([0.5])),
    "bool_false": lambda lib: bool(lib.tensor(0)),
    "len": lambda lib: len(lib.zeros(4, 2)),
    "iteration": lambda lib: [t for t in lib.tensor([[1.0, 2.0], [3.0, 4.0]])],
    "iteration_1d": lambda lib: list(lib.tensor([1, 2, 3])),
    "index_with_tensor": lambda lib: [10, 20, 30][lib.tensor(2)],
    "range_with_tensor": lambda lib: list(range(lib.tensor(3))),
    "format": lambda lib: f"{lib.tensor(0.123456):.3f}",
    "format_int": lambda lib: "{:d}".format(lib.tensor(5)),
    "str": lambda lib: str(lib.tensor([1.0, 2.0])),
    "in_if": lambda lib: "yes" if lib.tensor(1.0) > 0 else "no",
    "max_of_python": lambda lib: max(lib.tensor([1.0, 3.0, 2.0])).item(),
    "sum_of_python": lambda lib: sum(lib.tensor([1.0, 3.0, 2.0])).item(),
    "numpy_shares_memory": lambda lib: (lambda t: (t.numpy().__setitem__(0, 9.0), t.tolist())[1])(lib.zeros(2)),
    "numpy_dtype": lambda lib: str(lib.ones(2, dtype=lib.int32).numpy().dtype),
    "detach_numpy": lambda lib: lib.ones(2, requires_grad=True).detach().numpy().tolist(),
    "array_protocol": lambda lib: np.asarray(lib.tensor([1.0, 2.0])).dtype.name,
    "array_protocol_dtype": lambda lib: np.asarray(lib.tensor([1.0, 2.0]), dtype=np.float64).dtype.name,
    "contains": lambda lib: (2.0 in lib.tensor([1.0, 2.0]), 5 in lib.tensor([1, 2])),
}


@pytest.mark.parametrize("name", CONVERSIONS)
def test_conversion(name):
    ours, theirs = both(CONVERSIONS[name])
    assert _plain(ours) == _plain(theirs)
    assert type(ours) is type(theirs) or isinstance(ours, glasstorch.Tensor)


def test_hash_and_identity():
    a, b = glasstorch.ones(2), glasstorch.ones(2)
    assert len({a, b}) == 2 and {a: 1}[a] == 1


def test_deepcopy_and_pickle():
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    y = copy.deepcopy(x)
    assert y is not x and y.requires_grad and glasstorch.equal(y, x) and glasstorch.equal(y.grad, x.grad)
    y.data[0] = 5.0
    assert x[0].item() == 1.0
    z = pickle.loads(pickle.dumps(x))
    assert glasstorch.equal(z, x) and z.requires_grad
    with pytest.raises(RuntimeError):
        copy.deepcopy(x * 2)


# ---- repr in a graph ---------------------------------------------------------------------------------------------------

def _leaf(lib, *shape):
    values = np.arange(1, int(np.prod(shape)) + 1, dtype=np.float32).reshape(shape) / 4
    return lib.tensor(values, requires_grad=True)


REPRS = {
    "leaf": lambda lib: _leaf(lib, 2),
    "scalar_leaf": lambda lib: lib.tensor(0.5, requires_grad=True),
    "float64_leaf": lambda lib: lib.tensor([0.5], dtype=lib.float64, requires_grad=True),
    "add": lambda lib: _leaf(lib, 2) + 1,
    "radd": lambda lib: 1 + _leaf(lib, 2),
    "sub": lambda lib: _leaf(lib, 2) - _leaf(lib, 2),
    "rsub": lambda lib: 1 - _leaf(lib, 2),
    "mul": lambda lib: _leaf(lib, 2) * 2,
    "div": lambda lib: _leaf(lib, 2) / 2,
    "neg": lambda lib: -_leaf(lib, 2),
    "pow": lambda lib: _leaf(lib, 2) ** 2,
    "rpow": lambda lib: 2 ** _leaf(lib, 2),
    "pow_tensor": lambda lib: _leaf(lib, 2) ** _leaf(lib, 2),
    "exp": lambda lib: _leaf(lib, 2).exp(),
    "log": lambda lib: _leaf(lib, 2).log(),
    "log1p": lambda lib: _leaf(lib, 2).log1p(),
    "sqrt": lambda lib: _leaf(lib, 2).sqrt(),
    "sigmoid": lambda lib: _leaf(lib, 2).sigmoid(),
    "tanh": lambda lib: _leaf(lib, 2).tanh(),
    "relu": lambda lib: _leaf(lib, 2).relu(),
    "abs": lambda lib: _leaf(lib, 2).abs(),
    "sign": lambda lib: _leaf(lib, 2).sign(),
    "round": lambda lib: _leaf(lib, 2).round(),
    "clamp": lambda lib: _leaf(lib, 2).clamp(0, 0.3),
    "clamp_min": lambda lib: _leaf(lib, 2).clamp(min=0.3),
    "maximum": lambda lib: lib.maximum(_leaf(lib, 2), lib.zeros(2)),
    "where": lambda lib: lib.where(lib.tensor([True, False]), _leaf(lib, 2), 0.0),
    "remainder": lambda lib: _leaf(lib, 2) % 0.3,
    "to_double": lambda lib: _leaf(lib, 2).double(),
    "clone": lambda lib: _leaf(lib, 2).clone(),
    "sum": lambda lib: _leaf(lib, 2, 2).sum(),
    "sum_dim": lambda lib: _leaf(lib, 2, 2).sum(0),
    "mean": lambda lib: _leaf(lib, 2, 2).mean(),
    "mean_dim": lambda lib: _leaf(lib, 2, 2).mean(1),
    "prod": lambda lib: _leaf(lib, 2, 2).prod(),
    "prod_dim": lambda lib: _leaf(lib, 2, 2).prod(1),
    "max": lambda lib: _leaf(lib, 2, 2).max(),
    "min": lambda lib: _leaf(lib, 2, 2).min(),
    "max_dim": lambda lib: _leaf(lib, 2, 2).max(1).values,
    "min_dim": lambda lib: _leaf(lib, 2, 2).min(0)[0],
    "amax": lambda lib: _leaf(lib, 2, 2).amax(1),
    "var": lambda lib: _leaf(lib, 2, 2).var(),
    "std": lambda lib: _leaf(lib, 2, 2).std(1),
    "logsumexp": lambda lib: _leaf(lib, 2, 2).logsumexp(1),
    "softmax": lambda lib: _leaf(lib, 2, 2).softmax(1),
    "log_softmax": lambda lib: _leaf(lib, 2, 2).log_softmax(1),
    "cumsum": lambda lib: _leaf(lib, 2, 2).cumsum(0),
    "sort": lambda lib: _leaf(lib, 2, 2).sort(1).values,
    "topk": lambda lib: _leaf(lib, 2, 2).topk(1).values,
    "select": lambda lib: _leaf(lib, 2, 2)[0],
    "select_column": lambda lib: _leaf(lib, 2, 2)[:, 0],
    "select_ellipsis": lambda lib: _leaf(lib, 2, 2)[..., 1],
    "slice": lambda lib: _leaf(lib, 2, 2)[1:],
    "slice_full": lambda lib: _leaf(lib, 2, 2)[:],
    "select_then_slice": lambda lib: _leaf(lib, 2, 2)[0, 1:],
    "none": lambda lib: _leaf(lib, 2, 2)[None],
    "index_list": lambda lib: _leaf(lib, 2, 2)[[0, 0]],
    "index_mask": lambda lib: _leaf(lib, 2, 2)[lib.tensor([True, False])],
    "reshape": lambda lib: _leaf(lib, 2, 2).reshape(4),
    "view": lambda lib: _leaf(lib, 2, 2).view(-1),
    "flatten": lambda lib: _leaf(lib, 2, 2).flatten(),
    "squeeze": lambda lib: _leaf(lib, 1, 2).squeeze(),
    "squeeze_dim": lambda lib: _leaf(lib, 1, 2).squeeze(0),
    "unsqueeze": lambda lib: _leaf(lib, 2).unsqueeze(0),
    "t": lambda lib: _leaf(lib, 2, 2).t(),
    "T": lambda lib: _leaf(lib, 2, 2).T,
    "transpose": lambda lib: _leaf(lib, 2, 2).transpose(0, 1),
    "permute": lambda lib: _leaf(lib, 2, 2).permute(1, 0),
    "expand": lambda lib: _leaf(lib, 1, 2).expand(2, 2),
    "repeat": lambda lib: _leaf(lib, 2).repeat(2),
    "cat": lambda lib: lib.cat([_leaf(lib, 2), _leaf(lib, 2)]),
    "stack": lambda lib: lib.stack([_leaf(lib, 2), _leaf(lib, 2)]),
    "split": lambda lib: _leaf(lib, 4).split(2)[1],
    "chunk": lambda lib: _leaf(lib, 4).chunk(2)[0],
    "unbind": lambda lib: _leaf(lib, 2, 2).unbind()[0],
    "gather": lambda lib: _leaf(lib, 2, 2).gather(1, lib.tensor([[0], [1]])),
    "index_select": lambda lib: _leaf(lib, 2, 2).index_select(0, lib.tensor([1])),
    "masked_fill": lambda lib: _leaf(lib, 2).masked_fill(lib.tensor([True, False]), 0.0),
    "flip": lambda lib: _leaf(lib, 2).flip(0),
    "mm": lambda lib: _leaf(lib, 2, 2) @ _leaf(lib, 2, 2),
    "mv": lambda lib: _leaf(lib, 2, 2) @ _leaf(lib, 2),
    "dot": lambda lib: _leaf(lib, 2) @ _leaf(lib, 2),
    "bmm": lambda lib: _leaf(lib, 2, 2, 2) @ _leaf(lib, 2, 2, 2),
    "setitem": lambda lib: (lambda t: (t.__setitem__(0, 5.0), t)[1])(_leaf(lib, 2) * 1),
    "add_": lambda lib: (_leaf(lib, 2) * 1).add_(1),
    "setitem_mask": lambda lib: (lambda t: (t.__setitem__(lib.tensor([True, False]), 5.0), t)[1])(_leaf(lib, 2) * 1),
    "fill_": lambda lib: (_leaf(lib, 2) * 1).fill_(2.0),
    "zero_": lambda lib: (_leaf(lib, 2) * 1).zero_(),
    "copy_": lambda lib: lib.zeros(2).copy_(_leaf(lib, 2)),
}


@pytest.mark.parametrize("name", REPRS)
def test_repr_in_a_graph_matches_torch(name):
    ours, theirs = both(REPRS[name])
    assert repr(ours) == repr(theirs).replace("torch.", "glasstorch.")


@pytest.mark.parametrize("expression", ["x.max(1)", "x.min(0)", "x.sort()", "x.topk(1)", "x.max(dim=1, keepdim=True)"])
def test_values_and_indices_results_print_like_torch(expression):
    ours, theirs = both(lambda lib: eval(expression, {"x": lib.tensor([[1.0, 5.0], [3.0, 2.0]])}))
    assert repr(ours) == repr(theirs).replace("torch.", "glasstorch.")
    assert str(ours) == str(theirs).replace("torch.", "glasstorch.")
    values, indices = ours
    assert values is ours.values and indices is ours[1] and type(ours).__name__ == type(theirs).__name__


@pytest.mark.parametrize("options", [{"precision": 6}, {"precision": 2, "sci_mode": True}, {"profile": "short"},
                                     {"threshold": 5, "edgeitems": 1}, {"profile": "full", "linewidth": 40}], ids=str)
def test_set_printoptions(options):
    values = np.linspace(-2, 3, 12).astype(np.float32) / 7
    try:
        for lib in (torch, glasstorch):
            lib.set_printoptions(**options)
        ours, theirs = both(lambda lib: lib.tensor(values))
        assert repr(ours) == repr(theirs)
        assert glasstorch.get_printoptions() == {k: v for k, v in torch._tensor_str.get_printoptions().items()}
    finally:
        for lib in (torch, glasstorch):
            lib.set_printoptions(profile="default")
    assert repr(glasstorch.tensor([0.123456])) == "tensor([0.1235])"


def test_repr_after_no_grad_and_detach():
    ours, theirs = both(lambda lib: [repr(_leaf(lib, 2).detach()), repr((lambda x: (lib.set_grad_enabled(False), x * 2,
                                                                                      lib.set_grad_enabled(True))[1])(_leaf(lib, 2)))])
    assert ours == [t.replace("torch.", "glasstorch.") for t in theirs]
