"""Parity with torch of nn.ParameterList and nn.ParameterDict: what each holds after construction, indexing, slicing
and the list/dict methods (tensors turned into Parameters, other values kept as they are), the names under which
their Parameters are registered (alone and inside a model: named_parameters, state_dict, load_state_dict both ways),
an SGD step through both containers, the reprs, and every error with torch's class and message."""
from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare, raises_like  # noqa: E402

A, B, C = arr(2, 3), arr(3), arr(3, 2)


def describe(value):
    """An entry in terms both libraries share: a tensor's class, shape, dtype, requires_grad, leafness and values;
    a module's class name; anything else as it is."""
    if isinstance(value, (torch.Tensor, glasstorch.Tensor)):
        return (type(value).__name__, tuple(value.shape), str(value.dtype).split(".")[-1], value.requires_grad,
                value.grad_fn is None, value.detach().numpy().tolist())
    if isinstance(value, (torch.nn.Module, glasstorch.nn.Module)):
        return type(value).__name__
    return value


def same_repr(ours, theirs) -> None:
    """Reprs equal but for the library name (torch prints torch.float32 where glasstorch prints glasstorch.float32)."""
    assert repr(ours) == repr(theirs).replace("torch.", "glasstorch."), f"\n{ours!r}\n!=\n{theirs!r}"


def mixed_list(lib):
    nn = lib.nn
    return nn.ParameterList([nn.Parameter(lib.tensor(A.copy())), lib.tensor(B.copy()), 5, "text", None,
                             nn.Linear(2, 2), lib.tensor(B.copy(), dtype=lib.float64)])


def mixed_dict(lib):
    return lib.nn.ParameterDict({"w": lib.tensor(A.copy()), "b": lib.nn.Parameter(lib.tensor(B.copy())), "n": 3,
                                 "none": None})


# ---- ParameterList -------------------------------------------------------------------------------------------------

def test_list_construction_registers_tensors_as_parameters_like_torch():
    theirs, ours = mixed_list(torch), mixed_list(glasstorch)
    assert len(ours) == len(theirs) == 7
    assert [describe(v) for v in ours] == [describe(v) for v in theirs]
    assert list(ours._parameters) == list(theirs._parameters) == ["0", "1", "6"]
    assert list(ours._modules) == list(theirs._modules) == ["5"]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [k for k in dir(ours) if k[0].isdigit()] == [k for k in dir(theirs) if k[0].isdigit()] == []
    assert len(glasstorch.nn.ParameterList()) == len(torch.nn.ParameterList()) == 0


def test_list_conversion_shares_memory_and_detaches_like_torch():
    def run(lib):
        source = lib.tensor(B.copy(), requires_grad=True)
        made = source * 2  # not a leaf: the Parameter is a new leaf over its values
        plain = lib.zeros(2)
        params = lib.nn.ParameterList([made, plain])
        with lib.no_grad():
            plain.add_(1.0)
        return [describe(p) for p in params] + [params[1] is plain, type(params[0]).__name__]
    assert run(glasstorch) == run(torch)


@pytest.mark.parametrize("idx", [0, 3, 6, -1, -7, True, np.int64(2)], ids=repr)
def test_list_indexing_matches_torch(idx):
    assert describe(mixed_list(glasstorch)[idx]) == describe(mixed_list(torch)[idx])


@pytest.mark.parametrize("part", [slice(1, 4), slice(None, None, -2), slice(5, 100), slice(4, 1), slice(-3, None)],
                         ids=str)
def test_list_slicing_gives_a_new_list_of_the_same_objects(part):
    for lib in (torch, glasstorch):
        whole = mixed_list(lib)
        sliced = whole[part]
        assert type(sliced) is lib.nn.ParameterList
        kept = [whole[i] for i in range(len(whole))[part]]
        assert len(sliced) == len(kept) and all(a is b for a, b in zip(sliced, kept))
    ours, theirs = mixed_list(glasstorch)[part], mixed_list(torch)[part]
    assert [describe(v) for v in ours] == [describe(v) for v in theirs]
    assert list(ours._parameters) == list(theirs._parameters)
    same_repr(ours, theirs)


def test_list_append_extend_iadd_and_setitem_match_torch():
    def run(lib):
        nn = lib.nn
        params = nn.ParameterList()
        returned = [params.append(lib.tensor(A.copy())) is params, params.extend([lib.tensor(B.copy()), 7]) is params]
        params += (lib.tensor(C.copy()) for _ in range(2))
        params[1] = lib.tensor(C.copy())  # a tensor over a Parameter
        params[2] = nn.Parameter(lib.tensor(B.copy()), requires_grad=False)  # a Parameter over a plain value
        params[-1] = None  # None over a Parameter: the name stays registered, holding None
        params.extend(params)  # doubles, as a list would
        return (returned, len(params), [describe(v) for v in params], list(params._parameters),
                [n for n, _ in params.named_parameters()])
    assert run(glasstorch) == run(torch)


