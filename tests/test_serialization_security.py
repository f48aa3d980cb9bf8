"""glasstorch.load against hostile files, all generated here (no committed blobs).

* malicious pickles (os.system, subprocess.*, eval/exec, getattr chains, __reduce__ payloads; GLOBAL, STACK_GLOBAL,
  INST, OBJ, NEWOBJ, BUILD, EXT opcodes; protocols 0-5; abused persistent ids), alone, inside a zip checkpoint's
  data.pkl and inside a legacy checkpoint: the default load never runs them (a marker file is never created) and each
  gives a clear error;
* corrupt and truncated zips, lying storage sizes, zip bombs, huge declared storages: a clear error, within a
  bounded amount of memory (measured with tracemalloc);
* the trainer's model loader maps hostile files to its input error (exit code 2). Hostile safetensors headers are
  in test_serialization_safetensors.py.
"""
from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

import glasstorch
from glasstorch.serialization import UnsupportedFileError, WeightsOnlyUnpicklingError


def _string(text: str) -> bytes:
    raw = text.encode()
    return pickle.BINUNICODE + struct.pack("<I", len(raw)) + raw


def _global(module: str, name: str) -> bytes:
    return pickle.GLOBAL + f"{module}\n{name}\n".encode()


def _stack_global(module: str, name: str) -> bytes:
    return _string(module) + _string(name) + pickle.STACK_GLOBAL


def _call(callee: bytes, *args: bytes) -> bytes:
    return callee + pickle.MARK + b"".join(args) + pickle.TUPLE + pickle.REDUCE


def _program(body: bytes, protocol: int = 2) -> bytes:
    return pickle.PROTO + bytes([protocol]) + body + pickle.STOP


