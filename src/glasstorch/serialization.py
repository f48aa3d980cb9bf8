"""``glasstorch.save`` / ``glasstorch.load``: tensors and state_dicts on disk, without pickle.

``torch.save`` pickles, and unpickling a file can run any code its author chose. glasstorch never unpickles: a file
holds only arrays and JSON, so loading an untrusted file cannot execute anything.

The file format is a plain safetensors file (https://github.com/huggingface/safetensors):

* every tensor's data is one safetensors entry. Entries are named by their path in the saved object: a model's
  ``state_dict()`` saves ``{"fc.weight": ..., "fc.bias": ...}`` under exactly those names, so PyTorch users read
  glasstorch weights with ``safetensors.torch.load_file(path)``; nested values are named ``"state.0.exp_avg"``
  (with ``"#1"``, ``"#2"``... appended if two paths would collide). A tensor saved twice (the same object) is stored
  once and loads as one object.
* the structure around the tensors is JSON, kept in the header's ``__metadata__`` under the key ``"glasstorch"``
  (``"format": "pt"`` is also written, the convention other safetensors readers look for). Each JSON node is a
  JSON ``null``/``true``/``false``/number/string for ``None``/bool/int/finite float/str, or an object with one tag::

      {"tensor": name[, "requires_grad": true]}   {"ndarray": name}    {"float": "nan" | "inf" | "-inf"}
      {"list": [node, ...]}    {"tuple": [...]}    {"size": [int, ...]}    {"dtype": "float32"}
      {"dict": [[key_node, value_node], ...]}      {"ordered_dict": [[key_node, value_node], ...]}

  Dict keys are nodes too, so the int keys of an optimizer's ``state_dict()["state"]`` stay ints.

What can be saved: ``glasstorch.Tensor`` (any subclass, such as ``nn.Parameter``, is saved as a plain tensor; its dtype,
shape, values and ``requires_grad`` flag come back, never its graph or ``.grad``), NumPy arrays, ``None``, bool, int,
float (also nan/inf), str, ``glasstorch.Size``, ``glasstorch.dtype``, NumPy scalars (stored as the Python number), and
lists, tuples, dicts and OrderedDicts of those, nested to any depth. Anything else (a module, a function, a
namedtuple...) is a ``TypeError`` naming where it was found, raised before the file is touched.

Writes to a path are atomic: the bytes go to a temporary file in the same directory, which is flushed, fsync'ed and
then renamed over the target with ``os.replace``, so a failure or crash mid-save leaves the previous file intact.

``load`` also reads plain safetensors files written by other programs (``safetensors.torch.save_file``): they come back
as a dict of name → tensor in file order. Anything else (a ``torch.save`` checkpoint, any pickle, a NumPy file, a zip,
random, empty or truncated bytes) raises :class:`UnsupportedFileError`, a ``ValueError``, whose message says what the
file looks like and how to convert a PyTorch checkpoint. Pickles are recognised by reading their opcodes with
``pickletools`` (which only parses), never by unpickling.
"""
from __future__ import annotations

import json
import math
import os
import struct
from collections import OrderedDict
from typing import IO, Any, Union

import safetensors
import safetensors.numpy

from . import _dtype
from ._backend import np
from ._file_identify import identify as _identify
from ._fileio import write_bytes
from ._tensor import Size, Tensor
from .autograd.tensor_base import wrap

__all__ = ["UnsupportedFileError", "load", "save"]

FileLike = Union[str, os.PathLike, IO[bytes]]

_METADATA_KEY = "glasstorch"
_FORMAT_VERSION = 1
_SAFETENSORS_DTYPES = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32,
                       "I64": np.int64, "F16": np.float16, "F32": np.float32, "F64": np.float64}


class UnsupportedFileError(ValueError):
    """The data given to ``glasstorch.load`` is not a glasstorch/safetensors file, or is truncated or corrupt.

    A ``ValueError``: the argument has the right type but a value ``load`` cannot accept. The message says what the data
    looks like (a PyTorch checkpoint, a pickle, a zip, an empty file...).
    """


# ---- save ----------------------------------------------------------------------------------------------------------

