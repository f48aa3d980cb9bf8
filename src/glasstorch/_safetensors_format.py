"""The safetensors side of ``glasstorch.save`` / ``glasstorch.load``: JSON structure + raw arrays, never a pickle.

A safetensors file (https://github.com/huggingface/safetensors) is ``u64 little-endian header length N``, ``N`` bytes
of JSON header, then the tensors' bytes. The header maps each tensor name to ``{"dtype": "F32", "shape": [2, 3],
"data_offsets": [begin, end]}`` (byte offsets into the data section, which the entries cover exactly, without holes),
plus an optional ``"__metadata__"`` of string → string.

glasstorch writes, for an object such as a checkpoint dict:

* every tensor's data as one entry, named by its path in the object (``"fc.weight"``, ``"state.0.exp_avg"``, with
  ``"#1"``, ``"#2"``... appended on a collision), so ``safetensors.torch.load_file`` reads a state_dict as is; a tensor
  saved twice (the same object) is stored once and loads as one object;
* in ``__metadata__``: ``"format": "pt"``; ``"glasstorch"``: the structure around the tensors as JSON (nodes below);
  ``"glasstorch.sha256"``: the SHA-256 of the whole data section, checked on load, so a flipped byte in tensor data is
  reported instead of loaded (files without it, such as other programs', load unchecked).

JSON nodes: ``null``/``true``/``false``/number/string for ``None``/bool/int/finite float/str, or an object with one
tag: ``{"tensor": name[, "requires_grad": true]}``, ``{"ndarray": name}``, ``{"float": "nan" | "inf" | "-inf"}``,
``{"list": [...]}``, ``{"tuple": [...]}``, ``{"size": [int, ...]}``, ``{"dtype": "float32"}``,
``{"dict": [[key, value], ...]}``, ``{"ordered_dict": [[key, value], ...]}`` (keys are nodes, so int keys stay ints).

Reading validates every header value's JSON type and range (a string dtype, a list of non-negative integer sizes, two
integer offsets whose span is exactly the shape's bytes, metadata of strings) before any array is made, so a hostile
header is a :class:`UnsupportedFileError` ("not a valid model file: ..."), never a TypeError, OverflowError or a
RecursionError from a deeply nested header.
"""
from __future__ import annotations

import hashlib
import json
import math
import struct
from collections import OrderedDict
from typing import Any

from . import _dtype
from ._backend import np
from ._tensor import Size, Tensor
from .autograd.tensor_base import wrap


class UnsupportedFileError(ValueError):
    """The data given to ``glasstorch.load`` is not a file it can read, or is truncated, corrupt or hostile.

    A ``ValueError``: the argument has the right type but a value ``load`` cannot accept. The message says what the data
    looks like (a pickle, a zip, an empty file...) or what is wrong and where.
    """


METADATA_KEY = "glasstorch"
DIGEST_KEY = "glasstorch.sha256"
_FORMAT_VERSION = 1
_MAX_HEADER = 100_000_000  # safetensors' own limit on the JSON header
DTYPES = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32, "I64": np.int64,
          "F16": np.float16, "F32": np.float32, "F64": np.float64}
_CODES = {np.dtype(numpy): code for code, numpy in DTYPES.items()}


# ---- save ----------------------------------------------------------------------------------------------------------

class _Encoder:
    """Turns an object into a JSON node tree plus a name → contiguous ndarray dict."""

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
        if array.dtype not in _CODES:
            raise TypeError(f"glasstorch.save cannot store an array of dtype {array.dtype} (at {_where(path)})")
        self.arrays[name] = array.astype(array.dtype.newbyteorder("<"), copy=False)
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
                        f" (at {_where(path)}) in a safetensors file: only tensors, NumPy arrays, None, bool, int, "
                        "float, str and lists, tuples and dicts of them can be saved (the format never pickles)")

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


