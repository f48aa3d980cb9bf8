"""Optimizers and schedules on nn modules, as the course trains: Sequential MLP, CrossEntropyLoss, mini-batches,
``model.parameters()`` / ``named_parameters()``, one scheduler step per epoch. Same weights and batches as torch;
parameters compared after every step (float32 parity: rtol 1e-5, atol 1e-6)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.nn as gnn  # noqa: E402
import glasstorch.optim  # noqa: E402,F401


def _models():
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    ours = gnn.Sequential(gnn.Linear(6, 16), gnn.ReLU(), gnn.Linear(16, 3))
    with glasstorch.no_grad():
        for (name, p), (their_name, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == their_name
            p.copy_(glasstorch.tensor(q.detach().numpy().copy()))
    return ours, theirs


def _batches(epochs: int, batch_size: int = 8, n: int = 32):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((n, 6)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5).astype(np.int64)
    for _ in range(epochs):
        order = rng.permutation(n)
        yield [(X[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, n, batch_size)]


CASES = [
    ("SGD", {"lr": 0.1, "momentum": 0.9}, "StepLR", {"step_size": 2, "gamma": 0.5}),
    ("SGD", {"lr": 0.05, "nesterov": True, "momentum": 0.9, "weight_decay": 1e-3}, "MultiStepLR",
     {"milestones": [1, 3], "gamma": 0.3}),
    ("Adagrad", {"lr": 0.05}, "ExponentialLR", {"gamma": 0.9}),
    ("RMSprop", {"lr": 0.005, "alpha": 0.9}, "CosineAnnealingLR", {"T_max": 3}),
    ("Adam", {"lr": 0.01, "betas": [0.9, 0.99]}, "LambdaLR", {"lr_lambda": lambda e: 1 / (1 + e)}),
    ("AdamW", {"lr": 0.01}, "StepLR", {"step_size": 1, "gamma": 0.7}),
]


@pytest.mark.parametrize("name,kwargs,schedule,schedule_kwargs", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_course_style_training_matches_torch(name, kwargs, schedule, schedule_kwargs):
    ours, theirs = _models()
    our_opt = getattr(glasstorch.optim, name)(ours.parameters(), **kwargs)
    their_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    our_sched = getattr(glasstorch.optim.lr_scheduler, schedule)(our_opt, **schedule_kwargs)
    their_sched = getattr(torch.optim.lr_scheduler, schedule)(their_opt, **schedule_kwargs)
    our_loss_fn, their_loss_fn = gnn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    losses = []
    for epoch in _batches(epochs=4):
        for X, y in epoch:
            our_loss = our_loss_fn(ours(glasstorch.tensor(X)), glasstorch.tensor(y))
            their_loss = their_loss_fn(theirs(torch.tensor(X)), torch.tensor(y))
            our_opt.zero_grad()
            their_opt.zero_grad()
            our_loss.backward()
            their_loss.backward()
            our_opt.step()
            their_opt.step()
            np.testing.assert_allclose(our_loss.item(), their_loss.item(), rtol=1e-5, atol=1e-6)
            for (n, p), q in zip(ours.named_parameters(), theirs.parameters()):
                np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=n)
            losses.append(their_loss.item())
        our_sched.step()
        their_sched.step()
        assert our_sched.get_last_lr() == their_sched.get_last_lr()
    assert np.mean(losses[-4:]) < np.mean(losses[:4]), "training should lower the loss"


def test_named_parameters_as_params():
    ours, theirs = _models()
    our_opt = glasstorch.optim.Adam(ours.named_parameters(), lr=0.01)
    their_opt = torch.optim.Adam(theirs.named_parameters(), lr=0.01)
    assert our_opt.state_dict()["param_groups"] == their_opt.state_dict()["param_groups"]
    assert our_opt.param_groups[0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
