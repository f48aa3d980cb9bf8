"""Parity with torch of memory layout: is_contiguous() after each operation, which results share memory with their
input (views) and which own new memory (copies), when view() must refuse, and contiguous().

Each operation runs on the same (2, 3, 4) values in four layouts: contiguous, transposed (strides reversed), sliced
with a step, and expanded (a stride of 0); torch's answer is the reference every time.
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402

DATA = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.5
WEIGHT = arr(5, 4)
BIAS = arr(5)


def _transposed(lib):
    return lib.tensor(DATA.transpose(2, 1, 0).copy()).transpose(0, 2)


def _sliced(lib):
    return lib.tensor(np.repeat(DATA, 2, axis=2))[..., ::2]


LAYOUTS = {
    "contiguous": lambda lib: lib.tensor(DATA.copy()),
    "transposed": _transposed,
    "sliced": _sliced,
    "expanded": lambda lib: lib.tensor(DATA[:1].copy()).expand(2, 3, 4),
}


def _linear_module(lib):
    layer = lib.nn.Linear(4, 5)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(WEIGHT))
        layer.bias.copy_(lib.tensor(BIAS))
    return layer


def _module(lib, make, train: bool = True):
    module = make(lib)
    return module.train(train)


# Every operation takes (lib, x) with x of shape (2, 3, 4) and returns a tensor, or a tuple whose first item is compared.
OPS = {
    # pointwise, unary and with scalars
    "neg": lambda lib, x: -x,
    "exp": lambda lib, x: x.exp(),
    "abs": lambda lib, x: lib.abs(x),
    "relu": lambda lib, x: x.relu(),
    "sigmoid": lambda lib, x: x.sigmoid(),
    "tanh": lambda lib, x: lib.tanh(x),
    "mul_scalar": lambda lib, x: x * 2,
    "add_scalar": lambda lib, x: x + 1,
    "rsub_scalar": lambda lib, x: 2 - x,
    "pow": lambda lib, x: x ** 2,
    "sqrt": lambda lib, x: x.abs().sqrt(),
    "clamp": lambda lib, x: x.clamp(-1, 1),
    "gt": lambda lib, x: x > 0,
    "logical_not": lambda lib, x: (x > 0).logical_not(),
    "masked_fill": lambda lib, x: x.masked_fill(x > 0, 0.0),
    "where_scalar": lambda lib, x: lib.where(x > 0, x, 0.0),
    "where_tensors": lambda lib, x: lib.where(x > 0, x, lib.zeros(2, 3, 4)),
    # pointwise, binary
    "add_self": lambda lib, x: x + x,
    "add_contiguous": lambda lib, x: x + lib.ones(2, 3, 4),
    "add_contiguous_first": lambda lib, x: lib.ones(2, 3, 4) + x,
    "mul_broadcast_row": lambda lib, x: x * lib.ones(4),
    "mul_broadcast_bigger": lambda lib, x: x * lib.ones(5, 1, 1, 4),
    "sub_broadcast_first": lambda lib, x: lib.ones(3, 1) - x,
    "maximum": lambda lib, x: lib.maximum(x, lib.zeros(2, 3, 4)),
    # conversions
    "float": lambda lib, x: x.float(),
    "double": lambda lib, x: x.double(),
    "to_double": lambda lib, x: x.to(lib.float64),
    "long": lambda lib, x: x.long(),
    "type_double": lambda lib, x: x.type(lib.float64),
    "detach": lambda lib, x: x.detach(),
    "clone": lambda lib, x: x.clone(),
    "contiguous": lambda lib, x: x.contiguous(),
    # reductions
    "sum_0": lambda lib, x: x.sum(0),
    "sum_last_keepdim": lambda lib, x: x.sum(-1, keepdim=True),
    "sum_1_keepdim": lambda lib, x: x.sum(1, keepdim=True),
    "mean_1": lambda lib, x: x.mean(1),
    "max_0": lambda lib, x: x.max(0)[0],
    "amax_last": lambda lib, x: x.amax(-1),
    "argmax_1": lambda lib, x: x.argmax(1),
    "var_0": lambda lib, x: x.var(0),
    "softmax_0": lambda lib, x: x.softmax(0),
    "softmax_last": lambda lib, x: x.softmax(-1),
    "log_softmax_1": lambda lib, x: x.log_softmax(1),
    "F_softmax": lambda lib, x: lib.nn.functional.softmax(x, dim=1),
    "cumsum_1": lambda lib, x: x.cumsum(1),
    "logsumexp_1": lambda lib, x: x.logsumexp(1),
    "sort_last": lambda lib, x: x.sort(-1)[0],
    "topk": lambda lib, x: x.topk(2)[0],
    # matrix products
    "matmul": lambda lib, x: x @ lib.tensor(WEIGHT.T.copy()),
    "matmul_transposed_weight": lambda lib, x: x @ lib.tensor(WEIGHT).t(),
    "bmm": lambda lib, x: lib.bmm(x, x.transpose(1, 2)),
    "linear": lambda lib, x: lib.nn.functional.linear(x, lib.tensor(WEIGHT), lib.tensor(BIAS)),
    # joining
    "cat_0": lambda lib, x: lib.cat([x, x]),
    "cat_last": lambda lib, x: lib.cat([x, x], 2),
    "stack_0": lambda lib, x: lib.stack([x, x]),
    "stack_last": lambda lib, x: lib.stack([x, x], -1),
    # indexing
    "index_int": lambda lib, x: x[0],
    "index_slice": lambda lib, x: x[:, 1:],
    "index_last_int": lambda lib, x: x[..., 0],
    "index_none": lambda lib, x: x[None],
    "index_list": lambda lib, x: x[[0, 1]],
    "index_tensor_inner": lambda lib, x: x[:, lib.tensor([0, 2])],
    "index_mask": lambda lib, x: x[x > 0],
    "index_select": lambda lib, x: x.index_select(2, lib.tensor([3, 0])),
    "gather": lambda lib, x: x.gather(2, lib.zeros(2, 3, 2, dtype=lib.int64)),
    # moving elements around (views in torch)
    "transpose": lambda lib, x: x.transpose(0, 1),
    "permute": lambda lib, x: x.permute(2, 0, 1),
    "mT": lambda lib, x: x.mT,
    "expand": lambda lib, x: x[:, :1].expand(2, 5, 4),
    "narrow": lambda lib, x: x.narrow(2, 1, 2),
    "diagonal": lambda lib, x: x.diagonal(0, 1, 2),
    "unbind": lambda lib, x: x.unbind(1)[1],
    "split": lambda lib, x: x.split(2, 2)[1],
    "chunk": lambda lib, x: x.chunk(3, 1)[1],
    "squeeze": lambda lib, x: x[:, :1].squeeze(1),
    "unsqueeze": lambda lib, x: x.unsqueeze(1),
    "reshape_flat": lambda lib, x: x.reshape(-1),
    "reshape_merge_last": lambda lib, x: x.reshape(2, 12),
    "flatten": lambda lib, x: x.flatten(),
    "unflatten": lambda lib, x: x.unflatten(2, (2, 2)),
    # new memory in torch
    "flip": lambda lib, x: x.flip(0),
    "flip_last": lambda lib, x: x.flip(-1),
    "roll": lambda lib, x: x.roll(1, 2),
    "repeat": lambda lib, x: x.repeat(1, 2, 1),
    "tile": lambda lib, x: x.tile(2),
    "repeat_interleave": lambda lib, x: x.repeat_interleave(2, 1),
    "tril": lambda lib, x: x.tril(),
    # nn layers
    "Linear": lambda lib, x: _linear_module(lib)(x),
    "ReLU": lambda lib, x: lib.nn.ReLU()(x),
    "Softmax": lambda lib, x: lib.nn.Softmax(dim=-1)(x),
    "BatchNorm1d_train": lambda lib, x: _module(lib, lambda lib: lib.nn.BatchNorm1d(3))(x),
    "BatchNorm1d_eval": lambda lib, x: _module(lib, lambda lib: lib.nn.BatchNorm1d(3), False)(x),
    "LayerNorm": lambda lib, x: lib.nn.LayerNorm(4)(x),
    "Dropout_train": lambda lib, x: _module(lib, lambda lib: lib.nn.Dropout(0.5))(x),
    "Dropout_eval": lambda lib, x: _module(lib, lambda lib: lib.nn.Dropout(0.5), False)(x),
    "Flatten": lambda lib, x: lib.nn.Flatten()(x),
}

RANDOM = {"Dropout_train"}  # values differ between the libraries (different random streams): layout only


def _first(out):
    return out[0] if isinstance(out, tuple) else out


def _run(lib, name, layout):
    lib.manual_seed(0)
    x = LAYOUTS[layout](lib)
    return x, _first(OPS[name](lib, x))


def _torch_shares(out, x) -> bool:
    return out.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()


# Where glasstorch's result is contiguous and torch's is not: harmless for view() (it never raises where torch does
# not); matching torch would cost a layout pass on the hot path (binary operations) or is not worth it yet.
_BINARY = ("torch lays out a binary result like its first operand whose strides decide; NumPy picks C order when the "
           "operands disagree: matching it would cost every add and mul a layout check")
KNOWN_GAPS = {
    ("where_tensors", "transposed"): _BINARY,
    ("add_contiguous", "transposed"): _BINARY,
    ("maximum", "transposed"): _BINARY,
    ("sort_last", "transposed"): "torch's sort keeps a transposed input's layout; glasstorch's sort is contiguous",
    ("Dropout_train", "transposed"): "torch's dropout mask copies the input's layout; glasstorch's mask is contiguous",
}

CASES = [pytest.param(name, layout, marks=pytest.mark.xfail(reason=KNOWN_GAPS[name, layout], strict=True))
         if (name, layout) in KNOWN_GAPS else (name, layout) for name in OPS for layout in LAYOUTS]


@pytest.mark.parametrize("name, layout", CASES)
def test_layout_after_op(name, layout):
    """Same values, same is_contiguous(), and a view exactly where torch's result shares its input's memory."""
    x_t, theirs = _run(torch, name, layout)
    x_g, ours = _run(glasstorch, name, layout)
    if name not in RANDOM:
        compare(ours, theirs)
    assert ours.is_contiguous() == theirs.is_contiguous(), "is_contiguous()"
    assert np.shares_memory(ours._data, x_g._data) == _torch_shares(theirs, x_t), "shares memory with the input"


# ---- writing through a result: views show the write in their input, copies do not -------------------------------

def _write_through(lib, name, layout):
    """Fills the result with 1 (no graph recorded) and returns the input afterwards, or None when the write fails."""
    x, out = _run(lib, name, layout)
    try:
        with lib.no_grad():
            out.fill_(1)
    except (RuntimeError, ValueError):
        return None
    return x


_EXPANDED_WRITE = pytest.mark.xfail(reason="glasstorch's expanded tensors are read-only; torch lets fill_ and "
                                     "setitem write into them (add_ and copy_ refuse)", strict=True)
WRITABLE_CASES = [pytest.param(name, layout, marks=_EXPANDED_WRITE) if name == "expand" else (name, layout)
                  for name in OPS for layout in ("contiguous", "transposed", "sliced") if name not in RANDOM]


@pytest.mark.parametrize("name, layout", WRITABLE_CASES)
def test_write_into_result_reaches_input_as_torch(name, layout):
    theirs = _write_through(torch, name, layout)
    if theirs is None:
        pytest.skip("torch refuses the write")
    ours = _write_through(glasstorch, name, layout)
    assert ours is not None, "glasstorch refused a write torch allows"
    compare(ours, theirs, what="input after writing into the result")


# ---- view(): a view where torch makes one, torch's error where it refuses --------------------------------------

def _matrix(lib):
    return lib.tensor(DATA[0].copy())


VIEW_INPUTS = {
    "contiguous": LAYOUTS["contiguous"],
    "transposed": LAYOUTS["transposed"],
    "sliced_step": LAYOUTS["sliced"],
    "expanded": LAYOUTS["expanded"],
    "permuted": lambda lib: lib.tensor(DATA.copy()).permute(1, 0, 2),
    "last_dims_swapped": lambda lib: lib.tensor(DATA.copy()).transpose(1, 2),
    "sliced_inner": lambda lib: _matrix(lib)[:, 1:],
    "sliced_rows": lambda lib: _matrix(lib)[1:],
    "column": lambda lib: _matrix(lib)[:, 2],
    "matrix_t": lambda lib: _matrix(lib).t(),
    "matrix_t_unsqueezed": lambda lib: _matrix(lib).t().unsqueeze(0),
    "size_one_dims_transposed": lambda lib: _matrix(lib)[:1].t(),
    "expanded_row": lambda lib: _matrix(lib)[:1].expand(3, 4),
    "expanded_new_dim": lambda lib: _matrix(lib).expand(2, 3, 4),
    "narrowed": lambda lib: lib.tensor(DATA.copy()).narrow(2, 1, 2),
    "diagonal": lambda lib: _matrix(lib).diagonal(),
    "empty_transposed": lambda lib: lib.zeros(0, 3).t(),
    "empty_sliced": lambda lib: lib.zeros(4, 0, 6)[:, :, ::2],
    "scalar": lambda lib: lib.tensor(2.5),
    "one_element_strided": lambda lib: _matrix(lib)[1:2, 2:3],
}


def _targets(shape: tuple) -> list:
    """New shapes for a tensor of ``shape``: flat, merged, split, with size-1 dims, and one of the wrong size."""
    n = int(np.prod(shape))
    targets = [(-1,), (1, -1), (-1, 1), tuple(reversed(shape)), shape + (1,), (1,) + shape, (n + 1,), (-1, -1)]
    if len(shape) >= 2:
        targets += [(shape[0], -1), (-1, shape[-1]), shape[:-2] + (shape[-2] * shape[-1],)]
    if shape and shape[-1] % 2 == 0:
        targets.append(shape[:-1] + (2, shape[-1] // 2))
    if shape and shape[0] % 2 == 0:
        targets.append((2, shape[0] // 2) + shape[1:])
    return targets


def _attempt(call):
    try:
        return call(), None
    except Exception as error:  # noqa: BLE001 - the class and message are what is compared
        return None, error


@pytest.mark.parametrize("layout", VIEW_INPUTS)
def test_view_succeeds_and_refuses_as_torch(layout):
    x_t, x_g = VIEW_INPUTS[layout](torch), VIEW_INPUTS[layout](glasstorch)
    for target in _targets(tuple(x_t.shape)):
        theirs, their_error = _attempt(lambda: x_t.view(target))
        ours, our_error = _attempt(lambda: x_g.view(*target))
        if their_error is not None:
            assert type(our_error) is type(their_error), f"view{target} of {layout}: {our_error!r} vs {their_error!r}"
            assert str(our_error) == str(their_error), f"view{target} of {layout}"
            continue
        assert our_error is None, f"view{target} of {layout}: glasstorch raised {our_error!r}, torch did not"
        compare(ours, theirs, what=f"view{target} of {layout}")
        assert ours.is_contiguous() == theirs.is_contiguous(), f"view{target} of {layout}: is_contiguous()"
        assert x_g.numel() == 0 or np.shares_memory(ours._data, x_g._data), f"view{target} of {layout}: a copy"


@pytest.mark.parametrize("layout", VIEW_INPUTS)
def test_reshape_errors_as_torch(layout):
    """reshape() copies where view() refuses, but refuses a shape of the wrong size with view()'s errors."""
    x_t, x_g = VIEW_INPUTS[layout](torch), VIEW_INPUTS[layout](glasstorch)
    for target in _targets(tuple(x_t.shape)):
        theirs, their_error = _attempt(lambda: x_t.reshape(target))
        ours, our_error = _attempt(lambda: x_g.reshape(target))
        assert type(our_error) is type(their_error) and str(our_error) == str(their_error), f"reshape{target}"
        if their_error is None:
            compare(ours, theirs, what=f"reshape{target} of {layout}")


