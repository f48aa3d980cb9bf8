"""Reading PyTorch checkpoints (the zip format of ``torch.save`` and the legacy pre-1.6 stream) within bounded time
and memory.

Zip: the end-of-central-directory record is read first (its entry count and directory size must be sane and inside
the file); then only the entries the pickle asks for are read, each no larger than its declared size: a storage entry
must declare exactly ``numel · itemsize`` bytes (the size the pickle gives it), a compressed entry may not declare more
than deflate can produce from its compressed bytes (1032:1), and the CRC is checked. So a zip bomb or a storage
whose sizes lie is refused before anything big is allocated. ``mmap=True`` maps stored storages from the file
(copy-on-write, as torch's private mapping) instead of reading them.

Legacy (``torch.save(..., _use_new_zipfile_serialization=False)``): pickles in a row (magic number, protocol 1001,
system info, the object, the storage keys), then for each key an int64 element count and the raw bytes.
"""
from __future__ import annotations

import importlib
import io
import mmap as _mmap
import pickle
import struct
import zipfile
import zlib
from typing import IO, Any, Callable

from . import _weights_only_unpickler
from ._file_identify import describe_zip
from ._backend import np
from ._safetensors_format import UnsupportedFileError
from ._torch_pickle import TORCH_GLOBALS, Storage, StorageType, parameter_class

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_MAX_DIRECTORY = 64 << 20     # bytes of zip central directory (~500k entries)
_MAX_PICKLE = 256 << 20       # bytes of data.pkl: a checkpoint's structure, the tensors live beside it
_DEFLATE_RATIO = 1032         # the most output deflate can give per input byte
_PICKLE_RATIO = 64            # a compressed data.pkl may expand this much (pickles compress 3-10x): time stays bounded


def zip_directory_check(handle: IO[bytes], size: int, source: str) -> None:
    """Refuses a zip whose end record is missing or whose central directory lies outside the file or is huge."""
    tail_size = min(size, 65535 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UnsupportedFileError(f"{source} is not a valid model file: a truncated or corrupt zip archive "
                                   "(its end-of-central-directory record is missing)")
    entries, directory_size, directory_offset = struct.unpack("<HII", tail[at + 10:at + 20])
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (directory_size, directory_offset):
        locator = tail[at - 20:at] if at >= 20 else b""
        if locator[:4] != b"PK\x06\x07":
            raise UnsupportedFileError(f"{source} is not a valid model file: a corrupt zip64 archive")
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        if record_offset + 56 > size:
            raise UnsupportedFileError(f"{source} is not a valid model file: a corrupt zip64 archive")
        handle.seek(record_offset)
        record = handle.read(56)
        if record[:4] != b"PK\x06\x06":
            raise UnsupportedFileError(f"{source} is not a valid model file: a corrupt zip64 archive")
        entries, directory_size, directory_offset = struct.unpack("<QQQ", record[32:56])
    if directory_size > _MAX_DIRECTORY or directory_offset + directory_size > size or entries > directory_size // 46 + 1:
        raise UnsupportedFileError(f"{source} is not a valid model file: its zip directory claims {entries} entries in "
                                   f"{directory_size} bytes at offset {directory_offset} of a {size}-byte file")


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str,
               ratio: int = _DEFLATE_RATIO) -> bytes:
    """The bytes of one entry, never more than its declared size (and ``limit``, and ``ratio`` times its compressed
    size), CRC checked."""
    declared = info.file_size
    if declared > limit:
        raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} declares "
                                   f"{declared} bytes, more than the {limit} allowed")
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != declared:
            raise UnsupportedFileError(f"{source} is not a valid model file: stored zip entry {info.filename!r} "
                                       f"declares {declared} bytes but occupies {info.compress_size}")
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        if declared > info.compress_size * ratio + 64:
            raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} declares "
                                       f"{declared} bytes from {info.compress_size} compressed (a zip bomb?)")
    else:
        raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} uses "
                                   f"compression method {info.compress_type}; only stored and deflated are read")
    try:
        with archive.open(info) as entry:
            data = entry.read(declared)
            if len(data) != declared or entry.read(1):
                raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} holds "
                                           f"{len(data)} bytes, not the {declared} it declares")
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, struct.error) as error:
        if isinstance(error, UnsupportedFileError):
            raise
        raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} is corrupt "
                                   f"({error})") from None
    return data


