"""Property tests: the gradients of composed expressions equal central finite differences (float64), including
inputs that broadcast against each other. No torch needed: the oracle is the definition of the derivative."""
from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import glasstorch

# Smooth building blocks (kinks such as relu/abs/max are tested against torch, not against finite differences).
UNARY = {
    "identity": lambda x: x,
    "exp": lambda x: (x * 0.5).exp(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "square": lambda x: x * x,
    "log": lambda x: (x * x + 1).log(),
    "log1p": lambda x: (x * x).log1p(),
    "sqrt": lambda x: (x * x + 0.5).sqrt(),
    "pow": lambda x: (x * x + 1) ** 1.5,
    "rsub": lambda x: 2 - x,
    "reciprocal": lambda x: 1 / (x * x + 1),
    "softmax": lambda x: x.softmax(-1),
    "log_softmax": lambda x: x.log_softmax(-1),
    "cumsum": lambda x: x.cumsum(-1),
    "flip": lambda x: x.flip(-1),
    "clone_reshape": lambda x: x.clone().reshape(x.shape),
}
OUTER = dict(UNARY, transpose=lambda x: x.transpose(0, -1), flatten=lambda x: x.flatten())  # these change the shape

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 1) ** b.tanh(),
    # the condition depends on the position only, so that finite differences never straddle a branch
    "where": lambda a, b: glasstorch.where(glasstorch.arange((a * b).shape[-1]) % 2 == 0, a * b, b - a),
    "stack_cat": lambda a, b: glasstorch.stack([a * b, a - b]).sum(0) + glasstorch.cat([a * b, b + a], -1)[..., :1],
    "maximum_apart": lambda a, b: glasstorch.maximum(a * b, a * b + 3),
}
REDUCE = {
    "sum": lambda y: y.sum(),
    "mean": lambda y: y.mean(),
    "weighted": lambda y: (y * glasstorch.linspace(-1, 1, y.numel(), dtype=glasstorch.float64).reshape(y.shape)).sum(),
    "logsumexp": lambda y: y.reshape(-1).logsumexp(0),
    "var": lambda y: y.reshape(-1).var(correction=0) if y.numel() > 1 else y.sum(),
    "norm": lambda y: ((y * y).sum() + 1).sqrt(),
    "prod": lambda y: (y.tanh() + 2).prod(),
    # offsets keep the maximum unique, away from the ties where max has no derivative
    "max": lambda y: (y + 10 * glasstorch.arange(y.numel(), dtype=glasstorch.float64).reshape(y.shape)).max(),
    "max_dim": lambda y: (y + 10 * glasstorch.arange(y.shape[-1], dtype=glasstorch.float64)).max(-1).values.sum(),
}

shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, min_side=1, max_side=3)


def _finite_differences(f, arrays, eps=1e-6):
    grads = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for j in np.ndindex(a.shape):
            up, down = [x.copy() for x in arrays], [x.copy() for x in arrays]
            up[i][j] += eps
            down[i][j] -= eps
            g[j] = (f(*up) - f(*down)) / (2 * eps)
        grads.append(g)
    return grads


def _values(draw, shape):
    return draw(hnp.arrays(np.float64, shape, elements=st.floats(-1.5, 1.5, allow_nan=False, width=64)))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shapes=shapes, u1=st.sampled_from(sorted(UNARY)), u2=st.sampled_from(sorted(UNARY)),
       b=st.sampled_from(sorted(BINARY)), r=st.sampled_from(sorted(REDUCE)), u3=st.sampled_from(sorted(OUTER)))
def test_composed_expression_gradients_match_finite_differences(data, shapes, u1, u2, b, r, u3):
    shape_a, shape_b = shapes.input_shapes
    a, c = _values(data.draw, shape_a), _values(data.draw, shape_b)

    def expression(x, y):
        return REDUCE[r](OUTER[u3](BINARY[b](UNARY[u1](x), UNARY[u2](y))))

    def value(x, y):
        return expression(glasstorch.tensor(x), glasstorch.tensor(y)).item()

    x = glasstorch.tensor(a, requires_grad=True)
    y = glasstorch.tensor(c, requires_grad=True)
    out = expression(x, y)
    out.backward()
    assert x.grad.dtype == glasstorch.float64 and tuple(x.grad.shape) == shape_a and tuple(y.grad.shape) == shape_b
    expected_x, expected_y = _finite_differences(value, [a, c])
    # central differences are only as exact as f: rounding of f(x ± eps) gives errors of about |f|·2⁻⁵²/eps
    atol = 1e-6 * max(1.0, abs(out.item()))
    np.testing.assert_allclose(x.grad.numpy(), expected_x, rtol=1e-5, atol=atol)
    np.testing.assert_allclose(y.grad.numpy(), expected_y, rtol=1e-5, atol=atol)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), batch=st.sampled_from([(), (2,), (1,), (2, 1)]))
def test_matmul_chain_gradients_match_finite_differences(data, n, k, m, batch):
    a = _values(data.draw, batch + (n, k))
    w = _values(data.draw, (m, k))
    bias = _values(data.draw, (m,))

    def expression(x, weight, b):
        return ((x @ weight.T + b).tanh() @ weight).sigmoid().sum()

    def value(*arrays):
        return expression(*[glasstorch.tensor(v) for v in arrays]).item()

    tensors = [glasstorch.tensor(v, requires_grad=True) for v in (a, w, bias)]
    expression(*tensors).backward()
    for t, expected in zip(tensors, _finite_differences(value, [a, w, bias])):
        np.testing.assert_allclose(t.grad.numpy(), expected, rtol=1e-5, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=2, max_dims=3, max_side=4),
       index=st.sampled_from(["row", "column", "mask", "list", "gather", "setitem"]))
def test_indexing_gradients_match_finite_differences(data, shape, index):
    a = _values(data.draw, shape)
    if index == "mask":  # the selection x > 0.2 jumps at 0.2: no finite difference may straddle it
        assume(np.all(np.abs(a - 0.2) > 1e-4))

    def expression(x):
        if index == "row":
            y = x[0]
        elif index == "column":
            y = x[:, -1]
        elif index == "mask":
            y = x[x.detach() > 0.2] if (x.detach() > 0.2).any() else x
        elif index == "list":
            y = x[[0, 0, -1]]
        elif index == "gather":
            y = x.gather(1, glasstorch.zeros((shape[0], 2) + shape[2:], dtype=glasstorch.int64))
        else:
            y = x * 1
            y[0] = y[-1] * 3
        return (y.exp() * glasstorch.arange(y.numel(), dtype=glasstorch.float64).reshape(y.shape)).sum()

    def value(v):
        return expression(glasstorch.tensor(v)).item()

    x = glasstorch.tensor(a, requires_grad=True)
    expression(x).backward()
    (expected,) = _finite_differences(value, [a])
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-5, atol=1e-6)
