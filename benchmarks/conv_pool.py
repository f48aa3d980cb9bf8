"""Forward + backward of convolution and pooling layers: glasstorch vs torch (CPU), in one process.

    python benchmarks/conv_pool.py [--repeats 21] [--threads N]

Rows: Conv2d(3→16, 3×3) on a batch of 32×3×32×32 (the brief's reference case), the same with padding=1 and stride 2,
a depthwise Conv2d(16→16, groups=16), MaxPool2d(2) and AvgPool2d(3, 2, 1) on 32×16×32×32, and a small CNN
(Conv-ReLU-MaxPool-Conv-ReLU-AdaptiveAvgPool-Flatten-Linear). Each figure is the median over --repeats rounds
of the ms per call (loss = sum of the output, then backward); torch and glasstorch take turns within each round.
Never collected by pytest (not a test: no assertions on time).
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

import glasstorch

RNG = np.random.default_rng(0)


def _cnn(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                         nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))


CASES = {
    "Conv2d(3→16, 3×3), 32×3×32×32": (lambda lib: lib.nn.Conv2d(3, 16, 3), (32, 3, 32, 32)),
    "Conv2d(3→16, 3×3, pad 1, stride 2)": (lambda lib: lib.nn.Conv2d(3, 16, 3, stride=2, padding=1), (32, 3, 32, 32)),
    "depthwise Conv2d(16, 3×3, groups 16)": (lambda lib: lib.nn.Conv2d(16, 16, 3, padding=1, groups=16),
                                             (32, 16, 32, 32)),
    "MaxPool2d(2), 32×16×32×32": (lambda lib: lib.nn.MaxPool2d(2), (32, 16, 32, 32)),
    "AvgPool2d(3, 2, 1), 32×16×32×32": (lambda lib: lib.nn.AvgPool2d(3, 2, 1), (32, 16, 32, 32)),
    "small CNN, 32×3×32×32": (_cnn, (32, 3, 32, 32)),
}


def _step(lib, module, data):
    x = lib.tensor(data, requires_grad=True)

    def step():
        module(x).sum().backward()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's own)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"{'case':40} {'torch ms':>10} {'glasstorch ms':>14} {'ratio':>7}")
    for name, (build, shape) in CASES.items():
        data = RNG.standard_normal(shape).astype(np.float32)
        steps = {lib: _step(lib, build(lib), data) for lib in (torch, glasstorch)}
        times = {lib: [] for lib in steps}
        for _ in range(args.repeats):
            for lib, step in steps.items():
                start = time.perf_counter()
                step()
                times[lib].append(time.perf_counter() - start)
        ours, theirs = statistics.median(times[glasstorch]) * 1e3, statistics.median(times[torch]) * 1e3
        print(f"{name:40} {theirs:10.2f} {ours:14.2f} {ours / theirs:7.2f}")


if __name__ == "__main__":
    main()
