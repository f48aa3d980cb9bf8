"""A layered (Sugiyama-style) layout of a directed acyclic graph, top to bottom, in four plain steps:

1. **Layering** by longest path to the sink: ``rank(v) = 0`` for a node nothing uses, ``1 + max(rank(users))``
   otherwise; layer = max rank − rank. Every edge points down, and an input (a parameter) sits just above the first
   operation that needs it instead of in one crowded top row.
2. **Dummy nodes** cut an edge that spans k > 1 layers into k segments, so the long edges take part in ordering
   and are routed between the boxes.
3. **Ordering** by barycentre sweeps: layer by layer, downwards then upwards, each node moves to the mean position
   of its neighbours in the layer before; the order with the fewest crossings seen is kept.
4. **Coordinates**: y by layer (each layer as tall as its tallest box); x by a few sweeps in which every node wants
   the mean x of its heaviest neighbours, a node's weight being the longest path that reaches it (and sources count
   only when there is nothing else: an input follows the operation that uses it), so the long chain of a loop stays
   straight and its short branches sit beside it, while equal branches stay symmetric; then the layer's x's closest
   to those wishes (least squares weighted by the cubes of the weights, so the heavy node of a pool barely moves)
   that keep the order and the gaps are found exactly by pool-adjacent-violators (isotonic regression).

Edges come back as lists of points: from the bottom of the source box through the dummy nodes to the top of the
target box, the ends of several edges spread along a box's side so that their arrowheads do not coincide.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field

__all__ = ["Layout", "layered_layout", "ranks"]

LAYER_GAP = 46.0   # vertical space between layers (px)
NODE_GAP = 22.0    # horizontal space between boxes
DUMMY_GAP = 8.0    # horizontal space next to an edge's dummy node
SWEEPS = 12


@dataclass
class Layout:
    """Box centres (x, y), the canvas size and each edge's points, in pixels."""

    x: list[float]
    y: list[float]
    width: float
    height: float
    edges: list[list[tuple[float, float]]] = field(default_factory=list)
    layers: int = 0


def layered_layout(sizes: list[tuple[float, float]], edges: list[tuple[int, int]], margin: float = 16.0,
                   layer_gap: float = LAYER_GAP) -> Layout:
    """Lays out nodes with box ``sizes`` (width, height) and ``edges`` (source, target): sources above targets."""
    n = len(sizes)
    users: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        users[u].append(v)
    rank = ranks(n, users)
    top = max(rank, default=0)
    layer_of = [top - r for r in rank]
    # nodes with dummies: index ≥ n are dummies; chains[e] = the nodes edge e passes through
    layer_of_all, widths, heights = list(layer_of), [w for w, _ in sizes], [h for _, h in sizes]
    chains = []
    for u, v in edges:
        chain = [u]
        for layer in range(layer_of[u] + 1, layer_of[v]):
            layer_of_all.append(layer)
            widths.append(0.0)
            heights.append(0.0)
            chain.append(len(layer_of_all) - 1)
        chain.append(v)
        chains.append(chain)
    total = len(layer_of_all)
    up: list[list[int]] = [[] for _ in range(total)]    # neighbours in the layer above
    down: list[list[int]] = [[] for _ in range(total)]  # neighbours in the layer below
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            down[a].append(b)
            up[b].append(a)
    layers: list[list[int]] = [[] for _ in range(top + 1)]
    for v in _initial_order(total, up, down, layer_of_all):
        layers[layer_of_all[v]].append(v)
    layers = _order(layers, up, down)
    xs = _x_coordinates(layers, up, down, widths, n)
    ys, height = _y_coordinates(layers, heights, margin, layer_gap)
    left = min((xs[v] - widths[v] / 2 for v in range(total)), default=0.0)
    right = max((xs[v] + widths[v] / 2 for v in range(total)), default=0.0)
    shift = margin - left
    xs = [x + shift for x in xs]
    routes = _routes(chains, xs, ys, widths, heights, n)
    return Layout(xs[:n], ys[:n], right - left + 2 * margin, height, routes, top + 1)


