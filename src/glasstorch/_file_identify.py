"""What a file that glasstorch cannot load looks like, for ``glasstorch.load``'s error message: a plain pickle (with the
imports that unpickling it would run), a NumPy file, a zip (from its central directory's names only), text, or
unrecognised bytes. Read from magic numbers and at most the first megabyte of pickle opcodes (``pickletools`` parses):
nothing is ever unpickled, and no zip entry is ever decompressed."""
from __future__ import annotations

import io
import pickletools

_PICKLE_HINT = ("glasstorch.load reads checkpoints written by torch.save or glasstorch.save; a plain pickle is not one, "
                "and glasstorch never runs one (unpickling can run arbitrary code). If you trust the file, unpickle it "
                "with Python's pickle module and save the tensors with glasstorch.save.")
_SCAN_LIMIT = 1 << 20  # bytes of a pickle read for its imports: identification costs the same for any file size

_TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_PICKLE_STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING", "BINSTRING", "STRING"}
_HARMLESS_GLOBALS = ("collections.OrderedDict", "torch.", "builtins.set", "builtins.frozenset", "numpy.", "_codecs.encode")


def identify(data: bytes, size: int | None = None) -> tuple[str, str]:
    """What ``data`` (the first bytes of a file of ``size`` bytes) looks like, and advice for the user."""
    size = len(data) if size is None else size
    data = data[:_SCAN_LIMIT]
    if not data:
        return "an empty file (0 bytes)", ""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "a zip archive", ""
    if data[:6] == b"\x93NUMPY":
        return "a NumPy .npy file", "Load it with numpy.load(path, allow_pickle=False) and glasstorch.from_numpy."
    pickle_found = _scan_pickle(data)
    if pickle_found is not None:
        first_long, imports = pickle_found
        what = ("a legacy PyTorch checkpoint (torch.save with _use_new_zipfile_serialization=False) that is corrupt"
                if first_long == _TORCH_LEGACY_MAGIC else "a Python pickle")
        return what + _import_warning(imports), _PICKLE_HINT
    if len(data) >= 9 and data[8:9] == b"{":
        return ("a truncated or corrupt safetensors file (its header length or JSON header is broken)",
                "Save it again with glasstorch.save.")
    head = data[:40]
    try:
        text = head.decode("utf-8")
        if text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text):
            return f"a text file beginning {text!r}", ""
    except UnicodeDecodeError:
        pass
    return f"unrecognised data ({size} bytes beginning {head[:16]!r})", ""


def describe_zip(names: list[str]) -> str:
    """A zip that is not a torch checkpoint, from its central directory's names (no entry is read)."""
    if names and all(n.endswith(".npy") for n in names):
        return "a NumPy .npz archive (load it with numpy.load(path, allow_pickle=False) and glasstorch.from_numpy)"
    listing = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
    return f"a zip archive (holding {listing or 'nothing'}) without a data.pkl, so not a PyTorch checkpoint"


def _scan_pickle(data: bytes) -> tuple[int | None, list[str]] | None:
    """If ``data`` starts with a complete pickle: (its first LONG argument or None, the globals it would import).

    Up to four pickles in a row are read (a legacy torch checkpoint is several). ``pickletools.genops`` only decodes
    opcodes: nothing is imported, constructed or called.
    """
    stream = io.BytesIO(data)
    first = _scan_one_pickle(stream)
    if first is None:
        return None
    first_long, imports = first
    for _ in range(3):
        following = _scan_one_pickle(stream) if stream.tell() < len(data) else None
        if following is None:
            break
        imports += following[1]
    return first_long, imports


def _scan_one_pickle(stream: io.BytesIO) -> tuple[int | None, list[str]] | None:
    imports: list[str] = []
    recent_strings: list[str] = []
    first_long = None
    try:
        for count, (opcode, argument, _position) in enumerate(pickletools.genops(stream)):
            if opcode.name in ("LONG1", "LONG4", "LONG") and first_long is None and count <= 1:
                first_long = argument
            elif opcode.name in ("GLOBAL", "INST"):
                imports.append(str(argument).replace(" ", "."))
            elif opcode.name == "STACK_GLOBAL" and len(recent_strings) >= 2:
                imports.append(f"{recent_strings[-2]}.{recent_strings[-1]}")
            if opcode.name in _PICKLE_STRING_OPS:
                recent_strings.append(str(argument))
            if opcode.name == "STOP":
                return (first_long, imports) if count >= 1 else None
    except Exception:  # noqa: BLE001 - any decoding failure means "not a pickle"
        return None
    return None


def _import_warning(imports: list[str]) -> str:
    suspicious = sorted({name for name in imports if not name.startswith(_HARMLESS_GLOBALS)})
    if not suspicious:
        return ""
    shown = ", ".join(suspicious[:5]) + (", ..." if len(suspicious) > 5 else "")
    return f"; unpickling it would import {shown}"
