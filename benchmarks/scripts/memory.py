"""Benchmark 4: peak memory and memory growth across epochs of the course's network on glasstorch.

Usage: python memory.py [EPOCHS]  → prints JSON: peak traced MiB and the traced MiB after each epoch.
A graph that is never freed shows up as growth from one epoch to the next.
"""
import json
import sys
import tracemalloc

import numpy as np

import glasstorch as torch
from glasstorch import nn


def main(epochs: int) -> None:
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((1600, 20)).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, 4, 1600))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 4))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8, shuffle=True)
    tracemalloc.start()
    after_epoch = []
    for _ in range(epochs):
        for xb, yb in loader:
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        after_epoch.append(tracemalloc.get_traced_memory()[0] / 2 ** 20)
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    print(json.dumps({"peak_mib": peak, "after_epoch_mib": after_epoch}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
