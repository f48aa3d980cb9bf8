"""nn.Module's bookkeeping without torch: registration on assignment, the tree walks, modes, gradients, hooks,
containers, dtype conversion and copying."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import glasstorch
import glasstorch.nn as nn


class Model(nn.Module):
    """The course's 3-3-2-2 model."""

    def __init__(self) -> None:
        super(Model, self).__init__()
        self.linear1 = nn.Linear(3, 3)
        nn.init.xavier_normal_(self.linear1.weight)
        nn.init.zeros_(self.linear1.bias)
        self.linear2 = nn.Linear(3, 2)
        nn.init.kaiming_normal_(self.linear2.weight, nonlinearity="relu")
        nn.init.zeros_(self.linear2.bias)
        self.out = nn.Linear(2, 2)

    def forward(self, x):
        x = glasstorch.sigmoid(self.linear1(x))
        x = glasstorch.relu(self.linear2(x))
        return glasstorch.softmax(self.out(x), dim=-1)


def test_course_model_registers_its_layers_and_runs():
    model = Model()
    out = model(glasstorch.randn(5, 3))
    assert out.shape == (5, 2)
    np.testing.assert_allclose(out.sum(dim=-1).detach().numpy(), np.ones(5), rtol=1e-6)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "out.weight", "out.bias"]
    assert sum(p.numel() for p in model.parameters()) == 26
    assert [name for name, _ in model.named_children()] == ["linear1", "linear2", "out"]
    assert [name for name, _ in model.named_modules()] == ["", "linear1", "linear2", "out"]
    assert np.all(model.linear1.bias.detach().numpy() == 0)


def test_plain_attributes_stay_plain_and_unknown_ones_raise():
    model = Model()
    model.note = "hello"
    model.scale = glasstorch.ones(2)  # a plain tensor is not registered
    assert model.note == "hello" and "scale" not in dict(model.named_buffers())
    with pytest.raises(AttributeError, match=r"^'Model' object has no attribute 'x'$"):
        model.x
    assert not hasattr(model, "missing")


def test_reassigning_and_deleting():
    model = Model()
    model.linear2 = nn.Linear(3, 2, bias=False)
    assert "linear2.bias" not in dict(model.named_parameters())
    model.linear2 = None
    assert model.linear2 is None and [n for n, _ in model.named_children()] == ["linear1", "out"]
    model.out.bias = None
    assert [n for n, _ in model.out.named_parameters()] == ["weight"]
    with pytest.raises(TypeError, match=r"cannot assign 'glasstorch.FloatTensor' as parameter 'weight' "
                                        r"\(torch.nn.Parameter or None expected\)"):
        model.out.weight = glasstorch.ones(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'linear1'"):
        model.linear1 = 3
    del model.linear1
    assert not hasattr(model, "linear1")
    model.register_buffer("stat", glasstorch.zeros(2))
    with pytest.raises(TypeError, match="cannot assign 'str' as buffer 'stat'"):
        model.stat = "x"
    model.stat = glasstorch.ones(2)
    assert model.state_dict()["stat"].tolist() == [1.0, 1.0]
    del model.stat
    assert "stat" not in model.state_dict()


def test_assigning_before_init_fails():
    class Broken(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\) call"):
        Broken()

    class BrokenParameter(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(glasstorch.ones(2))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        BrokenParameter()


def test_registration_errors():
    m = nn.Module()
    with pytest.raises(KeyError, match="contain"):
        m.register_buffer("a.b", glasstorch.ones(1))
    with pytest.raises(KeyError, match="empty string"):
        m.register_parameter("", None)
    with pytest.raises(TypeError, match="parameter name should be a string. Got int"):
        m.register_parameter(3, None)
    with pytest.raises(TypeError, match="cannot assign 'glasstorch.FloatTensor' object to parameter 'w'"):
        m.register_parameter("w", glasstorch.ones(1))
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        m.add_module("x", 3)
    m.value = 1
    with pytest.raises(KeyError, match="attribute 'value' already exists"):
        m.register_buffer("value", glasstorch.ones(1))
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward" function'):
        m(glasstorch.ones(1))


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(glasstorch.ones(2))
    assert isinstance(p, glasstorch.Tensor) and p.requires_grad and p.is_leaf
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"
    assert repr(nn.Parameter(glasstorch.ones(2), requires_grad=False)) == "Parameter containing:\ntensor([1., 1.])"
    assert type(p * 2) is glasstorch.Tensor
    data = glasstorch.zeros(3)
    shared = nn.Parameter(data)
    data.fill_(5.0)
    assert shared.tolist() == [5.0, 5.0, 5.0]  # shares memory, as torch
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        nn.Parameter(glasstorch.ones(2, dtype=glasstorch.int64))
    assert nn.Parameter().shape == (0,)


def test_train_eval_propagate():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    assert model.training and all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train(1)


def test_zero_grad_and_requires_grad():
    model = Model()
    model(glasstorch.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.requires_grad_(False) is model
    assert not any(p.requires_grad for p in model.parameters())


def test_apply_visits_children_first_then_self():
    seen = []
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)

    model.apply(init_weights)
    assert model[0].weight.tolist() == [[0.5, 0.5], [0.5, 0.5]]


def test_shared_modules_and_parameters_appear_once():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2
    assert len(list(model.modules())) == 3
    assert len(list(model.named_parameters(remove_duplicate=False))) == 4


def test_hooks_see_and_replace_inputs_and_outputs():
    layer = nn.Linear(2, 2)
    calls = []
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda m, args, out: calls.append((args[0].sum().item(), out.shape)))
    out = layer(glasstorch.ones(3, 2))
    assert calls == [(0.0, (3, 2))]
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(layer.bias.detach().numpy(), (3, 2)))
    pre.remove()
    post.remove()
    layer(glasstorch.ones(3, 2))
    assert len(calls) == 1
    with layer.register_forward_hook(lambda m, args, out: out * 0):
        assert not layer(glasstorch.ones(1, 2)).detach().numpy().any()
    assert layer(glasstorch.ones(1, 2)).detach().numpy().any()
    kw = layer.register_forward_hook(lambda m, args, kwargs, out: calls.append(kwargs), with_kwargs=True)
    layer(input=glasstorch.ones(1, 2))
    assert list(calls[-1]) == ["input"]
    kw.remove()


