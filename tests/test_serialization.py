"""glasstorch.save / glasstorch.load: round trips in both formats (PyTorch's zip checkpoint and safetensors), atomic
writes, what each format can store. torch.load's arguments and foreign or corrupt files are in
test_serialization_files.py; hostile files (malicious pickles, zip bombs, hostile headers) in
test_serialization_security.py; PyTorch interop in tests/parity/test_serialization_interop.py."""
from __future__ import annotations

import io
import math
import os
import pickle
import stat
from collections import OrderedDict, namedtuple
from pathlib import Path

import numpy as np
import pytest

import glasstorch


FORMATS = ["torch", "safetensors"]


def _round_trip(obj, format="torch"):  # noqa: A002
    buffer = io.BytesIO()
    glasstorch.save(obj, buffer, format=format)
    buffer.seek(0)
    return glasstorch.load(buffer)


def _assert_same_tensor(loaded, original) -> None:
    assert isinstance(loaded, glasstorch.Tensor)
    assert loaded.dtype is original.dtype
    assert tuple(loaded.shape) == tuple(original.shape)
    assert loaded.requires_grad == original.requires_grad
    np.testing.assert_array_equal(loaded.detach().numpy(), original.detach().numpy())


# ---- round trips ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("format", FORMATS)
def test_every_dtype_round_trips_bit_for_bit(format, dtype):
    values = np.random.default_rng(0).normal(size=(3, 4)) * 50
    original = glasstorch.from_numpy(values.astype(np.dtype(dtype)))
    _assert_same_tensor(_round_trip(original, format), original)


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,), (2, 3, 4)])
@pytest.mark.parametrize("format", FORMATS)
def test_shapes_round_trip_including_scalars_and_empty_tensors(format, shape):
    original = glasstorch.randn(shape) if shape else glasstorch.tensor(3.5)
    _assert_same_tensor(_round_trip(original, format), original)


@pytest.mark.parametrize("format", FORMATS)
def test_non_contiguous_tensor_keeps_its_values(format):
    original = glasstorch.arange(12.0).reshape(3, 4).t()[::2]
    assert not original._data.flags.c_contiguous
    _assert_same_tensor(_round_trip(original, format), original)


@pytest.mark.parametrize("format", FORMATS)
def test_nan_and_inf_values_survive(format):
    original = glasstorch.tensor([math.nan, math.inf, -math.inf, -0.0, 1e-45])
    loaded = _round_trip(original, format)
    assert loaded.numpy().tobytes() == original.numpy().tobytes()


@pytest.mark.parametrize("format", FORMATS)
def test_requires_grad_is_restored_but_not_the_graph_or_grad(format):
    leaf = glasstorch.ones(3, requires_grad=True)
    (leaf * 2).sum().backward()
    derived = leaf * 3
    loaded = _round_trip({"leaf": leaf, "derived": derived, "plain": glasstorch.zeros(2)}, format)
    assert loaded["leaf"].requires_grad and loaded["leaf"].is_leaf and loaded["leaf"].grad is None
    assert loaded["derived"].requires_grad and loaded["derived"].grad_fn is None  # as torch.save stores it
    assert not loaded["plain"].requires_grad
    np.testing.assert_array_equal(loaded["derived"].detach().numpy(), [3.0, 3.0, 3.0])


@pytest.mark.parametrize("format", FORMATS)
def test_nested_state_dicts_keep_every_type(format):
    model_state = OrderedDict([("0.weight", glasstorch.randn(4, 3)), ("0.bias", glasstorch.randn(4)),
                               ("bn.num_batches_tracked", glasstorch.tensor(7))])
    optimizer_state = {
        "state": {0: {"step": glasstorch.tensor(3.0), "exp_avg": glasstorch.randn(4, 3)}, 1: {}},
        "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False,
                          "foreach": None, "params": [0, 1], "name": "group α"}],
    }
    scheduler_state = {"best": math.inf, "mode_worse": -math.inf, "last": math.nan, "milestones": {30: 1, 80: 1},
                       "shape": glasstorch.Size([2, 3]), "dtype": glasstorch.float64, "pair": (1, (2, [3.5]))}
    original = {"model": model_state, "optimizer": optimizer_state, "scheduler": scheduler_state, "epoch": 12}
    loaded = _round_trip(original, format)

    assert type(loaded["model"]) is OrderedDict and list(loaded["model"]) == list(model_state)
    for key, tensor in model_state.items():
        _assert_same_tensor(loaded["model"][key], tensor)
    assert type(loaded["optimizer"]["state"]) is dict and list(loaded["optimizer"]["state"]) == [0, 1]  # int keys
    _assert_same_tensor(loaded["optimizer"]["state"][0]["exp_avg"], optimizer_state["state"][0]["exp_avg"])
    assert loaded["optimizer"]["state"][1] == {}
    assert loaded["optimizer"]["param_groups"] == optimizer_state["param_groups"]
    assert type(loaded["optimizer"]["param_groups"][0]["betas"]) is tuple
    assert type(loaded["optimizer"]["param_groups"][0]["weight_decay"]) is int
    sched = loaded["scheduler"]
    assert sched["best"] == math.inf and sched["mode_worse"] == -math.inf and math.isnan(sched["last"])
    assert sched["milestones"] == {30: 1, 80: 1}
    assert type(sched["shape"]) is glasstorch.Size and sched["shape"] == (2, 3)
    assert sched["dtype"] is glasstorch.float64
    assert sched["pair"] == (1, (2, [3.5])) and type(sched["pair"][1][1]) is list
    assert loaded["epoch"] == 12


