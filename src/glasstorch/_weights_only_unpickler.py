"""The restricted unpickler of ``glasstorch.load(..., weights_only=True)`` (the default), after torch's own.

A pickle is a program for a small stack machine; ``pickle.load`` runs it, and its GLOBAL / STACK_GLOBAL / INST opcodes
import any name, which REDUCE / NEWOBJ / OBJ / BUILD then call: that is how a pickle runs ``os.system``. This module
interprets the opcodes itself, in plain Python, and resolves a global only from an allowlist (tensor and Parameter
rebuilds, storage types, dtypes, ``Size``, ``device``, ``OrderedDict``, ``set``... from ``_torch_pickle``; plus the
user's ``add_safe_globals``). Any other name is refused with torch's message *when its opcode is read*, before
anything has been called. Calls go only to allowlisted objects; BUILD only to OrderedDicts and allowlisted classes;
persistent ids only as ``("storage", ...)`` tuples handed to the loader. Extension opcodes and out-of-band buffers are
refused. Lengths are checked against the bytes left before anything is read, so a pickle costs time and memory in
proportion to its own size.
"""
from __future__ import annotations

import codecs
import pickle
import struct
from collections import Counter, OrderedDict
from typing import Any, Callable

from ._safetensors_format import UnsupportedFileError
from ._torch_pickle import CONSTRUCTIBLE, TORCH_GLOBALS, UNREPRESENTABLE_DTYPES, user_globals


class WeightsOnlyUnpicklingError(UnsupportedFileError, pickle.UnpicklingError):
    """A pickle that ``weights_only=True`` refuses (an unsafe global, a call it does not allow) or that is corrupt.
    Both a ``ValueError`` (as glasstorch's other file errors) and a ``pickle.UnpicklingError`` (as torch raises)."""


def _unsupported_global(full_path: str) -> str:
    if full_path.startswith("builtins."):
        full_path = full_path[len("builtins."):]
    return (f"Unsupported global: GLOBAL {full_path} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{full_path}])` or the `torch.serialization.safe_globals("
            f"[{full_path}])` context manager to allowlist this global if you trust this class/function.")


def _dict_target(obj) -> bool:
    return type(obj) in (dict, OrderedDict, Counter)