def _attacks(marker: str) -> dict[str, bytes]:
    """name → a pickle that, if unpickled by pickle.loads, creates ``marker`` (or would run code trying to)."""
    shell = f"touch {marker}"
    code = f"open({marker!r}, 'w').close()"
    python = sys.executable
    cases = {
        "os.system GLOBAL": _program(_call(_global("os", "system"), _string(shell))),
        "posix.system GLOBAL": _program(_call(_global("posix", "system"), _string(shell))),
        "os.system STACK_GLOBAL proto4": _program(_call(_stack_global("os", "system"), _string(shell)), 4),
        "os.popen": _program(_call(_global("os", "popen"), _string(shell))),
        "subprocess.call": _program(_call(_global("subprocess", "call"), _string(shell))),
        "subprocess.Popen": _program(_call(_global("subprocess", "Popen"), _string(shell))),
        "subprocess.run": _program(_call(_global("subprocess", "run"), _string(shell))),
        "subprocess.check_output": _program(_call(_global("subprocess", "check_output"), _string(shell))),
        "builtins.eval": _program(_call(_global("builtins", "eval"), _string(code))),
        "builtins.exec": _program(_call(_global("builtins", "exec"), _string(code))),
        "__builtin__.eval (py2 name)": _program(_call(_global("__builtin__", "eval"), _string(code))),
        "builtins.open": _program(_call(_global("builtins", "open"), _string(marker), _string("w"))),
        "io.open": _program(_call(_global("io", "open"), _string(marker), _string("w"))),
        "builtins.getattr chain": _program(_call(
            _call(_global("builtins", "getattr"), _call(_global("builtins", "__import__"), _string("os")),
                  _string("system")), _string(shell))),
        "builtins.__import__": _program(_call(_global("builtins", "__import__"), _string("os"))),
        "importlib.import_module": _program(_call(_global("importlib", "import_module"), _string("os"))),
        "runpy._run_code": _program(_call(_global("runpy", "_run_code"), _string(code), pickle.EMPTY_DICT)),
        "code.InteractiveInterpreter": _program(_call(_global("code", "InteractiveInterpreter"))),
        "pickle.loads nested": _program(_call(_global("pickle", "loads"), pickle.SHORT_BINBYTES + b"\x00")),
        "sys.modules via STACK_GLOBAL": _program(_stack_global("sys", "modules"), 4),
        "torch.load re-entry": _program(_call(_global("torch", "load"), _string(marker))),
        "torch._C nested name": _program(_call(_global("torch._C", "_get_tracing_state"))),
        "numpy.frombuffer": _program(_call(_global("numpy", "frombuffer"), pickle.SHORT_BINBYTES + b"\x00")),
        "INST opcode proto0": b"(S'" + shell.encode() + b"'\nios\nsystem\n.",
        "OBJ opcode": _program(pickle.MARK + _global("os", "system") + _string(shell) + pickle.OBJ),
        "NEWOBJ subprocess.Popen": _program(_global("subprocess", "Popen") + pickle.MARK + _string(shell)
                                            + pickle.TUPLE + pickle.NEWOBJ),
        "NEWOBJ_EX proto4": _program(_stack_global("subprocess", "Popen") + pickle.MARK + _string(shell)
                                     + pickle.TUPLE + pickle.EMPTY_DICT + pickle.NEWOBJ_EX, 4),
        "BUILD on an allowed function": _program(_global("torch._utils", "_rebuild_tensor_v2") + pickle.EMPTY_DICT
                                                 + _string("__setstate__") + _global("builtins", "eval")
                                                 + pickle.SETITEM + pickle.BUILD),
        "BUILD setstate on OrderedDict": _program(_call(_global("collections", "OrderedDict")) + pickle.MARK
                                                  + _string("__setstate__") + _call(_global("builtins", "eval"))
                                                  + pickle.DICT + pickle.BUILD),
        "REDUCE on a dtype": _program(_call(_global("torch", "float32"), _string(shell))),
        "REDUCE on a storage type": _program(_call(_global("torch", "FloatStorage"), _string(shell))),
        "bytearray of 10**12": _program(_call(_global("builtins", "bytearray"),
                                              pickle.LONG1 + bytes([6]) + (10 ** 12).to_bytes(6, "little"))),
        "_codecs.encode with zlib": _program(_call(_global("_codecs", "encode"), _string("x" * 64),
                                                   _string("zlib_codec"))),
        "EXT1 extension registry": _program(pickle.EXT1 + b"\x01"),
        "EXT2 extension registry": _program(pickle.EXT2 + b"\x01\x00"),
        "NEXT_BUFFER out-of-band": _program(pickle.NEXT_BUFFER, 5),
        "persistent id string": _program(_string("os.system") + pickle.BINPERSID),
        "persistent id module tuple": _program(pickle.MARK + _string("module") + _global("os", "system")
                                               + pickle.TUPLE + pickle.BINPERSID),
        "persistent id with evil type": _program(pickle.MARK + _string("storage") + _global("os", "system")
                                                 + _string("0") + _string("cpu") + pickle.BININT1 + b"\x01"
                                                 + pickle.TUPLE + pickle.BINPERSID),
        "PERSID text opcode": b"Pos.system\n.",
        "payload nested in a state_dict": _program(
            pickle.EMPTY_DICT + _string("state_dict") + pickle.EMPTY_DICT + _string("w")
            + _call(_global("os", "system"), _string(shell)) + pickle.SETITEM + pickle.SETITEM),
        "payload after a legit tensor global": _program(
            _global("collections", "OrderedDict") + pickle.POP + _call(_global("os", "system"), _string(shell))),
        "python -c via subprocess": _program(_call(_global("subprocess", "call"), pickle.MARK + _string(python)
                                                   + _string("-c") + _string(code) + pickle.LIST)),
    }
    for protocol in range(6):
        cases[f"__reduce__ payload protocol {protocol}"] = pickle.dumps(_Payload(shell), protocol=protocol)
        cases[f"__reduce__ open() protocol {protocol}"] = pickle.dumps(_OpenPayload(marker), protocol=protocol)
    return cases