def test_numpy_arrays_and_scalars():
    array = np.arange(6, dtype=np.int32).reshape(2, 3)
    loaded = _round_trip({"array": array, "f": np.float32(0.5), "i": np.int64(4), "b": np.bool_(True)}, "safetensors")
    assert isinstance(loaded["array"], np.ndarray) and loaded["array"].dtype == np.int32
    np.testing.assert_array_equal(loaded["array"], array)
    assert loaded["f"] == 0.5 and loaded["i"] == 4 and loaded["b"] is True


@pytest.mark.parametrize("format", FORMATS)
def test_the_same_tensor_saved_twice_loads_as_one_object(format):
    shared = glasstorch.randn(3)
    loaded = _round_trip({"a": shared, "b": [shared], "other": glasstorch.randn(3)}, format)
    assert loaded["a"] is loaded["b"][0]
    assert loaded["a"] is not loaded["other"]


@pytest.mark.parametrize("format", FORMATS)
def test_loaded_tensors_are_writable_and_independent(format):
    original = {"w": glasstorch.ones(3), "v": glasstorch.ones(3)}
    loaded = _round_trip(original, format)
    with glasstorch.no_grad():
        loaded["w"].add_(1.0)
    np.testing.assert_array_equal(loaded["w"].numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(loaded["v"].numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(original["w"].numpy(), [1.0, 1.0, 1.0])


def test_paths_str_and_pathlib(tmp_path):
    original = {"w": glasstorch.randn(2, 2)}
    glasstorch.save(original, str(tmp_path / "a.pth"))
    glasstorch.save(original, tmp_path / "b.pth")
    for name in ("a.pth", "b.pth"):
        _assert_same_tensor(glasstorch.load(tmp_path / name)["w"], original["w"])
        _assert_same_tensor(glasstorch.load(str(tmp_path / name))["w"], original["w"])


def test_save_writes_at_the_position_of_a_file_object(tmp_path):
    path = tmp_path / "model.pth"
    with open(path, "wb") as handle:
        glasstorch.save(glasstorch.arange(3), handle)
    with open(path, "rb") as handle:
        np.testing.assert_array_equal(glasstorch.load(handle).numpy(), [0, 1, 2])


# ---- what cannot be saved ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, where", [
    ({"model": {"layer": object()}}, "model.layer"),
    ([1, 2, lambda x: x], "2"),
    ({"a": {1, 2}}, "a"),
    (namedtuple("Point", "x y")(1, 2), "top level"),
    (np.array(["text"]), "top level"),
])
def test_unsupported_objects_raise_type_error_naming_where(bad, where):
    with pytest.raises(TypeError, match=where):
        glasstorch.save(bad, io.BytesIO(), format="safetensors")


def test_a_container_holding_itself_is_refused_by_safetensors_and_kept_by_torchs_format():
    looping = [1]
    looping.append(looping)
    with pytest.raises(ValueError, match="contains itself"):
        glasstorch.save(looping, io.BytesIO(), format="safetensors")
    loaded = _round_trip(looping, "torch")  # a pickle keeps the cycle, as torch.save does
    assert loaded[0] == 1 and loaded[1] is loaded


def test_an_object_pickle_cannot_store_fails_before_writing():
    buffer = io.BytesIO()
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        glasstorch.save({"f": lambda x: x}, buffer)
    assert buffer.getvalue() == b""


def test_the_format_follows_the_path_or_the_argument(tmp_path):
    glasstorch.save({"w": glasstorch.ones(1)}, tmp_path / "a.safetensors")
    glasstorch.save({"w": glasstorch.ones(1)}, tmp_path / "b.pth")
    glasstorch.save({"w": glasstorch.ones(1)}, tmp_path / "c.pth", format="safetensors")
    glasstorch.serialization.save_safetensors({"w": glasstorch.ones(1)}, tmp_path / "d.bin")
    assert (tmp_path / "a.safetensors").read_bytes()[8:9] == b"{"
    assert (tmp_path / "b.pth").read_bytes()[:4] == b"PK\x03\x04"
    assert (tmp_path / "c.pth").read_bytes()[8:9] == b"{"
    assert (tmp_path / "d.bin").read_bytes()[8:9] == b"{"
    for name in ("a.safetensors", "b.pth", "c.pth", "d.bin"):  # recognised by their bytes, not their names
        assert glasstorch.load(tmp_path / name)["w"].item() == 1.0
    with pytest.raises(ValueError, match="format must be one of"):
        glasstorch.save({}, tmp_path / "e.pth", format="npz")


