"""glasstorch.save / glasstorch.load: speed against torch on a checkpoint, and time and peak memory on hostile files.

    python benchmarks/serialization.py [--repeats 5]

Rows, speed: an MLP checkpoint (model 784-1024-1024-10 and its Adam state, ~30 MB) saved and loaded by each library
through a file, median ms over --repeats. Rows, hostile: each file is built in memory, then glasstorch.load is timed
and its peak Python memory (tracemalloc, which NumPy reports to) taken until the error; "error" is its first words.
Never collected by pytest (not a test: no assertions on time).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import struct
import tempfile
import time
import tracemalloc
import zipfile

import torch

import glasstorch


def _checkpoint(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(784, 1024), lib.nn.ReLU(), lib.nn.Linear(1024, 1024), lib.nn.ReLU(),
                              lib.nn.Linear(1024, 10))
    optimizer = lib.optim.Adam(model.parameters())
    model(lib.ones(2, 784)).sum().backward()
    optimizer.step()
    return {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 1}


def _median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _speed(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "c.pth")
        print(f"{'checkpoint (~30 MB)':<34}{'glasstorch ms':>14}{'torch ms':>10}{'ratio':>8}")
        for label, ours, theirs in [
            ("save", lambda: glasstorch.save(_OURS, path), lambda: torch.save(_THEIRS, path)),
            ("load (weights_only=True)", lambda: glasstorch.load(path), lambda: torch.load(path)),
        ]:
            glasstorch.save(_OURS, path)
            a = _median_ms(ours, repeats)
            b = _median_ms(theirs, repeats)
            print(f"{label:<34}{a:>14.1f}{b:>10.1f}{a / b:>8.2f}")


def _bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("archive/data.pkl", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(b"\x00" * (1 << 20))
    return buffer.getvalue()


def _huge_storage() -> bytes:
    buffer = io.BytesIO()
    glasstorch.save({"w": glasstorch.ones(4)}, buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    pickled = source.read("archive/data.pkl").replace(b"K\x04t", b"J\xff\xff\xff\x7ft", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, pickled if info.filename.endswith("data.pkl") else source.read(info))
    return out.getvalue()


def _safetensors(header: str) -> bytes:
    return struct.pack("<Q", len(header)) + header.encode() + b"\x00" * 8


def _hostile() -> None:
    cases = [("zip bomb, data.pkl 200 MB", _bomb(200)), ("zip bomb, data.pkl 1.5 GB", _bomb(1536)),
             ("storage declaring 2^31 floats", _huge_storage()),
             ("safetensors header nested 100000 deep", _safetensors("[" * 100_000 + "]" * 100_000)),
             ("safetensors data_offsets [408, Infinity]",
              _safetensors('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [408, Infinity]}}'))]
    print(f"\n{'hostile file':<42}{'size KB':>9}{'ms':>8}{'peak MB':>9}  error")
    for label, data in cases:
        tracemalloc.start()
        start = time.perf_counter()
        try:
            glasstorch.load(io.BytesIO(data))
            error = "(loaded!)"
        except Exception as caught:  # noqa: BLE001 - the point is to show what it raised
            error = f"{type(caught).__name__}: {str(caught)[:60]}"
        elapsed = (time.perf_counter() - start) * 1000
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
        print(f"{label:<42}{len(data) / 1024:>9.0f}{elapsed:>8.1f}{peak:>9.1f}  {error}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    _OURS, _THEIRS = _checkpoint(glasstorch), _checkpoint(torch)
    _speed(arguments.repeats)
    _hostile()
