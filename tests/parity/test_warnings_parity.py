"""Parity with torch of the warnings a learner meets: the same categories and messages (torch's text with "torch."
read as "glasstorch." and its "(Triggered internally at ...)" suffix removed), the same results or errors.

Most warnings come every time; a few come once per process in torch (``float()`` of a tensor that requires grad,
``x.T`` on a tensor that is not 2-D): those are compared against a fresh torch process."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from glasstorch import _warnings as glasstorch_warnings  # noqa: E402


def _message(lib, text: str) -> str:
    text = re.sub(r" \(Triggered internally at [^)]*\)\.?$", "", text, flags=re.S)
    return re.sub(r"\btorch\.", "glasstorch.", text) if lib is torch else text


def _value(lib, x):
    """A comparable form of a result: tensors as (dtype, shape, values, requires_grad), sequences item by item."""
    if isinstance(x, (torch.Tensor, glasstorch.Tensor)):
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), x.detach().numpy().tolist(), x.requires_grad)
    if isinstance(x, (tuple, list)):
        return tuple(_value(lib, v) for v in x)
    return x


def _run(lib, case):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome = ("ok", _value(lib, case(lib)))
        except Exception as error:  # noqa: BLE001 - the class and message are what is compared
            outcome = (type(error).__name__, _message(lib, str(error)))
    return outcome, [(w.category.__name__, _message(lib, str(w.message))) for w in caught]


def _same(case):
    theirs, ours = _run(torch, case), _run(glasstorch, case)
    assert ours[1] == theirs[1], "warnings differ"
    assert _nan_safe(ours[0]) == _nan_safe(theirs[0]), "results differ"
    return theirs


def _nan_safe(x):
    if isinstance(x, float) and np.isnan(x):
        return "nan"
    if isinstance(x, (tuple, list)):
        return tuple(_nan_safe(v) for v in x)
    return x


# ---- .grad: the getter ---------------------------------------------------------------------------------------------

def _leaf(lib):
    return lib.ones(2, requires_grad=True)


def _retained(lib):
    y = _leaf(lib) * 2
    y.retain_grad()
    return y.grad


def _retained_after_backward(lib):
    y = _leaf(lib) * 2
    y.retain_grad()
    y.sum().backward()
    return y.grad


def _under_no_grad(lib):
    y = _leaf(lib) * 2
    with lib.no_grad():
        return y.grad


def _after_backward(lib):
    x = _leaf(lib)
    y = x * 3
    y.sum().backward()
    return y.grad, x.grad


def _backward_inputs(lib):
    y = _leaf(lib) * 2
    y.sum().backward(inputs=[y])
    return y.grad


def _assigned_on_non_leaf(lib):
    y = _leaf(lib) * 2
    y.grad = lib.zeros(2)
    return y.grad


def _assigned_none_on_non_leaf(lib):
    y = _leaf(lib) * 2
    y.grad = lib.zeros(2)
    y.grad = None
    return y.grad


def _linear_weight_after_backward(lib):
    lib.manual_seed(0)
    layer = lib.nn.Linear(2, 1)
    hidden = layer(lib.ones(3, 2))
    hidden.sum().backward()
    return hidden.grad, layer.weight.grad.shape


GETTER_CASES = {
    "leaf": lambda lib: _leaf(lib).grad,
    "not requiring grad": lambda lib: lib.ones(2).grad,
    "non-leaf": lambda lib: (_leaf(lib) * 2).grad,
    "non-leaf retain_grad": _retained,
    "non-leaf retain_grad after backward": _retained_after_backward,
    "non-leaf under no_grad": _under_no_grad,
    "after backward": _after_backward,
    "backward(inputs=non-leaf)": _backward_inputs,
    "detached": lambda lib: (_leaf(lib) * 2).detach().grad,
    "non-leaf with an assigned grad": _assigned_on_non_leaf,
    "non-leaf assigned then None": _assigned_none_on_non_leaf,
    "hidden layer output after backward": _linear_weight_after_backward,
}


@pytest.mark.parametrize("name", GETTER_CASES)
def test_grad_getter(name):
    _same(GETTER_CASES[name])


def test_non_leaf_grad_warns_every_time():
    theirs, ours = _run(torch, lambda lib: [(_leaf(lib) * 2).grad for _ in range(2)]), \
        _run(glasstorch, lambda lib: [(_leaf(lib) * 2).grad for _ in range(2)])
    assert len(ours[1]) == len(theirs[1]) == 2
    assert "is not a leaf Tensor" in ours[1][0][1]


# ---- .grad: the setter ---------------------------------------------------------------------------------------------

def _assign(make_tensor, make_grad):
    def case(lib):
        t = make_tensor(lib)
        t.grad = make_grad(lib, t)
        return t.grad
    return case


SETTER_CASES = {
    "valid": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.full((2,), 3.0)),
    "valid on a leaf requiring grad": _assign(_leaf, lambda lib, t: lib.full((2,), 3.0)),
    "None": _assign(_leaf, lambda lib, t: None),
    "int": _assign(lambda lib: lib.ones(2), lambda lib, t: 3),
    "list": _assign(lambda lib: lib.ones(2), lambda lib, t: [0.0, 0.0]),
    "ndarray": _assign(lambda lib: lib.ones(2), lambda lib, t: np.zeros(2, np.float32)),
    "wrong shape": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(3)),
    "wrong shape 2-d": _assign(lambda lib: lib.ones(2, 3), lambda lib, t: lib.zeros(3, 2)),
    "broadcastable shape": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(1)),
    "0-d against (1,)": _assign(lambda lib: lib.ones(()), lambda lib, t: lib.zeros(1)),
    "float64 into float32": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(2, dtype=lib.float64)),
    "float32 into float64": _assign(lambda lib: lib.ones(2, dtype=lib.float64), lambda lib, t: lib.zeros(2)),
    "int64 into float32": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(2, dtype=lib.int64)),
    "bool into float32": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(2, dtype=lib.bool)),
    "float16 into float32": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(2, dtype=lib.float16)),
    "wrong dtype and shape": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(3, dtype=lib.float64)),
    "int grad on an int tensor": _assign(lambda lib: lib.ones(2, dtype=lib.int64),
                                         lambda lib, t: lib.zeros(2, dtype=lib.int64)),
    "grad requiring grad": _assign(lambda lib: lib.ones(2), lambda lib, t: lib.zeros(2, requires_grad=True)),
    "itself": _assign(lambda lib: lib.ones(2), lambda lib, t: t),
    "on a Parameter, wrong shape": _assign(lambda lib: lib.nn.Parameter(lib.ones(2)), lambda lib, t: lib.zeros(3)),
}


@pytest.mark.parametrize("name", SETTER_CASES)
def test_grad_setter(name):
    _same(SETTER_CASES[name])


@pytest.mark.parametrize("lib", [torch, glasstorch], ids=["torch", "glasstorch"])
def test_grad_setter_keeps_the_object_and_del_clears(lib):
    t, g = lib.ones(2), lib.zeros(2)
    t.grad = g
    assert t.grad is g
    del t.grad
    assert t.grad is None


def test_backward_accumulates_into_an_assigned_grad():
    def case(lib):
        x = _leaf(lib)
        x.grad = lib.full((2,), 10.0)
        (x * 3).sum().backward()
        return x.grad
    _same(case)


def test_optimizer_step_and_zero_grad_warn_nothing():
    def case(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
        optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        for _ in range(2):
            optimizer.zero_grad()
            model(lib.ones(4, 2)).pow(2).mean().backward()
            lib.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        model.zero_grad(set_to_none=False)
        return [p.grad.abs().sum().item() for p in model.parameters()]
    assert _run(glasstorch, case)[1] == []
    assert _run(torch, case)[1] == []


# ---- every-time warnings -------------------------------------------------------------------------------------------

def _init_alias(name):
    def case(lib):
        t = lib.ones(3, 3)
        args = (0.5,) if name == "constant" else ()
        return getattr(lib.nn.init, name)(t, *args) is t
    return case


def _seed(value):
    return lambda lib: lib.manual_seed(value).initial_seed()


EVERY_TIME_CASES = {
    "tensor(tensor)": lambda lib: lib.tensor(lib.ones(2)),
    "tensor(tensor requiring grad)": lambda lib: lib.tensor(_leaf(lib)),
    "tensor(tensor, dtype)": lambda lib: lib.tensor(lib.ones(2), dtype=lib.float64),
    "tensor(0-d tensor)": lambda lib: lib.tensor(lib.tensor(3.0)),
    "tensor([0-d tensors])": lambda lib: lib.tensor([lib.tensor(1.0), lib.tensor(2.0)]),
    "as_tensor(tensor)": lambda lib: lib.as_tensor(lib.ones(2)),
    "new_tensor(tensor)": lambda lib: lib.ones(2).new_tensor(lib.ones(2)),
    "std of one value": lambda lib: lib.ones(1).std(),
    "var of one value": lambda lib: lib.ones(1).var(),
    "std_mean of one value": lambda lib: lib.std_mean(lib.ones(1)),
    "var_mean of one value": lambda lib: lib.var_mean(lib.ones(1)),
    "std over a size-1 dim": lambda lib: lib.ones(2, 1).std(1),
    "var correction = n": lambda lib: lib.tensor([1.0, 2.0]).var(correction=2),
    "var correction > n": lambda lib: lib.tensor([1.0, 3.0]).var(correction=3),
    "var correction -1": lambda lib: lib.tensor([1.0, 2.0]).var(correction=-1),
    "var of nothing": lambda lib: lib.ones(0).var(),
    "var of nothing, correction 0": lambda lib: lib.ones(0).var(correction=0),
    "var over an empty output": lambda lib: lib.zeros(3, 0).var(0),
    "var unbiased=False of one value": lambda lib: lib.ones(1).var(unbiased=False),
    "std requiring grad": lambda lib: lib.ones(1, requires_grad=True).std(),
    "var float64 keepdim": lambda lib: lib.ones(1, 2, dtype=lib.float64).var(dim=(0,), keepdim=True),
    "functional std": lambda lib: lib.std(lib.ones(1)),
    "range": lambda lib: lib.range(0, 3),
    "range step 0.5": lambda lib: lib.range(0, 1, 0.5),
    "range step 0.3": lambda lib: lib.range(0, 1, 0.3),
    "range backwards": lambda lib: lib.range(3, 0, -1),
    "range int64": lambda lib: lib.range(0, 3, dtype=lib.int64),
    **{f"nn.init.{name}": _init_alias(name) for name in
       ["uniform", "normal", "constant", "eye", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
        "orthogonal"]},
    "nn.init.dirac": lambda lib: lib.nn.init.dirac(lib.ones(2, 2, 3)).sum().item(),
    **{f"manual_seed({v})": _seed(v) for v in [2 ** 70, 2 ** 64, 2 ** 64 - 1, 2 ** 63, -1, -2 ** 63, -2 ** 63 - 1, 1.5]},
    "Generator.manual_seed(2**70)": lambda lib: lib.Generator().manual_seed(2 ** 70).initial_seed(),
    "uint8 mask index": lambda lib: lib.arange(6.).reshape(2, 3)[:, lib.tensor([1, 0, 1], dtype=lib.uint8)],
    "uint8 2-d mask index": lambda lib: lib.arange(6.).reshape(2, 3)[lib.tensor([[1, 0, 1], [0, 1, 0]], dtype=lib.uint8)],
    "uint8 row mask index": lambda lib: lib.arange(6.).reshape(2, 3)[lib.tensor([1, 0], dtype=lib.uint8)],
    "uint8 mask assignment": lambda lib: lib.zeros(2, 3).__setitem__((0, lib.tensor([1, 0, 1], dtype=lib.uint8)), 9.0),
    "where with a uint8 condition": lambda lib: lib.where(lib.tensor([1, 0, 1], dtype=lib.uint8), lib.ones(3), 0.0),
    # already matching: kept here so that they stay so
    "softmax without dim": lambda lib: lib.nn.functional.softmax(lib.ones(2, 3)),
    "nn.Softmax() without dim": lambda lib: lib.nn.Softmax()(lib.ones(2, 3)),
    "mse_loss target size": lambda lib: lib.nn.functional.mse_loss(lib.ones(3, 1), lib.ones(3)),
    "MSELoss(size_average=False)": lambda lib: type(lib.nn.MSELoss(size_average=False)).__name__,
    "L1Loss(reduce=False)": lambda lib: type(lib.nn.L1Loss(reduce=False)).__name__,
    "dropout p=1": lambda lib: lib.nn.functional.dropout(lib.ones(3), p=1.0),
    "clip_grad_norm_ without grads": lambda lib: lib.nn.utils.clip_grad_norm_([_leaf(lib)], 1.0),
    "numpy() of a tensor requiring grad": lambda lib: lib.ones(2, requires_grad=True).numpy(),
    "Tensor.data assignment": lambda lib: _data_assignment(lib),
    "model.train(False)": lambda lib: lib.nn.Dropout().train(False).training,
}


def _data_assignment(lib):
    x = _leaf(lib)
    x.data = lib.zeros(2)
    return x


@pytest.mark.parametrize("name", EVERY_TIME_CASES)
def test_warns_as_torch(name):
    _same(EVERY_TIME_CASES[name])


# ---- once-per-process warnings -------------------------------------------------------------------------------------

ONCE_CASES = {
    "float() of a leaf requiring grad": "float(lib.ones(1, requires_grad=True))",
    "T of a 1-d tensor": "lib.ones(3).T",
    "T of a 0-d tensor": "lib.ones(()).T",
    "mT of a 0-d tensor": "lib.ones(()).mT",
    "tensor(list of arrays)": "lib.tensor([__import__('numpy').ones(2), __import__('numpy').zeros(2)])",
}
NOT_WARNING = {  # conversions that torch never warns about
    "int() of a leaf requiring grad": "int(lib.ones(1, requires_grad=True))",
    "bool() of a leaf requiring grad": "bool(lib.ones(1, requires_grad=True))",
    "item() of a leaf requiring grad": "lib.ones(1, requires_grad=True).item()",
    "tolist() of a leaf requiring grad": "lib.ones(1, requires_grad=True).tolist()",
    "float() of a detached tensor": "float(lib.ones(1, requires_grad=True).detach())",
    "T of a 2-d tensor": "lib.ones(2, 3).T",
}
_SCRIPT = """
import json, sys, warnings, {lib} as lib
out = {{}}
for name, expression in json.loads(sys.argv[1]).items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            try:
                eval(expression)
            except Exception as error:
                caught.append(type("W", (), {{"category": type(error), "message": error}}))
    out[name] = [(w.category.__name__, str(w.message)) for w in caught]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def torch_once_warnings() -> dict:
    cases = {**ONCE_CASES, **NOT_WARNING}
    done = subprocess.run([sys.executable, "-c", _SCRIPT.format(lib="torch"), json.dumps(cases)], capture_output=True,
                          text=True, check=True)
    return {name: [(c, _message(torch, m)) for c, m in found] for name, found in json.loads(done.stdout).items()}


