"""The course's network drawn by ``explain --draw``, explanations and summaries in a notebook (HTML), and the drawing's
outputs: PNG with drawn pixels, atomic save by suffix, no display needed, Graphviz only on request."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import glasstorch
import glasstorch.viz as viz
from glasstorch.companion import explain
from glasstorch.companion.backprop import CONNECTIONS, INPUTS, TARGETS, WEIGHTS, draw_network, worked_example
from glasstorch.viz.scene import dot_available, text_size

torch = pytest.importorskip("torch")

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str, kind: str) -> dict[str, list[str]]:
    """{title: its text lines} for the SVG's groups of class ``kind`` ("node", or "edge-label" keyed by id)."""
    root = ET.fromstring(svg)
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == kind:
            title = group.find(f"{SVG}title")
            key = title.text if title is not None else group.get("id")
            found[key] = [t.text for t in group.iter(f"{SVG}text")]
    return found


def torch_course_network():
    """The course's forward pass and gradients in torch (float64): the oracle for the drawn numbers."""
    w = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in WEIGHTS.items()}
    i1, i2 = INPUTS
    values = {}
    values["net_h1"] = w["w1"] * i1 + w["w2"] * i2 + w["b1"]
    values["net_h2"] = w["w3"] * i1 + w["w4"] * i2 + w["b1"]
    values["out_h1"], values["out_h2"] = torch.sigmoid(values["net_h1"]), torch.sigmoid(values["net_h2"])
    values["net_o1"] = w["w5"] * values["out_h1"] + w["w6"] * values["out_h2"] + w["b2"]
    values["net_o2"] = w["w7"] * values["out_h1"] + w["w8"] * values["out_h2"] + w["b2"]
    values["out_o1"], values["out_o2"] = torch.sigmoid(values["net_o1"]), torch.sigmoid(values["net_o2"])
    values["E_o1"] = 0.5 * (TARGETS[0] - values["out_o1"]) ** 2
    values["E_o2"] = 0.5 * (TARGETS[1] - values["out_o2"]) ** 2
    total = values["E_o1"] + values["E_o2"]
    total.backward()
    return {k: v.item() for k, v in values.items()} | {"E": total.item()}, {k: v.grad.item() for k, v in w.items()}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    path = tmp_path_factory.mktemp("course") / "network.svg"
    printed = io.StringIO()
    result = worked_example(file=printed, draw=path)
    return result, printed.getvalue(), path.read_text(encoding="utf-8")


def test_the_course_network_has_every_neuron_weight_and_number(course):
    result, printed, svg = course
    values, grads = torch_course_network()
    nodes = texts(svg, "node")
    assert {"i1", "i2", "h1", "h2", "o1", "o2", "b1", "b2", "E_o1", "E_o2", "E"} <= set(nodes)
    for neuron in ("h1", "h2", "o1", "o2"):
        net, out = (float(line.split()[1]) for line in nodes[neuron][1:3])
        assert nodes[neuron][1].startswith("net ") and nodes[neuron][2].startswith("out ")
        assert net == pytest.approx(values[f"net_{neuron}"], abs=1e-8)
        assert out == pytest.approx(values[f"out_{neuron}"], abs=1e-8)
    labels = [lines for lines in texts(svg, "edge-label").values()]
    assert len(labels) == len(CONNECTIONS)
    for (source, target), weight in CONNECTIONS.items():
        label = next(lines for lines in labels if lines[0].startswith(f"{weight} = "))
        shown = float(label[1].split("=")[1])
        assert label[1].startswith(f"∂E/∂{weight} = ")
        assert shown == pytest.approx(grads[weight], abs=1e-8)  # torch's gradient, to the 8 decimals shown
        number = label[1].split("= ")[1]
        shown_in_text = f"= ({number})\n" if number.startswith("-") else f"= {number}\n"  # (-x) in the text's sums
        assert number == f"{result.gradients[weight]:.8f}" and shown_in_text in printed  # the text's number
    for bias in ("b1", "b2"):
        assert float(nodes[bias][1].split("=")[1]) == pytest.approx(grads[bias], abs=1e-8)
    assert float(nodes["E"][0].split("=")[1]) == pytest.approx(values["E"], abs=1e-8)
    assert nodes["E_o1"][1] == f"target {TARGETS[0]:g}"
    edges = {(e.split("->")[0], e.split("->")[1]) for e in
             (g.find(f"{SVG}title").text for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "edge")}
    assert set(CONNECTIONS) <= edges and {("b1", "h1"), ("b2", "o2"), ("o1", "E_o1"), ("E_o2", "E")} <= edges


def test_nothing_overlaps_in_the_course_network(course):
    result, _, _ = course
    drawing = draw_network(result)
    rects = [(b.key, b.x - b.w / 2, b.y - b.h / 2, b.x + b.w / 2, b.y + b.h / 2) for b in drawing.boxes]
    for edge in drawing.edges:
        if edge.label:
            w, h = text_size(edge.label)
            rects.append((edge.label[0][0], edge.label_at[0] - w / 2, edge.label_at[1] - h / 2,
                          edge.label_at[0] + w / 2, edge.label_at[1] + h / 2))
    for i, a in enumerate(rects):
        assert 0 <= a[1] and a[3] <= drawing.width and 0 <= a[2] and a[4] <= drawing.height, a
        for b in rects[i + 1:]:
            assert a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2], (a, b)


