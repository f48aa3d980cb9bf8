"""Seconds per call of the big random draws, for one library (torch or glasstorch), as one JSON line: 10^6 float32
rand and uniform_, 10^6 float32 randn, randperm(10^6). Each figure is the median of --repeats calls after a warm-up.

Usage: python random_draws.py torch|glasstorch [REPEATS]
"""
import importlib
import json
import statistics
import sys
import time


def main() -> None:
    lib = importlib.import_module(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    n = 10 ** 6
    buffer = lib.empty(n)
    cases = {
        "rand": lambda: lib.rand(n),
        "uniform_": lambda: buffer.uniform_(-0.1, 0.1),
        "randn": lambda: lib.randn(n),
        "randperm": lambda: lib.randperm(n),
        "linear_init": lambda: lib.nn.Linear(512, 512),
    }
    lib.manual_seed(0)
    results = {}
    for name, call in cases.items():
        call()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        results[name] = statistics.median(times)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
