"""Writing PyTorch's own checkpoint format (what ``torch.save`` writes by default since 1.6), so ``torch.load`` reads it.

The file is a zip archive whose entries (under one folder, ``<archive>/``, named after the file) are stored
uncompressed, each one's data starting at a multiple of 64 bytes (the local header's extra field pads it, as torch's
writer does)::

    <archive>/data.pkl                 the object, pickled (protocol 2), every tensor replaced by a rebuild call
    <archive>/.format_version          b"1"
    <archive>/.storage_alignment       b"64"
    <archive>/byteorder                b"little"
    <archive>/data/<key>               one storage's raw bytes, key "0", "1", ... in the order first met
    <archive>/version                  b"3\\n"
    <archive>/.data/serialization_id   40 digits

In ``data.pkl`` a tensor is ``torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
OrderedDict())`` with ``storage`` the persistent id ``("storage", torch.FloatStorage, key, "cpu", numel)``; a Parameter
is ``torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict())``; a dtype is the global ``torch.float32``;
``Size`` and ``device`` are calls of ``torch.Size`` / ``torch.device``. Views are saved as torch saves them: tensors
over the same NumPy memory share one storage, with their own offset and element strides
(``byte stride / itemsize``), so ``torch.load`` gives back views that share memory. An array that cannot be described
that way (negative or unaligned strides, a view with another dtype than its base) is saved as a copy of its own.
Anything else (a Module, a user's class) is pickled by reference to its class, as ``pickle`` does.
"""
from __future__ import annotations

import io
import os
import pickle
import secrets
import struct
import zipfile
from collections import OrderedDict
from typing import IO, Any

from . import _dtype
from ._backend import np
from ._device import device
from ._tensor import Size
from ._torch_pickle import STORAGE_NAMES, parameter_class
from .autograd.tensor_base import TensorBase, wrap

_ALIGNMENT = 64
_EXTRA_ID = 0x4246  # "FB", the id of torch's padding field


class _Global:
    """A name ``module.name`` pickled as a GLOBAL opcode, without importing it (torch need not be installed)."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle requires a reduce function to be callable; this one only gets written
        raise TypeError(f"{self.module}.{self.name} is a name for pickling only")


_GLOBALS: dict[tuple[str, str], _Global] = {}


def _global(module: str, name: str) -> _Global:
    return _GLOBALS.setdefault((module, name), _Global(module, name))


class _StorageRef:
    __slots__ = ("key", "array")

    def __init__(self, key: str, array: np.ndarray) -> None:
        self.key, self.array = key, array


class TorchPickler(pickle._Pickler):
    """The pure-Python pickler (its dispatch can be extended) with torch's tensor, storage and dtype reductions."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file: IO[bytes], protocol: int = 2) -> None:
        super().__init__(file, protocol=protocol)
        self.storages: dict[int, _StorageRef] = {}
        self._keep_alive: list = []

    def persistent_id(self, obj):
        if type(obj) is _StorageRef:
            name = STORAGE_NAMES[_dtype._BY_NUMPY[obj.array.dtype.newbyteorder("=")]]
            return ("storage", _global("torch", name), obj.key, "cpu", obj.array.size)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, TensorBase):
            return self._reduce_tensor(obj)
        if isinstance(obj, Size):
            return _global("torch", "Size"), (tuple(int(n) for n in obj),)
        if type(obj) is device:
            return _global("torch", "device"), (obj.type,) if obj.index is None else (obj.type, obj.index)
        return NotImplemented

    def _save_global_name(self, obj: _Global) -> None:
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    def _save_dtype(self, obj: _dtype.dtype) -> None:
        self.save(_global("torch", obj.name))

    dispatch[_Global] = _save_global_name
    dispatch[_dtype.dtype] = _save_dtype

    def _reduce_tensor(self, tensor):
        cls = parameter_class()
        if cls is not None and isinstance(tensor, cls):
            plain = wrap(tensor._data)
            self._keep_alive.append(plain)
            return _global("torch._utils", "_rebuild_parameter"), (plain, tensor.requires_grad, OrderedDict())
        array = tensor._data
        ref, offset, strides = self._storage_of(array)
        return (_global("torch._utils", "_rebuild_tensor_v2"),
                (ref, offset, tuple(array.shape), strides, bool(tensor.requires_grad), OrderedDict()))

    def _storage_of(self, array: np.ndarray) -> tuple[_StorageRef, int, tuple[int, ...]]:
        """The storage that ``array``'s memory lives in, with its element offset and strides there."""
        array = np.asarray(array)  # (a NumPy scalar, should one stand in for a 0-d array)
        if array.dtype.newbyteorder("=") not in _dtype._BY_NUMPY:
            raise TypeError(f"glasstorch.save cannot store an array of dtype {array.dtype}")
        root = array
        while isinstance(root.base, np.ndarray):
            root = root.base
        itemsize = array.itemsize
        shared = (array.size > 0 and root.dtype == array.dtype and root.flags.c_contiguous
                  and array.dtype.isnative and all(s >= 0 and s % itemsize == 0 for s in array.strides))
        offset = array.__array_interface__["data"][0] - root.__array_interface__["data"][0] if shared else -1
        copied = not shared or offset < 0 or offset % itemsize != 0
        if copied:
            root = np.array(array, dtype=array.dtype.newbyteorder("="), order="C", copy=True)
            offset = 0
            self._keep_alive.append(root)
        ref = self.storages.get(id(root))
        if ref is None:
            ref = self.storages[id(root)] = _StorageRef(str(len(self.storages)), root)
        strides = root.strides if copied else array.strides
        return ref, offset // itemsize, tuple(s // itemsize for s in strides)


def _archive_name(path: str | None) -> str:
    if path is None:
        return "archive"
    name = os.path.splitext(os.path.basename(path))[0]
    return name if name and name.isprintable() and "/" not in name else "archive"


def write_checkpoint(obj: Any, handle: IO[bytes], archive: str = "archive", protocol: int = 2) -> None:
    """Writes ``obj`` as a torch zip checkpoint at ``handle``'s position (the pickle first, so an object that cannot
    be pickled fails before anything is written)."""
    pickled = io.BytesIO()
    pickler = TorchPickler(pickled, protocol)
    pickler.dump(obj)
    start = handle.tell() if handle.seekable() else 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as zipped:
        def put(name: str, data) -> None:
            info = zipfile.ZipInfo(f"{archive}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            header_end = zipped.fp.tell() - start + 30 + len(info.filename.encode("utf-8")) + 4
            padding = -header_end % _ALIGNMENT
            info.extra = struct.pack("<HH", _EXTRA_ID, padding) + b"Z" * padding
            zipped.writestr(info, data)

        put("data.pkl", pickled.getvalue())
        put(".format_version", b"1")
        put(".storage_alignment", str(_ALIGNMENT).encode())
        put("byteorder", b"little")
        for ref in pickler.storages.values():
            flat = ref.array.reshape(-1)
            put(f"data/{ref.key}", memoryview(flat.view(np.uint8)) if flat.size else b"")
        put("version", b"3\n")
        put(".data/serialization_id", "".join(secrets.choice("0123456789") for _ in range(40)).encode())
