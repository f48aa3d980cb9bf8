"""The floor for benchmark 1: the course's network and training loop written directly in NumPy
(20→128→256→4 ReLU MLP, softmax cross-entropy, SGD lr 1e-3, batch 8, shuffled each epoch).

Usage: python numpy_phone_price.py CSV [EPOCHS]
"""
import json
import sys
import time

import numpy as np


def load(path):
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    x, y = raw[:, :-1].astype(np.float32), raw[:, -1].astype(np.int64)
    order = np.random.RandomState(88).permutation(len(x))  # sklearn's train_test_split(train_size=0.8, random_state=88)
    test, train = order[:400], order[400:]
    return x[train], y[train], x[test], y[test]


def init(rng, fan_in, fan_out):
    bound = 1 / np.sqrt(fan_in)
    return (rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
            rng.uniform(-bound, bound, fan_out).astype(np.float32))


def train(x, y, epochs, lr=1e-3, batch=8):
    rng = np.random.default_rng(0)
    params = [*init(rng, 20, 128), *init(rng, 128, 256), *init(rng, 256, 4)]
    w1, b1, w2, b2, w3, b3 = params
    seconds = []
    for _ in range(epochs):
        start = time.time()
        order = rng.permutation(len(x))
        total = 0.0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            xb, yb = x[idx], y[idx]
            h1 = xb @ w1.T + b1
            a1 = np.maximum(h1, 0)
            h2 = a1 @ w2.T + b2
            a2 = np.maximum(h2, 0)
            z = a2 @ w3.T + b3
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            s = p.sum(axis=1, keepdims=True)
            n = len(yb)
            # −log p_iy = log Σe − z_iy: finite where p_iy underflows to 0 (the unscaled features make the logits large)
            total += float((np.log(s[:, 0]) - z[np.arange(n), yb]).mean())
            p /= s
            g = p
            g[np.arange(n), yb] -= 1
            g /= n
            gw3, gb3 = g.T @ a2, g.sum(0)
            g = (g @ w3) * (h2 > 0)
            gw2, gb2 = g.T @ a1, g.sum(0)
            g = (g @ w2) * (h1 > 0)
            gw1, gb1 = g.T @ xb, g.sum(0)
            for p_, g_ in zip(params, (gw1, gb1, gw2, gb2, gw3, gb3)):
                p_ -= lr * g_
        seconds.append(time.time() - start)
    return params, seconds


def accuracy(params, x, y):
    w1, b1, w2, b2, w3, b3 = params
    z = np.maximum(np.maximum(x @ w1.T + b1, 0) @ w2.T + b2, 0) @ w3.T + b3
    return float((z.argmax(1) == y).mean())


if __name__ == "__main__":
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    x_train, y_train, x_test, y_test = load(sys.argv[1])
    params, seconds = train(x_train, y_train, epochs)
    print(json.dumps({"epoch_seconds": seconds, "accuracy": accuracy(params, x_test, y_test)}))
