"""Optimizer errors against torch: the same bad hyperparameters and parameter lists raise the same class and message."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.optim  # noqa: E402,F401


def _raised(fn):
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - the class is what is compared
        return type(error), str(error)
    return None


def _assert_same_error(make) -> None:
    """``make(lib)`` fails in torch; glasstorch must fail with the same class and message (torch. → glasstorch.)."""
    theirs = _raised(lambda: make(torch))
    assert theirs is not None, "torch accepted it: the test case is wrong"
    ours = _raised(lambda: make(glasstorch))
    assert ours is not None, f"glasstorch accepted what torch refuses with {theirs}"
    assert ours[0].__name__ == theirs[0].__name__
    assert ours[1] == theirs[1].replace("torch.", "glasstorch.")


BAD_HYPERPARAMETERS = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": 0.1, "momentum": -0.5}),
    ("SGD", {"lr": 0.1, "weight_decay": -1e-4}),
    ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}),
    ("Adagrad", {"lr": -0.01}),
    ("Adagrad", {"lr_decay": -1.0}),
    ("Adagrad", {"weight_decay": -0.1}),
    ("Adagrad", {"initial_accumulator_value": -0.1}),
    ("Adagrad", {"eps": -1e-10}),
    ("RMSprop", {"lr": -1.0}),
    ("RMSprop", {"eps": -1.0}),
    ("RMSprop", {"momentum": -0.9}),
    ("RMSprop", {"weight_decay": -0.9}),
    ("RMSprop", {"alpha": -0.99}),
    ("Adam", {"lr": -0.001}),
    ("Adam", {"eps": -1e-8}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (-0.1, 0.999)}),
    ("Adam", {"betas": (0.9, 1.5)}),
    ("Adam", {"weight_decay": -0.1}),
    ("Adam", {"betas": (0, 0.999)}),
    ("AdamW", {"lr": -0.001}),
    ("AdamW", {"betas": (0.9, 1.0)}),
    ("AdamW", {"weight_decay": -0.01}),
]


@pytest.mark.parametrize("name,kwargs", BAD_HYPERPARAMETERS,
                         ids=[f"{n}-{k}" for n, k in BAD_HYPERPARAMETERS])
def test_invalid_hyperparameters_raise_torchs_error(name, kwargs):
    _assert_same_error(lambda lib: getattr(lib.optim, name)([lib.zeros(2, requires_grad=True)], **kwargs))


def _two_leaves(lib):
    return lib.zeros(2, requires_grad=True), lib.ones(3, requires_grad=True)


BAD_PARAMS = {
    "a tensor, not an iterable": lambda lib: lib.optim.SGD(lib.zeros(2, requires_grad=True), lr=0.1),
    "an empty list": lambda lib: lib.optim.Adam([]),
    "a non-tensor": lambda lib: lib.optim.SGD([lib.zeros(2, requires_grad=True), 3.0], lr=0.1),
    "a numpy array": lambda lib: lib.optim.SGD([np.zeros(2)], lr=0.1),
    "a non-leaf": lambda lib: lib.optim.SGD([lib.zeros(2, requires_grad=True) * 2], lr=0.1),
    "a set": lambda lib: lib.optim.SGD([{"params": set(_two_leaves(lib))}], lr=0.1),
    "the same tensor in two groups": lambda lib: (lambda a, b: lib.optim.SGD(
        [{"params": [a, b]}, {"params": [a]}], lr=0.1))(*_two_leaves(lib)),
    "a group that is not a dict": lambda lib: lib.optim.SGD([lib.zeros(2, requires_grad=True)], lr=0.1)
    .add_param_group([lib.ones(2, requires_grad=True)]),
    "a named and an unnamed group": lambda lib: (lambda a, b: lib.optim.SGD(
        [{"params": [("a", a)]}, {"params": [b]}], lr=0.1))(*_two_leaves(lib)),
    "a group with some names missing": lambda lib: (lambda a, b: lib.optim.SGD(
        [{"params": [("a", a), b]}], lr=0.1))(*_two_leaves(lib)),
}


@pytest.mark.parametrize("case", list(BAD_PARAMS))
def test_invalid_parameter_lists_raise_torchs_error(case):
    _assert_same_error(BAD_PARAMS[case])


def test_duplicate_parameters_in_a_group_warn_as_torch():
    messages = []
    for lib in (torch, glasstorch):
        w = lib.zeros(2, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.optim.SGD([w, w], lr=0.1)
        messages.append([str(c.message) for c in caught if issubclass(c.category, UserWarning)])
    assert messages[0] and messages[1] == messages[0]


LOAD_ERRORS = {
    "another number of groups": lambda lib, a, b: lib.optim.SGD([a, b], lr=0.1).load_state_dict(
        lib.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).state_dict()),
    "a group of another size": lambda lib, a, b: lib.optim.SGD([a, b], lr=0.1).load_state_dict(
        lib.optim.SGD([a], lr=0.1).state_dict()),
}


@pytest.mark.parametrize("case", list(LOAD_ERRORS))
def test_load_state_dict_mismatches_raise_torchs_error(case):
    _assert_same_error(lambda lib: LOAD_ERRORS[case](lib, *_two_leaves(lib)))


def test_named_parameters_keep_their_names_as_torch():
    for lib in (torch, glasstorch):
        a, b = _two_leaves(lib)
        opt = lib.optim.Adam([("first", a), ("second", b)])
        assert opt.param_groups[0]["param_names"] == ["first", "second"]
        assert opt.state_dict()["param_groups"][0]["param_names"] == ["first", "second"]
