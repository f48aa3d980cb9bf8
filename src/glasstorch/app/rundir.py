"""A run's folder is one unit: its files (model, metrics.json, history.csv, the figures) appear together or not at all.

A run writes into a fresh hidden sibling of ``--out`` (``.NAME.run-PID-XXXX``), then swaps it in by renaming: with
Linux's ``renameat2(RENAME_EXCHANGE)`` the old and new folders trade places in one step; elsewhere the old folder is
renamed aside and the new one renamed in (a crash between the two renames leaves the old run beside, never a mixture).
Ctrl-C is held back during the swap, so the swap always completes. A crash or kill before the swap leaves ``--out``
as it was, plus a hidden folder that the next run into the same ``--out`` removes.

A lock file beside the folder (``.NAME.lock``, holding the pid) keeps a second run out while one is writing; a lock
whose process is gone is stale and taken over. ``--out`` is checked before any work: it must not be a file or lie below
one, and an existing folder must hold nothing but a previous run's files (it is replaced as a whole).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import signal
import threading
from pathlib import Path
from typing import Iterator, Optional

from ..i18n import t
from .data import InputError
from .notices import shorten
from .validate import write_error

RUN_FILES = frozenset({"model.safetensors", "metrics.json", "history.csv", "curves.png", "confusion.png",
                       "evaluation.json"})


def check_out(out: Path, files: frozenset = RUN_FILES, what: str = "run") -> None:
    """Refuses an ``--out`` that is a file, lies below a file, or is a folder holding other things than a run (or
    than ``what`` writes: the names in ``files``)."""
    if out.exists() and not out.is_dir():
        raise InputError(t("app.out.file", out=out))
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(t("app.out.below_file", out=out, parent=parent))
            break
    if out.is_dir():
        foreign = sorted(name for name in os.listdir(out) if name not in files and not _temporary(name))
        if foreign:
            raise InputError(t(f"app.out.foreign_{what}", out=out, files=shorten(foreign, 5, None)))


def _temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _pid_in(path: Path) -> Optional[int]:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class RunFolder:
    """``with RunFolder(out) as run: write into run.staging ...; run.commit()``. Leaving the block without commit
    discards what was written; the lock is released either way."""

    def __init__(self, out: str | os.PathLike, files: frozenset = RUN_FILES, what: str = "run") -> None:
        self.shown = Path(out)
        self.files, self.what = files, what
        self.out = Path(os.path.abspath(out))
        self.lock = self.out.with_name(f".{self.out.name}.lock")
        self.staging: Optional[Path] = None
        self.committed = False
        self._old: Optional[Path] = None
        self._locked = False

    def __enter__(self) -> "RunFolder":
        check_out(self.shown, self.files, self.what)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._acquire()
            self._remove_stale_staging()
            self.staging = self.out.with_name(f".{self.out.name}.run-{os.getpid()}-{secrets.token_hex(4)}")
            self.staging.mkdir()
            probe = self.staging / ".probe"
            probe.write_bytes(b"glasstorch")
            probe.unlink()
        except OSError as error:
            self.__exit__(None, None, None)
            raise InputError(write_error(self.out.parent, error)) from None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.staging is not None and not self.committed:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._locked:
            with contextlib.suppress(OSError):
                if _pid_in(self.lock) == os.getpid():
                    self.lock.unlink()
            self._locked = False

    def path(self, name: str) -> Path:
        """Where to write a run file now (inside the staging folder)."""
        assert self.staging is not None
        return self.staging / name

    def commit(self) -> None:
        """Swaps the staging folder in as ``out`` (the previous run, if any, is removed). Ctrl-C waits until done."""
        assert self.staging is not None
        try:
            with interrupts_deferred():
                self._old = _swap(self.staging, self.out)
                self.committed = True
        finally:
            if self._old is not None:  # (also when a held-back Ctrl-C is raised at the end of the swap)
                shutil.rmtree(self._old, ignore_errors=True)

    # ---- the lock ------------------------------------------------------------------------------------------------
    def _acquire(self) -> None:
        for _ in range(5):
            try:
                descriptor = os.open(self.lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid = _pid_in(self.lock)
                if pid is not None and _alive(pid):
                    raise InputError(t("app.out.locked", pid=pid, out=self.shown, lock=self.lock)) from None
                with contextlib.suppress(FileNotFoundError):  # stale: its process is gone
                    self.lock.unlink()
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            self._locked = True
            return
        raise InputError(t("app.out.lock_reappears", out=self.shown, lock=self.lock))

    def _remove_stale_staging(self) -> None:
        prefix = f".{self.out.name}.run-"
        for entry in self.out.parent.iterdir():
            if entry.name.startswith(prefix) and entry.is_dir():
                pid = entry.name[len(prefix):].split("-")[0]
                if pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(entry, ignore_errors=True)


def _swap(staging: Path, out: Path) -> Optional[Path]:
    """Puts ``staging`` at ``out``; returns where the previous ``out`` now is (to remove), or None."""
    if not out.exists():
        os.rename(staging, out)
        _fsync_directory(out.parent)
        return None
    if _exchange(staging, out):
        _fsync_directory(out.parent)
        return staging
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(out, old)
    os.rename(staging, out)
    _fsync_directory(out.parent)
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swaps two paths atomically. False where unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Holds SIGINT back inside the block; one that arrived is raised as KeyboardInterrupt at its end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt
