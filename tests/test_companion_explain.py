"""explain: the course's backpropagation numbers, the chain rule over every path, and names from the caller."""
from __future__ import annotations

import contextlib
import io
import math

import pytest

import glasstorch
from glasstorch.companion import explain
from glasstorch.companion.backprop import build_network, worked_example
from glasstorch.companion.cli import main

# The course's numbers (神经网络基础, 反向传播), to the digits it prints.
COURSE = {"out_h1": 0.593269992, "out_h2": 0.596884378, "net_o1": 1.105905967, "out_o1": 0.75136507,
          "out_o2": 0.772928465, "E": 0.298371109}
COURSE_UPDATES = {"w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121, "w1": 0.149780716}


@pytest.fixture(scope="module")
def course():
    return worked_example(quiet=True)


def test_forward_values_are_the_course_s(course):
    for name, value in COURSE.items():
        assert course.values[name] == pytest.approx(value, abs=1e-9), name
    network = build_network()
    assert network["E_o1"].item() == pytest.approx(0.274811083, abs=1e-9)
    assert network["E_o2"].item() == pytest.approx(0.023560026, abs=1e-9)


def test_w5_chain_rule_is_the_course_s(course):
    (names, factors), = course.paths["w5"]
    assert names == ["E", "out_o1", "net_o1", "w5"]
    assert factors == pytest.approx([0.74136507, 0.186815602, 0.593269992], abs=1e-8)
    assert course.gradients["w5"] == pytest.approx(0.082167041, abs=1e-9)
    line = ("∂E/∂w5 = ∂E/∂out_o1 × ∂out_o1/∂net_o1 × ∂net_o1/∂w5 = 0.74136507 × 0.18681560 × 0.59326999 "
            "= 0.08216704")
    assert line in course.text


def test_w1_sums_the_two_paths(course):
    paths = course.paths["w1"]
    assert [p[0] for p in paths] == [["E", "out_o1", "net_o1", "out_h1", "net_h1", "w1"],
                                     ["E", "out_o2", "net_o2", "out_h1", "net_h1", "w1"]]
    assert sum(math.prod(f) for _, f in paths) == pytest.approx(course.gradients["w1"], rel=1e-12)
    assert course.gradients["w1"] == pytest.approx(0.000438568, abs=1e-9)
    assert "∂E/∂w1 = ∂E/∂out_o1 × ∂out_o1/∂net_o1 × ∂net_o1/∂out_h1 × ∂out_h1/∂net_h1 × ∂net_h1/∂w1" in course.text
    assert "+ ∂E/∂out_o2 × ∂out_o2/∂net_o2 × ∂net_o2/∂out_h1 × ∂out_h1/∂net_h1 × ∂net_h1/∂w1" in course.text


def test_updates_are_the_course_s(course):
    for name, value in COURSE_UPDATES.items():
        assert course.updated[name] == pytest.approx(value, abs=1e-9), name
    assert "w5⁺ = 0.40000000 - 0.5 × 0.08216704 = 0.35891648" in course.text


def test_local_derivatives_and_formulas(course):
    assert course.local[("out_o1", "net_o1")] == pytest.approx(0.75136507 * (1 - 0.75136507), abs=1e-9)
    assert course.local[("net_h1", "w1")] == pytest.approx(0.05)
    assert course.formulas["net_h1"] == "w1 × 0.05 + w2 × 0.1 + b1"
    assert course.formulas["out_o1"] == "sigmoid(net_o1)"
    assert course.formulas["E"] == "0.5 × (0.01 - out_o1)² + 0.5 × (0.99 - out_o2)²"
    assert "∂out_o1/∂net_o1 = out_o1 × (1 - out_o1) = 0.18681560" in course.text


def test_gradients_match_torch_autograd(course):
    torch = pytest.importorskip("torch")
    from glasstorch.companion.backprop import WEIGHTS

    w = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in WEIGHTS.items()}
    h1 = torch.sigmoid(w["w1"] * 0.05 + w["w2"] * 0.10 + w["b1"])
    h2 = torch.sigmoid(w["w3"] * 0.05 + w["w4"] * 0.10 + w["b1"])
    o1 = torch.sigmoid(w["w5"] * h1 + w["w6"] * h2 + w["b2"])
    o2 = torch.sigmoid(w["w7"] * h1 + w["w8"] * h2 + w["b2"])
    (0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2).backward()
    for name, tensor in w.items():
        assert course.gradients[name] == pytest.approx(tensor.grad.item(), rel=1e-12, abs=1e-15), name
        assert course.autograd[name] == pytest.approx(tensor.grad.item(), rel=1e-12, abs=1e-15), name


def test_names_come_from_the_caller_s_variables():
    a = glasstorch.tensor(1.5, dtype=glasstorch.float64, requires_grad=True)
    b = glasstorch.tensor(-0.5, dtype=glasstorch.float64, requires_grad=True)
    hidden = glasstorch.tanh(a * b)
    y = hidden * a + b
    result = explain(y, [a, b], quiet=True)
    assert result.output == "y"
    assert result.formulas["hidden"] == "tanh(a × b)"
    assert result.formulas["y"] == "hidden × a + b"
    # a reaches y directly and through hidden: two paths
    assert sorted(p[0] for p in result.paths["a"]) == [["y", "a"], ["y", "hidden", "a"]]
    expected = math.tanh(1.5 * -0.5) + 1.5 * (1 - math.tanh(-0.75) ** 2) * -0.5
    assert result.gradients["a"] == pytest.approx(expected, rel=1e-12)
    assert result.local[("hidden", "a")] == pytest.approx((1 - math.tanh(-0.75) ** 2) * -0.5)
    assert a.grad is None and b.grad is None  # explain leaves .grad alone


def test_a_tensor_used_twice_counts_both_uses():
    x = glasstorch.tensor(3.0, dtype=glasstorch.float64, requires_grad=True)
    z = x * x + 2 * x
    result = explain(z, {"x": x, "z": z}, quiet=True)
    assert result.gradients["x"] == pytest.approx(8.0)
    assert result.formulas["z"] == "x × x + 2 × x"


def test_vector_graphs_and_freed_graphs_are_refused_clearly():
    v = glasstorch.ones(3, requires_grad=True)
    with pytest.raises(ValueError, match="graphs of scalars"):
        explain((v * 2).sum(), [v], quiet=True)
    x = glasstorch.tensor(2.0, requires_grad=True)
    y = glasstorch.sigmoid(x) * x
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        explain(y, [x], quiet=True)


def test_a_freed_graph_is_explained_in_the_user_s_language(monkeypatch):
    from glasstorch import i18n

    x = glasstorch.tensor(2.0, requires_grad=True)
    y = glasstorch.sigmoid(x) * x
    y.backward()
    monkeypatch.setattr(i18n, "language", lambda: "zh")
    with pytest.raises(RuntimeError) as raised:
        explain(y, [x], quiet=True)
    assert str(raised.value) == i18n.t_in("zh", "explain.graph_freed") != i18n.t_in("en", "explain.graph_freed")


def test_the_explain_command_prints_the_course_s_example():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["explain"]) == 0
    text = out.getvalue()
    assert "E_total = E_o1 + E_o2 = 0.274811083 + 0.023560026 = 0.298371109" in text
    assert "w1⁺ = 0.15000000 - 0.5 × 0.00043857 = 0.14978072" in text
    assert "w5⁺ = 0.40000000 - 0.5 × 0.08216704 = 0.35891648" in text
