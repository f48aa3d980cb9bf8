"""Optimizers against torch: the same small MLP trained step by step with the same weights, data and options.

The network is built from raw tensors (W1, b1, W2, b2) so the test depends only on the core: tanh hidden layer,
linear output, mean squared error against random targets, which gives gradients of both signs. Both libraries
compute their own forward and backward; parameters are compared after every step, optimizer state after the last.

Tolerances: float32 parity (rtol 1e-5, atol 1e-6) on parameters. torch's CPU kernels fuse a + s·b into one
rounding where NumPy rounds twice, so single elements may differ by an ulp per step; over 12 steps this stays
well inside the tolerance. The optimizer state is compared with rtol 1e-5 and an atol of 1e-6 times the largest
magnitude in that state tensor: buffers that sum terms of both signs (RMSprop's momentum adds ±g/√v ≈ ±10 per
step) hold small elements that are differences of large ones, whose absolute error follows the large terms.

Those buffers also amplify rounding. An adaptive update divides g by √v, a running scale of g itself, so a
gradient element that is a small difference of large terms (its relative error in float32 is far above 1e-7, and
depends on the summation order of the matrix products, i.e. on the BLAS kernels the CPU selects) moves the update
by up to ±10 × that relative error (lr times that in the parameter), and momentum adds these up over the steps.
How large this float32 noise is depends on the machine, so the state comparison measures it: the same steps run in float64 under torch
give the exact trajectory E, torch's float32 run T deviates from it by |T − E|, and glasstorch's run G, which
rounds as often but sums in another order, is allowed |G − T| ≤ |G − E| + |T − E| with |G − E| up to twice
torch's own deviation: atol += 3·max|T − E| over the tensor. Where rounding does not compound this adds ~nothing.
"""
from __future__ import annotations

import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.optim  # noqa: E402,F401

STEPS = 12


def _arrays(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "X": rng.standard_normal((16, 5)).astype(np.float32),
        "y": rng.standard_normal((16, 3)).astype(np.float32),
        "W1": (rng.standard_normal((5, 8)) * 0.5).astype(np.float32),
        "b1": (rng.standard_normal(8) * 0.1).astype(np.float32),
        "W2": (rng.standard_normal((8, 3)) * 0.5).astype(np.float32),
        "b2": (rng.standard_normal(3) * 0.1).astype(np.float32),
    }


PARAM_NAMES = ("W1", "b1", "W2", "b2")


class Net:
    """The MLP's parameters (and data) as tensors of one library, plus an unused parameter that never gets a grad."""

    def __init__(self, lib, arrays: dict[str, np.ndarray]) -> None:
        self.lib = lib
        self.X = lib.tensor(arrays["X"].copy())
        self.y = lib.tensor(arrays["y"].copy())
        self.params = [lib.tensor(arrays[n].copy(), requires_grad=True) for n in PARAM_NAMES]
        self.unused = lib.tensor(np.ones(4, dtype=np.float32), requires_grad=True)

    def loss(self):
        W1, b1, W2, b2 = self.params
        hidden = (self.X @ W1 + b1).tanh()
        return ((hidden @ W2 + b2 - self.y) ** 2).mean()

    def train_step(self, optimizer) -> None:
        optimizer.zero_grad()
        self.loss().backward()
        optimizer.step()


def _values(tensors) -> list[np.ndarray]:
    return [np.array(t.detach().numpy(), dtype=np.float64) for t in tensors]


def _assert_params_close(ours: Net, theirs: Net, what: str) -> None:
    for name, o, t in zip(PARAM_NAMES, _values(ours.params), _values(theirs.params)):
        np.testing.assert_allclose(o, t, rtol=1e-5, atol=1e-6, err_msg=f"{what}: {name}")


def _assert_state_close(ours: dict, theirs: dict, exact: dict) -> None:
    """Two optimizers' state_dict()s: same param indices and state keys, close values, equal group settings.
    ``exact`` is the state of the same steps run by torch in float64 (see the module docstring)."""
    assert sorted(ours["state"]) == sorted(theirs["state"])
    for index, their_state in theirs["state"].items():
        our_state = ours["state"][index]
        assert list(our_state) == list(their_state), index
        for key, value in their_state.items():
            mine = our_state[key]
            assert isinstance(mine, glasstorch.Tensor), (index, key)
            assert str(mine.dtype).split(".")[-1] == str(value.dtype).split(".")[-1], (index, key)
            assert tuple(mine.shape) == tuple(value.shape), (index, key)
            desired = value.double().numpy()
            scale = float(np.abs(desired).max()) if desired.size else 0.0
            noise = float(np.abs(desired - exact["state"][index][key].double().numpy()).max()) if desired.size else 0.0
            np.testing.assert_allclose(np.asarray(mine.numpy(), dtype=np.float64), desired, rtol=1e-5,
                                       atol=1e-6 * scale + 3 * noise + 1e-8, err_msg=f"state[{index}][{key}]")
    assert ours["param_groups"] == theirs["param_groups"]