class _Payload:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


class _OpenPayload:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return open, (self.path, "w")


ATTACK_NAMES = sorted(_attacks("/nonexistent"))


def _as_zip(pickled: bytes) -> bytes:
    """A torch-layout zip checkpoint whose data.pkl is ``pickled``."""
    buffer = io.BytesIO()
    glasstorch.save({"w": glasstorch.ones(2)}, buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, pickled if info.filename.endswith("data.pkl") else source.read(info))
    return out.getvalue()


def _as_legacy(pickled: bytes) -> bytes:
    """A legacy (pre-1.6) checkpoint whose object pickle is ``pickled``."""
    header = [pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2), pickle.dumps(1001, protocol=2),
              pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2)]
    return b"".join(header) + pickled + pickle.dumps([], protocol=2)


def test_the_attacks_are_live(tmp_path):
    """The corpus is real: plain pickle.loads runs the simplest payloads (creating the marker)."""
    marker = tmp_path / "control"
    attacks = _attacks(str(marker))
    pickle.loads(attacks["builtins.open"]).close()
    assert marker.exists()
    marker.unlink()
    pickle.loads(attacks["__reduce__ open() protocol 4"]).close()
    assert marker.exists()


@pytest.mark.parametrize("container", ["raw", "zip", "legacy"])
@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_a_malicious_pickle_never_runs_and_is_a_clear_error(tmp_path, monkeypatch, name, container):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    pickled = _attacks(str(marker))[name]
    data = {"raw": pickled, "zip": _as_zip(pickled), "legacy": _as_legacy(pickled)}[container]
    for weights_only in (None, True):
        with pytest.raises(UnsupportedFileError) as info:
            glasstorch.load(io.BytesIO(data), weights_only=weights_only)
        message = str(info.value)
        assert len(message) > 20 and "Traceback" not in message
        if container != "raw":
            assert isinstance(info.value, pickle.UnpicklingError) and "Weights only load failed" in message
    assert not marker.exists()


def test_forcing_weights_only_overrides_weights_only_false(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    data = _as_zip(_attacks(str(marker))["builtins.open"])
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(WeightsOnlyUnpicklingError, match="GLOBAL open was not an allowed global"):
        glasstorch.load(io.BytesIO(data), weights_only=False)
    assert not marker.exists()


def test_refusals_name_the_global_as_torch_does(tmp_path):
    data = _as_zip(_attacks(str(tmp_path / "x"))["subprocess.Popen"])
    with pytest.raises(WeightsOnlyUnpicklingError) as info:
        glasstorch.load(io.BytesIO(data))
    assert ("Unsupported global: GLOBAL subprocess.Popen was not an allowed global by default. Please use "
            "`torch.serialization.add_safe_globals([subprocess.Popen])`") in str(info.value)


# ---- corrupt zips, lying sizes, bombs ---------------------------------------------------------------------------------

def _checkpoint(obj=None) -> bytes:
    buffer = io.BytesIO()
    glasstorch.save({"w": glasstorch.arange(4.0)} if obj is None else obj, buffer)
    return buffer.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes], compress: int = zipfile.ZIP_STORED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for info in source.infolist():
            suffix = info.filename.split("/", 1)[1]
            target.writestr(info.filename, replace.get(suffix, source.read(info)))
    return out.getvalue()


def _peak_megabytes(action) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 2 ** 20


def _refused(data: bytes, match: str | None = None) -> str:
    with pytest.raises(UnsupportedFileError, match=match) as info:
        glasstorch.load(io.BytesIO(data))
    return str(info.value)


def test_a_storage_whose_entry_is_shorter_than_the_pickle_says():
    data = _rezip(_checkpoint(), {"data/0": b"\x00" * 12})
    _refused(data, "should hold 4 float32 elements")


