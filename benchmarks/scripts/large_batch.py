"""Benchmark 2: a 20→512→512→4 MLP trained with SGD on 65,536 synthetic rows in batches of 1024.

Usage: python large_batch.py torch|glasstorch|numpy [EPOCHS]   → prints {"samples_per_second": ...} as JSON.
The same function trains torch and glasstorch (``lib`` is the module); NumPy is the hand-written floor.
"""
import importlib
import json
import sys
import time

import numpy as np

ROWS, FEATURES, CLASSES, BATCH, HIDDEN = 65_536, 20, 4, 1024, 512


def make_data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((ROWS, FEATURES)).astype(np.float32)
    y = (x[:, :4] @ rng.standard_normal(4) > 0).astype(np.int64) + 2 * (x[:, 4] > 0)
    return x, y


def train_library(lib, x, y, epochs):
    nn = lib.nn
    lib.manual_seed(0)
    model = nn.Sequential(nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                          nn.Linear(HIDDEN, CLASSES))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.05)
    criterion = nn.CrossEntropyLoss()
    xs, ys = lib.from_numpy(x), lib.from_numpy(y)
    loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(xs, ys), batch_size=BATCH, shuffle=True)
    start = time.perf_counter()
    for _ in range(epochs):
        for xb, yb in loader:
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start, loss.item()


def train_numpy(x, y, epochs, lr=0.05):
    rng = np.random.default_rng(0)
    sizes = [(FEATURES, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, CLASSES)]
    params = []
    for fan_in, fan_out in sizes:
        bound = 1 / np.sqrt(fan_in)
        params += [rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                   rng.uniform(-bound, bound, fan_out).astype(np.float32)]
    w1, b1, w2, b2, w3, b3 = params
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(ROWS)
        for i in range(0, ROWS, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = x[idx], y[idx]
            h1 = xb @ w1.T + b1
            a1 = np.maximum(h1, 0)
            h2 = a1 @ w2.T + b2
            a2 = np.maximum(h2, 0)
            z = a2 @ w3.T + b3
            p = np.exp(z - z.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            n = len(yb)
            loss = float(-np.log(p[np.arange(n), yb]).mean())
            p[np.arange(n), yb] -= 1
            g = p / n
            grads = [None] * 6
            grads[4], grads[5] = g.T @ a2, g.sum(0)
            g = (g @ w3) * (h2 > 0)
            grads[2], grads[3] = g.T @ a1, g.sum(0)
            g = (g @ w2) * (h1 > 0)
            grads[0], grads[1] = g.T @ xb, g.sum(0)
            for p_, g_ in zip(params, grads):
                p_ -= lr * g_
    return time.perf_counter() - start, loss


if __name__ == "__main__":
    which = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    x, y = make_data()
    if which == "numpy":
        seconds, loss = train_numpy(x, y, epochs)
    else:
        lib = importlib.import_module(which)
        if which == "torch":
            lib.set_num_threads(2)
        seconds, loss = train_library(lib, x, y, epochs)
    print(json.dumps({"samples_per_second": ROWS * epochs / seconds, "loss": loss}))