def _exact_state(name: str, make_params, arrays: dict[str, np.ndarray], steps: int) -> dict:
    """torch's optimizer state after ``steps`` steps computed in float64: the trajectory float32 runs round away from."""
    net = Net(torch, {k: v.astype(np.float64) for k, v in arrays.items()})
    optimizer = make_params(net, getattr(torch.optim, name))
    for _ in range(steps):
        net.train_step(optimizer)
    return optimizer.state_dict()


# (optimizer name, keyword arguments): every option of every optimizer, alone and combined.
CONFIGS = [
    ("SGD", {}),
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "maximize": True}),
    ("SGD", {"lr": 0.01, "momentum": 0.8, "weight_decay": 0.05, "nesterov": True, "maximize": True}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("Adagrad", {"lr": 0.05, "maximize": True, "lr_decay": 0.01, "weight_decay": 0.01}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.9}),
    ("RMSprop", {"weight_decay": 0.1, "eps": 1e-6}),
    ("RMSprop", {"momentum": 0.5, "centered": True, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99)}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "eps": 1e-4, "maximize": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.05, "amsgrad": True, "maximize": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01, "amsgrad": True}),
    ("AdamW", {"lr": 0.01, "betas": (0.5, 0.9), "maximize": True}),
]
IDS = [f"{name}-" + ("-".join(f"{k}={v}" for k, v in kw.items()) or "defaults") for name, kw in CONFIGS]


def _pair(name: str, make_params, seed: int = 0):
    """(our net, our optimizer, torch net, torch optimizer) built by ``make_params(net) -> params argument``."""
    arrays = _arrays(seed)
    ours, theirs = Net(glasstorch, arrays), Net(torch, arrays)
    our_opt = make_params(ours, getattr(glasstorch.optim, name))
    return ours, our_opt, theirs, make_params(theirs, getattr(torch.optim, name))


def test_the_mlp_gradients_have_both_signs():
    net = Net(glasstorch, _arrays())
    net.loss().backward()
    grads = np.concatenate([p.grad.numpy().ravel() for p in net.params])
    assert (grads > 0).sum() > 5 and (grads < 0).sum() > 5


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_steps_match_torch(name, kwargs):
    make_params = lambda net, cls: cls(net.params + [net.unused], **kwargs)  # noqa: E731
    ours, our_opt, theirs, their_opt = _pair(name, make_params)
    for step in range(STEPS):
        ours.train_step(our_opt)
        theirs.train_step(their_opt)
        _assert_params_close(ours, theirs, f"step {step + 1}")
    assert np.array_equal(ours.unused.detach().numpy(), np.ones(4, dtype=np.float32)), "a parameter without grad moved"
    assert ours.params[0].is_leaf and ours.params[0].grad_fn is None
    _assert_state_close(our_opt.state_dict(), their_opt.state_dict(), _exact_state(name, make_params, _arrays(0), STEPS))


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_param_groups_with_their_own_lr_and_weight_decay(name):
    base = {"SGD": {"lr": 0.05, "momentum": 0.9}, "Adagrad": {"lr": 0.05}, "RMSprop": {"lr": 0.005},
            "Adam": {"lr": 0.01}, "AdamW": {"lr": 0.01}}[name]

    def groups(net, cls):
        return cls([{"params": net.params[:2], "lr": base["lr"] * 3, "weight_decay": 0.2},
                    {"params": net.params[2:]},
                    {"params": [net.unused], "weight_decay": 0.5}], **base)

    ours, our_opt, theirs, their_opt = _pair(name, groups, seed=1)
    for step in range(STEPS):
        ours.train_step(our_opt)
        theirs.train_step(their_opt)
        _assert_params_close(ours, theirs, f"step {step + 1}")
    _assert_state_close(our_opt.state_dict(), their_opt.state_dict(), _exact_state(name, groups, _arrays(1), STEPS))
    assert [g["lr"] for g in our_opt.param_groups] == [base["lr"] * 3, base["lr"], base["lr"]]


