"""glasstorch.viz.draw: the boxes, edges, names, shapes, values and gradients of drawn graphs, read back from the SVG,
against the same graphs built in torch (node names, values, gradients)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest

import glasstorch
import glasstorch.nn as nn
import glasstorch.viz as viz

torch = pytest.importorskip("torch")

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


# ---- reading a drawing back ----------------------------------------------------------------------------------------
def parse(svg: str) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """{node id: {"title", "lines": [(class, text)]}} and the edges (source id, target id) of an SVG drawing."""
    root = ET.fromstring(svg)
    nodes, edges = {}, []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        if kind == "node":
            lines = [(t.get("class"), t.text or "") for t in group.iter(f"{SVG}text")]
            nodes[group.get("id")] = {"title": group.find(f"{SVG}title").text, "lines": lines}
        elif kind == "edge":
            source, target = group.find(f"{SVG}title").text.split("->")
            edges.append((source, target))
    return nodes, edges


def block(node: dict, prefix: str) -> np.ndarray | None:
    """The numbers of a box's "data ..." or "grad ..." lines (the first starts with the prefix, the rest continue)."""
    style = "value" if prefix == "data" else "grad"
    texts = [text for kind, text in node["lines"] if kind == style]
    if not texts:
        return None
    assert texts[0].startswith(prefix + " ")
    return np.array([float(x) for x in NUMBER.findall(" ".join(texts)[len(prefix):])])


def shape_of(node: dict) -> tuple:
    text = next(text for kind, text in node["lines"] if kind == "plain" and text.startswith("shape"))
    return tuple(int(x) for x in re.findall(r"\d+", text[text.index("("):text.index(")")]))


def by_title(nodes: dict) -> dict[str, dict]:
    return {n["title"]: n for n in nodes.values()}


def torch_node_names(t) -> Counter:
    """torch's node names in the graph of t, AccumulateGrad left out (the drawing shows the leaf instead)."""
    seen, stack, names = set(), [t.grad_fn], Counter()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if not node.name().endswith("AccumulateGrad"):
            names[node.name()] += 1
        stack.extend(n for n, _ in node.next_functions)
    return names


def drawn_op_names(nodes: dict) -> Counter:
    return Counter(text for n in nodes.values() for kind, text in n["lines"] if kind == "title")


def close(ours: np.ndarray, theirs, digits: int = 4) -> None:
    """Numbers printed to ``digits`` significant digits agree with torch's to that precision."""
    theirs = np.asarray(theirs, dtype=np.float64).reshape(-1)
    np.testing.assert_allclose(ours, theirs, rtol=10 ** (1 - digits), atol=10 ** (-digits - 2))


# ---- graphs ----------------------------------------------------------------------------------------------------------
def test_a_known_graph_has_its_nodes_edges_names_and_numbers():
    a = glasstorch.tensor([0.5, -1.0], requires_grad=True)
    b = glasstorch.tensor([2.0, 3.0], requires_grad=True)
    c = glasstorch.tensor(0.25, requires_grad=True)
    y = glasstorch.sigmoid(a * b + c).sum()
    y.backward()
    nodes, edges = parse(viz.draw(y).svg())
    ta, tb, tc = (torch.tensor(v, requires_grad=True) for v in ([0.5, -1.0], [2.0, 3.0], 0.25))
    ty = torch.sigmoid(ta * tb + tc).sum()
    ty.backward()
    assert drawn_op_names(nodes) == torch_node_names(ty)  # MulBackward0, AddBackward0, SigmoidBackward0, SumBackward0
    named = by_title(nodes)
    assert {"a", "b", "c"} <= set(named)  # the caller's variable names
    assert len(nodes) == 7 and len(edges) == 6
    root = ET.fromstring(viz.draw(y).svg())
    assert root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"  # viewers keep the padding
    ids = {title: key for key, title in ((k, n["title"]) for k, n in nodes.items())}
    assert (ids["a"], ids["MulBackward0"]) in edges and (ids["c"], ids["AddBackward0"]) in edges
    assert (ids["SigmoidBackward0"], ids["y"]) in edges  # the output box carries its variable's name
    for name, theirs in (("a", ta), ("b", tb), ("c", tc)):
        close(block(named[name], "data"), theirs.detach())
        close(block(named[name], "grad"), theirs.grad)
    close(block(named["y"], "data"), ty.detach())
    close(block(named["SigmoidBackward0"], "data"), torch.sigmoid(ta * tb + tc).detach())
    assert shape_of(named["a"]) == (2,) and shape_of(named["c"]) == ()


