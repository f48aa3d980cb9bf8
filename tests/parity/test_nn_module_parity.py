"""Parity with torch of Module's public face: reprs of nested models, parameter/buffer names and order, state_dict
keys and round trips (also through glasstorch.save/load and to torch and back), load_state_dict's errors for missing,
unexpected and mis-shaped entries, and the registration errors."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare, raises_like  # noqa: E402


def build(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.norm = nn.BatchNorm1d(4)
            self.act = nn.ReLU()

        def forward(self, x):
            return self.act(self.norm(self.fc(x)))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Linear(3, 4, bias=False)
            self.blocks = nn.ModuleList([Block(), Block()])
            self.head = nn.Sequential(OrderedDict(drop=nn.Dropout(0.25), out=nn.Linear(4, 2)))
            self.extra = nn.ModuleDict({"scale": nn.PReLU()})
            self.register_buffer("counter", lib.zeros(1))
            self.register_buffer("scratch", lib.ones(2), persistent=False)

        def forward(self, x):
            x = self.stem(x)
            for block in self.blocks:
                x = block(x)
            return self.extra["scale"](self.head(x))

    return Net()


def transfer(theirs, ours) -> None:
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def test_repr_names_and_state_dict_keys_match_torch():
    theirs, ours = build(torch), build(glasstorch)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.state_dict()._metadata.items()) == list(theirs.state_dict()._metadata.items())
    assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]


def test_module_list_repr_groups_repeats_like_torch():
    make = lambda nn: nn.ModuleList([nn.ReLU(), nn.ReLU(), nn.Linear(2, 2), nn.ReLU()])  # noqa: E731
    assert repr(make(glasstorch.nn)) == repr(make(torch.nn))
    assert repr(glasstorch.nn.ModuleList()) == repr(torch.nn.ModuleList())
    assert repr(glasstorch.nn.Sequential()) == repr(torch.nn.Sequential())


def test_same_weights_same_outputs_and_gradients():
    theirs, ours = build(torch), build(glasstorch)
    transfer(theirs, ours)
    for model in (theirs, ours):
        model.eval()
    x = arr(5, 3)
    yt, yo = theirs(torch.tensor(x)), ours(glasstorch.tensor(x))
    compare(yo, yt, atol=1e-5)
    yt.sum().backward()
    yo.sum().backward()
    for (name, pt), (_, po) in zip(theirs.named_parameters(), ours.named_parameters()):
        compare(po.grad, pt.grad, rtol=1e-4, atol=1e-5, what=name)


def test_state_dict_round_trip_through_glasstorch_save_and_torch(tmp_path):
    theirs, ours = build(torch), build(glasstorch)
    transfer(theirs, ours)
    ours.train()
    ours(glasstorch.tensor(arr(6, 3)))  # move the running statistics
    path = tmp_path / "model.safetensors"
    glasstorch.save(ours.state_dict(), path)
    fresh = build(glasstorch)
    result = fresh.load_state_dict(glasstorch.load(path))
    assert repr(result) == "<All keys matched successfully>"
    for (name, a), (_, b) in zip(ours.state_dict().items(), fresh.state_dict().items()):
        assert a.dtype == b.dtype and np.array_equal(a.numpy(), b.numpy()), name
    back = build(torch)
    back.load_state_dict({k: torch.tensor(v.numpy()) for k, v in fresh.state_dict().items()})
    compare(fresh.blocks[0].norm.running_var, back.blocks[0].norm.running_var)
    assert back.blocks[1].norm.num_batches_tracked.item() == 1


def test_state_dict_shares_memory_and_detaches():
    model = glasstorch.nn.Linear(2, 2)
    state = model.state_dict()
    assert not state["weight"].requires_grad
    with glasstorch.no_grad():
        model.weight.fill_(3.0)
    assert state["weight"].tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert model.state_dict(keep_vars=True)["weight"] is model.weight


def _corrupt(lib, change):
    model = build(lib)
    state = OrderedDict(build(lib).state_dict())
    change(lib, state)
    return model, state


CHANGES = {
    "missing": lambda lib, s: s.pop("head.out.bias"),
    "unexpected": lambda lib, s: s.update({"head.out.extra": lib.ones(1), "nowhere.weight": lib.ones(1)}),
    "missing_and_unexpected": lambda lib, s: (s.pop("stem.weight"), s.update({"stem.bias": lib.ones(4)})),
    "size_mismatch": lambda lib, s: s.update({"head.out.weight": lib.ones(3, 4)}),
    "not_a_tensor": lambda lib, s: s.update({"counter": 3}),
    "missing_running_stat": lambda lib, s: s.pop("blocks.0.norm.num_batches_tracked"),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("strict", [True, False])
def test_load_state_dict_errors_match_torch(change, strict):
    def load(lib):
        model, state = _corrupt(lib, CHANGES[change])
        return model.load_state_dict(state, strict=strict)

    try:
        expected = load(torch)
    except RuntimeError as error:
        with pytest.raises(RuntimeError) as ours:
            load(glasstorch)
        assert str(ours.value).replace("glasstorch.", "torch.") == str(error)
        return
    result = load(glasstorch)
    assert result.missing_keys == expected.missing_keys
    assert result.unexpected_keys == expected.unexpected_keys
    assert repr(result) == repr(expected)


def test_load_state_dict_copies_in_place_and_refuses_non_mappings():
    ours = glasstorch.nn.Linear(2, 2)
    weight = ours.weight
    ours.load_state_dict({"weight": glasstorch.ones(2, 2, dtype=glasstorch.float64), "bias": glasstorch.zeros(2)})
    assert ours.weight is weight and weight.dtype == glasstorch.float32 and weight.tolist() == [[1.0, 1.0]] * 2
    theirs, ours_msg = raises_like(lambda lib: lib.nn.Linear(2, 2).load_state_dict([1, 2]))
    assert ours_msg == theirs


def test_batchnorm_state_dict_without_metadata_gets_num_batches_tracked():
    """As torch: a plain dict (no _metadata, i.e. an old checkpoint) may lack num_batches_tracked."""
    for lib in (torch, glasstorch):
        bn = lib.nn.BatchNorm1d(3)
        state = dict(bn.state_dict())
        del state["num_batches_tracked"]
        assert repr(bn.load_state_dict(state)) == "<All keys matched successfully>"


REGISTRATION_ERRORS = {
    "tensor_as_parameter": lambda lib: setattr(lib.nn.Linear(2, 3), "weight", lib.ones(3)),
    "int_as_buffer": lambda lib: lib.nn.Linear(2, 3).register_buffer("x", 3),
    "int_as_module": lambda lib: lib.nn.Linear(2, 3).add_module("x", 3),
    "int_parameter_name": lambda lib: lib.nn.Linear(2, 3).register_parameter(3, None),
    "dotted_module_name": lambda lib: lib.nn.Linear(2, 3).add_module("a.b", lib.nn.ReLU()),
    "existing_attribute": lambda lib: lib.nn.Linear(2, 3).register_buffer("in_features", lib.ones(1)),
    "unknown_attribute": lambda lib: lib.nn.Linear(2, 3).foo,
    "sequential_index": lambda lib: lib.nn.Sequential(lib.nn.ReLU())[3],
    "module_list_index": lambda lib: lib.nn.ModuleList([lib.nn.ReLU()])[-2],
    "module_dict_key": lambda lib: lib.nn.ModuleDict({"a": lib.nn.ReLU()})["b"],
    "module_dict_update_not_iterable": lambda lib: lib.nn.ModuleDict().update(3),
    "module_dict_update_element_not_iterable": lambda lib: lib.nn.ModuleDict().update([("a", lib.nn.ReLU()), 2]),
    "module_dict_update_element_too_long": lambda lib: lib.nn.ModuleDict().update([("a", lib.nn.ReLU(), 1)]),
    "no_forward": lambda lib: lib.nn.Module()(lib.ones(1)),
    "train_not_bool": lambda lib: lib.nn.ReLU().train("yes"),
    "unexpected_init_argument": lambda lib: lib.nn.Module(foo=1),
    "sequential_plus_list": lambda lib: lib.nn.Sequential() + [1],
    "integer_parameter": lambda lib: lib.nn.Parameter(lib.ones(2, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", REGISTRATION_ERRORS)
def test_registration_errors_match_torch(name):
    theirs, ours = raises_like(REGISTRATION_ERRORS[name])
    assert ours.replace("glasstorch.", "torch.") == theirs


def test_parameter_repr_and_deepcopy_match_torch():
    import copy
    values = arr(2, 3)
    theirs, ours = torch.nn.Parameter(torch.tensor(values)), glasstorch.nn.Parameter(glasstorch.tensor(values))
    assert repr(ours) == repr(theirs)
    clone = copy.deepcopy(ours)
    assert type(clone) is glasstorch.nn.Parameter and clone.requires_grad and clone is not ours
