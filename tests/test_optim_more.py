"""glasstorch.optim's optimizers beyond the course, without torch: first steps computed by hand from the update
rules (float64, here), Rprop's step-size rules, ASGD's average and LBFGS solving a quadratic."""
from __future__ import annotations

import math

import numpy as np
import pytest

import glasstorch
import glasstorch.optim as optim


def _steps_on_half_square(make_optimizer, steps: int = 2, start: float = 1.0) -> list[float]:
    """loss = w²/2 (so the gradient is w itself) from w = ``start``; w after each step."""
    w = glasstorch.tensor([start], requires_grad=True)
    optimizer = make_optimizer([w])
    weights = []
    for _ in range(steps):
        optimizer.zero_grad()
        ((w ** 2) / 2.0).sum().backward()
        optimizer.step()
        weights.append(float(w.detach().numpy()[0]))
    return weights


def _adamax(lr=0.01, b1=0.9, b2=0.999, eps=1e-8):
    m = u = 0.0
    w, out = 1.0, []
    for t in (1, 2):
        m = b1 * m + (1 - b1) * w
        u = max(b2 * u, abs(w) + eps)
        w = w - lr / (1 - b1 ** t) * m / u
        out.append(w)
    return out


def _nadam(lr=0.01, b1=0.9, b2=0.999, eps=1e-8, psi=4e-3):
    def mu(t):
        return b1 * (1 - 0.5 * 0.96 ** (t * psi))
    m = v = 0.0
    product, w, out = 1.0, 1.0, []
    for t in (1, 2):
        g = w
        product *= mu(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        d = math.sqrt(v / (1 - b2 ** t)) + eps
        w = w - lr * (1 - mu(t)) / (1 - product) * g / d - lr * mu(t + 1) / (1 - product * mu(t + 1)) * m / d
        out.append(w)
    return out


def _adadelta(lr=1.0, rho=0.9, eps=1e-6):
    v = u = 0.0
    w, out = 1.0, []
    for _ in (1, 2):
        g = w
        v = rho * v + (1 - rho) * g * g
        delta = math.sqrt(u + eps) / math.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        w = w - lr * delta
        out.append(w)
    return out


def _asgd(lr=0.01, lambd=1e-4, alpha=0.75):
    eta, w, out = lr, 1.0, []
    for t in (1, 2):
        w = w * (1 - lambd * eta) - eta * w
        eta = lr / (1 + lambd * lr * t) ** alpha
        out.append(w)
    return out


BY_HAND = {
    "Adamax": (lambda p: optim.Adamax(p, lr=0.01), _adamax()),
    "NAdam": (lambda p: optim.NAdam(p, lr=0.01), _nadam()),
    # ρ_t ≤ 5 for the first steps: bias-corrected momentum SGD, m̂ = g on step 1
    "RAdam": (lambda p: optim.RAdam(p, lr=0.01), [0.99, 0.99 - 0.01 * (0.9 * 0.1 + 0.1 * 0.99) / (1 - 0.81)]),
    "Adadelta": (lambda p: optim.Adadelta(p), _adadelta()),
    "ASGD": (lambda p: optim.ASGD(p, lr=0.01), _asgd()),
    "Rprop": (lambda p: optim.Rprop(p, lr=0.01), [0.99, 0.99 - 0.012]),  # same sign again: the step grows by 1.2
}


@pytest.mark.parametrize("name", list(BY_HAND))
def test_first_steps_follow_the_update_rule(name):
    make, expected = BY_HAND[name]
    np.testing.assert_allclose(_steps_on_half_square(make), expected, rtol=1e-6)


def test_rprop_shrinks_the_step_and_waits_after_a_sign_flip():
    # lr = 1.5 jumps over the minimum to -0.5; the flip halves the step (0.75) and skips one move; then it moves on
    assert _steps_on_half_square(lambda p: optim.Rprop(p, lr=1.5), steps=3) == [-0.5, -0.5, 0.25]
    w = glasstorch.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.Rprop([w], lr=40.0)
    for _ in range(3):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    assert opt.state[w]["step_size"].numpy().max() <= 50  # clamped to step_sizes[1]


def test_asgd_averages_the_iterates_after_t0():
    w = glasstorch.tensor([1.0], requires_grad=True)
    opt = optim.ASGD([w], lr=0.1, t0=2, lambd=0.0)
    history = []
    for _ in range(6):
        opt.zero_grad()
        ((w ** 2) / 2.0).sum().backward()
        opt.step()
        history.append(float(w.detach().numpy()[0]))
    # the μ step t uses is 1/max(1, t - 1 - t0): ax copies θ up to step t0 + 2 = 4, then averages 1/2, 1/3...:
    # the running mean of the iterates from step 4 on
    np.testing.assert_allclose(opt.state[w]["ax"].numpy()[0], np.mean(history[3:]), rtol=1e-6)
    assert list(opt.state[w]) == ["step", "eta", "mu", "ax"]


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_solves_a_quadratic(line_search_fn):
    A = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]], dtype=np.float32)
    b = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    x = glasstorch.zeros(3, requires_grad=True)
    opt = optim.LBFGS([x], line_search_fn=line_search_fn)
    At, bt = glasstorch.tensor(A), glasstorch.tensor(b)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (x * (At @ x)).sum() - (bt * x).sum()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(x.detach().numpy(), np.linalg.solve(A.astype(np.float64), b), rtol=1e-4, atol=1e-5)
    state = opt.state_dict()["state"][0]
    assert state["n_iter"] >= 3 and state["func_evals"] >= state["n_iter"]


@pytest.mark.parametrize("name", ["Adamax", "NAdam", "RAdam", "Adadelta", "ASGD", "Rprop"])
def test_parameters_without_grad_are_left_alone_and_the_loss_falls(name):
    w, frozen = glasstorch.tensor([1.0, -2.0], requires_grad=True), glasstorch.ones(2, requires_grad=True)
    opt = getattr(optim, name)([w, frozen], lr=0.05)
    for _ in range(10):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    assert np.array_equal(frozen.detach().numpy(), np.ones(2, dtype=np.float32)) and frozen not in opt.state
    assert float((w ** 2).sum().item()) < 5.0


def test_differentiable_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        optim.NAdam([glasstorch.zeros(2, requires_grad=True)], differentiable=True)
