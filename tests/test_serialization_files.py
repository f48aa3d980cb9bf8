"""glasstorch.load's torch.load-compatible arguments (map_location, weights_only, pickle_module, mmap) and the files it
reads or refuses that are not its own round trips: PyTorch checkpoints, plain pickles, zips, NumPy files, text,
truncations and corrupt headers. Hostile files are in test_serialization_security.py."""
from __future__ import annotations

import io
import pickle
import struct
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import glasstorch
from glasstorch.serialization import UnsupportedFileError

FORMATS = ["torch", "safetensors"]

# ---- torch.load-compatible arguments ---------------------------------------------------------------------------------

@pytest.mark.parametrize("map_location", [None, "cpu", "cpu:0", {"cuda:0": "cpu"}, lambda storage, location: storage])
@pytest.mark.parametrize("weights_only", [None, True, False])
@pytest.mark.parametrize("name", ["m.pth", "m.safetensors"])
def test_load_accepts_torch_arguments_that_keep_tensors_on_the_cpu(tmp_path, map_location, weights_only, name):
    glasstorch.save({"w": glasstorch.ones(2)}, tmp_path / name)
    loaded = glasstorch.load(tmp_path / name, map_location=map_location, weights_only=weights_only)
    np.testing.assert_array_equal(loaded["w"].numpy(), [1.0, 1.0])


def test_load_refuses_other_devices_and_pickle_modules(tmp_path):
    glasstorch.save({"w": glasstorch.ones(2)}, tmp_path / "m.pth")
    with pytest.raises(RuntimeError, match="CUDA device"):
        glasstorch.load(tmp_path / "m.pth", map_location="cuda:0")
    with pytest.raises(RuntimeError, match="CPU only"):
        glasstorch.load(tmp_path / "m.pth", map_location={"cpu": "mps"})
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit pickle_module is specified"):
        glasstorch.load(tmp_path / "m.pth", pickle_module=pickle)
    assert glasstorch.load(tmp_path / "m.pth", pickle_module=pickle, weights_only=False)["w"].sum().item() == 2.0


def test_map_location_callable_sees_each_storage_and_its_location(tmp_path):
    shared = glasstorch.arange(6.0)
    glasstorch.save({"a": shared, "b": shared[2:], "c": glasstorch.ones(2)}, tmp_path / "m.pth")
    seen = []
    loaded = glasstorch.load(tmp_path / "m.pth", map_location=lambda storage, location: seen.append(location))
    assert seen == ["cpu", "cpu"]  # one call per storage: a and its view share one
    np.testing.assert_array_equal(loaded["b"].numpy(), [2.0, 3.0, 4.0, 5.0])


def test_mmap_maps_a_zip_checkpoint_copy_on_write(tmp_path):
    path = tmp_path / "m.pth"
    glasstorch.save({"w": glasstorch.arange(4.0)}, path)
    before = path.read_bytes()
    loaded = glasstorch.load(path, mmap=True)
    with glasstorch.no_grad():
        loaded["w"].add_(1.0)
    np.testing.assert_array_equal(loaded["w"].numpy(), [1.0, 2.0, 3.0, 4.0])
    assert path.read_bytes() == before  # private mapping: the file is untouched
    with pytest.raises(ValueError, match="f must be a file path"):
        glasstorch.load(io.BytesIO(before), mmap=True)
    glasstorch.save({"w": glasstorch.ones(1)}, tmp_path / "m.safetensors")
    with pytest.raises(RuntimeError, match="mmap can only be used"):
        glasstorch.load(tmp_path / "m.safetensors", mmap=True)


# ---- foreign, corrupt and malicious files ------------------------------------------------------------------------------

def _load_error(data: bytes) -> str:
    with pytest.raises(UnsupportedFileError) as info:
        glasstorch.load(io.BytesIO(data))
    return str(info.value)


def test_the_error_class_is_a_value_error():
    assert issubclass(UnsupportedFileError, ValueError)


def test_a_pytorch_checkpoint_loads(tmp_path):
    torch = pytest.importorskip("torch")
    path = tmp_path / "phone.pth"
    torch.save(OrderedDict([("w", torch.ones(2))]), path)
    loaded = glasstorch.load(path)
    assert type(loaded) is OrderedDict and loaded["w"].tolist() == [1.0, 1.0]


def test_a_legacy_pytorch_checkpoint_loads():
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buffer, _use_new_zipfile_serialization=False)
    buffer.seek(0)
    assert glasstorch.load(buffer)["w"].tolist() == [1.0, 1.0]