def test_list_dtype_change_and_deepcopy_match_torch():
    theirs, ours = mixed_list(torch).double(), mixed_list(glasstorch).double()
    assert [describe(v) for v in ours] == [describe(v) for v in theirs]
    same_repr(ours, theirs)
    clone = copy.deepcopy(ours)
    assert len(clone) == len(ours) and clone[0] is not ours[0]
    assert [describe(v) for v in clone] == [describe(v) for v in ours]


# ---- ParameterDict -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["dict", "ordered", "pairs", "parameter_dict"])
def test_dict_construction_order_and_registration_match_torch(source):
    def run(lib):
        items = [("w", lib.tensor(A.copy())), ("b", lib.nn.Parameter(lib.tensor(B.copy()))), ("n", 3)]
        given = {"dict": dict(items), "ordered": OrderedDict(items), "pairs": iter(items),
                 "parameter_dict": lib.nn.ParameterDict(OrderedDict(items))}[source]
        params = lib.nn.ParameterDict(given)
        return (list(params), list(params.keys()), [describe(v) for v in params.values()],
                [(k, describe(v)) for k, v in params.items()], list(params._parameters),
                [n for n, _ in params.named_parameters()], list(params.state_dict()), len(params))
    ours, theirs = run(glasstorch), run(torch)
    assert ours == theirs
    assert ours[0] == (["b", "n", "w"] if source == "dict" else ["w", "b", "n"])  # a plain dict is sorted


def test_dict_methods_match_torch():
    def run(lib):
        params = mixed_dict(lib)
        seen = [describe(params["w"]), "b" in params, 1 in params, "zz" in params, list(reversed(params))]
        seen += [describe(params.get("b")), params.get("zz", 4), params.get(1)]
        seen += [describe(params.setdefault("s", lib.tensor(C.copy()))), describe(params.setdefault("w", 9)),
                 params.setdefault("unset")]
        seen += [describe(params.pop("b")), params.popitem(), list(params), list(params._parameters)]
        params["w"] = lib.tensor(B.copy())  # replacing keeps the key's place
        params["b"] = 1.5
        del params["n"]
        params.update([("z", lib.tensor(B.copy())), ["y", 2]])
        params.update({"d": 1, "c": lib.tensor(A.copy())})  # sorted: c, d
        seen += [list(params), [describe(v) for v in params.values()], list(params._parameters), len(params)]
        params.clear()
        seen += [len(params), list(params._parameters), list(params.named_parameters())]
        return seen
    assert run(glasstorch) == run(torch)


def test_dict_copy_fromkeys_and_union_match_torch():
    def run(lib):
        params = mixed_dict(lib)
        clone = params.copy()
        seen = [type(clone).__name__, list(clone), all(clone[k] is params[k] for k in params)]
        made = params.fromkeys(["q", "p"], lib.tensor(B.copy()))
        seen += [list(made), describe(made["p"]), made["p"] is made["q"], list(params.fromkeys("ab"))]
        merged = params | {"z": lib.tensor(B.copy()), "a": 1}
        seen += [type(merged).__name__, list(merged), list(params), merged["w"] is params["w"]]
        seen += [list(params | OrderedDict([("z", 1), ("a", 2)])), list(params | [("k", 0)])]
        left = {"x": 1, "w": 0} | params  # dict's | gives way: torch's __ror__ returns a dict
        seen += [type(left).__name__, list(left), describe(left["w"])]
        before = id(params)
        params |= {"y": 2, "e": lib.tensor(A.copy())}
        seen += [id(params) == before, list(params), list(params._parameters)]
        return seen
    assert run(glasstorch) == run(torch)


# ---- reprs ---------------------------------------------------------------------------------------------------------

def with_a_plain_tensor(lib):
    params = lib.nn.ParameterList([3, lib.ones(2, dtype=lib.float16), lib.tensor(1.5)])
    setattr(params, "0", lib.ones(4, 1))  # a plain tensor attribute, not a Parameter: torch prints "Tensor"
    return params