def test_view_writes_through_both_ways():
    for lib in (torch, glasstorch):
        base = lib.zeros(2, 6)
        square, split = base.view(3, 4), base.t().view(2, 3, 2)
        with lib.no_grad():
            square[1, 1] = 5.0
            base[0, 0] = 7.0
            split[1, 2, 1] = 3.0
        assert (square[0, 0].item(), base[0, 5].item(), base[1, 5].item()) == (7.0, 5.0, 3.0), lib.__name__


def test_view_error_of_a_transposed_matrix_is_torchs():
    message, _ = raises_like(lambda lib, x: x.t().view(-1), arr(2, 3), match="Use .reshape")
    assert message.startswith("view size is not compatible with input tensor's size and stride")


def test_view_as_follows_view():
    raises_like(lambda lib, x, y: x.t().view_as(y), arr(2, 3), arr(6), match="view size is not compatible")
    check(lambda lib, x, y: x.transpose(0, 1).view_as(y), arr(2, 3, 4), arr(3, 2, 2, 2))


VIEWS_WITH_GRADIENT = {
    "transposed_split_last": lambda lib, x: x.transpose(0, 1).view(3, 2, 2, 2),
    "sliced_merge_leading": lambda lib, x: x[:, :, 1:3].view(6, 2),
    "expanded_split_last": lambda lib, x: x[:, :1].expand(2, 3, 4).view(2, 3, 2, 2),
    "matrix_t_new_dim": lambda lib, x: x[0].t().view(1, 4, 3),
    "narrowed_flat": lambda lib, x: x.narrow(0, 1, 1).view(-1),
    "view_of_view": lambda lib, x: x.view(6, 4).t().view(2, 2, 6),
}


