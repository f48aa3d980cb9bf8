"""The graph as ``grad_fn.next_functions`` shows it, against torch: node names, the order of the inputs (addmm lists
the bias first, then x, then Wᵀ behind a TBackward0), AccumulateGrad for leaves, None for tensors without grad, and
no entries for arguments that are not tensors (a Python number of +, −, ×, ÷ is listed as None, as torch wraps it).
The blitz tutorial walks loss.grad_fn.next_functions[0][0] this way. Also int64 addmm with float factors (torch
truncates them: beta=0.5 is 0) and the gradients of addmm.
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check, compare  # noqa: E402


def _tree(node, depth: int = 0) -> str:
    if node is None:
        return "None"
    name = node.name().replace("torch::autograd::", "")
    if depth == 3 or not node.next_functions:
        return name
    return name + "(" + ", ".join(_tree(n, depth + 1) for n, _ in node.next_functions) + ")"


def _F(lib):
    return lib.nn.functional


GRAPHS = {
    "linear": lambda lib, h, w, b: _F(lib).linear(h, w, b),
    "linear_no_bias": lambda lib, h, w, b: _F(lib).linear(h, w),
    "addmm": lambda lib, h, w, b: lib.addmm(b, h, w.t()),
    "addmm_factors": lambda lib, h, w, b: lib.addmm(b, h, w.t(), beta=2, alpha=0.5),
    "matmul": lambda lib, h, w, b: h @ w.t(),
    "mm": lambda lib, h, w, b: lib.mm(h, w.t()),
    "mv": lambda lib, h, w, b: h @ lib.ones(3),
    "mul_constant": lambda lib, h, w, b: h * lib.ones(4, 3),
    "mul_number": lambda lib, h, w, b: h * 2,
    "number_times": lambda lib, h, w, b: 2 * h,
    "add_number": lambda lib, h, w, b: h + 1,
    "number_plus": lambda lib, h, w, b: 1 + h,
    "sub_number": lambda lib, h, w, b: h - 1,
    "rsub": lambda lib, h, w, b: 1 - h,
    "div_number": lambda lib, h, w, b: h / 2,
    "add_leaf": lambda lib, h, w, b: h + h.detach().requires_grad_(),
    "pow": lambda lib, h, w, b: h ** 2,
    "sum": lambda lib, h, w, b: h.sum(),
    "sum_dim": lambda lib, h, w, b: h.sum(1),
    "mean": lambda lib, h, w, b: h.mean(),
    "mse": lambda lib, h, w, b: _F(lib).mse_loss(h, lib.ones(4, 3)),
    "cross_entropy": lambda lib, h, w, b: _F(lib).cross_entropy(h, lib.tensor([0, 1, 2, 0])),
    "where": lambda lib, h, w, b: lib.where(h > 0.5, h, b.sum()),
    "cat": lambda lib, h, w, b: lib.cat([h, w]),
    "sigmoid": lambda lib, h, w, b: h.sigmoid(),
    "select": lambda lib, h, w, b: h[0],
    "view": lambda lib, h, w, b: h.view(12),
    "t": lambda lib, h, w, b: w.t(),
    "softmax": lambda lib, h, w, b: _F(lib).softmax(h, 1),
    "blitz_mlp": lambda lib, h, w, b: _F(lib).mse_loss(_F(lib).linear(lib.relu(h @ w.t() @ w), w, b), lib.ones(4, 2)),
}


@pytest.mark.parametrize("name", GRAPHS)
def test_next_functions_as_torch(name):
    found = []
    for lib in (torch, glasstorch):
        x = lib.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), requires_grad=True)
        w = lib.tensor(np.linspace(0.5, -0.5, 6, dtype=np.float32).reshape(2, 3), requires_grad=True)
        b = lib.tensor([0.1, -0.2], requires_grad=True)
        found.append(_tree(GRAPHS[name](lib, lib.relu(x), w, b).grad_fn))
    assert found[1] == found[0]


def test_accumulate_grad_names_its_leaf():
    for lib in (torch, glasstorch):
        w = lib.ones(2, 3, requires_grad=True)
        (entry, _), = (w * w.detach()).sum().grad_fn.next_functions[0][0].next_functions[:1]
        assert entry.variable is w


@pytest.mark.parametrize("kwargs", [{"beta": 0.5, "alpha": 2}, {"beta": 1.5, "alpha": 2.5}, {"beta": -1.5, "alpha": -0.5},
                                    {"beta": 0, "alpha": 1}, {}])
def test_integer_addmm_truncates_float_factors(kwargs):
    make = lambda lib: lib.addmm(lib.tensor([[1, 2], [3, 4]]), lib.tensor([[1, 2], [3, 5]]),  # noqa: E731
                                 lib.tensor([[2, 1], [1, 3]]), **kwargs)
    compare(make(glasstorch), make(torch))


@pytest.mark.parametrize("kwargs", [{}, {"beta": 0.5, "alpha": 2.0}, {"beta": 0}])
def test_addmm_values_and_gradients(kwargs):
    rng = np.random.default_rng(0)
    c, a, b = (rng.standard_normal(s).astype(np.float32) for s in ((3,), (2, 4), (4, 3)))
    check(lambda lib, c, a, b: lib.addmm(c, a, b, **kwargs), c, a, b)
    check(lambda lib, c, a, b: c.addmm(a, b, **kwargs), rng.standard_normal((2, 3)).astype(np.float32), a, b)
