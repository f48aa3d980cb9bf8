"""glasstorch's benchmark suite (issue: performance). One command, one table, ratios within one run:

    python benchmarks/suite.py [--csv PATH] [--repeats 3] [--epochs 5]

1. The course's case study as the course writes it: torch vs `glasstorch run` of the same script vs a NumPy loop.
2. Large batches (20→512→512→4, batch 1024, 65,536 rows): samples per second.
3. Import time and launch-to-first-training-step.
4. Peak memory and memory growth across epochs.
5. Random draws (same seed, same numbers as torch): 10^6 float32 rand / uniform_ / randn, randperm(10^6), and
   the default init of a 512x512 Linear.
Each figure is the median of --repeats runs in fresh processes. Benchmarks are never part of pytest.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "scripts"
PY = sys.executable


def _json(cmd: list[str], env: dict | None = None) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _median(values) -> float:
    return statistics.median(values)


def course(csv: str, epochs: int, repeats: int) -> list[tuple]:
    runners = {
        "torch": [PY, str(SCRIPTS / "course_phone_price.py"), csv, str(epochs)],
        "glasstorch": [str(Path(PY).parent / "glasstorch"), "run", str(SCRIPTS / "course_phone_price.py"), csv, str(epochs)],
        "numpy": [PY, str(SCRIPTS / "numpy_phone_price.py"), csv, str(epochs)],
    }
    results = {name: [] for name in runners}
    accuracy = {}
    for _ in range(repeats):
        for name, cmd in runners.items():
            data = _json(cmd)
            results[name].append(_median(data["epoch_seconds"][1:] or data["epoch_seconds"]))
            accuracy[name] = data["accuracy"]
    torch_s, ours, floor = (_median(results[n]) for n in ("torch", "glasstorch", "numpy"))
    # ratios per round (the three runs of one round see the same machine load), then their median
    faster = _median([t / g for t, g in zip(results["torch"], results["glasstorch"])])
    over_floor = _median([g / n for g, n in zip(results["glasstorch"], results["numpy"])])
    return [("1. course case study, s/epoch", f"{torch_s:.4f}", f"{ours:.4f}", f"{floor:.4f}",
             f"{faster:.2f}x faster than torch; {over_floor:.2f}x the NumPy floor"),
            ("   held-out accuracy", f"{accuracy['torch']:.4f}", f"{accuracy['glasstorch']:.4f}",
             f"{accuracy['numpy']:.4f}", "same seed, same initial weights and batches")]


def large_batch(epochs: int, repeats: int) -> list[tuple]:
    rates = {n: _median([_json([PY, str(SCRIPTS / "large_batch.py"), n, str(epochs)])["samples_per_second"]
                         for _ in range(repeats)]) for n in ("torch", "glasstorch", "numpy")}
    return [("2. large batch, samples/s", f"{rates['torch']:,.0f}", f"{rates['glasstorch']:,.0f}",
             f"{rates['numpy']:,.0f}", f"{rates['glasstorch'] / rates['torch']:.2f}x torch's throughput")]


def _compile_bytecode() -> None:
    """Byte-compiles glasstorch as ``pip install`` does for an installed package (an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module anew on each import: ~0.1 s more)."""
    package = importlib.util.find_spec("glasstorch").submodule_search_locations[0]
    subprocess.run([PY, "-m", "compileall", "-q", package], check=True, capture_output=True)


def startup(repeats: int) -> list[tuple]:
    _compile_bytecode()
    def import_seconds(module: str) -> float:
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        return _median([float(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)
                        for _ in range(repeats)])

    def first_step(module: str) -> float:
        return _median([_json([PY, str(SCRIPTS / "first_step.py"), module], {"GLASSTORCH_BENCH_T0": str(time.time())})["seconds"]
                        for _ in range(repeats)])

    imports = {m: import_seconds(m) for m in ("torch", "glasstorch", "numpy")}
    steps = {m: first_step(m) for m in ("torch", "glasstorch")}
    return [("3. import, s", f"{imports['torch']:.3f}", f"{imports['glasstorch']:.3f}", f"{imports['numpy']:.3f}",
             f"{imports['torch'] / imports['glasstorch']:.1f}x faster than torch"),
            ("   launch to first step, s", f"{steps['torch']:.3f}", f"{steps['glasstorch']:.3f}", "-",
             f"{steps['torch'] / steps['glasstorch']:.1f}x faster than torch")]


def memory(epochs: int) -> list[tuple]:
    data = _json([PY, str(SCRIPTS / "memory.py"), str(epochs)])
    per_epoch = data["after_epoch_mib"]
    growth = per_epoch[-1] - per_epoch[0]
    return [("4. peak traced memory, MiB", "-", f"{data['peak_mib']:.2f}", "-",
             f"growth over {epochs - 1} epochs: {growth:+.3f} MiB")]


def random_draws(repeats: int) -> list[tuple]:
    """Per call, the median over fresh processes of each one's median; the ratio per process pair, then the median."""
    runs = {lib: [_json([PY, str(SCRIPTS / "random_draws.py"), lib]) for _ in range(repeats)]
            for lib in ("torch", "glasstorch")}
    labels = {"rand": "5. rand(10^6) float32, s", "uniform_": "   uniform_ 10^6 float32, s",
              "randn": "   randn(10^6) float32, s", "randperm": "   randperm(10^6), s",
              "linear_init": "   Linear(512, 512) init, s"}
    rows = []
    for key, label in labels.items():
        theirs = _median([r[key] for r in runs["torch"]])
        ours = _median([r[key] for r in runs["glasstorch"]])
        ratio = _median([g[key] / t[key] for g, t in zip(runs["glasstorch"], runs["torch"])])
        rows.append((label, f"{theirs:.4f}", f"{ours:.4f}", "-", f"{ratio:.1f}x torch's time"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", default=os.environ.get("GLASSTORCH_DATA", str(HERE.parents[1] / "shared/data/mobile_price_train.csv")))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5, help="epochs per run of benchmark 1 (the course uses 50)")
    parser.add_argument("--only", choices=["course", "large", "startup", "memory", "random"], help="run one benchmark")
    args = parser.parse_args()
    rows = []
    if args.only in (None, "course"):
        rows += course(args.csv, args.epochs, args.repeats)
    if args.only in (None, "large"):
        rows += large_batch(2, args.repeats)
    if args.only in (None, "startup"):
        rows += startup(args.repeats)
    if args.only in (None, "memory"):
        rows += memory(args.epochs)
    if args.only in (None, "random"):
        rows += random_draws(args.repeats)
    header = ("benchmark", "torch", "glasstorch", "numpy", "ratio")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    for r in [header, tuple("-" * w for w in widths)] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    main()