@pytest.mark.parametrize("name,kwargs", [c for c in CONFIGS if c[1]], ids=[i for i, c in zip(IDS, CONFIGS) if c[1]])
def test_resume_from_state_dict_takes_the_same_steps(name, kwargs):
    """5 steps, state_dict through glasstorch.save/load, a new optimizer (other hyperparameters: the loaded ones
    must win) loads it, 5 more steps == 10 straight steps, exactly; and both stay close to torch's 10 steps."""
    cls = getattr(glasstorch.optim, name)
    arrays = _arrays(2)
    straight = Net(glasstorch, arrays)
    straight_opt = cls(straight.params, **kwargs)
    for _ in range(10):
        straight.train_step(straight_opt)

    resumed = Net(glasstorch, arrays)
    first_opt = cls(resumed.params, **kwargs)
    for _ in range(5):
        resumed.train_step(first_opt)
    buffer = io.BytesIO()
    glasstorch.save(first_opt.state_dict(), buffer)
    buffer.seek(0)
    saved = glasstorch.load(buffer)
    del first_opt
    second_opt = cls(resumed.params, lr=0.123)
    second_opt.load_state_dict(saved)
    for _ in range(5):
        resumed.train_step(second_opt)

    for name_, a, b in zip(PARAM_NAMES, _values(resumed.params), _values(straight.params)):
        assert np.array_equal(a, b), f"resumed {name_} differs from the straight run"
    assert second_opt.param_groups[0]["lr"] == straight_opt.param_groups[0]["lr"]

    theirs = Net(torch, arrays)
    their_opt = getattr(torch.optim, name)(theirs.params, **kwargs)
    for _ in range(10):
        theirs.train_step(their_opt)
    _assert_params_close(resumed, theirs, "resumed vs torch")
    exact = _exact_state(name, lambda net, cls_: cls_(net.params, **kwargs), arrays, 10)
    _assert_state_close(second_opt.state_dict(), their_opt.state_dict(), exact)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_torch_state_dict_loads_into_glasstorch(name):
    """A torch optimizer's state_dict (tensors converted with .numpy()) resumes in glasstorch with torch's steps."""
    kwargs = {"SGD": {"lr": 0.1, "momentum": 0.9}, "Adam": {"lr": 0.01, "amsgrad": True}}[name]
    arrays = _arrays(3)
    theirs = Net(torch, arrays)
    their_opt = getattr(torch.optim, name)(theirs.params, **kwargs)
    for _ in range(4):
        theirs.train_step(their_opt)
    sd = their_opt.state_dict()
    converted = {"state": {i: {k: glasstorch.tensor(v.numpy()) for k, v in s.items()} for i, s in sd["state"].items()},
                 "param_groups": sd["param_groups"]}
    ours = Net(glasstorch, {**arrays, **{n: p.detach().numpy() for n, p in zip(PARAM_NAMES, theirs.params)}})
    our_opt = getattr(glasstorch.optim, name)(ours.params)
    our_opt.load_state_dict(converted)
    for step in range(4):
        ours.train_step(our_opt)
        theirs.train_step(their_opt)
        _assert_params_close(ours, theirs, f"step {step + 1} after loading")


@pytest.mark.parametrize("name,kwargs", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.01}),
                                         ("RMSprop", {"centered": True}), ("Adagrad", {}), ("AdamW", {})])
def test_step_with_closure_matches_torch(name, kwargs):
    ours, our_opt, theirs, their_opt = _pair(name, lambda net, cls: cls(net.params, **kwargs), seed=4)

    def closure_for(net, opt):
        def closure():
            opt.zero_grad()
            loss = net.loss()
            loss.backward()
            return loss
        return closure

    for step in range(STEPS):
        our_loss = our_opt.step(closure_for(ours, our_opt))
        their_loss = their_opt.step(closure_for(theirs, their_opt))
        np.testing.assert_allclose(our_loss.item(), their_loss.item(), rtol=1e-5)
        _assert_params_close(ours, theirs, f"step {step + 1}")


@pytest.mark.parametrize("name,kwargs", [("SGD", {}), ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
                                         ("Adagrad", {}), ("RMSprop", {"centered": True}), ("Adam", {}),
                                         ("AdamW", {"amsgrad": True})])
def test_defaults_param_groups_and_repr_match_torch(name, kwargs):
    ours, our_opt, theirs, their_opt = _pair(name, lambda net, cls: cls(
        [{"params": net.params[:2], "lr": 0.5}, {"params": net.params[2:]}], **kwargs))
    assert our_opt.defaults == their_opt.defaults
    assert our_opt.state_dict()["param_groups"] == their_opt.state_dict()["param_groups"]
    assert repr(our_opt) == repr(their_opt)