def test_missing_parent_directory_is_torchs_error(tmp_path):
    missing = tmp_path / "no" / "such"
    with pytest.raises(RuntimeError, match=f"Parent directory {missing} does not exist"):
        glasstorch.save({"w": glasstorch.ones(1)}, missing / "m.pth")


# ---- atomic writes -----------------------------------------------------------------------------------------------------

def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


@pytest.mark.parametrize("name, unstorable", [("model.safetensors", object()), ("model.pth", lambda x: x)])
def test_failing_serialisation_leaves_the_old_file_and_no_temporary(tmp_path, name, unstorable):
    path = tmp_path / name
    glasstorch.save({"w": glasstorch.ones(3)}, path)
    before = _snapshot(tmp_path)
    with pytest.raises((TypeError, pickle.PicklingError, AttributeError)):
        glasstorch.save({"w": glasstorch.zeros(3), "broken": {"deep": unstorable}}, path)
    assert _snapshot(tmp_path) == before
    np.testing.assert_array_equal(glasstorch.load(path)["w"].numpy(), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_crash_while_writing_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    path = tmp_path / "model.pth"
    glasstorch.save({"w": glasstorch.ones(3)}, path)
    before = _snapshot(tmp_path)
    calls = []

    def crash(*args, **kwargs):
        calls.append(args)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="No space left"):
        glasstorch.save({"w": glasstorch.zeros(1000)}, path)
    monkeypatch.undo()
    assert calls, "the simulated crash was never reached"
    assert _snapshot(tmp_path) == before
    np.testing.assert_array_equal(glasstorch.load(path)["w"].numpy(), [1.0, 1.0, 1.0])


def test_overwriting_keeps_the_file_mode_and_new_files_follow_the_umask(tmp_path):
    path = tmp_path / "model.pth"
    old_umask = os.umask(0o022)
    try:
        glasstorch.save(glasstorch.ones(1), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o600)
        glasstorch.save(glasstorch.zeros(1), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    assert glasstorch.load(path).item() == 0.0


def test_saving_through_a_symlink_replaces_the_target_file(tmp_path):
    target = tmp_path / "real.pth"
    glasstorch.save(glasstorch.ones(1), target)
    link = tmp_path / "link.pth"
    link.symlink_to(target)
    glasstorch.save(glasstorch.zeros(1), link)
    assert link.is_symlink()
    assert glasstorch.load(target).item() == 0.0


# ---- interoperability with PyTorch (through safetensors) --------------------------------------------------------------

def test_pytorch_reads_glasstorch_weights_with_safetensors(tmp_path):
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    state = OrderedDict([("fc1.weight", glasstorch.randn(5, 3)), ("fc1.bias", glasstorch.randn(5)),
                         ("steps", glasstorch.tensor(4)), ("mask", glasstorch.tensor([True, False])),
                         ("half", glasstorch.randn(2).half())])
    path = tmp_path / "weights.safetensors"
    glasstorch.save(state, path)
    loaded = safetensors_torch.load_file(str(path))
    assert set(loaded) == set(state)
    for name, tensor in state.items():
        assert str(loaded[name].dtype) == "torch." + tensor.dtype.name
        assert torch.equal(loaded[name], torch.from_numpy(tensor.numpy().copy()))


def test_nested_tensors_are_named_by_their_path_for_other_readers():
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    state = {"state": {0: {"exp_avg": glasstorch.ones(2)}}, "model": {"w": glasstorch.zeros(1)}}
    buffer = io.BytesIO()
    glasstorch.save(state, buffer, format="safetensors")
    assert set(safetensors_numpy.load(buffer.getvalue())) == {"state.0.exp_avg", "model.w"}


@pytest.mark.parametrize("format", FORMATS)
def test_colliding_paths_get_distinct_names(format):
    state = {"a.b": glasstorch.ones(1), "a": {"b": glasstorch.zeros(1)}}
    loaded = _round_trip(state, format)
    assert loaded["a.b"].item() == 1.0 and loaded["a"]["b"].item() == 0.0


def test_glasstorch_reads_safetensors_files_written_by_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    state = {"linear.weight": torch.randn(3, 2), "linear.bias": torch.randn(3), "idx": torch.arange(4)}
    path = tmp_path / "model.safetensors"
    safetensors_torch.save_file(state, str(path))
    loaded = glasstorch.load(path)
    assert set(loaded) == set(state)
    for name, tensor in state.items():
        assert loaded[name].dtype.name == str(tensor.dtype).split(".")[-1]
        np.testing.assert_array_equal(loaded[name].numpy(), tensor.numpy())