def test_explain_draw_saves_the_named_graph(tmp_path):
    x = glasstorch.tensor(1.5, dtype=glasstorch.float64, requires_grad=True)
    w = glasstorch.tensor(-0.5, dtype=glasstorch.float64, requires_grad=True)
    z = w * x
    out = glasstorch.sigmoid(z)
    result = explain(out, {"x": x, "w": w, "z": z}, quiet=True, digits=6, draw=tmp_path / "e.svg")
    nodes = texts((tmp_path / "e.svg").read_text(encoding="utf-8"), "node")
    assert set(nodes) == {"x", "w", "z", "output"}
    assert nodes["z"][1] == f"= {-0.75:.6f}"
    tx, tw = torch.tensor(1.5, dtype=torch.float64, requires_grad=True), torch.tensor(-0.5, dtype=torch.float64,
                                                                                     requires_grad=True)
    torch.sigmoid(tw * tx).backward()
    assert nodes["x"][2] == f"∂output/∂x = {tx.grad.item():.6f}" == f"∂output/∂x = {result.gradients['x']:.6f}"
    labels = sorted(t for lines in texts((tmp_path / "e.svg").read_text(encoding="utf-8"), "edge-label").values()
                    for t in lines)
    assert labels == sorted(f"{d:.6f}" for d in result.local.values()) and len(labels) == 3


def test_the_explain_command_draws(tmp_path):
    from glasstorch.companion.cli import main

    with contextlib.redirect_stdout(io.StringIO()) as printed:
        assert main(["explain", "--digits", "6", "--draw", str(tmp_path / "course.png")]) == 0
    assert (tmp_path / "course.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(tmp_path / "course.png") in printed.getvalue()
    with contextlib.redirect_stdout(io.StringIO()) as printed, contextlib.redirect_stderr(io.StringIO()) as errors:
        assert main(["explain", "--draw", str(tmp_path / "course.pdf")]) == 2
    assert "should end in .svg or .png" in errors.getvalue() and printed.getvalue() == ""
    assert not (tmp_path / "course.pdf").exists()


def test_png_is_drawn_and_save_chooses_by_suffix(tmp_path, course):
    import matplotlib.image

    result, _, _ = course
    drawing = draw_network(result)
    path = drawing.save(tmp_path / "sub" / "net.png")
    pixels = matplotlib.image.imread(path)[..., :3]
    assert pixels.shape[0] > 400 and pixels.shape[1] > 1000
    drawn = np.abs(pixels - 1.0).sum(axis=-1) > 0.1
    assert 0.03 < drawn.mean() < 0.6 and pixels.std() > 0.05
    assert drawing.save(tmp_path / "net.SVG").read_text(encoding="utf-8").startswith("<?xml")
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        drawing.save(tmp_path / "net.pdf")
    (tmp_path / "keep.svg").write_text("old")
    with pytest.raises(ValueError):
        drawing.save(tmp_path / "keep.jpg")
    assert (tmp_path / "keep.svg").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.svg", "net.SVG", "sub"]  # no temporary file left


def test_drawing_needs_no_display(tmp_path):
    code = ("import sys, glasstorch as g, glasstorch.viz as viz\n"
            "x = g.tensor([1.0, 2.0], requires_grad=True)\n"
            "viz.draw((x * x).sum()).save(sys.argv[1])\n"
            "assert 'matplotlib.pyplot' not in sys.modules\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "g.png")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "g.png").stat().st_size > 1000


def test_notebook_display():
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    drawing = viz.draw((x * 3).sum())
    assert drawing._repr_svg_().startswith("<?xml") and "<svg" in drawing._repr_html_()
    result = worked_example(quiet=True)
    html = result._repr_html_()
    assert html.count("<table>") == 3 and "∂E/∂w5" not in str(result).split("Backward")[0]
    for name, value in result.values.items():
        assert f"<td>{name}</td>" in html and f"{value:.8f}" in html
    for name, g in result.gradients.items():
        assert f"{g:.8f}" in html and f"{result.updated[name]:.8f}" in html
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        summary = glasstorch.summary(glasstorch.nn.Sequential(glasstorch.nn.Linear(20, 128), glasstorch.nn.ReLU(),
                                                              glasstorch.nn.Linear(128, 4)), input_size=(20,))
    assert str(summary) == printed.getvalue().rstrip("\n")
    html = summary._repr_html_()
    assert "<td>Linear-1</td>" in html and "<td>2,688</td>" in html and "Total params: 3,204" in html


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="requires_grad"):
        viz.draw(glasstorch.ones(3))
    with pytest.raises(TypeError, match="expected a tensor"):
        viz.draw([1.0])
    x = glasstorch.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="params"):
        viz.draw(x.sum(), params=[1, 2])
    with pytest.raises(ValueError, match="renderer"):
        viz.draw(x.sum(), renderer="cairo")


def test_graphviz_only_on_request():
    x = glasstorch.ones(2, requires_grad=True)
    drawing = viz.draw((x * 2).sum(), params={"x": x})
    assert drawing.renderer == "builtin"
    dot = drawing.to_dot()
    assert dot.startswith("digraph {") and '"node0" [label="SumBackward0' in dot and '"node2" -> "node1"' in dot
    if dot_available():
        assert "<svg" in viz.draw((x * 2).sum(), renderer="dot").svg()
    else:
        assert viz.draw((x * 2).sum(), renderer="auto").renderer == "builtin"
        with pytest.raises(RuntimeError, match="dot"):
            viz.draw((x * 2).sum(), renderer="dot").svg()