def serialize(obj: Any) -> bytes:
    """The safetensors bytes of ``obj``: header (8-byte aligned, as the format recommends), then the arrays in order."""
    encoder = _Encoder()
    structure = encoder.encode(obj, [])
    document = json.dumps({"version": _FORMAT_VERSION, "root": structure}, allow_nan=False, separators=(",", ":"))
    header: dict[str, Any] = {}
    chunks, offset = [], 0
    for name, array in encoder.arrays.items():
        data = array.tobytes(order="C")
        header[name] = {"dtype": _CODES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    body = b"".join(chunks)
    header["__metadata__"] = {"format": "pt", METADATA_KEY: document, DIGEST_KEY: hashlib.sha256(body).hexdigest()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


# ---- load ----------------------------------------------------------------------------------------------------------

def looks_like_safetensors(data: bytes) -> bool:
    """The first bytes of a safetensors file: a header length, then JSON (an object, or a hostile array)."""
    return len(data) >= 10 and data[8:9] in (b"{", b"[")


def _refuse_constant(name: str):
    raise ValueError(f"the JSON constant {name} is not allowed")


def read(data: bytes, source: str) -> Any:
    """The object stored in safetensors ``data``: glasstorch's structure, or name → tensor for other writers' files."""
    header, arrays = read_arrays(data, source)
    metadata = header.get("__metadata__") or {}
    if METADATA_KEY not in metadata:
        return {name: wrap(array) for name, array in arrays.items()}  # a plain safetensors file: name → tensor
    try:
        document = json.loads(metadata[METADATA_KEY], parse_constant=_refuse_constant)
        if not isinstance(document, dict) or "root" not in document:
            raise ValueError("no root node")
        return _Decoder(arrays).decode(document["root"])
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as error:
        what = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise UnsupportedFileError(f"{source} is not a valid model file: it is a safetensors file, but its glasstorch "
                                   f"structure is corrupt ({what})") from None


def read_arrays(data: bytes, source: str) -> tuple[dict, dict[str, np.ndarray]]:
    """The validated header and the arrays (writable copies, in file order) of safetensors ``data``."""
    def invalid(what: str) -> UnsupportedFileError:
        return UnsupportedFileError(f"{source} is not a valid model file: {what}")

    (length,) = struct.unpack("<Q", data[:8])
    if length > _MAX_HEADER or 8 + length > len(data):
        raise invalid(f"its safetensors header claims {length} bytes but the file has {len(data)} (truncated?)")
    try:
        header = json.loads(bytes(data[8:8 + length]).decode("utf-8"))  # Infinity/NaN parse; the checks name them
    except RecursionError:
        raise invalid("its safetensors header is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise invalid(f"its safetensors header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise invalid(f"its safetensors header is a JSON {type(header).__name__}, not an object")
    body = memoryview(data)[8 + length:]
    spans = _check_entries(header, invalid)
    end = 0
    for begin, stop, name in sorted(spans):
        if begin != end:
            raise invalid(f"tensor {name!r} starts at byte {begin} of the data, expected {end} (overlap or hole)")
        end = stop
    if end > len(body):
        raise invalid(f"truncated: its header describes {8 + length + end} bytes but only {len(data)} are present")
    if end < len(body):
        raise invalid(f"{len(body) - end} bytes follow the last tensor's data")
    digest = (header.get("__metadata__") or {}).get(DIGEST_KEY)
    if digest is not None and hashlib.sha256(body).hexdigest() != digest:
        raise invalid("its tensor data does not match the SHA-256 digest stored at save time (the file is corrupt)")
    arrays = {}
    for begin, stop, name in sorted(spans):
        entry = header[name]
        dtype = np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<")
        try:
            array = np.frombuffer(body[begin:stop], dtype=dtype).reshape(entry["shape"])
        except ValueError as error:  # a shape NumPy cannot make (too many dimensions, too big a zero-size array)
            raise invalid(f"tensor {name!r} has shape {_short(entry['shape'])}: {error}") from None
        arrays[name] = array.astype(dtype.newbyteorder("="), copy=True)
    return header, arrays


def _check_entries(header: dict, invalid) -> list[tuple[int, int, str]]:
    """(begin, end, name) of every tensor entry, after checking each value's JSON type and range."""
    def integer(value) -> bool:
        return type(value) is int and value >= 0

    spans = []
    for name, entry in header.items():
        if name == "__metadata__":
            if entry is not None and not isinstance(entry, dict):
                raise invalid(f"its safetensors __metadata__ must map strings to strings, got {_short(entry)}")
            for key, value in (entry or {}).items():
                if not isinstance(value, str):
                    raise invalid(f"its safetensors __metadata__ must map strings to strings, got {key!r}: "
                                  f"{_short(value)}")
            continue
        where = f"tensor {name!r}"
        if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= entry.keys():
            raise invalid(f"{where} needs an object with dtype, shape and data_offsets, got {_short(entry)}")
        dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
        if not isinstance(dtype, str):
            raise invalid(f"{where} has dtype {_short(dtype)}, expected a string such as \"F32\"")
        if dtype not in DTYPES:
            raise invalid(f"{where} has dtype {dtype}, which glasstorch (NumPy) cannot represent; "
                          "convert it to float32 first")
        if not isinstance(shape, list) or not all(integer(n) for n in shape) or len(shape) > 64:
            raise invalid(f"{where} has shape {_short(shape)}, expected a list of non-negative integers")
        if not isinstance(offsets, list) or len(offsets) != 2 or not all(integer(n) for n in offsets):
            raise invalid(f"{where} has data_offsets {_short(offsets)}, expected two non-negative integers")
        size = math.prod(shape) * np.dtype(DTYPES[dtype]).itemsize
        if offsets[1] - offsets[0] != size:
            raise invalid(f"{where} spans {offsets[1] - offsets[0]} bytes ({offsets}) but its shape {shape} of "
                          f"{dtype} needs {size}")
        spans.append((offsets[0], offsets[1], name))
    return spans


def _short(value) -> str:
    try:
        text = json.dumps(value)
    except (ValueError, RecursionError):
        text = repr(type(value))
    return text if len(text) <= 60 else text[:57] + "..."


_TAGS = ("tensor", "ndarray", "float", "list", "tuple", "size", "dict", "ordered_dict", "dtype")


class _Decoder:
    """Rebuilds the object from the JSON node tree (the inverse of ``_Encoder``)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._tensors: dict[str, Tensor] = {}

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, str)):
            return node
        if isinstance(node, float) and math.isfinite(node):
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
            if tag in ("list", "tuple") and isinstance(value, list):
                items = [self.decode(item) for item in value]
                return items if tag == "list" else tuple(items)
            if tag == "size" and isinstance(value, list) and all(type(n) is int for n in value):
                return Size(value)
            if tag in ("dict", "ordered_dict") and isinstance(value, list) and \
                    all(isinstance(pair, list) and len(pair) == 2 for pair in value):
                pairs = [(self.decode(key), self.decode(item)) for key, item in value]
                return dict(pairs) if tag == "dict" else OrderedDict(pairs)
            if tag == "dtype":
                found = getattr(_dtype, str(value), None)
                if type(found) is _dtype.dtype:
                    return found
        raise ValueError(f"unexpected node {_short(node)}")

    def _array(self, name) -> np.ndarray:
        if not isinstance(name, str) or name not in self.arrays:
            raise ValueError(f"it refers to a tensor {_short(name)} that the file does not hold")
        return self.arrays[name]

    def _tensor(self, name, requires_grad: bool) -> Tensor:
        tensor = self._tensors.get(name) if isinstance(name, str) else None
        if tensor is None:
            array = self._array(name)
            tensor = self._tensors[name] = wrap(array)
            if requires_grad:
                if array.dtype.kind != "f":
                    raise ValueError(f"tensor {name!r} of dtype {array.dtype} cannot require grad")
                tensor.requires_grad_(True)
        return tensor