def test_a_tensor_that_reaches_past_its_storage():
    pickled = zipfile.ZipFile(io.BytesIO(_checkpoint())).read("archive/data.pkl")
    lying = pickled.replace(pickle.BININT1 + b"\x04" + pickle.TUPLE1, pickle.BININT1 + b"\x09" + pickle.TUPLE1, 1)
    assert lying != pickled
    _refused(_rezip(_checkpoint(), {"data.pkl": lying}), "needs 9 elements but its storage holds 4")


def test_a_flipped_byte_in_a_zip_entry_fails_its_crc():
    data = bytearray(_checkpoint())
    at = bytes(data).index(np.arange(4.0, dtype=np.float32).tobytes())
    data[at + 5] ^= 0xFF
    _refused(bytes(data), "corrupt")


@pytest.mark.parametrize("what", ["entries", "directory offset", "no end record"])
def test_a_zip_whose_directory_lies(what):
    data = bytearray(_checkpoint())
    end = bytes(data).rindex(b"PK\x05\x06")
    if what == "entries":
        data[end + 8:end + 12] = struct.pack("<HH", 0xFFFE, 0xFFFE)
    elif what == "directory offset":
        data[end + 16:end + 20] = struct.pack("<I", 0xFFFFFFF0)
    else:
        data[end:end + 4] = b"XXXX"
    _refused(bytes(data))


def test_a_zip_bomb_in_data_pkl_is_refused_before_inflating():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("archive/data.pkl", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1 << 20)
            for _ in range(200):  # 200 MB of zeros, about 0.2 MB compressed
                entry.write(chunk)
    data = bomb.getvalue()
    assert len(data) < 2 << 20
    peak = _peak_megabytes(lambda: _refused(data, "zip bomb"))
    assert peak < 3 * len(data) / 2 ** 20 + 8


def test_a_deflated_storage_cannot_declare_more_than_deflate_can_give():
    data = _rezip(_checkpoint(), {}, zipfile.ZIP_DEFLATED)
    assert glasstorch.load(io.BytesIO(data))["w"].tolist() == [0.0, 1.0, 2.0, 3.0]  # deflated entries still load
    archive = bytearray(data)
    directory = bytes(archive).index(b"PK\x01\x02")  # the first central-directory record
    record = bytes(archive).index(b"archive/data/0", directory) - 46
    assert archive[record:record + 4] == b"PK\x01\x02"
    compressed = struct.unpack("<I", archive[record + 20:record + 24])[0]
    archive[record + 24:record + 28] = struct.pack("<I", 4_000_000_000)  # uncompressed size: 4 GB from a few bytes
    assert compressed < 100
    _refused(bytes(archive))


def test_an_entry_that_inflates_past_its_declared_size_stops_there():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02" + b"N" * (100 << 20) + b".")  # 100 MB of NONE opcodes
    data = bytearray(bomb.getvalue())
    record = bytes(data).index(b"PK\x01\x02")
    data[record + 24:record + 28] = struct.pack("<I", 1000)  # the directory says 1000 bytes
    peak = _peak_megabytes(lambda: _refused(bytes(data), "corrupt"))
    assert peak < 3 * len(data) / 2 ** 20 + 8


def test_a_huge_declared_storage_is_refused_without_allocating():
    pickled = zipfile.ZipFile(io.BytesIO(_checkpoint())).read("archive/data.pkl")
    numel = 4
    huge = pickled.replace(pickle.BININT1 + bytes([numel]) + pickle.TUPLE + pickle.BINPUT,
                           pickle.BININT + struct.pack("<i", 2 ** 31 - 1) + pickle.TUPLE + pickle.BINPUT, 1)
    assert huge != pickled
    data = _rezip(_checkpoint(), {"data.pkl": huge})
    peak = _peak_megabytes(lambda: _refused(data, "should hold 2147483647 float32 elements"))
    assert peak < 8


