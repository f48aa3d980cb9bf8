"""Time per epoch of `glasstorch train` on one engine and the other (not a pytest test).

    python benchmarks/engines.py [--rows 2000000] [--epochs 2] [--device cpu] [--processes 2]

Writes synthetic phone-price rows (benchmarks/csv_scale.py's write_rows) into a temporary CSV, then trains on it, each
run in a fresh process, with the same model (--hidden 64,64, Adam, batches of 256, standardised):

  1. --engine glasstorch (one process);
  2. --engine torch --device DEVICE, one process;
  3. the same under torchrun with --processes processes, each with batches of 256/processes (the same global batch
     and the same number of steps per epoch as 2);
  4. the same under torchrun with batches of 256 in each process (half the steps per epoch: PyTorch's usual DDP).

Prints each run's seconds per epoch (metrics.json's train_seconds / epochs: training and the per-epoch scoring of
every training and held-out row) and held-out accuracy. Reading the CSV is not counted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csv_scale import write_rows  # noqa: E402

SRC = str(Path(__file__).resolve().parents[1] / "src")
MODEL = ("--hidden", "64,64", "--optimizer", "adam", "--lr", "0.001", "--scheduler", "none", "--standardize",
         "--feature-alpha", "1")


def run(label: str, command: list[str], out: Path, epochs: int) -> None:
    env = dict(os.environ, PYTHONPATH=SRC, OMP_NUM_THREADS="1", GLASSTORCH_LANG="en")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{label}: failed\n{result.stderr[-2000:]}", flush=True)
        return
    metrics = json.loads((out / "metrics.json").read_text())
    print(f"{label:<48} {metrics['train_seconds'] / epochs:8.1f} s/epoch   accuracy {metrics['accuracy']:.4f}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "phones.csv"
        write_rows(data, args.rows)
        train = ["-m", "glasstorch", "train", "--data", str(data), "--epochs", str(args.epochs), "--quiet", *MODEL]
        torchrun = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(args.processes),
                    "--master_addr", "127.0.0.1", "--master_port", "29517"]
        n = args.processes
        print(f"{args.rows:,} rows (80% train), {args.epochs} epochs, {os.cpu_count()} CPU cores")
        runs = [("glasstorch, 1 process, batch 256", [sys.executable, *train, "--batch-size", "256"]),
                (f"torch {args.device}, 1 process, batch 256",
                 [sys.executable, *train, "--engine", "torch", "--device", args.device, "--batch-size", "256"]),
                (f"torch {args.device}, {n} processes, batch {256 // n} each",
                 [*torchrun, *train, "--engine", "torch", "--device", args.device, "--batch-size", str(256 // n)]),
                (f"torch {args.device}, {n} processes, batch 256 each",
                 [*torchrun, *train, "--engine", "torch", "--device", args.device, "--batch-size", "256"])]
        for i, (label, command) in enumerate(runs):
            out = Path(folder) / f"run{i}"
            run(label, [*command, "--out", str(out)], out, args.epochs)


if __name__ == "__main__":
    main()
