"""`glasstorch run`: PyTorch scripts covering every course section print the same numbers under glasstorch as under torch.

Each script in tests/companion_scripts/ prints only deterministic quantities (seeded random numbers are torch's too,
but their parity lives in tests/parity/test_random_*.py). The torch side runs in this process with the real torch; the glasstorch side runs through
``run_script``, which must leave the real torch untouched afterwards.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from glasstorch.companion import runner
from glasstorch.companion.runner import UnsupportedTorchFeature, UnsupportedTorchModule, run_script, torch_alias

SCRIPTS_DIR = Path(__file__).parent / "companion_scripts"
SCRIPTS = sorted(SCRIPTS_DIR.glob("s*.py"))
ARGS = {"s13_script_environment.py": ["first", "second arg"]}
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _capture(run) -> tuple[str, str, object]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        result = run()
    return out.getvalue(), err.getvalue(), result


def _run_with_torch(script: Path, args: list[str]) -> str:
    """The script under the real torch, as `python script args` (in this process, to keep the suite fast)."""
    pytest.importorskip("torch")
    pytest.importorskip("torchsummary")
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    saved_helper = sys.modules.pop("companion_helper", None)
    sys.argv, sys.path[0] = [str(script), *args], str(script.parent)
    try:
        namespace = {"__name__": "__main__", "__file__": str(script), "__builtins__": __builtins__}
        code = compile(script.read_text(encoding="utf-8"), str(script), "exec")
        out, _, _ = _capture(lambda: exec(code, namespace))
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        sys.modules["torch"].set_printoptions(profile="default")
        sys.modules.pop("companion_helper", None)
        if saved_helper is not None:
            sys.modules["companion_helper"] = saved_helper
    return out


def _decimals_unit(token: str) -> float:
    """One unit in the last printed place of a number token (0 for integers: they must match exactly)."""
    mantissa, _, exponent = token.lower().partition("e")
    if "." not in mantissa and not exponent:
        return 0.0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def assert_same_output(ours: str, theirs: str, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Text equal (whitespace runs folded, glasstorch.float32 read as torch.float32), numbers within float32
    tolerance or one unit of the last printed digit (a printed float32 may round the other way)."""
    def split(text: str):
        text = re.sub(r"\s+", " ", text.replace("glasstorch.", "torch.")).strip()
        return NUMBER.split(text), NUMBER.findall(text)

    our_text, our_numbers = split(ours)
    their_text, their_numbers = split(theirs)
    for line_ours, line_theirs in zip(ours.splitlines(), theirs.splitlines()):
        if split(line_ours)[0] != split(line_theirs)[0] or len(split(line_ours)[1]) != len(split(line_theirs)[1]):
            raise AssertionError(f"lines differ:\n  glasstorch: {line_ours}\n  torch:      {line_theirs}")
    assert our_text == their_text, f"outputs differ:\n--- glasstorch\n{ours}\n--- torch\n{theirs}"
    for a, b in zip(our_numbers, their_numbers):
        x, y = float(a), float(b)
        slack = max(_decimals_unit(a), _decimals_unit(b)) * 1.01
        assert abs(x - y) <= atol + rtol * abs(y) + slack, f"{a} (glasstorch) != {b} (torch)\n{ours}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_prints_the_same_numbers_as_torch(script: Path):
    args = ARGS.get(script.name, [])
    theirs = _run_with_torch(script, args)
    ours, err, code = _capture(lambda: run_script(script, args))
    assert code == 0, err
    assert_same_output(ours, theirs)


def test_real_torch_is_back_after_a_run():
    torch = pytest.importorskip("torch")
    _capture(lambda: run_script(SCRIPTS_DIR / "s08_ewa.py"))
    import torch as again

    assert again is torch and sys.modules["torch"] is torch
    assert not any(isinstance(f, runner._TorchFinder) for f in sys.meta_path)