@pytest.mark.parametrize("name", [*ONCE_CASES, *NOT_WARNING])
def test_warns_once_per_process_as_torch(name, torch_once_warnings, monkeypatch):
    monkeypatch.setattr(glasstorch_warnings, "_given", set())  # a fresh process, as far as glasstorch can tell
    expression = {**ONCE_CASES, **NOT_WARNING}[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            eval(expression, {"lib": glasstorch})
    ours = [(w.category.__name__, str(w.message)) for w in caught]
    assert ours == torch_once_warnings[name]
    assert len(ours) == (1 if name in ONCE_CASES else 0)


def test_mT_of_a_1d_tensor_raises_as_torch():
    _same(lambda lib: lib.ones(3).mT)


def test_float_of_a_tensor_requiring_grad_warns_before_the_size_error(monkeypatch):
    monkeypatch.setattr(glasstorch_warnings, "_given", set())
    outcome, caught = _run(glasstorch, lambda lib: float(lib.ones(2, requires_grad=True)))
    assert outcome == ("ValueError", "only one element tensors can be converted to Python scalars")
    assert caught == [("UserWarning", glasstorch_warnings.SCALAR_OF_GRAD_TENSOR)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
def test_a_list_of_arrays_keeps_their_dtype_as_torch(dtype):
    arrays = [np.arange(3, dtype=dtype), np.ones(3, dtype=dtype)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch's "extremely slow" warning comes once per process: compared above)
        theirs, ours = torch.tensor(arrays), glasstorch.tensor(arrays)
    assert _value(glasstorch, ours) == _value(torch, theirs)
