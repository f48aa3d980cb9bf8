"""Every optimizer on 0-d, one-element and non-contiguous parameters, against torch's trajectories.

The polynomial-fit tutorial fits a, b, c, d as 0-d parameters (y ≈ a + b·x + c·x² + d·x³) and switches SGD for
Adam; its gradients reach the 0-d parameters through broadcasting. Each case runs the same steps in both libraries
and compares the parameters after every step (float32: rtol 1e-5, atol 1e-6 as elsewhere; see
test_optim_parity for why a fused multiply-add may differ by an ulp per step), then the state's keys, shapes and
dtypes after the last.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.optim  # noqa: E402,F401

STEPS = 6

CONFIGS = [
    ("SGD", {"lr": 1e-3}),
    ("SGD", {"lr": 1e-3, "momentum": 0.9}),
    ("SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 1e-3, "momentum": 0.5, "dampening": 0.3, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}),
    ("Adadelta", {"lr": 1.0}),
    ("Adamax", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05, "decoupled_weight_decay": True, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.05}),
    ("Rprop", {"lr": 0.01}),
    ("ASGD", {"lr": 0.01, "t0": 2}),
    ("LBFGS", {"lr": 0.5, "max_iter": 4}),
]
IDS = [name + "-" + "-".join(f"{k}={v}" for k, v in kw.items()) for name, kw in CONFIGS]


def _run(lib, name: str, kwargs: dict, params, loss_fn) -> list[np.ndarray]:
    optimizer = getattr(lib.optim, name)(params, **kwargs)

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(lib, params)
        loss.backward()
        return loss

    trajectory = []
    for _ in range(STEPS):
        optimizer.step(closure)
        trajectory.append([p.detach().numpy().copy() for p in params])
    return trajectory, optimizer


def _compare(name: str, kwargs: dict, make_params, loss_fn, atol: float = 1e-6) -> None:
    ours, theirs = make_params(glasstorch), make_params(torch)
    ours_path, ours_opt = _run(glasstorch, name, kwargs, ours, loss_fn)
    theirs_path, theirs_opt = _run(torch, name, kwargs, theirs, loss_fn)
    for step, (a, b) in enumerate(zip(ours_path, theirs_path)):
        for x, y in zip(a, b):
            assert x.shape == y.shape, (step, x.shape, y.shape)
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=atol, err_msg=f"step {step + 1}")
    for p, q in zip(ours, theirs):
        assert tuple(p.shape) == tuple(q.shape) and str(p.dtype) == str(q.dtype).replace("torch", "glasstorch")
        if name == "LBFGS":
            continue
        state, expected = ours_opt.state[p], theirs_opt.state[q]
        assert sorted(state) == sorted(expected)
        for key, value in expected.items():
            if isinstance(value, torch.Tensor):
                assert tuple(state[key].shape) == tuple(value.shape), key
                assert str(state[key].dtype).split(".")[-1] == str(value.dtype).split(".")[-1], key


def _polynomial(lib):
    return [lib.tensor(v, requires_grad=True) for v in (0.1, -0.2, 0.05, 0.3)]


def _polynomial_loss(lib, params):
    a, b, c, d = params
    x = lib.linspace(-math.pi, math.pi, 50)
    y = lib.sin(x)
    return (a + b * x + c * x ** 2 + d * x ** 3 - y).pow(2).sum() / 50


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_polynomial_fit_with_0d_parameters(name, kwargs):
    # atol 1e-5: the gradients are float32 sums of 50 terms up to π³·|error|, rounded in another order than torch's,
    # and the large early steps (lr·m̂ ≈ 0.05·30) bring parameters near 0 by cancellation
    _compare(name, kwargs, _polynomial, _polynomial_loss, atol=1e-5)


def _direct_loss(lib, params):
    """A loss whose gradient reaches each parameter without broadcasting (same shape throughout)."""
    return sum(((p - 0.7) ** 2 * 1.5 + p.sin()).sum() for p in params)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
@pytest.mark.parametrize("kind", ["0d", "one-element", "non-contiguous", "nn.Parameter-0d"])
def test_odd_parameter_shapes(name, kwargs, kind):
    base = np.linspace(-1.0, 1.5, 12, dtype=np.float32).reshape(4, 3)

    def make(lib):
        if kind == "0d":
            return [lib.tensor(0.25, requires_grad=True), lib.tensor(base.copy(), requires_grad=True)]
        if kind == "one-element":
            return [lib.tensor([0.25], requires_grad=True), lib.tensor([[-0.5]], requires_grad=True)]
        if kind == "non-contiguous":
            return [lib.nn.Parameter(lib.tensor(base.copy()).t()), lib.nn.Parameter(lib.tensor(base.copy())[:, 1])]
        return [lib.nn.Parameter(lib.tensor(-0.4)), lib.nn.Parameter(lib.tensor(base.copy()))]

    if name == "LBFGS" and kind == "non-contiguous":  # torch views the transposed parameter's gradient as a vector
        for lib in (torch, glasstorch):
            with pytest.raises(RuntimeError, match="view size is not compatible"):
                _run(lib, name, kwargs, make(lib), _direct_loss)
        return
    _compare(name, kwargs, make, _direct_loss)
    if kind == "non-contiguous":
        params = make(glasstorch)
        assert not params[0].is_contiguous() and params[0].stride() == make(torch)[0].stride()


def test_rprop_and_adagrad_state_of_a_0d_parameter_added_later():
    for name in ("Adagrad", "Rprop"):
        found = []
        for lib in (glasstorch, torch):
            first, late = lib.tensor([1.0], requires_grad=True), lib.tensor(0.5, requires_grad=True)
            optimizer = getattr(lib.optim, name)([first], lr=0.1)
            optimizer.add_param_group({"params": [late]})
            for _ in range(3):
                optimizer.zero_grad()
                ((first * 2).sum() + late ** 3).backward()
                optimizer.step()
            found.append((late.item(), {k: tuple(v.shape) for k, v in optimizer.state[late].items()}))
        assert found[0][1] == found[1][1]
        np.testing.assert_allclose(found[0][0], found[1][0], rtol=1e-5)


def test_every_optimizer_is_covered():
    names = {name for name in glasstorch.optim.__all__ if name not in ("Optimizer", "lr_scheduler")}
    assert names == {name for name, _ in CONFIGS}


def test_lbfgs_step_warns_no_more_than_torch():
    """torch's LBFGS takes float() of the closure's loss in no-grad mode: no 'requires_grad ... to a scalar'
    warning (glasstorch printed one of its own). (float() in grad mode warns once per process in both: not checked
    here, where an earlier test may have used the one warning up.)"""
    import warnings

    found = []
    for lib in (torch, glasstorch):
        p = lib.tensor([1.0, -2.0], requires_grad=True)
        optimizer = lib.optim.LBFGS([p], lr=0.5, max_iter=3)

        def closure():
            optimizer.zero_grad()
            loss = ((p - 0.5) ** 2).sum()
            loss.backward()
            return loss

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            optimizer.step(closure)
        found.append(sorted({str(w.message).split(" (Triggered")[0] for w in caught}))
    assert found[1] == found[0]