def data_offset(handle: IO[bytes], info: zipfile.ZipInfo) -> int:
    """Where a stored entry's bytes start in the file (after its local header and that header's own extra field)."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnsupportedFileError(f"zip entry {info.filename!r} has no valid local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_length + extra_length


class Locations:
    """torch's ``map_location``: where each storage goes; glasstorch keeps everything on the CPU."""

    def __init__(self, map_location) -> None:
        self.map_location = map_location

    def place(self, storage: Storage, location: str) -> Storage:
        target: Any = location
        mapping = self.map_location
        if callable(mapping) and not isinstance(mapping, (str, type)) and not hasattr(mapping, "type"):
            result = mapping(storage, location)
            if result is None:
                target = location
            elif isinstance(result, Storage):
                return result
            else:
                raise RuntimeError(f"map_location returned {type(result).__name__}; glasstorch storages stay on the CPU")
        elif isinstance(mapping, dict):
            target = mapping.get(location, location)
        elif mapping is not None:
            target = str(mapping)
        if not str(target).startswith("cpu"):
            raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is "
                               "False. If you are running on a CPU-only machine, please use torch.load with "
                               "map_location=torch.device('cpu') to map your storages to the CPU."
                               if str(target).startswith("cuda") else
                               f"glasstorch runs on the CPU only: cannot place a storage on {target!r}")
        storage.location = "cpu"
        return storage


def check_storage_id(pid, source: str) -> tuple[StorageType, str, str, int]:
    """The (type, key, location, numel) of a ``("storage", type, key, location, numel[, view])`` persistent id."""
    if type(pid) is not tuple or len(pid) not in (5, 6) or pid[0] not in ("storage", b"storage"):
        raise UnsupportedFileError(f"{source} is not a valid model file: bad persistent id {str(pid)[:80]}")
    _, kind, key, location, numel = pid[:5]
    if isinstance(key, bytes):
        key = key.decode("ascii", "replace")
    if isinstance(location, bytes):
        location = location.decode("ascii", "replace")
    if not isinstance(kind, StorageType) or not isinstance(key, str) or not isinstance(location, str) \
            or type(numel) is not int or numel < 0:
        raise UnsupportedFileError(f"{source} is not a valid model file: bad storage reference {str(pid)[:80]}")
    if kind.dtype is None:
        raise UnsupportedFileError(f"{source} holds a tensor of dtype {kind.dtype_name} ({kind.name}), which "
                                   "glasstorch (NumPy) cannot represent; convert it with .float() in PyTorch first")
    return kind, key, location, numel


class FullUnpickler(pickle.Unpickler):
    """``weights_only=False``: Python's unpickler (it runs whatever the file names: trusted files only), with torch's
    names mapped to glasstorch's (``torch.nn.modules.linear.Linear`` → ``glasstorch.nn.modules.linear.Linear``,
    ``torch._utils._rebuild_tensor_v2`` and ``torch.FloatStorage`` → the rebuilds of ``_torch_pickle``)."""

    def __init__(self, file, persistent_load: Callable, **kwargs) -> None:
        super().__init__(file, **kwargs)
        self._persistent = persistent_load

    def persistent_load(self, pid):
        return self._persistent(pid)

    def find_class(self, module: str, name: str):
        full_path = f"{module}.{name}"
        if full_path == "torch.nn.parameter.Parameter" and parameter_class() is not None:
            return parameter_class()
        if full_path in TORCH_GLOBALS and (module.startswith("torch._utils") or full_path.endswith("Storage")
                                           or module == "_codecs"):
            return TORCH_GLOBALS[full_path]
        if module == "torch" or module.startswith("torch."):
            target = "glasstorch" + module[len("torch"):]
            try:
                found: Any = importlib.import_module(target)
                for part in name.split("."):
                    found = getattr(found, part)
                return found
            except (ImportError, AttributeError):
                if module.startswith("torch.nn.modules.") and "." not in name:  # glasstorch files some elsewhere
                    found = getattr(importlib.import_module("glasstorch.nn"), name, None)
                    if isinstance(found, type):
                        return found
                raise UnsupportedFileError(f"the file refers to {full_path}, which glasstorch does not have "
                                           f"({target}.{name} does not exist)") from None
        return super().find_class(module, name)