class _Encoder:
    """Turns an object into a JSON node tree plus a name → contiguous ndarray dict for safetensors."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._names_by_id: dict[int, str] = {}
        self._keep_alive: list = []  # ids stay unique while the objects live
        self._open_containers: set[int] = set()

    def _store(self, obj, array: np.ndarray, path: list[str]) -> str:
        name = self._names_by_id.get(id(obj))
        if name is not None:
            return name
        base = ".".join(path) if path else "tensor"
        name, suffix = base, 0
        while name in self.arrays or name == "__metadata__":
            suffix += 1
            name = f"{base}#{suffix}"
        if array.dtype.kind not in "biuf" or array.dtype.type not in _SAFETENSORS_DTYPES.values():
            raise TypeError(f"glasstorch.save cannot store an array of dtype {array.dtype} (at {_where(path)})")
        # safetensors reads the raw buffer, so it must be C-contiguous (np.ascontiguousarray would turn 0-d into 1-d)
        self.arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
        self._names_by_id[id(obj)] = name
        self._keep_alive.append(obj)
        return name

    def encode(self, obj: Any, path: list[str]):
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return int(obj)
        if isinstance(obj, float):
            return float(obj) if math.isfinite(obj) else {"float": repr(float(obj))}
        if isinstance(obj, Tensor):
            node = {"tensor": self._store(obj, obj._data, path)}
            if obj.requires_grad:
                node["requires_grad"] = True
            return node
        if isinstance(obj, np.ndarray):
            return {"ndarray": self._store(obj, obj, path)}
        if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
            return self.encode(obj.item(), path)
        if type(obj) is _dtype.dtype:
            return {"dtype": obj.name}
        if isinstance(obj, (list, tuple, dict)):
            return self._encode_container(obj, path)
        raise TypeError(f"glasstorch.save cannot store an object of type {type(obj).__module__}.{type(obj).__qualname__}"
                        f" (at {_where(path)}): only tensors, NumPy arrays, None, bool, int, float, str and lists, "
                        "tuples and dicts of them can be saved (the format never pickles)")

    def _encode_container(self, obj, path: list[str]):
        if id(obj) in self._open_containers:
            raise ValueError(f"glasstorch.save cannot store a container that contains itself (at {_where(path)})")
        self._open_containers.add(id(obj))
        try:
            if isinstance(obj, dict):
                items = [[self.encode(key, path + ["<key>"]), self.encode(value, path + [str(key)])]
                         for key, value in obj.items()]
                return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}
            if isinstance(obj, Size):
                return {"size": [int(n) for n in obj]}
            if isinstance(obj, tuple) and hasattr(obj, "_fields"):
                raise TypeError(f"glasstorch.save cannot store the namedtuple {type(obj).__qualname__} "
                                f"(at {_where(path)}): convert it to a tuple or a dict")
            values = [self.encode(value, path + [str(i)]) for i, value in enumerate(obj)]
            return {"tuple" if isinstance(obj, tuple) else "list": values}
        finally:
            self._open_containers.discard(id(obj))


def _where(path: list[str]) -> str:
    return "the top level" if not path else "key path " + ".".join(path)


def _serialize(obj: Any) -> bytes:
    encoder = _Encoder()
    structure = encoder.encode(obj, [])
    header = json.dumps({"version": _FORMAT_VERSION, "root": structure}, allow_nan=False, separators=(",", ":"))
    return safetensors.numpy.save(encoder.arrays, metadata={"format": "pt", _METADATA_KEY: header})


def save(obj: Any, f: FileLike) -> None:
    """Saves ``obj`` (a tensor, or a state_dict / nested containers of tensors and plain values) to ``f``.

    ``f`` is a path (written atomically: temporary file, fsync, rename) or a binary file object (written at its current
    position). The file is a safetensors file; see the module docstring for the format and what can be stored.
    Unlike ``torch.save`` nothing is pickled, and an unsupported object raises ``TypeError`` before anything is written.
    """
    payload = _serialize(obj)
    if isinstance(f, (str, os.PathLike)):
        _write_atomically(os.fspath(f), payload)
    elif hasattr(f, "write"):
        f.write(payload)
        if hasattr(f, "flush"):
            f.flush()
    else:
        raise TypeError(f"glasstorch.save expects a path or a binary file object, got {type(f).__name__}")


def _write_atomically(path: str, payload: bytes) -> None:
    """torch's errors for a missing folder or a directory, then the atomic write (``_fileio``)."""
    target = os.path.realpath(path)
    if not os.path.isdir(os.path.dirname(target)):
        raise RuntimeError(f"Parent directory {os.path.dirname(os.path.abspath(path))} does not exist.")
    if os.path.isdir(target):
        raise IsADirectoryError(f"Is a directory: '{path}'")
    write_bytes(target, payload, make_parents=False)


# ---- load ----------------------------------------------------------------------------------------------------------

def load(f: FileLike, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args) -> Any:
    """Loads what ``glasstorch.save`` wrote (or any safetensors file) from a path or a binary file object.

    Arguments kept for ``torch.load`` compatibility: ``map_location`` may be None, ``"cpu"`` (or a device whose name
    starts with ``cpu``), a dict or a callable; glasstorch tensors live on the CPU, so these change nothing, and another
    device is a ``RuntimeError``. ``weights_only`` (True or False) changes nothing either: the format only ever holds
    weights and plain values, and ``weights_only=False`` does not enable unpickling. ``mmap`` and ``pickle_load_args``
    are ignored; a ``pickle_module`` is refused with ``ValueError``.

    Raises :class:`UnsupportedFileError` (a ``ValueError``) for anything that is not an intact glasstorch/safetensors
    file, saying what was found; a pickle is refused without being unpickled.
    """
    if pickle_module is not None:
        raise ValueError("glasstorch.load never unpickles, so it does not accept a pickle_module")
    _check_map_location(map_location)
    if isinstance(f, (str, os.PathLike)):
        source = repr(os.fspath(f))
        with open(f, "rb") as handle:
            data = handle.read()
    elif hasattr(f, "read"):
        source = "the file object"
        data = f.read()
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("glasstorch.load needs a file opened in binary mode ('rb')")
        data = bytes(data)
    else:
        raise TypeError(f"glasstorch.load expects a path or a binary file object, got {type(f).__name__}")
    header, arrays = _read_safetensors(data, source)
    metadata = header.get("__metadata__") or {}
    if _METADATA_KEY not in metadata:
        return {name: wrap(array) for name, array in arrays.items()}  # a plain safetensors file: name → tensor
    try:
        document = json.loads(metadata[_METADATA_KEY])
        if not isinstance(document, dict) or "root" not in document:
            raise ValueError("no root node")
        return _Decoder(arrays).decode(document["root"])
    except (ValueError, TypeError, KeyError) as error:
        raise UnsupportedFileError(f"{source} is a safetensors file, but its glasstorch structure is corrupt: {error}")