def test_stand_ins_are_plain_modules_that_name_what_they_stand_for():
    import types

    import glasstorch

    with torch_alias():
        import torch
        import torch.nn as nn

        assert type(torch) is types.ModuleType and type(nn) is types.ModuleType  # fast attribute lookups
        assert repr(torch) == "<module 'torch' (glasstorch stand-in for glasstorch)>"
        assert repr(nn) == "<module 'torch.nn' (glasstorch stand-in for glasstorch.nn)>"
        assert torch.relu is glasstorch.relu and "relu" in vars(torch)  # resolved once, then a plain attribute
        assert nn.Linear is glasstorch.nn.Linear and torch.nn is nn and "Linear" in dir(nn)


def test_unsupported_features_raise_a_clear_not_implemented_error():
    with torch_alias():
        import torch

        with pytest.raises(NotImplementedError, match=r"glasstorch does not implement torch\.fft$"):
            torch.fft  # noqa: B018
        with pytest.raises(UnsupportedTorchFeature, match=r"glasstorch does not implement torch\.nn\.functional\.conv9d"):
            import torch.nn.functional as F

            F.conv9d  # noqa: B018
        assert not hasattr(torch, "surely_not_an_api")  # still an AttributeError for hasattr
        assert getattr(torch, "surely_not_an_api", 7) == 7
        with pytest.raises(NotImplementedError, match="glasstorch does not implement torchvision"):
            import torchvision  # noqa: F401
        with pytest.raises(ImportError):  # `try: import torchvision except ImportError` keeps working
            import torchvision.models  # noqa: F401
        with pytest.raises(UnsupportedTorchModule, match=r"torch\.fx"):  # (torch.distributed is now a one-process stand-in)
            import torch.fx  # noqa: F401
        with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):  # as a CPU-only torch
            torch.cuda.current_device()
        assert torch.cuda.is_available() is False
        import glasstorch

        assert torch.tensor is glasstorch.tensor and torch.Tensor is glasstorch.Tensor
        from torch.autograd import gradcheck

        assert gradcheck is glasstorch.autograd.gradcheck


def test_script_errors_exit_codes_and_missing_methods(tmp_path: Path):
    script = tmp_path / "bad.py"
    script.write_text("import torch\nx = torch.ones(2)\nprint('before')\nx.definitely_missing_method()\n")
    out, err, code = _capture(lambda: run_script(script))
    assert code == 1 and out == "before\n"
    assert "Traceback (most recent call last)" in err and 'bad.py", line 4' in err
    assert "glasstorch does not implement torch.Tensor.definitely_missing_method" in err
    assert "runner.py" not in err
    (tmp_path / "exits.py").write_text("import sys\nsys.exit(4)\n")
    assert _capture(lambda: run_script(tmp_path / "exits.py"))[2] == 4
    out, err, code = _capture(lambda: run_script(tmp_path / "nope.py"))
    assert code == 2 and "no such file" in err


def test_figures_are_saved_instead_of_shown(tmp_path: Path):
    pytest.importorskip("matplotlib")
    script = tmp_path / "plot.py"
    script.write_text("import torch\nimport matplotlib.pyplot as plt\nx = torch.linspace(-3, 3, 50, requires_grad=True)\n"
                      "torch.tanh(x).sum().backward()\nplt.plot(x.detach(), x.grad)\nplt.show()\n")
    _, err, code = _capture(lambda: run_script(script, figures=tmp_path / "figs"))
    assert code == 0, err
    png = tmp_path / "figs" / "plot-1.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_command_line_runs_a_script_as_python_would(tmp_path: Path):
    """`python -m glasstorch.companion run SCRIPT ARGS` in a fresh process, from another working directory."""
    script = SCRIPTS_DIR / "s13_script_environment.py"
    relative = os.path.relpath(script, tmp_path)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-m", "glasstorch.companion", "run", relative, "exit", "--flag", "x"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "argv ['exit', '--flag', 'x']" in done.stdout
    assert "argv0 is this file: True" in done.stdout and "path0 is this folder: True" in done.stdout
    assert "relative path exists: True" in done.stdout and "data file: forty-two" in done.stdout