def test_hook_order_and_prepend():
    layer = nn.Identity()
    order = []
    layer.register_forward_hook(lambda m, a, o: order.append("first"))
    layer.register_forward_hook(lambda m, a, o: order.append("zeroth"), prepend=True)
    layer(glasstorch.ones(1))
    assert order == ["zeroth", "first"]


def test_sequential_indexing_slicing_and_editing():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(seq) == 3 and isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
    head = seq[:2]
    assert type(head) is nn.Sequential and len(head) == 2 and head[0] is seq[0]
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"]
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and list(seq._modules) == ["0", "1", "2", "3"]
    del seq[1]
    assert list(seq._modules) == ["0", "1", "2"] and isinstance(seq[1], nn.Linear)
    seq.insert(1, nn.Tanh())
    assert isinstance(seq[1], nn.Tanh) and len(seq) == 4
    assert isinstance(seq.pop(1), nn.Tanh) and len(seq) == 3
    seq[2] = nn.ReLU()
    assert isinstance(seq[2], nn.ReLU)
    with pytest.raises(IndexError, match="index 7 is out of range"):
        seq[7]
    doubled = nn.Sequential(nn.ReLU()) * 2
    assert len(doubled) == 2
    combined = seq + doubled
    assert len(combined) == 5
    named = nn.Sequential(__import__("collections").OrderedDict(first=nn.Linear(1, 1), act=nn.ReLU()))
    assert [n for n, _ in named.named_children()] == ["first", "act"] and named.first is named[0]
    out = seq(glasstorch.ones(4, 2))
    assert out.shape == (4, 1)


def test_module_list_and_dict():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh()])
    layers.insert(0, nn.Sigmoid())
    assert [type(m).__name__ for m in layers] == ["Sigmoid", "Linear", "Linear", "Linear", "ReLU", "Tanh"]
    assert type(layers[1:3]) is nn.ModuleList and len(layers[1:3]) == 2
    del layers[0]
    assert isinstance(layers[0], nn.Linear) and list(layers._modules) == [str(i) for i in range(5)]
    with pytest.raises(NotImplementedError, match=r"Module \[ModuleList\] is missing"):
        layers(glasstorch.ones(2))
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable, but got int"):
        layers.extend(3)

    blocks = nn.ModuleDict({"act": nn.ReLU(), "fc": nn.Linear(2, 2)})
    assert list(blocks) == ["act", "fc"] and "fc" in blocks and len(blocks) == 2
    blocks["out"] = nn.Linear(2, 1)
    assert list(blocks.keys()) == ["act", "fc", "out"] and len(list(blocks.parameters())) == 4
    assert isinstance(blocks.pop("act"), nn.ReLU) and "act" not in blocks
    blocks.update([("extra", nn.Tanh())])
    assert [k for k, _ in blocks.items()] == ["fc", "out", "extra"]
    with pytest.raises(ValueError, match="has length 1; 2 is required"):
        blocks.update([("x",)])
    blocks.clear()
    assert len(blocks) == 0


def test_dtype_conversion_keeps_the_parameter_objects():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight
    assert model.double() is model
    assert model[0].weight is weight and weight.dtype == glasstorch.float64
    assert model[1].running_mean.dtype == glasstorch.float64
    assert model[1].num_batches_tracked.dtype == glasstorch.int64
    out = model(glasstorch.randn(4, 2, dtype=glasstorch.float64))
    assert out.dtype == glasstorch.float64
    model.to(glasstorch.float32)
    assert weight.dtype == glasstorch.float32
    assert model.to("cpu") is model
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
        model.to(glasstorch.int64)
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):  # as a CPU-only torch
        model.cuda()


