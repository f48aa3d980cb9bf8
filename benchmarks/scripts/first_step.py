"""Benchmark 3b: seconds from interpreter start to the end of the first training step (course network, batch 8).

Usage: python first_step.py torch|glasstorch → prints {"seconds": ...}; the launcher passes its start time in
GLASSTORCH_BENCH_T0 (time.time() before starting this process).
"""
import importlib
import json
import os
import sys
import time

lib = importlib.import_module(sys.argv[1])
nn = lib.nn
model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 4))
optimizer = lib.optim.SGD(model.parameters(), lr=1e-3)
loss = nn.CrossEntropyLoss()(model(lib.randn(8, 20)), lib.randint(0, 4, (8,)))
optimizer.zero_grad()
loss.backward()
optimizer.step()
print(json.dumps({"seconds": time.time() - float(os.environ["GLASSTORCH_BENCH_T0"])}))
