"""The trainer on a large CSV against pandas.read_csv (not a pytest test).

    python benchmarks/csv_scale.py [--rows 2000000] [--keep DIR]

Writes synthetic phone-price rows (20 numeric features and the price range, as glasstorch.datasets.make_phone_prices
draws them) into a temporary folder, then, each in a fresh process so that peak memory (ru_maxrss) is that step's:

  1. pandas.read_csv(file): seconds and peak memory;
  2. glasstorch.app.read_csv(file), reading and preparing the (n, 20) matrix: seconds, and its ratio to 1;
  3. `glasstorch train --data file --epochs 2 --quiet`: seconds and peak memory, against the bar
     2 × pandas' peak + the float32 matrix (n × 20 × 4 bytes).

Bars (issue 19): reading+preparing within 3x pandas.read_csv's time; train's peak memory within the bar above.
Exit code 1 when a bar is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstorch.datasets import make_phone_prices

TIME_BAR, MEMORY_BAR = 3.0, 2.0

MEASURE = r"""
import json, resource, sys, time
step, path = sys.argv[1], sys.argv[2]
import numpy, pandas
if step == "glasstorch":
    from glasstorch.app.data import read_csv
start = time.perf_counter()
if step == "pandas":
    frame = pandas.read_csv(path)
    shape = frame.shape
else:
    table = read_csv(path)
    shape = table.features.shape
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "shape": list(shape)}))
"""


def write_rows(path: Path, n: int) -> None:
    rows = make_phone_prices(n, seed=0)
    frame = pd.DataFrame(rows.data, columns=list(rows.feature_names))
    for name in frame.columns:
        if (frame[name] == np.floor(frame[name])).all():
            frame[name] = frame[name].astype(np.int64)
    frame[rows.target_name] = rows.target.astype(np.int64)
    frame.to_csv(path, index=False)


def measure(step: str, path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", MEASURE, step, str(path)], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def train(path: Path, out: Path) -> dict:
    code = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
            "rc = subprocess.run([sys.executable, '-m', 'glasstorch', 'train', '--data', sys.argv[1], '--epochs', '2', "
            "'--quiet', '--out', sys.argv[2]]).returncode; "
            "print(rc, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    result = subprocess.run([sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True)
    rc, seconds, peak = result.stdout.split()[-3:]
    if rc != "0":
        raise SystemExit(f"glasstorch train failed:\n{result.stderr}")
    return {"seconds": float(seconds), "peak_mib": float(peak)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--keep", metavar="DIR", help="write the CSV into DIR and keep it (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(args.keep or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"phones_{args.rows}.csv"
        if not path.exists():
            start = time.perf_counter()
            write_rows(path, args.rows)
            print(f"# wrote {path} ({os.path.getsize(path) / 1e6:.0f} MB, {args.rows:,} rows x 21 columns) in "
                  f"{time.perf_counter() - start:.0f} s")
        reference = measure("pandas", path)
        ours = measure("glasstorch", path)
        trained = train(path, folder / "run")
    matrix_mib = args.rows * 20 * 4 / 2 ** 20
    time_ratio = ours["seconds"] / reference["seconds"]
    memory_bar = MEMORY_BAR * reference["peak_mib"] + matrix_mib
    print("| step | seconds | peak MiB | ratio | bar |")
    print("|---|---|---|---|---|")
    print(f"| pandas.read_csv | {reference['seconds']:.2f} | {reference['peak_mib']:.0f} | 1 | |")
    print(f"| glasstorch read_csv (read + prepare) | {ours['seconds']:.2f} | {ours['peak_mib']:.0f} | "
          f"{time_ratio:.2f}x pandas' time | <= {TIME_BAR:g}x |")
    print(f"| glasstorch train --epochs 2 | {trained['seconds']:.1f} | {trained['peak_mib']:.0f} | "
          f"{trained['peak_mib'] / memory_bar:.2f} of the memory bar | <= 2 x {reference['peak_mib']:.0f} + "
          f"{matrix_mib:.0f} (float32 matrix) = {memory_bar:.0f} MiB |")
    ok = time_ratio <= TIME_BAR and trained["peak_mib"] <= memory_bar
    print("bars met" if ok else "BAR MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