def ranks(n: int, users: list[list[int]]) -> list[int]:
    """Longest path from each node to a node without users, iteratively (a reverse topological order)."""
    indegree = [0] * n
    for targets in users:
        for v in targets:
            indegree[v] += 1
    order, stack = [], [v for v in range(n) if indegree[v] == 0]
    while stack:
        u = stack.pop()
        order.append(u)
        for v in users[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                stack.append(v)
    if len(order) != n:
        raise ValueError("the graph has a cycle")
    rank = [0] * n
    for u in reversed(order):
        if users[u]:
            rank[u] = 1 + max(rank[v] for v in users[u])
    return rank


def _initial_order(total: int, up, down, layer_of) -> list[int]:
    """Depth-first from the bottom layer upwards, inputs in their order, so that a chain starts out in one column."""
    seen, order = [False] * total, []
    roots = sorted((v for v in range(total) if not down[v]), key=lambda v: -layer_of[v])
    for root in roots:
        stack = [root]
        while stack:
            v = stack.pop()
            if seen[v]:
                continue
            seen[v] = True
            order.append(v)
            stack.extend(reversed(up[v]))
    order.extend(v for v in range(total) if not seen[v])
    return order


def _crossings(layers, down) -> int:
    """Edge crossings between consecutive layers: with the edges sorted by (upper, lower) position, the pairs whose
    lower positions are inverted."""
    count = 0
    for upper, lower in zip(layers, layers[1:]):
        position = {v: i for i, v in enumerate(lower)}
        ends = [b for _, b in sorted((i, position[w]) for i, v in enumerate(upper) for w in down[v])]
        seen: list[int] = []
        for b in ends:
            count += len(seen) - bisect_right(seen, b)
            insort(seen, b)
    return count


def _order(layers, up, down):
    best, best_crossings = [list(layer) for layer in layers], _crossings(layers, down)
    for sweep in range(SWEEPS):
        downwards = sweep % 2 == 0
        sequence = range(1, len(layers)) if downwards else range(len(layers) - 2, -1, -1)
        for i in sequence:
            reference = layers[i - 1] if downwards else layers[i + 1]
            position = {v: p for p, v in enumerate(reference)}
            neighbours = up if downwards else down
            keys = {}
            for p, v in enumerate(layers[i]):
                around = [position[w] for w in neighbours[v] if w in position]
                keys[v] = sum(around) / len(around) if around else p
            layers[i] = sorted(layers[i], key=lambda v: keys[v])
        crossings = _crossings(layers, down)
        if crossings < best_crossings:
            best, best_crossings = [list(layer) for layer in layers], crossings
    return best


def _isotonic_positions(wishes: list[float], gaps: list[float], weights: list[float]) -> list[float]:
    """x minimising Σ weight_i·(x_i − wish_i)² subject to x_{i+1} − x_i ≥ gap_i: with c_i = Σ_{j<i} gap_j and
    y = x − c, y must be non-decreasing, which pool-adjacent-violators solves exactly (a pool sits at the weighted
    mean of its wishes, so a heavy node keeps its place and light ones make room)."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks: list[list[float]] = []  # [weighted mean, total weight, count]
    for wish, offset, w in zip(wishes, offsets, weights):
        blocks.append([wish - offset, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, total, count = blocks.pop()
            previous = blocks[-1]
            previous[0] = (previous[0] * previous[1] + mean * total) / (previous[1] + total)
            previous[1] += total
            previous[2] += count
    ys = []
    for mean, _, count in blocks:
        ys.extend([mean] * count)
    return [y + offset for y, offset in zip(ys, offsets)]


def _x_coordinates(layers, up, down, widths, real: int) -> list[float]:
    xs = [0.0] * len(widths)

    def gaps(layer):
        return [(widths[a] + widths[b]) / 2 + (NODE_GAP if a < real and b < real else DUMMY_GAP)
                for a, b in zip(layer, layer[1:])]

    for layer in layers:
        x = 0.0
        for i, v in enumerate(layer):
            if i:
                x += gaps(layer[i - 1:i + 1])[0]
            xs[v] = x
    # a node's weight: the longest path that reaches it (the long chain of a loop outweighs its short side branches)
    weight = [1.0] * len(widths)
    for layer in layers:
        for v in layer:
            if up[v]:
                weight[v] = 1.0 + max(weight[w] for w in up[v])
    for sweep in range(8):
        downwards = sweep % 2 == 0
        sequence = range(len(layers)) if downwards else range(len(layers) - 1, -1, -1)
        for i in sequence:
            layer = layers[i]
            wishes = []
            for v in layer:
                around = up[v] if downwards else down[v]
                if sweep >= 6:
                    around = up[v] + down[v]
                anchored = [w for w in around if up[w]]  # a source (an input) follows its users, not they it
                around = anchored or around
                heaviest = max((weight[w] for w in around), default=0.0)
                around = [w for w in around if weight[w] == heaviest]
                wishes.append(sum(xs[w] for w in around) / len(around) if around else xs[v])
            for v, x in zip(layer, _isotonic_positions(wishes, gaps(layer), [weight[v] ** 3 for v in layer])):
                xs[v] = x
    return xs


def _y_coordinates(layers, heights, margin: float, gap: float) -> tuple[list[float], float]:
    ys = [0.0] * len(heights)
    top = margin
    for layer in layers:
        tallest = max((heights[v] for v in layer), default=0.0)
        for v in layer:
            ys[v] = top + tallest / 2
        top += tallest + gap
    return ys, top - gap + margin


def _routes(chains, xs, ys, widths, heights, real: int) -> list[list[tuple[float, float]]]:
    """Points of every edge; where several edges meet a box's side, their ends spread along it in x order."""
    outgoing: dict[int, list[int]] = {}
    incoming: dict[int, list[int]] = {}
    for e, chain in enumerate(chains):
        outgoing.setdefault(chain[0], []).append(e)
        incoming.setdefault(chain[-1], []).append(e)

    def spread(node: int, members: list[int], toward) -> dict[int, float]:
        members = sorted(members, key=toward)
        step = min(18.0, widths[node] * 0.8 / max(len(members), 1))
        return {e: xs[node] + (i - (len(members) - 1) / 2) * step for i, e in enumerate(members)}

    starts, ends = {}, {}
    for node, members in outgoing.items():
        starts.update(spread(node, members, lambda e: xs[chains[e][1]]))
    for node, members in incoming.items():
        ends.update(spread(node, members, lambda e: xs[chains[e][-2]]))
    routes = []
    for e, chain in enumerate(chains):
        u, v = chain[0], chain[-1]
        points = [(starts[e], ys[u] + heights[u] / 2)]
        points += [(xs[d], ys[d]) for d in chain[1:-1]]
        points.append((ends[e], ys[v] - heights[v] / 2))
        routes.append(points)
    return routes