def _check_map_location(map_location) -> None:
    if map_location is None or callable(map_location):
        return
    locations = map_location.values() if isinstance(map_location, dict) else [map_location]
    for location in locations:
        if not str(location).startswith("cpu"):
            raise RuntimeError(f"glasstorch runs on the CPU only: map_location={location!r} is not available")


def _read_safetensors(data: bytes, source: str) -> tuple[dict, dict]:
    """The header and the arrays of a safetensors file, or UnsupportedFileError describing what ``data`` is."""
    header = _safetensors_header(data)
    if header is None:
        what, advice = _identify(data)
        raise UnsupportedFileError(f"{source} is not a glasstorch (safetensors) file: it is {what}." +
                                   (f" {advice}" if advice else ""))
    header_end = 8 + struct.unpack("<Q", data[:8])[0]
    data_end = 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= entry.keys():
            raise UnsupportedFileError(f"{source} is a corrupt safetensors file: bad header entry for {name!r}")
        if entry["dtype"] not in _SAFETENSORS_DTYPES:
            raise UnsupportedFileError(f"{source} holds tensor {name!r} of dtype {entry['dtype']}, which glasstorch "
                                       "(NumPy) cannot represent; convert it to float32 first")
        try:
            data_end = max(data_end, int(entry["data_offsets"][1]))
        except (TypeError, ValueError, IndexError):
            raise UnsupportedFileError(f"{source} is a corrupt safetensors file: bad data_offsets for {name!r}") from None
    if header_end + data_end > len(data):
        raise UnsupportedFileError(f"{source} is a truncated safetensors file: its header describes "
                                   f"{header_end + data_end} bytes but only {len(data)} are present")
    try:
        arrays = safetensors.numpy.load(data)
    except Exception as error:  # SafetensorError and the like: the library validates offsets and sizes
        raise UnsupportedFileError(f"{source} is a corrupt safetensors file: {error}") from None
    order = sorted((name for name in header if name != "__metadata__"), key=lambda n: header[n]["data_offsets"][0])
    return header, {name: arrays[name] for name in order}


def _safetensors_header(data: bytes) -> dict | None:
    """The parsed JSON header if ``data`` starts like a safetensors file, else None."""
    if len(data) < 10:
        return None
    (length,) = struct.unpack("<Q", data[:8])
    if data[8:9] != b"{" or 8 + length > len(data):
        return None
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return header if isinstance(header, dict) else None


_TAGS = ("tensor", "ndarray", "float", "list", "tuple", "size", "dict", "ordered_dict", "dtype")


class _Decoder:
    """Rebuilds the object from the JSON node tree (the inverse of ``_Encoder``)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._tensors: dict[str, Tensor] = {}

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        tag = next((t for t in _TAGS if t in node), None) if isinstance(node, dict) else None
        if tag is not None:
            value = node[tag]
            if tag == "tensor":
                return self._tensor(value, node.get("requires_grad", False) is True)
            if tag == "ndarray":
                return self._array(value)
            if tag == "float" and value in ("nan", "inf", "-inf"):
                return float(value)
            if tag in ("list", "tuple", "size") and isinstance(value, list):
                items = [self.decode(item) for item in value]
                return items if tag == "list" else tuple(items) if tag == "tuple" else Size(int(n) for n in items)
            if tag in ("dict", "ordered_dict") and isinstance(value, list):
                pairs = [(self.decode(key), self.decode(item)) for key, item in value]
                return dict(pairs) if tag == "dict" else OrderedDict(pairs)
            if tag == "dtype":
                found = getattr(_dtype, str(value), None)
                if type(found) is _dtype.dtype:
                    return found
        raise ValueError(f"unexpected node {json.dumps(node)[:80]}")

    def _array(self, name) -> np.ndarray:
        if not isinstance(name, str) or name not in self.arrays:
            raise ValueError(f"it refers to a tensor {name!r} that the file does not hold")
        return self.arrays[name]

    def _tensor(self, name, requires_grad: bool) -> Tensor:
        tensor = self._tensors.get(name) if isinstance(name, str) else None
        if tensor is None:
            tensor = self._tensors[name] = wrap(self._array(name))
            if requires_grad:
                tensor.requires_grad_(True)
        return tensor


# ---- recognising foreign files -------------------------------------------------------------------------------------
