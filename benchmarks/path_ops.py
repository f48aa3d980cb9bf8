"""Per-call cost of the reading path's functions (docs/READING.md), to check that tidying them costs no speed:

    python benchmarks/path_ops.py [--repeats 15] [--json] [--best]

Rows: F.linear and nn.Linear (8×128 → 256), relu, matmul of a vector, F.cross_entropy forward + backward (8×4),
a whole training step of a 20→128→256→4 MLP (zero_grad, forward, CrossEntropyLoss, backward, SGD with momentum),
Adam's step on that model, dropout and batch_norm on 8×128, one epoch of a DataLoader (TensorDataset, 256 rows,
batch 32) and default_collate of 32 (tensor, int) samples. Each figure is the median over --repeats rounds of the
mean µs per call (``--best``: the fastest round, steadier on a shared machine). To compare two versions run it
under each (PYTHONPATH=...) in turn. Never collected by pytest.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

import glasstorch as gt
from glasstorch import nn
from glasstorch.nn import functional as F
from glasstorch.utils.data import DataLoader, TensorDataset, default_collate

RNG = np.random.default_rng(0)


def _t(*shape, grad=False):
    return gt.tensor(RNG.standard_normal(shape).astype(np.float32), requires_grad=grad)


def cases() -> dict:
    gt.manual_seed(0)
    x, w, b = _t(8, 128), _t(256, 128, grad=True), _t(256, grad=True)
    layer = nn.Linear(128, 256)
    logits, target = _t(8, 4, grad=True), gt.tensor(RNG.integers(0, 4, 8))
    vec, mat = _t(128, grad=True), _t(128, 256, grad=True)
    model, other = (nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 4))
                    for _ in range(2))
    inputs, loss_fn = _t(8, 20), nn.CrossEntropyLoss()
    sgd = gt.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    adam = gt.optim.Adam(other.parameters(), lr=1e-3)  # (a model of its own: SGD's stays finite)
    mean, var = gt.zeros(128), gt.ones(128)
    loader = DataLoader(TensorDataset(_t(256, 20), gt.tensor(RNG.integers(0, 4, 256))), batch_size=32, shuffle=True)
    samples = [(_t(20), int(i % 4)) for i in range(32)]

    def ce():
        F.cross_entropy(logits, target).backward()

    def train_step():
        sgd.zero_grad()
        loss_fn(model(inputs), target).backward()
        sgd.step()

    def epoch():
        for _ in loader:
            pass

    loss_fn(other(inputs), target).backward()  # gradients for adam.step
    return {"F.linear": lambda: F.linear(x, w, b), "nn.Linear": lambda: layer(x), "relu": lambda: F.relu(x),
            "matmul vector": lambda: vec @ mat, "cross_entropy f+b": ce, "train step (SGD)": train_step,
            "Adam.step": adam.step, "dropout": lambda: F.dropout(x, 0.5), "batch_norm": lambda: F.batch_norm(
                x, mean, var, training=True), "DataLoader epoch": epoch,
            "default_collate": lambda: default_collate(samples)}


def per_call_us(fn, seconds: float = 0.05) -> float:
    n = 1
    while True:  # calls per round: enough for `seconds`
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / n * 1e6
        n *= 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--best", action="store_true", help="the fastest round instead of the median")
    args = parser.parse_args()
    fns = cases()
    rounds = {name: [] for name in fns}
    for _ in range(args.repeats):
        for name, fn in fns.items():
            rounds[name].append(per_call_us(fn))
    pick = min if args.best else statistics.median
    figures = {name: pick(values) for name, values in rounds.items()}
    if args.json:
        print(json.dumps(figures))
    else:
        for name, us in figures.items():
            print(f"{name:20s} {us:9.2f} µs")


if __name__ == "__main__":
    main()