def test_mlp_with_cross_entropy_names_shapes_values_and_gradients_match_torch():
    generator = glasstorch.Generator().manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    with glasstorch.no_grad():
        for p in model.parameters():
            p.copy_(glasstorch.randn(p.shape, generator=generator))
    x = glasstorch.randn(2, 3, generator=generator)
    loss = nn.CrossEntropyLoss()(model(x), glasstorch.tensor([1, 0]))
    loss.backward()
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    with torch.no_grad():
        for (_, theirs), ours in zip(reference.named_parameters(), model.parameters()):
            theirs.copy_(torch.from_numpy(ours.detach().numpy()))
    their_loss = torch.nn.CrossEntropyLoss()(reference(torch.from_numpy(x.numpy())), torch.tensor([1, 0]))
    their_loss.backward()
    for params in (model.named_parameters(), dict(model.named_parameters()), model):
        nodes, edges = parse(viz.draw(loss, params=params, max_values=12).svg())
        named = by_title(nodes)
        for name, theirs in reference.named_parameters():
            assert shape_of(named[name]) == tuple(theirs.shape)
            close(block(named[name], "data"), theirs.detach())
            close(block(named[name], "grad"), theirs.grad)
        assert len(edges) == 7  # weight, bias → Addmm; → Relu; → Addmm with weight, bias; → loss
    weight_lines = [text for kind, text in by_title(nodes)["0.weight"]["lines"] if kind == "grad"]
    assert len(weight_lines) == 4 and len({len(t) for t in weight_lines}) == 1  # a matrix's rows line up
    assert all(t.startswith(" " * 6 + "[") for t in weight_lines[1:])  # under the first row of "grad [["
    loss_box = next(n for n in nodes.values() if n["title"] == "NllLossBackward0")
    close(block(loss_box, "data"), their_loss.detach())
    assert "ReluBackward0" in drawn_op_names(nodes) and "AddmmBackward0" in drawn_op_names(nodes)


def test_broadcasting_shapes_and_gradients():
    a = glasstorch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    b = glasstorch.tensor([0.5, -0.5, 1.5, 2.0], requires_grad=True)
    s = (a + b) * (a + b)
    out = s.mean()
    out.backward()
    ta, tb = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True), torch.tensor([0.5, -0.5, 1.5, 2.0],
                                                                                   requires_grad=True)
    ts = (ta + tb) * (ta + tb)
    ts.mean().backward()
    nodes, edges = parse(viz.draw(out, max_values=12).svg())
    named = by_title(nodes)
    assert drawn_op_names(nodes) == torch_node_names(ts.mean())
    assert shape_of(named["a"]) == (3, 1) and shape_of(named["b"]) == (4,) and shape_of(named["s"]) == (3, 4)
    close(block(named["a"], "grad"), ta.grad)
    close(block(named["b"], "grad"), tb.grad)
    close(block(named["s"], "data"), ts.detach())


