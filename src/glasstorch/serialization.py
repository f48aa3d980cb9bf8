"""``glasstorch.save`` / ``glasstorch.load``: PyTorch's own checkpoint files both ways, safely by default, and safetensors.

Formats (``load`` tells them apart by their first bytes, never by the file name):

* **PyTorch's zip format** (what ``torch.save`` writes since 1.6; see ``_torch_save`` for the layout). ``save`` writes
  it by default, so ``torch.load(f)`` (with its default ``weights_only=True``) reads what glasstorch saved: state_dicts,
  optimizer state_dicts, checkpoint dicts, tensors (views keep their shared storage, offsets and strides), Parameters.
  ``save(model)`` pickles a whole Module by reference to its class, as torch does.
* **PyTorch's legacy format** (``_use_new_zipfile_serialization=False``, before 1.6): read only.
* **safetensors**: written for a path ending in ``.safetensors`` or with ``format="safetensors"`` /
  :func:`save_safetensors` (the trainer's model files); JSON structure + raw arrays + a SHA-256 of the tensor data,
  never a pickle (see ``_safetensors_format``).

Safety: unpickling can run any code the file's author chose. ``load`` therefore reads pickles with its own restricted
unpickler (``weights_only=True``, the default, as in torch 2.6+): only tensor and Parameter rebuilds, storages, dtypes,
``Size``, ``device``, ``OrderedDict``, plain containers and what :func:`add_safe_globals` allows; any other global is
refused, naming it, before anything runs. ``weights_only=False`` (trusted files only) uses Python's unpickler, with
torch's names mapped to glasstorch's (``torch.nn.modules.linear.Linear`` → ``glasstorch.nn.modules.linear.Linear``), so
a whole model saved by torch loads into glasstorch. The environment variables ``TORCH_FORCE_WEIGHTS_ONLY_LOAD`` and
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` act as in torch. Readers are bounded: see ``_torch_load`` and
``_safetensors_format`` for the checks that refuse zip bombs, lying sizes and hostile headers with
:class:`UnsupportedFileError` (a ``ValueError``).

Writes to a path are atomic (temporary file, fsync, rename), so a failure mid-save leaves the previous file intact.
"""
from __future__ import annotations

import io
import os
import pickle
import warnings
from typing import IO, Any, Union

from . import _safetensors_format, _torch_load
from ._file_identify import identify as _identify
from ._fileio import write_with
from ._safetensors_format import UnsupportedFileError
from ._torch_pickle import add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals
from ._torch_save import _archive_name, write_checkpoint
from ._weights_only_unpickler import WeightsOnlyUnpicklingError

__all__ = ["DEFAULT_PROTOCOL", "UnsupportedFileError", "WeightsOnlyUnpicklingError", "add_safe_globals",
           "clear_safe_globals", "get_safe_globals", "load", "load_safetensors", "safe_globals", "save",
           "save_safetensors"]

FileLike = Union[str, os.PathLike, IO[bytes]]
DEFAULT_PROTOCOL = 2
_FORMATS = ("torch", "safetensors")
UNSAFE_MESSAGE = ("Re-running `glasstorch.load` with `weights_only` set to `False` will likely succeed, but it can "
                  "result in arbitrary code execution. Do it only if you got the file from a trusted source.")


# ---- save ----------------------------------------------------------------------------------------------------------

def save(obj: Any, f: FileLike, pickle_module: Any = pickle, pickle_protocol: int = DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False, *,
         format: str | None = None) -> None:  # noqa: A002 - the natural name
    """Saves ``obj`` to ``f`` (a path, written atomically, or a binary file object, written at its position).

    ``format``: ``"torch"`` (PyTorch's zip checkpoint, read by ``torch.load``) or ``"safetensors"``; by default
    safetensors for a path ending in ``.safetensors``, else torch's format. An object that cannot be stored raises
    before the file is touched (``TypeError`` or ``pickle.PicklingError``).
    """
    chosen = _format_of(f, format)
    if chosen == "safetensors":
        payload = _safetensors_format.serialize(obj)
        _write(f, lambda handle: handle.write(payload))
        return
    if pickle_module is not pickle:
        raise ValueError("glasstorch.save writes with Python's pickle module only")
    if not _use_new_zipfile_serialization:
        raise ValueError("glasstorch.save writes PyTorch's zip format only (the legacy format can be read, not written)")
    if not isinstance(pickle_protocol, int) or not 2 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL:
        raise ValueError(f"pickle_protocol must be an int from 2 to {pickle.HIGHEST_PROTOCOL}, got {pickle_protocol!r}")
    archive = _archive_name(os.fspath(f) if isinstance(f, (str, os.PathLike)) else None)
    _write(f, lambda handle: write_checkpoint(obj, handle, archive, pickle_protocol))


def save_safetensors(obj: Any, f: FileLike) -> None:
    """``save(obj, f, format="safetensors")``: no pickle, readable by any safetensors reader."""
    save(obj, f, format="safetensors")


def _format_of(f: FileLike, format: str | None) -> str:  # noqa: A002
    if format is not None:
        if format not in _FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(repr, _FORMATS))}, got {format!r}")
        return format
    if isinstance(f, (str, os.PathLike)) and os.fspath(f).endswith(".safetensors"):
        return "safetensors"
    return "torch"


