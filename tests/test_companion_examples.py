"""examples/: every script runs on its own and prints the course's numbers where the course prints them."""
from __future__ import annotations

import contextlib
import io
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED = {
    "01_neurons_and_layers.py": ["z = W·x + b", "one layer k·x + c"],
    "02_activations.py": ["tensor([0.0212, 0.0177, 0.0202, 0.0202, 0.0638, 0.0287, 0.0185, 0.0522, 0.0183,",
                          "sigmoid    f' = [0.002466", "relu       f' = [0.0, 0.0, 0.0, 1.0, 1.0]"],
    "03_initialisation.py": ["2. constant 5", "tensor([[5., 5., 5., 5., 5.],", "limit √(6/fan_in) = 1.0954"],
    "04_build_model_summary.py": ["Total params: 26", "output shape--> glasstorch.Size([5, 2])", "12 + 8 + 6 = 26"],
    "05_losses.py": ["L1Loss: 0.7", "MSELoss: 0.67", "SmoothL1Loss: 1.14"],
    "06_backpropagation.py": ["0.74136507 × 0.18681560 × 0.59326999 = 0.08216704", "w5⁺ = 0.40000000 - 0.5 × 0.08216704 = 0.35891648",
                              "w1⁺ = 0.15000000 - 0.5 × 0.00043857 = 0.14978072",
                              "backward reaches out_o1 with ∂E/∂out_o1 = 0.74136507"],
    "07_optimizers.py": ["step 2: w.grad: 0.990000, updated weight: 0.971100", "updated weight: 0.982965",
                         "updated weight: 0.945788", "updated weight: 0.980003"],
    "08_exponentially_weighted_average.py": ["beta = 0.5", "beta = 0.9"],
    "09_learning_rate_decay.py": ["StepLR {0: 0.1, 49: 0.1, 50: 0.05, 125: 0.025, 160: 0.0125, 199: 0.0125}",
                                  "MultiStepLR {0: 0.1, 49: 0.1, 50: 0.05, 125: 0.025, 160: 0.0125, 199: 0.0125}"],
    "10_dropout.py": ["after dropout", "in eval mode"],
    "11_batch_normalization.py": ["per-channel mean [0.0, 0.0] and std [1.0, 1.0]", "glasstorch.Size([1, 2, 3, 4])"],
    "13_gradcheck.py": ["Cube: True", "WrongCube: Jacobian mismatch for output 0 with respect to input 0"],
}


def _run(script: Path, *args: str) -> str:
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv, sys.path[0] = [str(script), *args], str(script.parent)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    return out.getvalue()


def test_every_example_is_listed():
    assert {p.name for p in EXAMPLES.glob("[0-9]*.py")} == set(EXPECTED) | {"12_phone_price_case_study.py"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_and_prints_the_course_s_numbers(name: str):
    text = _run(EXAMPLES / name)
    for expected in EXPECTED[name]:
        assert expected in text, f"{expected!r} not in the output of {name}:\n{text}"


def test_plotting_examples_save_pngs(tmp_path: Path):
    _run(EXAMPLES / "02_activations.py", "--save", str(tmp_path))
    _run(EXAMPLES / "08_exponentially_weighted_average.py", "--save", str(tmp_path))
    for name in ("activations.png", "ewa.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"


def test_the_case_study_example_trains_and_scores(phone_csv: Path):
    pytest.importorskip("pandas")
    pytest.importorskip("sklearn")
    text = _run(EXAMPLES / "12_phone_price_case_study.py", str(phone_csv), "--epochs", "2")
    assert "input features: 20  classes: 4" in text and "epoch:    2 loss:" in text
    accuracy = float(text.split("Acc: ")[1].split()[0])
    assert 0.25 < accuracy <= 1.0


def test_an_example_runs_as_a_plain_script():
    done = subprocess.run([sys.executable, str(EXAMPLES / "07_optimizers.py")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "updated weight: 0.980003" in done.stdout