def test_a_shared_subexpression_is_one_box_with_an_edge_per_use():
    x = glasstorch.tensor([1.5, -2.0], requires_grad=True)
    w = glasstorch.tensor([0.5, 0.25], requires_grad=True)
    shared = x * w
    z = (shared * shared + shared).sum()
    z.backward()
    nodes, edges = parse(viz.draw(z).svg())
    tx, tw = torch.tensor([1.5, -2.0], requires_grad=True), torch.tensor([0.5, 0.25], requires_grad=True)
    tshared = tx * tw
    tz = (tshared * tshared + tshared).sum()
    tz.backward()
    assert drawn_op_names(nodes) == torch_node_names(tz)
    key = next(k for k, n in nodes.items() if n["title"] == "shared")
    assert sum(1 for source, _ in edges if source == key) == 3  # twice into the product, once into the sum
    close(block(by_title(nodes)["x"], "grad"), tx.grad)
    close(block(by_title(nodes)["w"], "grad"), tw.grad)


def test_values_and_grads_can_be_left_out_and_large_tensors_show_only_their_shape():
    w = glasstorch.ones(3, 4, requires_grad=True)
    y = (w * 2).sum()
    y.backward()
    nodes, _ = parse(viz.draw(y, params={"w": w}).svg())
    assert block(by_title(nodes)["w"], "data") is None and shape_of(by_title(nodes)["w"]) == (3, 4)
    nodes, _ = parse(viz.draw(y, params={"w": w}, max_values=12, grads=False).svg())
    assert block(by_title(nodes)["w"], "data") is not None and block(by_title(nodes)["w"], "grad") is None
    nodes, _ = parse(viz.draw(y, params={"w": w}, max_values=12, values=False).svg())
    assert block(by_title(nodes)["w"], "data") is None
    np.testing.assert_allclose(block(by_title(nodes)["w"], "grad"), np.full(12, 2.0))


def test_a_retained_intermediate_gradient_is_shown():
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    y = (h ** 2).sum()
    y.backward()
    nodes, _ = parse(viz.draw(y).svg())
    np.testing.assert_allclose(block(by_title(nodes)["h"], "grad"), [6.0, 12.0])


def graph_of_about(nodes: int):
    """A loop of tanh(h·W + x·U + b) steps: five nodes per step, W, U and b shared by every step."""
    generator = glasstorch.Generator().manual_seed(0)
    W = glasstorch.randn(4, 4, generator=generator, requires_grad=True)
    U = glasstorch.randn(3, 4, generator=generator, requires_grad=True)
    b = glasstorch.zeros(4, requires_grad=True)
    h = glasstorch.zeros(1, 4)
    for _ in range(nodes // 5):
        h = glasstorch.tanh(h @ W + glasstorch.randn(1, 3, generator=generator) @ U + b)
    return h.sum(), {"W": W, "U": U, "b": b}


def test_a_500_node_graph_draws(tmp_path):
    out, params = graph_of_about(500)
    drawing = viz.draw(out, params=params)
    nodes, edges = parse(drawing.svg())
    assert drawn_op_names(nodes) == torch_node_names_of_loop(100)
    assert sum(1 for n in nodes.values() if n["title"] == "W") >= 2  # the shared weight is drawn beside its uses
    assert len(nodes) >= 504 and len(edges) == 8 * 100  # per step h, W → mm; U → mm; 2 → add; b → add; → tanh
    # (the first step's h is a constant: one edge fewer; the final sum: one more)
    drawing.save(tmp_path / "big.png")
    assert (tmp_path / "big.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw(out, params=params, max_nodes=100)


def torch_node_names_of_loop(steps: int) -> Counter:
    W, U = torch.randn(4, 4, requires_grad=True), torch.randn(3, 4, requires_grad=True)
    b, h = torch.zeros(4, requires_grad=True), torch.zeros(1, 4)
    for _ in range(steps):
        h = torch.tanh(h @ W + torch.randn(1, 3) @ U + b)
    return torch_node_names(h.sum())


def test_a_leaf_alone_is_one_box():
    w = glasstorch.tensor([1.0, -2.0], requires_grad=True)
    nodes, edges = parse(viz.draw(w).svg())
    assert [n["title"] for n in nodes.values()] == ["w"] and edges == []
    np.testing.assert_allclose(block(next(iter(nodes.values())), "data"), [1.0, -2.0])
