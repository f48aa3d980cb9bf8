"""nn.utils against torch: gradient clipping by norm and by value, parameters to and from one vector."""
import numpy as np
import pytest

import glasstorch

torch = pytest.importorskip("torch")


def _grads(lib, arrays):
    params = [lib.tensor(a, requires_grad=True) for a in arrays]
    sum((p * p * p).sum() for p in params).backward()
    return params


@pytest.mark.parametrize("max_norm, norm_type", [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0), (0.3, float("inf"))])
def test_clip_grad_norm(max_norm, norm_type):
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((4, 3)).astype(np.float32), rng.standard_normal(3).astype(np.float32)]
    ours, theirs = _grads(glasstorch, arrays), _grads(torch, arrays)
    total = glasstorch.nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-5)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_clip_grad_value():
    arrays = [np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)]
    ours, theirs = _grads(glasstorch, arrays), _grads(torch, arrays)
    glasstorch.nn.utils.clip_grad_value_(ours, 1.5)
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    np.testing.assert_array_equal(ours[0].grad.numpy(), theirs[0].grad.numpy())


def test_vector_round_trip():
    model = glasstorch.nn.Linear(3, 2)
    vec = glasstorch.nn.utils.parameters_to_vector(model.parameters())
    assert vec.shape == (8,)
    glasstorch.nn.utils.vector_to_parameters(vec * 2, model.parameters())
    np.testing.assert_allclose(glasstorch.nn.utils.parameters_to_vector(model.parameters()).detach().numpy(),
                               vec.detach().numpy() * 2)
