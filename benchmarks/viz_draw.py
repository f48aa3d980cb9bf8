"""Time to draw computation graphs with glasstorch.viz, and the size of what is written.

    python benchmarks/viz_draw.py [--repeats 3]

Rows: the course's network (explain --draw), a small MLP's cross-entropy loss, and loops of tanh(h·W + x·U + b)
steps (five nodes a step, W, U and b shared) of about 100, 250 and 500 nodes. Columns: nodes, the time to build the
drawing (walk the graph + layered layout), to write the SVG and the PNG (median of --repeats, seconds), and the
sizes of both files. Never collected by pytest (not a test: no assertions on time).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import glasstorch
import glasstorch.nn as nn
import glasstorch.viz as viz
from glasstorch.companion.backprop import draw_network, worked_example


def loop(nodes: int):
    generator = glasstorch.Generator().manual_seed(0)
    W = glasstorch.randn(4, 4, generator=generator, requires_grad=True)
    U = glasstorch.randn(3, 4, generator=generator, requires_grad=True)
    b = glasstorch.zeros(4, requires_grad=True)
    h = glasstorch.zeros(1, 4)
    for _ in range(nodes // 5):
        h = glasstorch.tanh(h @ W + glasstorch.randn(1, 3, generator=generator) @ U + b)
    out = h.sum()
    out.backward()
    return lambda: viz.draw(out, params={"W": W, "U": U, "b": b}, max_nodes=10_000)


def mlp():
    glasstorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    loss = nn.CrossEntropyLoss()(model(glasstorch.randn(2, 3)), glasstorch.tensor([0, 1]))
    loss.backward()
    return lambda: viz.draw(loss, params=model.named_parameters())


def course():
    result = worked_example(quiet=True)
    return lambda: draw_network(result)


def timed(function, repeats: int):
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cases = [("course network (explain --draw)", course()), ("MLP cross-entropy loss", mlp()),
             ("loop, ~100 nodes", loop(100)), ("loop, ~250 nodes", loop(250)), ("loop, ~500 nodes", loop(500))]
    print("| graph | boxes | layout s | SVG s | PNG s | SVG KiB | PNG KiB | PNG pixels |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, make in cases:
            layout_s, drawing = timed(make, args.repeats)
            svg_s, _ = timed(lambda: drawing.save(Path(folder) / "g.svg"), args.repeats)
            png_s, _ = timed(lambda: drawing.save(Path(folder) / "g.png"), args.repeats)
            import matplotlib.image

            height, width = matplotlib.image.imread(Path(folder) / "g.png").shape[:2]
            print(f"| {label} | {len(drawing.boxes)} | {layout_s:.3f} | {svg_s:.3f} | {png_s:.2f} | "
                  f"{(Path(folder) / 'g.svg').stat().st_size / 1024:.0f} | "
                  f"{(Path(folder) / 'g.png').stat().st_size / 1024:.0f} | {width}×{height} |")


if __name__ == "__main__":
    main()
