"""glasstorch.optim without torch: the course's printed numbers, hand-computed updates, and the Optimizer API.

The expected numbers are the course's printouts (neural-network-basics, 梯度下降的优化方法) or are computed here by hand
from the update formulas in float64, never taken from glasstorch's own output.
"""
from __future__ import annotations

import io
import math

import numpy as np
import pytest

import glasstorch
import glasstorch.optim as optim
from glasstorch.autograd import grad_mode


def _course_two_steps(make_optimizer) -> list[tuple[float, float]]:
    """The course's experiment: loss = w²/2 from w = 1, two steps; (w.grad, w) after each, as it prints them."""
    w = glasstorch.tensor([1.0], requires_grad=True, dtype=glasstorch.float32)
    optimizer = make_optimizer([w])
    printed = []
    for _ in range(2):
        loss = ((w ** 2) / 2.0).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        printed.append((float(w.grad.numpy()[0]), float(w.detach().numpy()[0])))
    return printed


# The course prints with %f (6 decimals): 第1次/第2次 梯度 w.grad and 更新后的权重.
COURSE = {
    "SGD momentum": (lambda p: optim.SGD(p, lr=0.01, momentum=0.9), [(1.0, 0.990000), (0.990000, 0.971100)]),
    "Adagrad": (lambda p: optim.Adagrad(p, lr=0.01), [(1.0, 0.990000), (0.990000, 0.982965)]),
    "RMSprop": (lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9), [(1.0, 0.968377), (0.968377, 0.945788)]),
    "Adam": (lambda p: optim.Adam(p, lr=0.01, betas=[0.9, 0.99]), [(1.0, 0.990000), (0.990000, 0.980003)]),
}


@pytest.mark.parametrize("name", list(COURSE))
def test_the_courses_printed_numbers(name):
    make, printed = COURSE[name]
    for (grad, weight), (course_grad, course_weight) in zip(_course_two_steps(make), printed):
        assert f"{grad:f}" == f"{course_grad:f}"
        assert f"{weight:f}" == f"{course_weight:f}"


def test_sgd_momentum_is_torchs_buffer_not_the_courses_ewa():
    """Step 2 of the course's example: torch's b = 0.9·1 + 0.99 gives 0.9711; an EWA (0.9·1 + 0.1·0.99) would give
    0.98001. The course prints 0.9711."""
    (_, _), (_, w2) = _course_two_steps(lambda p: optim.SGD(p, lr=0.01, momentum=0.9))
    assert w2 == pytest.approx(0.99 - 0.01 * (0.9 * 1.0 + 0.99), abs=1e-7)
    assert abs(w2 - (0.99 - 0.01 * (0.9 + 0.1 * 0.99))) > 1e-3


def _hand_adam(grads, lr, beta1, beta2, eps, w0):
    """Adam as the course writes it (bias-corrected m̂, ŝ), in float64."""
    w, m, s = w0, 0.0, 0.0
    out = []
    for t, g in enumerate(grads, 1):
        g = g(w)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        w = w - lr / (math.sqrt(s / (1 - beta2 ** t)) + eps) * (m / (1 - beta1 ** t))
        out.append(w)
    return out


def test_adam_follows_the_courses_bias_corrected_formula():
    w = glasstorch.tensor([2.0, -1.5, 0.25], requires_grad=True)
    opt = optim.Adam([w], lr=0.05, betas=(0.8, 0.95))
    got = []
    for _ in range(8):
        opt.zero_grad()
        (w ** 3).sum().backward()  # g = 3w²: positive however w moves
        opt.step()
        got.append(w.detach().numpy().astype(np.float64))
    for i, w0 in enumerate([2.0, -1.5, 0.25]):
        expected = _hand_adam([lambda x: 3 * x * x] * 8, 0.05, 0.8, 0.95, 1e-8, w0)
        np.testing.assert_allclose([g[i] for g in got], expected, rtol=1e-5, atol=1e-6)