@pytest.mark.parametrize("name", VIEWS_WITH_GRADIENT)
def test_view_of_a_non_contiguous_tensor_values_and_gradient(name):
    check(VIEWS_WITH_GRADIENT[name], arr(2, 3, 4))


# ---- contiguous() and is_contiguous() ------------------------------------------------------------------------------

CONTIGUOUS_CASES = {
    "transposed": lambda lib, x: x.transpose(0, 2).contiguous(),
    "sliced": lambda lib, x: x[..., ::2].contiguous(),
    "expanded": lambda lib, x: x[:, :1].expand(2, 3, 4).contiguous(),
    "already": lambda lib, x: x.contiguous(),
    "then_view": lambda lib, x: x.transpose(0, 1).contiguous().view(-1),
}


@pytest.mark.parametrize("name", CONTIGUOUS_CASES)
def test_contiguous_values_and_gradient(name):
    check(CONTIGUOUS_CASES[name], arr(2, 3, 4))


def _node_name(out) -> str | None:
    if out.grad_fn is None:
        return None
    return type(out.grad_fn).__name__ if isinstance(out, torch.Tensor) else out.grad_fn.name()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_contiguous_is_self_or_a_recorded_copy(layout):
    results = {}
    for lib in (torch, glasstorch):
        source = LAYOUTS[layout](lib)
        out = source.contiguous()
        shares = (out.untyped_storage().data_ptr() == source.untyped_storage().data_ptr() if lib is torch
                  else np.shares_memory(out._data, source._data))
        results[lib] = (out is source, out.is_contiguous(), shares)
    assert results[glasstorch] == results[torch]