def unpickle(data: bytes, persistent_load: Callable, weights_only: bool, encoding: str = "utf-8",
             position: int = 0) -> tuple[Any, int]:
    """One pickle from ``data[position:]``: (the object, the position after it)."""
    if weights_only:
        reader = _weights_only_unpickler.Unpickler(data, persistent_load, position, encoding)
        return reader.load(), reader.position
    stream = io.BytesIO(data)
    stream.seek(position)
    result = FullUnpickler(stream, persistent_load, encoding=encoding).load()
    return result, stream.tell()


def load_zip(handle: IO[bytes], size: int, source: str, weights_only: bool, locations: Locations,
             mmap_path: str | None, encoding: str) -> Any:
    zip_directory_check(handle, size, source)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error) as error:
        raise UnsupportedFileError(f"{source} is not a valid model file: a corrupt zip archive ({error})") from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        pickles = [name for name in infos if name.endswith("/data.pkl") and name.count("/") == 1]
        if not pickles:
            raise UnsupportedFileError(f"{source} is not a checkpoint glasstorch can read: it is "
                                       f"{describe_zip(list(infos))}.")
        prefix = pickles[0][:-len("data.pkl")]
        if prefix + "constants.pkl" in infos:
            raise UnsupportedFileError(f"{source} is a TorchScript archive (torch.jit.save), which glasstorch cannot "
                                       "run; save the model's state_dict() with torch.save instead")
        byteorder = "little"
        if prefix + "byteorder" in infos:
            byteorder = read_entry(archive, infos[prefix + "byteorder"], 16, source).decode("ascii", "replace")
            if byteorder not in ("little", "big"):
                raise UnsupportedFileError(f"{source} is not a valid model file: unknown byteorder {byteorder!r}")
        mapped = _map_file(mmap_path) if mmap_path else None
        loaded: dict[str, Storage] = {}
        budget = [size]  # each byte of the file belongs to one storage at most: overlapping entries cannot multiply it

        def persistent_load(pid) -> Storage:
            kind, key, location, numel = check_storage_id(pid, source)
            if key in loaded:
                storage = loaded[key]
                if storage.array.dtype != kind.dtype.numpy:
                    raise UnsupportedFileError(f"{source} is not a valid model file: storage {key} is read as "
                                               "two different dtypes")
                return storage
            info = infos.get(f"{prefix}data/{key}")
            if info is None:
                raise UnsupportedFileError(f"{source} is not a valid model file: storage {key} is missing")
            dtype = kind.dtype.numpy.newbyteorder("<" if byteorder == "little" else ">")
            nbytes = numel * dtype.itemsize
            if info.file_size != nbytes:
                raise UnsupportedFileError(f"{source} is not a valid model file: storage {key} should hold {numel} "
                                           f"{kind.dtype_name} elements ({nbytes} bytes) but its entry declares "
                                           f"{info.file_size}")
            budget[0] -= info.compress_size
            if budget[0] < 0:
                raise UnsupportedFileError(f"{source} is not a valid model file: its storage entries overlap or "
                                           "claim more bytes than the file holds")
            if mapped is not None and info.compress_type == zipfile.ZIP_STORED and dtype.isnative:
                start = data_offset(handle, info)
                if start + nbytes > size:
                    raise UnsupportedFileError(f"{source} is not a valid model file: storage {key} ends past the file")
                array = np.frombuffer(mapped, dtype=dtype, count=numel, offset=start)
            elif info.compress_type == zipfile.ZIP_STORED:  # straight into the array: one copy, CRC checked
                array = _read_stored(handle, info, dtype, numel, size, source)
            else:
                raw = read_entry(archive, info, size * _DEFLATE_RATIO, source)
                array = np.frombuffer(bytearray(raw), dtype=dtype)
            if not dtype.isnative:
                array = array.astype(dtype.newbyteorder("="))
            storage = loaded[key] = locations.place(Storage(array, location), location)
            return storage

        data = read_entry(archive, infos[pickles[0]], _MAX_PICKLE, source, ratio=_PICKLE_RATIO)
        return unpickle(data, persistent_load, weights_only, encoding)[0]


