"""Atomic file writes, for save() and its neighbours (the app, the dataset cache): bytes go to a new temporary file
beside the target, are flushed and fsync'ed, then renamed over it, so a crash or Ctrl-C mid-write leaves either the
old file or the new one, never half of one."""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import IO, Callable


def write_bytes(path: str | os.PathLike, data: bytes, *, make_parents: bool = True) -> Path:
    """Writes ``data`` to ``path`` atomically and returns the path (creating parent folders unless
    ``make_parents=False``). A symlink is written through to its file, as an in-place write would; an existing file
    keeps its permissions, a new one gets the umask's, as ``open(path, "wb")`` would give."""
    return write_with(path, lambda handle: handle.write(data), make_parents=make_parents)


def write_with(path: str | os.PathLike, fill: Callable[[IO[bytes]], object], *, make_parents: bool = True) -> Path:
    """``write_bytes`` for content written by ``fill(handle)`` into the temporary file (a seekable binary file at
    position 0), so large content need not be held in memory first; if ``fill`` raises, the target is untouched."""
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    if make_parents:
        os.makedirs(directory, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o666)  # the process umask applies, as for a normal write
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if os.path.exists(target):  # overwriting keeps the old file's permissions
                os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_directory(directory)
    return Path(path)


def _fsync_directory(directory: str) -> None:
    """Makes the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