def test_a_huge_legacy_storage_is_refused_without_allocating():
    torch = pytest.importorskip("torch")
    buffer = io.BytesIO()
    torch.save({"w": torch.ones(4)}, buffer, _use_new_zipfile_serialization=False)
    data = buffer.getvalue()
    huge = data.replace(pickle.BININT1 + b"\x04" + pickle.NONE, pickle.BININT + struct.pack("<i", 2 ** 31 - 1)
                        + pickle.NONE, 1)
    assert huge != data
    peak = _peak_megabytes(lambda: _refused(huge, "more than the file holds"))
    assert peak < 8


def test_a_deeply_nested_pickle_is_not_a_recursion_error():
    deep = _program(pickle.EMPTY_LIST * 100_000 + pickle.APPEND * 99_999)
    loaded = glasstorch.load(io.BytesIO(_as_zip(deep)))
    assert isinstance(loaded, list)


@pytest.mark.parametrize("opcode", [pickle.BINUNICODE8 + struct.pack("<Q", 2 ** 60),
                                    pickle.BINBYTES + struct.pack("<I", 2 ** 31),
                                    pickle.LONG4 + struct.pack("<i", 2 ** 31 - 1)])
def test_huge_declared_pickle_lengths_are_a_truncation_error(opcode):
    peak = _peak_megabytes(lambda: _refused(_as_zip(_program(opcode)), "truncated"))
    assert peak < 8


def _overlapping_zip(copies: int, numel: int) -> bytes:
    """A checkpoint of ``copies`` tensors whose storage entries all point at the same bytes of the file (a zip whose
    central directory reuses one local entry: overlapping entries that would multiply the memory a file costs)."""
    buffer = io.BytesIO()
    glasstorch.save([glasstorch.zeros(numel) for _ in range(copies)], buffer)
    pickled = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("archive/data.pkl")
    payload = np.ones(numel, dtype=np.float32).tobytes()
    out, central = bytearray(), bytearray()

    def local(name: bytes, data: bytes) -> int:
        offset = len(out)
        out.extend(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 33, zlib.crc32(data), len(data), len(data),
                               len(name), 0) + name + data)
        return offset

    def record(name: bytes, offset: int, data: bytes) -> None:
        central.extend(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, zlib.crc32(data), len(data),
                                   len(data), len(name), 0, 0, 0, 0, 0, offset) + name)

    pickle_at = local(b"archive/data.pkl", pickled)
    data_at = local(b"archive/data/0", payload)
    record(b"archive/data.pkl", pickle_at, pickled)
    for key in range(copies):
        record(f"archive/data/{key}".encode(), data_at, payload)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, copies + 1, copies + 1, len(central), len(out), 0)
    return bytes(out + central + end)


def test_overlapping_storage_entries_cannot_multiply_memory():
    honest = glasstorch.load(io.BytesIO(_overlapping_zip(1, 1000)))  # the construction is a valid checkpoint
    assert honest[0].tolist() == [1.0] * 1000
    data = _overlapping_zip(200, 250_000)  # 1 MB of bytes, 200 MB if each entry were read
    peak = _peak_megabytes(lambda: _refused(data, "overlap"))
    assert peak < 3 * len(data) / 2 ** 20 + 8


def _safetensors_file(header: str) -> bytes:
    return struct.pack("<Q", len(header)) + header.encode() + b"\x00" * 8


def test_the_trainer_maps_a_hostile_model_file_to_an_input_error(tmp_path):
    from glasstorch.app.data import InputError
    from glasstorch.app.modelfile import load_model
    path = tmp_path / "model.safetensors"
    path.write_bytes(_safetensors_file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [408, Infinity]}}'))
    with pytest.raises(InputError, match="not a valid model file"):
        load_model(path)
    path.write_bytes(_as_zip(_attacks(str(tmp_path / "pwned"))["builtins.eval"]))
    with pytest.raises(InputError, match="not a safetensors file"):  # the trainer's files are never pickles
        load_model(path)
    assert not (tmp_path / "pwned").exists()