REPRS = {
    "list_mixed": mixed_list,
    "list_empty": lambda lib: lib.nn.ParameterList(),
    "list_one": lambda lib: lib.nn.ParameterList([lib.ones(2)]),
    "list_plain_tensor_half_and_scalar": with_a_plain_tensor,
    "dict_mixed": mixed_dict,
    "dict_empty": lambda lib: lib.nn.ParameterDict(),
    "dict_one": lambda lib: lib.nn.ParameterDict({"a": lib.ones(2)}),
    "dict_dtypes": lambda lib: lib.nn.ParameterDict({"d": lib.ones(2, dtype=lib.float64),
                                                     "h": lib.ones(1, 2, dtype=lib.float16), "m": lib.nn.ReLU()}),
}


@pytest.mark.parametrize("name", REPRS)
def test_reprs_match_torch(name):
    same_repr(REPRS[name](glasstorch), REPRS[name](torch))


# ---- inside a model ------------------------------------------------------------------------------------------------

def build(lib):
    nn = lib.nn

    class Chain(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(lib.tensor(B[:1].copy()))
            self.layers = nn.ParameterList([lib.tensor(A.copy()), lib.tensor(C.copy())])
            self.biases = nn.ParameterDict({"second": lib.zeros(2), "first": lib.tensor(B.copy())})

        def forward(self, x):
            x = lib.tanh(x @ self.layers[0] + self.biases["first"])
            for weight in self.layers[1:]:
                x = x @ weight
            return self.scale * x + self.biases["second"]

    return Chain()


def test_model_names_and_state_dict_keys_match_torch():
    theirs, ours = build(torch), build(glasstorch)
    names = [n for n, _ in ours.named_parameters()]
    assert names == [n for n, _ in theirs.named_parameters()]
    assert names == ["scale", "layers.0", "layers.1", "biases.first", "biases.second"]
    assert list(ours.state_dict()) == list(theirs.state_dict()) == names
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    same_repr(ours, theirs)


def test_model_load_state_dict_round_trip_both_ways():
    theirs, ours = build(torch), build(glasstorch)
    with torch.no_grad():
        for p in theirs.parameters():
            p.add_(torch.tensor(arr(*p.shape)))
    result = ours.load_state_dict({k: glasstorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    assert repr(result) == "<All keys matched successfully>"
    for (name, t), (_, o) in zip(theirs.state_dict().items(), ours.state_dict().items()):
        compare(o, t, what=name)
    x = arr(4, 2)
    compare(ours(glasstorch.tensor(x)), theirs(torch.tensor(x)), atol=1e-5)
    back = build(torch)
    back.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    for (name, t), (_, o) in zip(back.state_dict().items(), ours.state_dict().items()):
        compare(o, t, what=name)


def test_model_load_state_dict_missing_list_entry_matches_torch():
    def load(lib):
        state = build(lib).state_dict()
        del state["layers.1"]
        state["layers.2"] = lib.ones(1)
        return build(lib).load_state_dict(state)
    with pytest.raises(RuntimeError) as theirs:
        load(torch)
    with pytest.raises(RuntimeError) as ours:
        load(glasstorch)
    assert str(ours.value) == str(theirs.value)


def test_sgd_step_through_the_containers_matches_torch():
    theirs, ours = build(torch), build(glasstorch)
    rng = np.random.default_rng(5)  # (its own data: the result must not depend on which tests ran before)
    x, target = rng.uniform(-2, 2, (5, 2)).astype(np.float32), rng.uniform(-2, 2, (5, 2)).astype(np.float32)
    initial = {name: p.detach().numpy().copy() for name, p in ours.named_parameters()}
    for model, lib in ((theirs, torch), (ours, glasstorch)):
        optimizer = lib.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        for _ in range(2):
            optimizer.zero_grad()
            loss = ((model(lib.tensor(x)) - lib.tensor(target)) ** 2).mean()
            loss.backward()
            optimizer.step()
    for (name, t), (_, o) in zip(theirs.named_parameters(), ours.named_parameters()):
        # float32 sums round by about 1e-7 of their largest term, so a small entry beside large ones is compared
        # against the tensor's scale (after two steps at lr 0.5 the gradients reach ~100)
        scale = max(1.0, float(t.grad.abs().max()))
        compare(o.grad, t.grad, rtol=1e-4, atol=1e-6 * scale, what=f"{name}.grad")
        compare(o, t, rtol=1e-4, atol=1e-6 * max(1.0, float(t.detach().abs().max())), what=name)
        assert not np.array_equal(o.detach().numpy(), initial[name]), f"{name} did not move"


# ---- errors --------------------------------------------------------------------------------------------------------

def one_list(lib):
    return lib.nn.ParameterList([lib.ones(1)])


def one_dict(lib):
    return lib.nn.ParameterDict({"a": lib.ones(1)})


ERRORS = {
    "list_index_out_of_range": lambda lib: one_list(lib)[1],
    "list_negative_index_out_of_range": lambda lib: one_list(lib)[-2],
    "list_index_of_empty": lambda lib: lib.nn.ParameterList()[0],
    "list_str_index": lambda lib: one_list(lib)["0"],
    "list_float_index": lambda lib: one_list(lib)[0.0],
    "list_setitem_out_of_range": lambda lib: one_list(lib).__setitem__(1, lib.ones(1)),
    "list_setitem_str_index": lambda lib: one_list(lib).__setitem__("0", lib.ones(1)),
    "list_int_over_parameter": lambda lib: one_list(lib).__setitem__(0, 3),
    "list_int_over_module": lambda lib: lib.nn.ParameterList([lib.nn.ReLU()]).__setitem__(0, 3),
    "list_extend_int": lambda lib: one_list(lib).extend(3),
    "list_extend_tensor": lambda lib: one_list(lib).extend(lib.ones(2)),
    "list_extend_parameter": lambda lib: one_list(lib).extend(lib.nn.Parameter(lib.ones(2))),
    "list_init_not_iterable": lambda lib: lib.nn.ParameterList(3),
    "list_iadd_not_iterable": lambda lib: one_list(lib).__iadd__(2.5),
    "list_integer_tensor": lambda lib: lib.nn.ParameterList([lib.ones(2, dtype=lib.int64)]),
    "list_called": lambda lib: one_list(lib)(lib.ones(1)),
    "list_forward": lambda lib: one_list(lib).forward(lib.ones(1)),
    "dict_int_key_get": lambda lib: one_dict(lib)[1],
    "dict_int_key_set": lambda lib: one_dict(lib).__setitem__(1, lib.ones(1)),
    "dict_none_key_set": lambda lib: one_dict(lib).__setitem__(None, 1),
    "dict_missing_key": lambda lib: one_dict(lib)["b"],
    "dict_pop_missing": lambda lib: one_dict(lib).pop("b"),
    "dict_del_missing": lambda lib: one_dict(lib).__delitem__("b"),
    "dict_del_int_key": lambda lib: one_dict(lib).__delitem__(1),
    "dict_popitem_empty": lambda lib: lib.nn.ParameterDict().popitem(),
    "dict_update_int": lambda lib: one_dict(lib).update(3),
    "dict_init_not_iterable": lambda lib: lib.nn.ParameterDict(1.5),
    "dict_update_element_not_iterable": lambda lib: one_dict(lib).update([("b", 1), 2]),
    "dict_update_element_too_long": lambda lib: one_dict(lib).update([("b", 1, 2)]),
    "dict_update_element_too_short": lambda lib: one_dict(lib).update([("b",)]),
    "dict_init_from_string": lambda lib: lib.nn.ParameterDict("ab"),
    "dict_init_mixed_keys": lambda lib: lib.nn.ParameterDict({1: lib.ones(1), "a": 2}),
    "dict_dotted_key": lambda lib: one_dict(lib).__setitem__("a.b", lib.ones(1)),
    "dict_empty_key": lambda lib: one_dict(lib).__setitem__("", lib.ones(1)),
    "dict_key_of_a_method": lambda lib: one_dict(lib).__setitem__("forward", lib.ones(1)),
    "dict_int_over_parameter": lambda lib: one_dict(lib).__setitem__("a", 3),
    "dict_integer_tensor": lambda lib: one_dict(lib).__setitem__("b", lib.ones(2, dtype=lib.int64)),
    "dict_or_int": lambda lib: one_dict(lib) | 3,
    "dict_ror_int": lambda lib: 3 | one_dict(lib),
    "dict_called": lambda lib: one_dict(lib)(lib.ones(1)),
    "dict_called_without_input": lambda lib: one_dict(lib)(),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    theirs, ours = raises_like(ERRORS[name])
    assert ours.replace("glasstorch.", "torch.") == theirs


def test_a_refused_value_leaves_the_container_as_it_was():
    """Where torch leaves a stale key or length behind after refusing a value, glasstorch keeps the container
    consistent (see the module's docstring): the refused entry is simply not there."""
    params = glasstorch.nn.ParameterList([glasstorch.ones(1)])
    with pytest.raises(RuntimeError, match="floating point"):
        params.append(glasstorch.ones(2, dtype=glasstorch.int64))
    assert len(params) == 1 and len(list(params)) == 1 and list(params._parameters) == ["0"]
    named = glasstorch.nn.ParameterDict({"a": glasstorch.ones(1)})
    for key in ("a.b", "", 1):
        with pytest.raises((KeyError, TypeError)):
            named[key] = glasstorch.ones(1)
    assert list(named) == ["a"] and len(named) == 1 and [k for k, _ in named.items()] == ["a"]