@pytest.mark.parametrize("layout", ["transposed", "sliced", "expanded"])
def test_contiguous_node_name(layout):
    names = []
    for lib in (torch, glasstorch):
        x = lib.tensor(DATA.copy(), requires_grad=True)
        view = {"transposed": x.transpose(0, 2), "sliced": x[..., ::2], "expanded": x[:1].expand(2, 3, 4)}[layout]
        names.append(_node_name(view.contiguous()))
    assert names[1] == names[0]


EDGE_LAYOUTS = {
    "scalar": lambda lib: lib.tensor(1.5),
    "empty": lambda lib: lib.zeros(0, 3),
    "empty_transposed": lambda lib: lib.zeros(0, 3).t(),
    "size_one_transposed": lambda lib: lib.zeros(1, 4).t(),
    "size_one_column": lambda lib: lib.zeros(3, 4)[:, 1:2],
    "one_element": lambda lib: lib.zeros(3, 4)[1:2, 2:3],
    "expanded_to_same_size": lambda lib: lib.zeros(1, 4).expand(1, 4),
    "expanded": lambda lib: lib.zeros(1, 4).expand(3, 4),
    "transposed_unsqueezed": lambda lib: lib.zeros(2, 3).t().unsqueeze(1),
    "row_of_transposed": lambda lib: lib.zeros(2, 3).t()[0],
    "column_of_transposed": lambda lib: lib.zeros(2, 3).t()[:, 0],
}


