"""The course's phone-price CSV: find it on disk, or fetch a copy whose sha256 proves it is the same file.

Search order of :func:`phone_prices`:

1. the ``path`` argument (an error if it does not exist: a path the user typed is never silently replaced);
2. ``$GLASSTORCH_DATA`` (the same);
3. ``./data/mobile_price_train.csv`` or the course's own name ``./data/手机价格预测.csv``;
4. the cache, ``$XDG_CACHE_HOME/glasstorch`` or ``~/.cache/glasstorch`` (checked against the sha256);
5. a download, accepted only when its sha256 matches, then stored in the cache: from ``$GLASSTORCH_DATA_URL`` when
   set (any mirror or intranet copy; space-separated for several), else ``$GLASSTORCH_DATA_MIRRORS`` (the same, kept
   for older setups), else the public copies in :data:`MIRRORS`. Each attempt gives up after
   :data:`CONNECT_TIMEOUT` seconds without an answer (a host that is unreachable, as raw.githubusercontent.com often
   is from mainland China, costs seconds, not minutes).

``$GLASSTORCH_OFFLINE=1`` (or ``download=False``) skips step 5. When every step fails,
:class:`DataNotFoundError` says, in the user's language (:mod:`glasstorch.i18n`), where to put the file and how to
get it.
"""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

from .._fileio import write_bytes
from ..i18n import t

FILE_NAME = "mobile_price_train.csv"
COURSE_FILE_NAME = "手机价格预测.csv"
SHA256 = "f9e8cd3154b8684a1be0ff401b1fba7750710af6bd076a399c6ce7ceb979c624"
CONNECT_TIMEOUT = 5.0  # seconds to connect, and between two reads; the file is ~120 kB
SIZE_LIMIT = 4 * 1024 * 1024  # the file is ~120 kB; a mirror sending more is not serving it
MIRRORS = (
    "https://raw.githubusercontent.com/pranaybathini/Mobile-Price-Classification/master/1_copy/train.csv",
    "https://raw.githubusercontent.com/vinayhasani/Mobile-Price-Classification/master/train.csv",
)
FEATURE_NAMES = ("battery_power", "blue", "clock_speed", "dual_sim", "fc", "four_g", "int_memory", "m_dep",
                 "mobile_wt", "n_cores", "pc", "px_height", "px_width", "ram", "sc_h", "sc_w", "talk_time",
                 "three_g", "touch_screen", "wifi")
TARGET_NAME = "price_range"


class DataNotFoundError(FileNotFoundError):
    """The phone-price CSV is nowhere to be found (and could not be downloaded)."""


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/glasstorch``, else ``~/.cache/glasstorch``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "glasstorch"


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _mirrors() -> tuple[str, ...]:
    """$GLASSTORCH_DATA_URL, else $GLASSTORCH_DATA_MIRRORS (space-separated URLs), else :data:`MIRRORS`."""
    override = os.environ.get("GLASSTORCH_DATA_URL") or os.environ.get("GLASSTORCH_DATA_MIRRORS")
    return tuple(override.split()) if override and override.strip() else MIRRORS


def _fetch(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (https mirrors or a test's localhost)
        data = response.read(SIZE_LIMIT + 1)
    if len(data) > SIZE_LIMIT:
        raise ValueError(f"more than {SIZE_LIMIT} bytes")
    return data


def download(mirrors: tuple[str, ...] | list[str] | None = None, destination: Path | None = None,
             timeout: float = CONNECT_TIMEOUT, log=None) -> tuple[Path | None, list[str]]:
    """Try each mirror; keep the first copy whose sha256 is :data:`SHA256`. Returns (path or None, failure notes)."""
    destination = destination or cache_dir() / FILE_NAME
    failures = []
    for url in mirrors if mirrors is not None else _mirrors():
        try:
            data = _fetch(url, timeout)
        except (urllib.error.URLError, OSError, ValueError) as error:
            failures.append(f"{url}: {getattr(error, 'reason', error)}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != SHA256:
            failures.append(t("dataset.other_bytes", url=url, got=digest[:12], expected=SHA256[:12]))
            continue
        write_bytes(destination, data)
        if log:
            log(t("dataset.downloaded", url=url, path=destination))
        return destination, failures
    return None, failures


def _not_found_message(tried: list[str], failures: list[str]) -> str:
    lines = [t("dataset.not_found"), t("dataset.looked_in")]
    lines += [f"  - {place}" for place in tried]
    lines += ["  - " + t("dataset.download_failure", failure=failure) for failure in failures]
    lines += [t("dataset.put_it_here"), t("dataset.what_it_is"), f"  {MIRRORS[0]}", t("dataset.mirror_hint"),
              t("dataset.sha256", sha256=SHA256), t("dataset.synthetic")]
    return "\n".join(lines)


def phone_prices(path: str | os.PathLike | None = None, download: bool = True, *,  # noqa: A002
                 mirrors: tuple[str, ...] | list[str] | None = None, log=None) -> Path:
    """The path of the course's phone-price CSV, found or downloaded as the module docstring describes."""
    if path is not None:
        if Path(path).is_file():
            return Path(path)
        raise DataNotFoundError(t("dataset.no_such_file", path=path))
    env = os.environ.get("GLASSTORCH_DATA")
    if env:
        if Path(env).is_file():
            return Path(env)
        raise DataNotFoundError(t("dataset.env_names_no_file", value=env))
    tried = []
    for name in (FILE_NAME, COURSE_FILE_NAME):
        local = Path("data") / name
        tried.append(str(local))
        if local.is_file():
            return local
    cached = cache_dir() / FILE_NAME
    tried.append(t("dataset.cache", path=cached))
    if cached.is_file():
        if sha256_of(cached) == SHA256:
            return cached
        tried[-1] += t("dataset.checksum_mismatch")
    failures: list[str] = []
    if download and os.environ.get("GLASSTORCH_OFFLINE", "") not in ("1", "true", "yes"):
        found, failures = _download(mirrors, cached, log=log)
        if found is not None:
            return found
    else:
        failures = [t("dataset.offline")]
    raise DataNotFoundError(_not_found_message(tried, failures))


_download = download  # phone_prices' keyword argument shadows the function's name