def test_deepcopy_is_independent():
    model = Model()
    clone = copy.deepcopy(model)
    assert isinstance(clone.linear1.weight, nn.Parameter) and clone.linear1.weight is not model.linear1.weight
    with glasstorch.no_grad():
        clone.linear1.weight.fill_(0.0)
    assert model.linear1.weight.detach().numpy().any()
    x = glasstorch.randn(2, 3)
    assert clone(x).shape == model(x).shape


def test_get_submodule_parameter_buffer():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.BatchNorm1d(2)))
    assert model.get_submodule("1.0") is model[1][0]
    assert model.get_parameter("0.weight") is model[0].weight
    assert model.get_buffer("1.0.running_mean") is model[1][0].running_mean
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        model.get_submodule("nope")


def test_dir_lists_registered_names():
    model = Model()
    names = dir(model)
    assert "linear1" in names and "forward" in names and "training" in names


# ---- registries: every way of changing one is seen through the attribute, as torch finds it --------------------

def test_direct_registry_edits_are_seen_as_attributes():
    model = Model()
    new = nn.Linear(2, 2)
    model._modules["out"] = new
    assert model.out is new and model(glasstorch.ones(1, 3)).shape == (1, 2)
    del model._modules["out"]
    with pytest.raises(AttributeError, match="'Model' object has no attribute 'out'"):
        model.out  # noqa: B018
    layer = nn.Linear(2, 2)
    weight = layer._parameters.pop("weight")
    assert not hasattr(layer, "weight") and layer._parameters.pop("weight", None) is None
    layer._parameters.setdefault("weight", weight)
    assert layer.weight is weight
    extra = nn.Parameter(glasstorch.ones(2))
    layer._parameters.update(extra=extra)
    layer._parameters |= {"other": None}
    assert layer.extra is extra and layer.other is None
    name, _ = layer._parameters.popitem()
    assert name == "other" and not hasattr(layer, "other")
    layer._buffers["scale"] = glasstorch.ones(1)
    layer._buffers.clear()
    assert not hasattr(layer, "scale") and layer.bias is not None
    with pytest.raises(KeyError):
        layer._parameters.pop("missing")


def test_registry_entries_named_like_class_attributes_leave_them_alone():
    layer = nn.Linear(2, 2)
    layer._parameters["forward"] = nn.Parameter(glasstorch.ones(1))  # torch finds the method first, too
    assert callable(layer.forward) and layer(glasstorch.ones(1, 2)).shape == (1, 2)
    assert "forward" in dict(layer.named_parameters())


def test_sequential_renumbering_and_dir_after_deletion():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    second = seq[1]
    del seq[0]
    assert getattr(seq, "0") is second and not hasattr(seq, "2") and len(seq) == 2
    names = dir(nn.Linear(2, 2))
    assert len(names) == len(set(names)) and "weight" in names


def test_deep_copies_and_pickles_keep_their_own_registries():
    import pickle

    model = Model()
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert twin.linear1 is twin._modules["linear1"] and twin.linear1 is not model.linear1
        replacement = nn.Linear(3, 3)
        twin._modules["linear1"] = replacement
        assert twin.linear1 is replacement and model.linear1 is model._modules["linear1"]
        assert twin.linear1.weight is replacement._parameters["weight"]


def test_copies_of_a_registry_are_plain_dicts():
    layer = nn.Linear(2, 2)
    for duplicate in (copy.copy(layer._parameters), layer._parameters.copy(), dict(layer._parameters)):
        assert type(duplicate) is dict
        duplicate.pop("weight")
        duplicate["extra"] = None
    assert layer.weight is layer._parameters["weight"] and not hasattr(layer, "extra")


def test_shallow_copies_share_registries_as_in_torch():
    model = Model()
    twin = copy.copy(model)
    assert twin.linear1 is model.linear1 and twin._modules is model._modules
    replacement = nn.Linear(3, 3)
    twin.linear1 = replacement  # through the shared registry: both modules see it, as in torch
    assert model.linear1 is replacement and twin.linear1 is replacement
    other = nn.Linear(3, 3)
    model._modules["linear1"] = other
    assert twin.linear1 is other and model.linear1 is other
    del twin._modules["out"]
    assert not hasattr(model, "out") and not hasattr(twin, "out")


def test_a_registry_keeps_no_module_alive():
    import gc
    import weakref

    gc.collect()
    gc.disable()  # freed by reference counting alone: no cycle through the registries
    try:
        ref = weakref.ref(Model())
        assert ref() is None
    finally:
        gc.enable()