def test_rmsprop_and_adagrad_follow_the_courses_formulas():
    """Course RMSProp: s = β·s + (1-β)·g², w -= η·g/(√s + σ); AdaGrad: s += g², w -= η·g/(√s + σ)."""
    for make, accumulate, sigma in [
        (lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-10), lambda s, g: 0.9 * s + 0.1 * g * g, 1e-10),
        (lambda p: optim.Adagrad(p, lr=0.1), lambda s, g: s + g * g, 1e-10),
    ]:
        w = glasstorch.tensor([1.0, -2.0], requires_grad=True)
        opt = make([w])
        expected, s = np.array([1.0, -2.0]), np.zeros(2)
        lr = opt.defaults["lr"]
        for _ in range(6):
            opt.zero_grad()
            (w ** 2 / 2.0).sum().backward()
            opt.step()
            g = expected.copy()
            s = accumulate(s, g)
            expected = expected - lr * g / (np.sqrt(s) + sigma)
            np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("cls,defaults", [
    (optim.SGD, {"lr": 1e-3, "momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False}),
    (optim.Adagrad, {"lr": 1e-2, "lr_decay": 0, "weight_decay": 0, "initial_accumulator_value": 0, "eps": 1e-10}),
    (optim.RMSprop, {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0, "momentum": 0, "centered": False}),
    (optim.Adam, {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False}),
    (optim.AdamW, {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False,
                   "decoupled_weight_decay": True}),
])
def test_torch_defaults(cls, defaults):
    opt = cls([glasstorch.zeros(2, requires_grad=True)])
    for key, value in defaults.items():
        assert opt.defaults[key] == value, key
        assert opt.param_groups[0][key] == value, key


ALL = [lambda p: optim.SGD(p, lr=0.1, momentum=0.9), lambda p: optim.Adagrad(p), lambda p: optim.RMSprop(p),
       lambda p: optim.Adam(p), lambda p: optim.AdamW(p)]


@pytest.mark.parametrize("make", ALL, ids=["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_updates_in_place_keep_the_leaf_and_skip_parameters_without_grad(make):
    w = glasstorch.tensor([[0.5, -0.25], [1.0, 2.0]], requires_grad=True)
    frozen = glasstorch.tensor([3.0, 4.0], requires_grad=True)
    buffer = w._data
    opt = make([w, frozen])
    before = w.detach().numpy().copy()
    (w * w).sum().backward()
    opt.step()
    assert w._data is buffer, "the update must write into the parameter's buffer"
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert not np.array_equal(w.detach().numpy(), before)
    assert frozen.grad is None and frozen.detach().numpy().tolist() == [3.0, 4.0]
    assert w.grad.numpy().tolist() == (2 * before).tolist(), "the optimizer must not write into .grad"


@pytest.mark.parametrize("make", ALL, ids=["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_float64_parameters_stay_float64(make):
    w = glasstorch.tensor([0.5, -0.25], dtype=glasstorch.float64, requires_grad=True)
    opt = make([w])
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert w.dtype == glasstorch.float64
    assert all(v._data.dtype == np.float64 for s in opt.state.values() for k, v in s.items() if k != "step")


def test_zero_grad_sets_to_none_or_zeros_in_place():
    w = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * 3).sum().backward()
    opt.zero_grad()
    assert w.grad is None
    (w * 3).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.numpy().tolist() == [0.0, 0.0]
    (w * 2).sum().backward()
    assert w.grad.numpy().tolist() == [2.0, 2.0]


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss():
    w = glasstorch.tensor([1.0, -1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    seen = []

    def closure():
        seen.append(grad_mode.is_grad_enabled())
        opt.zero_grad()
        loss = (w ** 2).sum()
        loss.backward()
        return loss

    with glasstorch.no_grad():
        loss = opt.step(closure)
    assert seen == [True] and grad_mode.is_grad_enabled()  # on inside the closure, restored after no_grad
    assert float(loss.item()) == 2.0
    assert w.detach().numpy().tolist() == [0.0, 0.0]
    assert opt.step() is None


def test_changing_a_groups_lr_changes_the_next_step():
    w = glasstorch.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    for lr in (0.1, 0.5):
        opt.param_groups[0]["lr"] = lr
        before = float(w.detach().numpy()[0])
        opt.zero_grad()
        (w * 2.0).sum().backward()
        opt.step()
        assert float(w.detach().numpy()[0]) == pytest.approx(before - lr * 2.0, abs=1e-6)


def test_add_param_group_takes_missing_values_from_defaults():
    a, b = glasstorch.zeros(2, requires_grad=True), glasstorch.zeros(3, requires_grad=True)
    opt = optim.Adagrad([a], lr=0.5, eps=1e-6)
    opt.add_param_group({"params": b, "lr": 0.1})
    group = opt.param_groups[1]
    assert group["params"] == [b] and group["lr"] == 0.1 and group["eps"] == 1e-6
    b.grad = glasstorch.ones(3)
    opt.step()  # Adagrad creates state at construction; a group added later gets it at its first step
    np.testing.assert_allclose(b.detach().numpy(), -0.1 / (1 + 1e-6) * np.ones(3), rtol=1e-6)
    assert float(opt.state[b]["step"].item()) == 1.0 and a.detach().numpy().tolist() == [0.0, 0.0]


def test_a_required_hyperparameter_must_be_given_by_every_group():
    class Plain(optim.Optimizer):
        def __init__(self, params, lr=optim.optimizer.required):
            super().__init__(params, {"lr": lr})

    with pytest.raises(ValueError, match="didn't specify a value of required optimization parameter lr"):
        Plain([glasstorch.zeros(1, requires_grad=True)])
    assert Plain([{"params": [glasstorch.zeros(1, requires_grad=True)], "lr": 0.1}]).param_groups[0]["lr"] == 0.1
    with pytest.raises(NotImplementedError):
        Plain([glasstorch.zeros(1, requires_grad=True)], lr=0.1).step()


def test_state_dict_uses_indices_across_groups():
    a, b, c = (glasstorch.tensor([float(i)], requires_grad=True) for i in range(3))
    opt = optim.SGD([{"params": [a, b], "lr": 0.1}, {"params": [c]}], lr=0.01, momentum=0.9)
    for p in (a, c):
        p.grad = glasstorch.ones(1)
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sorted(sd["state"]) == [0, 2] and list(sd["state"][0]) == ["momentum_buffer"]
    assert [g["lr"] for g in sd["param_groups"]] == [0.1, 0.01]


def test_load_state_dict_casts_to_the_parameter_dtype_and_copies_read_only_arrays():
    w = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    w.grad = glasstorch.tensor([0.5, -0.5])
    opt.step()
    sd = opt.state_dict()
    exp_avg = sd["state"][0]["exp_avg"]._data.astype(np.float64)
    exp_avg.flags.writeable = False
    sd["state"][0]["exp_avg"] = glasstorch.from_numpy(exp_avg)
    fresh = optim.Adam([w], lr=0.1)
    fresh.load_state_dict(sd)
    state = fresh.state[w]
    assert state["exp_avg"].dtype == glasstorch.float32 and state["step"].dtype == glasstorch.float32
    read_only = glasstorch.from_numpy(np.array([0.1, 0.1], dtype=np.float32))
    read_only._data.flags.writeable = False
    sd["state"][0]["exp_avg_sq"] = read_only
    fresh.load_state_dict(sd)
    fresh.step()  # must not fail writing into a read-only array
    assert fresh.state[w]["exp_avg_sq"]._data.flags.writeable


def test_state_dict_round_trips_through_glasstorch_save():
    w = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.RMSprop([w], momentum=0.9, centered=True)
    w.grad = glasstorch.tensor([0.5, -0.5])
    opt.step()
    buffer = io.BytesIO()
    glasstorch.save(opt.state_dict(), buffer)
    buffer.seek(0)
    loaded = glasstorch.load(buffer)
    assert list(loaded["state"]) == [0]
    assert set(loaded["state"][0]) == {"step", "square_avg", "momentum_buffer", "grad_avg"}
    assert loaded["param_groups"] == opt.state_dict()["param_groups"]


def test_differentiable_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="differentiable"):
        optim.Adam([glasstorch.zeros(1, requires_grad=True)], differentiable=True)