def test_register_adds_the_three_subcommands():
    import argparse

    from glasstorch.companion.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run", "--figures", "out", "script.py", "a", "--b"])
    assert (args.script, args.args, args.figures) == ("script.py", ["a", "--b"], "out") and callable(args.func)
    assert callable(parser.parse_args(["explain"]).func)
    args = parser.parse_args(["tour", "--out", "d", "--chapter", "2", "--chapter", "5"])
    assert (args.out, args.chapter) == ("d", [2, 5]) and callable(args.func)


def test_the_course_s_case_study_runs_unchanged(tmp_path: Path, phone_csv: Path):
    """The course's own case-study code (pandas, scikit-learn, torchsummary, relative paths) under `glasstorch run`."""
    pytest.importorskip("pandas")
    pytest.importorskip("sklearn")
    (tmp_path / "data").mkdir()
    (tmp_path / "model").mkdir()
    (tmp_path / "data" / "手机价格预测.csv").write_bytes(phone_csv.read_bytes())
    script = SCRIPTS_DIR / "course_case_study.py"
    done = subprocess.run([sys.executable, "-m", "glasstorch.companion", "run", str(script), "2"], cwd=tmp_path,
                          capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "输入特征数:  20" in done.stdout and "分类个数:  4" in done.stdout
    assert "Total params: 36,740" in done.stdout and "Forward/backward pass size (MB): 0.05" in done.stdout
    assert "epoch:    2 loss:" in done.stdout
    accuracy = float(done.stdout.split("Acc: ")[1].split()[0])
    assert 0.25 < accuracy <= 1.0
    assert (tmp_path / "model" / "phone.pth").is_file()


def test_the_glasstorch_command_offers_run_explain_and_tour(tmp_path: Path):
    app_cli = pytest.importorskip("glasstorch.app.cli")
    out, err, code = _capture(lambda: app_cli.main(["explain"]))
    assert code == 0 and "w5⁺ = 0.40000000 - 0.5 × 0.08216704 = 0.35891648" in out
    out, err, code = _capture(lambda: app_cli.main(["tour", "--list"]))
    assert code == 0 and " 9. Case study: phone price classification" in out
    script = tmp_path / "exits.py"
    script.write_text("import sys, torch\nprint(torch.cuda.is_available(), sys.argv[1:])\nsys.exit(5)\n")
    out, err, code = _capture(lambda: app_cli.main(["run", str(script), "--epochs", "3"]))
    assert (code, out) == (5, "False ['--epochs', '3']\n")


def test_printed_names_read_as_torchs_under_run_and_glasstorchs_after(tmp_path, capsys):
    import glasstorch

    script = tmp_path / "names.py"
    script.write_text(
        "import torch\nfrom torch.autograd import Variable\nx = torch.zeros(5, 3)\n"
        "print(x.shape, x.dtype, x.type(), type(x), type(x.shape), type(x.dtype), type(x.device))\n"
        "print(type(torch.nn.Parameter(x)), torch.FloatTensor, torch.cuda.FloatTensor, Variable)\n"
        "print(torch.zeros(2).max(0), torch.zeros(1, dtype=torch.float64))\n"
        "import warnings\nwith warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n    torch.range(0, 1)\nprint(str(caught[0].message)[:40])\n")
    assert run_script(script) == 0
    expected = ("torch.Size([5, 3]) torch.float32 torch.FloatTensor <class 'torch.Tensor'> <class 'torch.Size'> "
                "<class 'torch.dtype'> <class 'torch.device'>\n"
                "<class 'torch.nn.parameter.Parameter'> <class 'torch.FloatTensor'> <class 'torch.cuda.FloatTensor'> "
                "<class 'torch.autograd.variable.Variable'>\n"
                "torch.return_types.max(\nvalues=tensor(0.),\nindices=tensor(0)) tensor([0.], dtype=torch.float64)\n"
                "torch.range is deprecated and will be re\n")
    assert capsys.readouterr().out == expected
    x = glasstorch.zeros(5, 3)
    assert (repr(x.shape), x.type(), repr(type(x)), repr(glasstorch.float32)) == (
        "glasstorch.Size([5, 3])", "glasstorch.FloatTensor", "<class 'glasstorch.Tensor'>", "glasstorch.float32")