class Unpickler:
    """``Unpickler(data, persistent_load, position).load()`` reads one pickle from ``data[position:]``; afterwards
    ``position`` is just past its STOP (a legacy checkpoint is several pickles in a row)."""

    def __init__(self, data: bytes | memoryview, persistent_load: Callable[[tuple], Any], position: int = 0,
                 encoding: str = "utf-8") -> None:
        self.data = memoryview(data)
        self.position = position
        self.persistent_load = persistent_load
        self.encoding = encoding
        self.allowed = dict(TORCH_GLOBALS)
        self.allowed.update(user_globals())
        self.allowed_ids = {id(value) for value in self.allowed.values()}
        self.user_ids = {id(value) for value in user_globals().values()}

    # ---- reading ----------------------------------------------------------------------------------------------------
    def read(self, n: int) -> bytes:
        if n < 0 or self.position + n > len(self.data):
            raise EOFError(f"the pickle is truncated (wants {n} bytes at offset {self.position}, "
                           f"{len(self.data) - self.position} left)")
        chunk = bytes(self.data[self.position:self.position + n])
        self.position += n
        return chunk

    def readline(self) -> bytes:
        end = bytes(self.data[self.position:self.position + 65536]).find(b"\n")
        if end < 0:
            raise EOFError("the pickle is truncated (a text argument has no end of line)")
        return self.read(end + 1)[:-1]

    def unsigned(self, n: int) -> int:
        return int.from_bytes(self.read(n), "little")

    # ---- the machine ----------------------------------------------------------------------------------------------
    def load(self) -> Any:
        self.stack: list = []
        self.metastack: list = []
        self.memo: dict = {}
        try:
            while True:
                code = self.read(1)
                if code == pickle.STOP:
                    return self.pop()
                handler = _HANDLERS.get(code)
                if handler is None:
                    raise WeightsOnlyUnpicklingError(f"Unsupported operand {code[0]}")
                handler(self)
        except RecursionError:
            raise WeightsOnlyUnpicklingError("the pickle nests too deeply") from None
        except (WeightsOnlyUnpicklingError, RuntimeError):  # RuntimeError: map_location's, as torch raises it
            raise
        except MemoryError:
            raise WeightsOnlyUnpicklingError("the pickle asks for more memory than is available") from None
        except Exception as error:  # noqa: BLE001 - any other failure means a corrupt pickle; say which
            if isinstance(error, UnsupportedFileError):
                raise
            raise WeightsOnlyUnpicklingError(f"corrupt pickle ({type(error).__name__}: {error})"[:400]) from None

    def pop(self):
        if not self.stack:
            raise WeightsOnlyUnpicklingError("corrupt pickle: the stack is empty")
        return self.stack.pop()

    def pop_mark(self) -> list:
        if not self.metastack:
            raise WeightsOnlyUnpicklingError("corrupt pickle: no MARK")
        items, self.stack = self.stack, self.metastack.pop()
        return items

    def push(self, value) -> None:
        self.stack.append(value)

    # globals and calls: the only places a pickle could run code
    def find_class(self, module: str, name: str):
        full_path = f"{module}.{name}"
        if module == "torch" and name in UNREPRESENTABLE_DTYPES and full_path not in self.allowed:
            raise WeightsOnlyUnpicklingError(f"the file holds the dtype torch.{name}, which glasstorch (NumPy) cannot "
                                             "represent; convert it (for example with .float()) in PyTorch first")
        if full_path not in self.allowed:
            raise WeightsOnlyUnpicklingError(_unsupported_global(full_path))
        return self.allowed[full_path]

    def call(self, func, args):
        if id(func) not in self.allowed_ids:
            raise WeightsOnlyUnpicklingError(f"Trying to call reduce for unrecognized function {func!r}")
        if not isinstance(args, tuple):
            raise WeightsOnlyUnpicklingError("corrupt pickle: REDUCE arguments are not a tuple")
        if func is bytearray and not all(isinstance(a, (bytes, str)) for a in args):
            raise WeightsOnlyUnpicklingError("bytearray() is allowed only from bytes")
        return func(*args)

    def new_object(self, cls, args, kwargs=None):
        if cls in CONSTRUCTIBLE and cls is not bytearray or (isinstance(cls, type) and id(cls) in self.user_ids):
            return cls.__new__(cls, *args, **(kwargs or {}))
        if id(cls) in self.allowed_ids and callable(cls) and not kwargs and not isinstance(cls, type):
            return cls(*args)  # torch.nn.parameter.Parameter and the like: glasstorch's stand-in builds it
        raise WeightsOnlyUnpicklingError("Can only create new object for nn.Parameter or classes allowlisted via "
                                         f"`add_safe_globals` but got {cls!r}")

    def build(self) -> None:
        state = self.pop()
        inst = self.stack[-1]
        if type(inst) in (OrderedDict, Counter) and isinstance(state, dict) and all(isinstance(k, str) for k in state):
            inst.__dict__.update(state)
        elif id(type(inst)) in self.user_ids:
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:
                slotstate = None
                if isinstance(state, tuple) and len(state) == 2:
                    state, slotstate = state
                if state:
                    inst.__dict__.update(state)
                for key, value in (slotstate or {}).items():
                    setattr(inst, key, value)
        else:
            raise WeightsOnlyUnpicklingError("Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                                             f"`add_safe_globals`, but got {type(inst)}")

    def persistent(self, pid) -> None:
        if type(pid) is not tuple or not pid or pid[0] not in ("storage", b"storage"):
            raise WeightsOnlyUnpicklingError(f"Only persistent_load of storage is allowed, but got {_brief(pid)}")
        self.push(self.persistent_load(pid))

    def text(self, raw: bytes):
        return raw if self.encoding == "bytes" else raw.decode(self.encoding)


def _brief(value) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def _global(u: Unpickler) -> None:
    module = u.readline().decode("utf-8")
    name = u.readline().decode("utf-8")
    u.push(u.find_class(module, name))


def _stack_global(u: Unpickler) -> None:
    name, module = u.pop(), u.pop()
    if type(name) is not str or type(module) is not str:
        raise WeightsOnlyUnpicklingError("STACK_GLOBAL requires str")
    u.push(u.find_class(module, name))


def _inst(u: Unpickler) -> None:
    cls = u.find_class(u.readline().decode("utf-8"), u.readline().decode("utf-8"))
    u.push(u.new_object(cls, tuple(u.pop_mark())))


def _obj(u: Unpickler) -> None:
    args = u.pop_mark()
    if not args:
        raise WeightsOnlyUnpicklingError("corrupt pickle: OBJ without a class")
    u.push(u.new_object(args[0], tuple(args[1:])))


def _reduce(u: Unpickler) -> None:
    args = u.pop()
    u.push(u.call(u.pop(), args))


def _newobj(u: Unpickler) -> None:
    args = u.pop()
    u.push(u.new_object(u.pop(), args))


def _newobj_ex(u: Unpickler) -> None:
    kwargs, args = u.pop(), u.pop()
    u.push(u.new_object(u.pop(), args, kwargs))


def _setitems(u: Unpickler) -> None:
    items = u.pop_mark()
    if not u.stack or not _dict_target(u.stack[-1]) or len(items) % 2:
        raise WeightsOnlyUnpicklingError("Can only SETITEMS for dict, collections.OrderedDict, collections.Counter")
    target = u.stack[-1]
    for i in range(0, len(items), 2):
        target[items[i]] = items[i + 1]


def _setitem(u: Unpickler) -> None:
    value, key = u.pop(), u.pop()
    if not u.stack or not _dict_target(u.stack[-1]):
        raise WeightsOnlyUnpicklingError("Can only SETITEM for dict, collections.OrderedDict, collections.Counter")
    u.stack[-1][key] = value


def _appends(u: Unpickler) -> None:
    items = u.pop_mark()
    if not u.stack or type(u.stack[-1]) is not list:
        raise WeightsOnlyUnpicklingError("Can only extend lists")
    u.stack[-1].extend(items)


def _append(u: Unpickler) -> None:
    item = u.pop()
    if not u.stack or type(u.stack[-1]) is not list:
        raise WeightsOnlyUnpicklingError("Can only append to lists")
    u.stack[-1].append(item)


def _additems(u: Unpickler) -> None:
    items = u.pop_mark()
    if not u.stack or type(u.stack[-1]) is not set:
        raise WeightsOnlyUnpicklingError("Can only ADDITEMS to sets")
    u.stack[-1].update(items)


def _put(u: Unpickler, index: int) -> None:
    if not u.stack:
        raise WeightsOnlyUnpicklingError("corrupt pickle: PUT on an empty stack")
    u.memo[index] = u.stack[-1]


def _get(u: Unpickler, index: int) -> None:
    if index not in u.memo:
        raise WeightsOnlyUnpicklingError(f"corrupt pickle: memo entry {index} was never stored")
    u.push(u.memo[index])


def _mark(u: Unpickler) -> None:
    u.metastack.append(u.stack)
    u.stack = []


def _text_int(u: Unpickler) -> None:
    line = u.readline()
    u.push({b"00": False, b"01": True}.get(line) if line in (b"00", b"01") else int(line))


def _string(u: Unpickler) -> None:
    raw = u.readline()
    if len(raw) < 2 or raw[0] != raw[-1] or raw[:1] not in (b"'", b'"'):
        raise WeightsOnlyUnpicklingError("corrupt pickle: the STRING opcode argument must be quoted")
    u.push(u.text(codecs.escape_decode(raw[1:-1])[0]))


def _memoize(u: Unpickler) -> None:
    _put(u, len(u.memo))


_B = pickle
_HANDLERS: dict[bytes, Callable[[Unpickler], None]] = {
    _B.PROTO: lambda u: u.read(1), _B.FRAME: lambda u: u.read(8),
    _B.MARK: _mark, _B.POP: lambda u: u.pop(), _B.POP_MARK: lambda u: u.pop_mark(),
    _B.DUP: lambda u: u.push(u.stack[-1]),
    _B.NONE: lambda u: u.push(None), _B.NEWTRUE: lambda u: u.push(True), _B.NEWFALSE: lambda u: u.push(False),
    _B.INT: _text_int, _B.LONG: lambda u: u.push(int(u.readline().rstrip(b"L"))),
    _B.BININT: lambda u: u.push(struct.unpack("<i", u.read(4))[0]), _B.BININT1: lambda u: u.push(u.unsigned(1)),
    _B.BININT2: lambda u: u.push(u.unsigned(2)),
    _B.LONG1: lambda u: u.push(int.from_bytes(u.read(u.unsigned(1)), "little", signed=True)),
    _B.LONG4: lambda u: u.push(int.from_bytes(u.read(struct.unpack("<i", u.read(4))[0]), "little", signed=True)),
    _B.FLOAT: lambda u: u.push(float(u.readline())), _B.BINFLOAT: lambda u: u.push(struct.unpack(">d", u.read(8))[0]),
    _B.STRING: _string,
    _B.SHORT_BINSTRING: lambda u: u.push(u.text(u.read(u.unsigned(1)))),
    _B.BINSTRING: lambda u: u.push(u.text(u.read(struct.unpack("<i", u.read(4))[0]))),
    _B.UNICODE: lambda u: u.push(u.readline().decode("raw-unicode-escape")),
    _B.SHORT_BINUNICODE: lambda u: u.push(u.read(u.unsigned(1)).decode("utf-8", "surrogatepass")),
    _B.BINUNICODE: lambda u: u.push(u.read(u.unsigned(4)).decode("utf-8", "surrogatepass")),
    _B.BINUNICODE8: lambda u: u.push(u.read(u.unsigned(8)).decode("utf-8", "surrogatepass")),
    _B.SHORT_BINBYTES: lambda u: u.push(u.read(u.unsigned(1))), _B.BINBYTES: lambda u: u.push(u.read(u.unsigned(4))),
    _B.BINBYTES8: lambda u: u.push(u.read(u.unsigned(8))),
    _B.BYTEARRAY8: lambda u: u.push(bytearray(u.read(u.unsigned(8)))),
    _B.EMPTY_TUPLE: lambda u: u.push(()), _B.TUPLE: lambda u: u.push(tuple(u.pop_mark())),
    _B.TUPLE1: lambda u: u.push((u.pop(),)),
    _B.TUPLE2: lambda u: u.push(tuple(reversed([u.pop(), u.pop()]))),
    _B.TUPLE3: lambda u: u.push(tuple(reversed([u.pop(), u.pop(), u.pop()]))),
    _B.EMPTY_LIST: lambda u: u.push([]), _B.LIST: lambda u: u.push(u.pop_mark()),
    _B.APPEND: _append, _B.APPENDS: _appends,
    _B.EMPTY_DICT: lambda u: u.push({}), _B.SETITEM: _setitem, _B.SETITEMS: _setitems,
    _B.DICT: lambda u: (lambda items: u.push(dict(zip(items[::2], items[1::2]))))(u.pop_mark()),
    _B.EMPTY_SET: lambda u: u.push(set()), _B.ADDITEMS: _additems,
    _B.FROZENSET: lambda u: u.push(frozenset(u.pop_mark())),
    _B.PUT: lambda u: _put(u, int(u.readline())), _B.BINPUT: lambda u: _put(u, u.unsigned(1)),
    _B.LONG_BINPUT: lambda u: _put(u, u.unsigned(4)), _B.MEMOIZE: _memoize,
    _B.GET: lambda u: _get(u, int(u.readline())), _B.BINGET: lambda u: _get(u, u.unsigned(1)),
    _B.LONG_BINGET: lambda u: _get(u, u.unsigned(4)),
    _B.GLOBAL: _global, _B.STACK_GLOBAL: _stack_global, _B.INST: _inst, _B.OBJ: _obj,
    _B.REDUCE: _reduce, _B.NEWOBJ: _newobj, _B.NEWOBJ_EX: _newobj_ex, _B.BUILD: lambda u: u.build(),
    _B.BINPERSID: lambda u: u.persistent(u.pop()),
    _B.PERSID: lambda u: u.persistent(u.readline().decode("ascii")),
}