class _CreatesAFile:
    """A pickle payload with a side effect: unpickling it calls open(path, "w"), creating the file."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_a_code_executing_pickle_is_refused_without_running(tmp_path, protocol):
    payload = pickle.dumps(_CreatesAFile(tmp_path / "control"), protocol=protocol)
    pickle.loads(payload).close()  # the payload is live: plain unpickling creates the file
    assert (tmp_path / "control").exists()

    victim = tmp_path / "pwned"
    malicious = tmp_path / "evil.pth"
    malicious.write_bytes(pickle.dumps(_CreatesAFile(victim), protocol=protocol))
    with pytest.raises(UnsupportedFileError) as info:
        glasstorch.load(malicious)
    assert not victim.exists()
    assert "pickle" in str(info.value) and "open" in str(info.value)  # it names what the pickle would import


def test_a_torch_zip_with_a_code_executing_payload_is_refused_without_running(tmp_path):
    torch = pytest.importorskip("torch")
    victim = tmp_path / "pwned"
    malicious = tmp_path / "evil.pth"
    torch.save({"w": torch.ones(1), "payload": _CreatesAFile(victim)}, malicious)
    for weights_only in (None, True):
        with pytest.raises(UnsupportedFileError, match="Weights only load failed") as info:
            glasstorch.load(malicious, weights_only=weights_only)
        assert not victim.exists()
        assert "GLOBAL io.open was not an allowed global" in str(info.value)
    glasstorch.load(malicious, weights_only=False)["payload"].close()  # trusted mode runs it, as torch's does
    assert victim.exists()


@pytest.mark.parametrize("data, found", [
    (b"", "empty file"),
    (np.random.default_rng(1).bytes(300), "unrecognised data"),
    (b"battery_power,blue,clock_speed\n842,0,2.2\n", "text file"),
])
def test_empty_random_and_text_data(tmp_path, data, found):
    path = tmp_path / "data.pth"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFileError, match=found):
        glasstorch.load(path)


def test_zip_and_numpy_files_are_named():  # from the zip's central directory only
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "hello")
    assert "zip archive" in _load_error(archive.getvalue())
    npy = io.BytesIO()
    np.save(npy, np.ones(3))
    assert "NumPy .npy" in _load_error(npy.getvalue())
    npz = io.BytesIO()
    np.savez(npz, a=np.ones(3))
    assert "NumPy .npz" in _load_error(npz.getvalue())


@pytest.mark.parametrize("format", FORMATS)
def test_every_truncation_of_a_file_is_the_one_error_class(format):
    buffer = io.BytesIO()
    glasstorch.save({"w": glasstorch.randn(3, 2), "b": glasstorch.zeros(2), "lr": 0.1}, buffer, format=format)
    data = buffer.getvalue()
    for length in range(len(data)):
        _load_error(data[:length])


def test_a_corrupt_structure_or_header_is_the_one_error_class():
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    array = {"w": np.ones(2, np.float32)}
    for structure in ["{not json", '{"root": {"tensor": "missing"}}', '{"root": {"mystery": 1}}', '"just a string"',
                      '{"root": {"dict": [[{"list": []}, 1]]}}']:
        data = safetensors_numpy.save(array, metadata={"glasstorch": structure})
        assert "corrupt" in _load_error(data)
    good = safetensors_numpy.save(array)
    header_length = struct.unpack("<Q", good[:8])[0]
    assert "truncated" in _load_error(struct.pack("<Q", header_length + 1000) + good[8:])
    broken_offsets = good.replace(b'"data_offsets":[0,8]', b'"data_offsets":[0,80]')
    assert broken_offsets != good
    _load_error(broken_offsets)


def test_tensors_of_dtypes_numpy_lacks_are_refused_clearly():
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    data = safetensors_torch.save({"w": torch.ones(2, dtype=torch.bfloat16)})
    assert "BF16" in _load_error(data)


# ---- weights_only and torch's environment variables ------------------------------------------------------------------

def test_the_environment_variables_act_as_in_torch(tmp_path, monkeypatch):
    path = tmp_path / "model.pth"
    glasstorch.save(glasstorch.nn.Linear(2, 1), path)  # a whole module: only a full unpickle reads it
    with pytest.raises(UnsupportedFileError, match="Linear was not an allowed global"):
        glasstorch.load(path)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    with pytest.warns(UserWarning, match="forcing weights_only=False"):
        assert isinstance(glasstorch.load(path), glasstorch.nn.Linear)
    with pytest.raises(UnsupportedFileError, match="Linear was not an allowed global"):
        glasstorch.load(path, weights_only=True)  # an explicit weights_only=True is kept
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "true")
    with pytest.raises(RuntimeError, match="Only one of"):
        glasstorch.load(path)
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD")
    with pytest.raises(UnsupportedFileError, match="Linear was not an allowed global"):
        glasstorch.load(path, weights_only=False)  # forced back to the restricted unpickler


def test_the_safe_globals_are_reachable_under_torchs_names():
    import glasstorch as torch
    assert torch.serialization.add_safe_globals is glasstorch.serialization.add_safe_globals
    torch.serialization.add_safe_globals([OrderedDict, (Path, "pathlib.Path")])
    try:
        assert torch.serialization.get_safe_globals() == [OrderedDict, (Path, "pathlib.Path")]
    finally:
        torch.serialization.clear_safe_globals()
    assert torch.serialization.get_safe_globals() == []