def _write(f: FileLike, fill) -> None:
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        target = os.path.realpath(path)
        if not os.path.isdir(os.path.dirname(target)):
            raise RuntimeError(f"Parent directory {os.path.dirname(os.path.abspath(path))} does not exist.")
        if os.path.isdir(target):
            raise IsADirectoryError(f"Is a directory: '{path}'")
        write_with(target, fill, make_parents=False)
    elif hasattr(f, "write"):
        buffer = io.BytesIO()
        fill(buffer)
        f.write(buffer.getvalue())
        if hasattr(f, "flush"):
            f.flush()
    else:
        raise TypeError(f"glasstorch.save expects a path or a binary file object, got {type(f).__name__}")


# ---- load ----------------------------------------------------------------------------------------------------------

def load_safetensors(f: FileLike) -> Any:
    """Loads a safetensors file only (what :func:`save_safetensors` wrote, or another program's); anything else,
    a PyTorch checkpoint included, is an :class:`UnsupportedFileError` saying what it is. Never unpickles."""
    if isinstance(f, (str, os.PathLike)):
        source = repr(os.fspath(f))
        with open(f, "rb") as handle:
            data = handle.read()
    else:
        source, data = "the file object", f.read()
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("glasstorch.load needs a file opened in binary mode ('rb')")
    if _safetensors_format.looks_like_safetensors(data[:16]):
        return _safetensors_format.read(bytes(data), source)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or _torch_load.is_legacy(data[:16]):
        what, advice = "a PyTorch checkpoint (torch.save / glasstorch.save)", "glasstorch.load reads it."
    else:
        what, advice = _identify(data[:1 << 20], len(data))
    raise UnsupportedFileError(f"{source} is not a safetensors file: it is {what}." + (f" {advice}" if advice else ""))


def _weights_only(weights_only: bool | None) -> bool:
    """torch 2.13's rule: True unless False is passed; TORCH_FORCE_WEIGHTS_ONLY_LOAD forces True,
    TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD forces False when the caller did not say."""
    true_values = ("1", "y", "yes", "true")
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in true_values
    force_no = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in true_values
    if force and force_no:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force:
        return True
    if weights_only is None:
        if force_no:
            warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the`weights_only` "
                          "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
                          UserWarning, stacklevel=3)
            return False
        return True
    return bool(weights_only)


def load(f: FileLike, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Loads what ``torch.save`` or ``glasstorch.save`` wrote (or any safetensors file) from a path or binary file.

    ``map_location`` as torch: None, a device or string (``"cpu"``...), a dict ``{saved location: new location}`` or a
    callable ``(storage, location) -> storage or None``; glasstorch lives on the CPU, so anything that ends elsewhere
    is a ``RuntimeError``. ``mmap=True`` (a path to a zip checkpoint only) maps the tensors' bytes from the file,
    copy-on-write, instead of reading them. ``weights_only``: see the module docstring. ``encoding`` (a
    ``pickle_load_args`` entry) decodes Python 2 strings, default ``"utf-8"``.

    Raises :class:`UnsupportedFileError` (a ``ValueError``; :class:`WeightsOnlyUnpicklingError` for a refused pickle,
    also a ``pickle.UnpicklingError``) for anything unsafe, corrupt, truncated or not a checkpoint, saying what it is.
    """
    weights_only = _weights_only(weights_only)
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_module is not None and pickle_module is not pickle:
        raise ValueError("glasstorch.load reads with Python's pickle module only")
    encoding = pickle_load_args.pop("encoding", "utf-8")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    unknown = set(pickle_load_args) - {"fix_imports", "errors"}  # what Python 3 pickles need of them, they do by default
    if unknown:
        raise TypeError(f"glasstorch.load got unexpected pickle_load_args {sorted(unknown)}")
    locations = _torch_load.Locations(map_location)
    is_path = isinstance(f, (str, os.PathLike))
    if mmap and not is_path:
        raise ValueError("f must be a file path in order to use the mmap argument")
    if is_path:
        source = repr(os.fspath(f))
        with open(f, "rb") as handle:
            return _load_from(handle, os.fstat(handle.fileno()).st_size, source, weights_only, locations,
                              os.fspath(f) if mmap else None, encoding)
    if not hasattr(f, "read"):
        raise TypeError(f"glasstorch.load expects a path or a binary file object, got {type(f).__name__}")
    data = f.read()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("glasstorch.load needs a file opened in binary mode ('rb')")
    return _load_from(io.BytesIO(bytes(data)), len(data), "the file object", weights_only, locations, None, encoding)


def _load_from(handle: IO[bytes], size: int, source: str, weights_only: bool, locations, mmap_path: str | None,
               encoding: str) -> Any:
    head = handle.read(16)
    handle.seek(0)
    try:
        if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            result = _torch_load.load_zip(handle, size, source, weights_only, locations, mmap_path, encoding)
            if result is not None:
                return result
        elif mmap_path is not None:
            raise RuntimeError(f"mmap can only be used with files saved with `torch.save(_use_new_zipfile_serialization"
                               f"=True), please torch.save your checkpoint with this option in order to use mmap.")
        elif _safetensors_format.looks_like_safetensors(head):
            return _safetensors_format.read(handle.read(), source)
        elif _torch_load.is_legacy(head):
            return _torch_load.load_legacy(handle.read(), source, weights_only, locations, encoding)
    except WeightsOnlyUnpicklingError as error:
        raise WeightsOnlyUnpicklingError(
            f"{source}: Weights only load failed. This file can still be loaded, to do so you have two options, do "
            f"those steps only if you trust the source of the checkpoint.\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, "
            f"to load with `weights_only=True` please check the recommended steps in the following error message."
            f"\n\tWeightsUnpickler error: {error}") from None
    handle.seek(0)
    what, advice = _identify(handle.read(1 << 20), size)
    raise UnsupportedFileError(f"{source} is not a checkpoint glasstorch can read: it is {what}." +
                               (f" {advice}" if advice else ""))
