"""Per-call cost of small operations, where Python overhead dominates: glasstorch vs torch vs raw NumPy.

    python benchmarks/op_overhead.py [--repeats 21] [--threads N] [--profile ROW]

Rows: add of two 8×128 tensors, matmul 8×128 @ 128×256, relu, sum, and forward + backward of a 20→128→256→4 MLP
on a batch of 8 (raw tensors: x @ W.T + b, relu; loss = mean of squares). Each figure is the median over --repeats
rounds of the mean µs per call; torch, glasstorch and NumPy take turns within each round. The NumPy column is the floor: the same arithmetic with no autograd at all
(for the MLP, a hand-written backward). ``--profile ROW`` runs cProfile on glasstorch's version of one row instead.
Never collected by pytest (not a test: no assertions on time).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import numpy as np
import torch

import glasstorch

RNG = np.random.default_rng(0)


def _data(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


A, B, W = _data(8, 128), _data(8, 128), _data(128, 256)
X = _data(8, 20)
LAYERS = [(_data(128, 20) * 0.2, _data(128) * 0.1), (_data(256, 128) * 0.1, _data(256) * 0.1),
          (_data(4, 256) * 0.1, _data(4) * 0.1)]


def _mlp_case(lib):
    """Forward + backward of the MLP written with raw tensors, as the course's first networks are."""
    x = lib.tensor(X)
    params = [(lib.tensor(w, requires_grad=True), lib.tensor(b, requires_grad=True)) for w, b in LAYERS]

    def step():
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = h.relu()
        loss = (h * h).mean()
        loss.backward()
        for w, b in params:
            w.grad = b.grad = None
    return step


def _numpy_mlp():
    """The floor: the same forward and a hand-written backward on ndarrays."""
    params = [(w.copy(), b.copy()) for w, b in LAYERS]

    def step():
        hs, h = [X], X
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = np.maximum(h, 0)
            hs.append(h)
        g = 2 * h / h.size
        grads = []
        for i in range(len(params) - 1, -1, -1):
            w, _ = params[i]
            grads.append((g.T @ hs[i], g.sum(0)))
            g = g @ w
            if i > 0:
                g = g * (hs[i] > 0)
        return grads
    return step


def _cases(lib):
    a, b, w = lib.tensor(A), lib.tensor(B), lib.tensor(W)
    return {
        "add 8x128 + 8x128": lambda: a + b,
        "matmul 8x128 @ 128x256": lambda: a @ w,
        "relu 8x128": lambda: a.relu(),
        "sum 8x128": lambda: a.sum(),
        "MLP 20-128-256-4 fwd+bwd, batch 8": _mlp_case(lib),
    }


NUMPY = {
    "add 8x128 + 8x128": lambda: A + B,
    "matmul 8x128 @ 128x256": lambda: A @ W,
    "relu 8x128": lambda: np.maximum(A, 0),
    "sum 8x128": lambda: A.sum(),
    "MLP 20-128-256-4 fwd+bwd, batch 8": _numpy_mlp(),
}


def per_call_us(fns: dict, repeats: int) -> dict:
    """Median over ``repeats`` rounds of the mean µs per call of each function. The functions take turns within
    every round (about 10 ms each), so that a busy machine slows them alike and the ratios stay fair."""
    numbers = {}
    for name, fn in fns.items():
        fn()
        start, calls = time.perf_counter(), 0
        while time.perf_counter() - start < 0.01:
            fn()
            calls += 1
        numbers[name] = max(calls, 1)
    runs = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            number = numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            runs[name].append((time.perf_counter() - start) / number * 1e6)
    return {name: statistics.median(times) for name, times in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's own)")
    parser.add_argument("--profile", default=None, help="cProfile glasstorch on the row whose name starts with this")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    ours, theirs = _cases(glasstorch), _cases(torch)
    if args.profile:
        name = next(n for n in ours if n.startswith(args.profile))
        fn = ours[name]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20000 if not name.startswith("MLP") else 2000):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
        return
    print(f"per-call cost, µs (median of {args.repeats}); torch {torch.__version__} with {torch.get_num_threads()} "
          f"threads, NumPy {np.__version__}")
    header = f"{'operation':36} {'torch':>9} {'glasstorch':>11} {'numpy':>9} {'vs torch':>9} {'over numpy':>11}"
    print(header)
    print("-" * len(header))
    for name in ours:
        us = per_call_us({"torch": theirs[name], "glasstorch": ours[name], "numpy": NUMPY[name]}, args.repeats)
        t, g, n = us["torch"], us["glasstorch"], us["numpy"]
        print(f"{name:36} {t:9.2f} {g:11.2f} {n:9.2f} {t / g:8.2f}x {g - n:+10.2f}")
    print("vs torch: torch time / glasstorch time (above 1 = glasstorch faster); over numpy: glasstorch − NumPy, µs")


if __name__ == "__main__":
    main()