@pytest.mark.parametrize("name", EDGE_LAYOUTS)
def test_is_contiguous_edge_cases(name):
    x_t, x_g = EDGE_LAYOUTS[name](torch), EDGE_LAYOUTS[name](glasstorch)
    assert x_g.is_contiguous() == x_t.is_contiguous()
    y_t, y_g = x_t.contiguous(), x_g.contiguous()
    assert (y_g is x_g) == (y_t is x_t) and y_g.is_contiguous()
    compare(y_g, y_t)


# ---- copies with a layout: flip (never a view in torch) and clone (keeps a dense layout) -------------------------

COPIES_WITH_GRADIENT = {
    "flip_transposed": lambda lib, x: x.transpose(0, 2).flip(0),
    "flip_sliced": lambda lib, x: x[..., ::2].flip(-1, 0),
    "flip_zero_dim": lambda lib, x: x.sum().flip(0),
    "flip_no_dims": lambda lib, x: x.flip(()),
    "clone_transposed": lambda lib, x: x.transpose(1, 2).clone(),
    "clone_expanded": lambda lib, x: x[:1].expand(2, 3, 4).clone(),
    "to_double_transposed": lambda lib, x: x.transpose(0, 1).double(),
}


@pytest.mark.parametrize("name", COPIES_WITH_GRADIENT)
def test_copies_values_gradient_and_layout(name):
    check(COPIES_WITH_GRADIENT[name], arr(2, 3, 4))
    x = DATA.copy()
    theirs, ours = COPIES_WITH_GRADIENT[name](torch, torch.tensor(x)), COPIES_WITH_GRADIENT[name](glasstorch,
                                                                                            glasstorch.tensor(x))
    assert ours.is_contiguous() == theirs.is_contiguous()