def _read_stored(handle: IO[bytes], info: zipfile.ZipInfo, dtype, numel: int, size: int, source: str) -> np.ndarray:
    if info.compress_size != info.file_size:
        raise UnsupportedFileError(f"{source} is not a valid model file: stored zip entry {info.filename!r} declares "
                                   f"{info.file_size} bytes but occupies {info.compress_size}")
    start = data_offset(handle, info)
    if start + info.file_size > size:
        raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} ends past the "
                                   "end of the file (truncated?)")
    array = np.empty(numel, dtype=dtype)
    view = memoryview(array).cast("B")
    handle.seek(start)
    if handle.readinto(view) != info.file_size or zlib.crc32(view) != info.CRC:
        raise UnsupportedFileError(f"{source} is not a valid model file: zip entry {info.filename!r} is corrupt "
                                   "(Bad CRC-32 or short read)")
    return array


def _map_file(path: str):
    with open(path, "rb") as handle:
        return _mmap.mmap(handle.fileno(), 0, access=_mmap.ACCESS_COPY)


def is_legacy(head: bytes) -> bool:
    return head[:4] == b"\x80\x02\x8a\x0a" and int.from_bytes(head[4:14], "little") == LEGACY_MAGIC


def load_legacy(data: bytes, source: str, weights_only: bool, locations: Locations, encoding: str) -> Any:
    """The pre-1.6 stream: magic, protocol, sys info and object pickles, storage keys, then each storage's bytes."""
    def refuse(what: str) -> UnsupportedFileError:
        return UnsupportedFileError(f"{source} is not a valid model file: a legacy PyTorch checkpoint whose {what}")

    def no_storages(pid):
        raise refuse("header holds a persistent id")

    position = 0
    magic, position = unpickle(data, no_storages, True, encoding, position)
    protocol, position = unpickle(data, no_storages, True, encoding, position)
    info, position = unpickle(data, no_storages, True, encoding, position)
    if magic != LEGACY_MAGIC or protocol != 1001 or not isinstance(info, dict):
        raise refuse(f"header is wrong (magic {magic!r}, protocol {protocol!r})")
    little = info.get("little_endian", True)
    roots: dict[str, Storage] = {}
    views: dict[str, Storage] = {}
    budget = [len(data)]  # every storage's bytes must still be in the file, so their total is bounded by its size

    def persistent_load(pid):
        if isinstance(pid, tuple) and pid and pid[0] in ("module", b"module") and not weights_only:
            return pid[1]
        kind, key, location, numel = check_storage_id(pid, source)
        if key not in roots:
            nbytes = numel * kind.dtype.itemsize
            if nbytes > budget[0]:
                raise refuse(f"storage {key} declares {nbytes} bytes, more than the file holds")
            budget[0] -= nbytes
            roots[key] = locations.place(Storage(np.zeros(numel, dtype=kind.dtype.numpy), location), location)
        storage = roots[key]
        view = pid[5] if len(pid) == 6 else None
        if view is None:
            return storage
        if not (isinstance(view, tuple) and len(view) == 3 and all(type(v) is int and v >= 0 for v in view[1:])):
            raise refuse(f"storage view {str(view)[:60]} is malformed")
        view_key, offset, view_size = view
        if offset + view_size > storage.array.size:
            raise refuse(f"storage view {view_key} lies outside its storage")
        return views.setdefault(str(view_key), Storage(storage.array[offset:offset + view_size], "cpu"))

    result, position = unpickle(data, persistent_load, weights_only, encoding, position)
    keys, position = unpickle(data, no_storages, True, encoding, position)
    if not isinstance(keys, list):
        raise refuse("storage key list is missing")
    for key in keys:
        storage = roots.get(str(key))
        if storage is None:
            raise refuse(f"key list names storage {key!r}, which no tensor uses")
        header = data[position:position + 8]
        if len(header) != 8:
            raise refuse("data is truncated")
        (numel,) = struct.unpack("<q", header)
        array = storage.array
        if numel != array.size or position + 8 + array.nbytes > len(data):
            raise refuse(f"storage {key} declares {numel} elements but the pickle says {array.size} "
                         "(or the data is truncated)")
        dtype = array.dtype.newbyteorder("<" if little else ">")
        array[...] = np.frombuffer(data, dtype=dtype, count=array.size, offset=position + 8)
        position += 8 + array.nbytes
    return result
