"""A run folder is one unit: a run's files appear together or not at all, whatever moment Ctrl-C or a kill arrives;
the message says exactly what was kept; a second run into a folder in use is locked out.

Tests that signal a real process wait for a state (a line of its output), never for a time."""
import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from cli_run import run

from glasstorch.app import cli, rundir
from glasstorch.app import train as train_module
from glasstorch.app.modelfile import load_model
from glasstorch.app.progress import EpochBar

FAST = ["--epochs", "4", "--quiet"]


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def hidden(env):
    return sorted(p.name for p in env.iterdir() if p.name.startswith("."))


class Trainer:
    """``glasstorch train`` as a child process whose stderr is read as it comes; ``wait_for(text)`` blocks until the
    text has appeared (or the process has ended: then the assertion fails with what it printed)."""

    def __init__(self, cwd, *argv):
        environment = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen([sys.executable, "-m", "glasstorch.app.cli", "train", *argv], cwd=cwd,
                                        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.seen, self.ended = [], False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for char in iter(lambda: self.process.stderr.read(1), ""):
            with self.changed:
                self.seen.append(char)
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    @property
    def err(self):
        return "".join(self.seen)

    def wait_for(self, text):
        with self.changed:  # the state, or the end of the output; the limit only turns a hang into a failure
            self.changed.wait_for(lambda: text in "".join(self.seen) or self.ended, timeout=900)
        assert text in self.err, f"the process ended (or hung) before printing {text!r}:\n{self.err}"

    def finish(self):
        code = self.process.wait(timeout=900)
        self.reader.join(timeout=60)
        self.process.stderr.close()
        return code


def test_ctrl_c_saves_the_model_so_far_and_a_second_run_is_locked_out(tmp_path, phone_csv, capsys, monkeypatch):
    monkeypatch.setenv("GLASSTORCH_DATA", str(phone_csv))
    monkeypatch.chdir(tmp_path)
    trainer = Trainer(tmp_path, "--out", "run", "--epochs", "1000000")
    trainer.wait_for("held-out acc=")  # an epoch is done
    code, out, err = run(capsys, "train", "--out", "run", "--epochs", "2", "--quiet")
    assert code == 2 and f"another glasstorch run (pid {trainer.process.pid}) is writing into run" in err
    trainer.process.send_signal(signal.SIGINT)
    assert trainer.finish() == 130, trainer.err
    assert "Traceback" not in trainer.err
    assert "interrupted after" in trainer.err and \
        "complete epoch(s); the model so far is saved in run/model.safetensors, with metrics.json, history.csv and " \
        "curves.png of those epochs" in trainer.err
    model, document = load_model(tmp_path / "run" / "model.safetensors")
    epochs = document["training"]["epochs_completed"]
    assert document["training"]["stopped"] == "interrupted" and epochs >= 1
    assert len((tmp_path / "run" / "history.csv").read_text().splitlines()) == epochs + 1
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["stopped"] == "interrupted" and metrics["epochs"] == epochs
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == \
        ["curves.png", "history.csv", "metrics.json", "model.safetensors"]
    assert hidden(tmp_path) == []  # no lock, no staging folder left


def test_a_killed_run_leaves_the_previous_run_whole(env, capsys):
    assert run(capsys, "train", "--out", "run", *FAST)[0] == 0
    before = snapshot(env / "run")
    trainer = Trainer(env, "--out", "run", "--epochs", "1000000")
    trainer.wait_for("held-out acc=")
    trainer.process.kill()
    assert trainer.finish() == -signal.SIGKILL
    assert snapshot(env / "run") == before  # the old run, all of it, and nothing of the new one
    assert ".run.lock" in hidden(env) and any(name.startswith(".run.run-") for name in hidden(env))
    code, _, err = run(capsys, "train", "--out", "run", *FAST[:2], "--seed", "1", "--quiet")
    assert code == 0, err  # the dead run's lock is stale: taken over, its staging folder removed
    assert hidden(env) == []
    assert json.loads((env / "run" / "metrics.json").read_text())["config"]["seed"] == 1


def _inject(monkeypatch, target, name, when=lambda *a, **k: True):
    real = getattr(target, name)

    def interrupted(*args, **kwargs):
        if when(*args, **kwargs):
            raise KeyboardInterrupt
        return real(*args, **kwargs)
    monkeypatch.setattr(target, name, interrupted)


def test_ctrl_c_while_parsing(env, capsys, monkeypatch):
    _inject(monkeypatch, cli, "build_parser")
    code, out, err = run(capsys, "train", "--out", "o")
    assert code == 130 and err == "interrupted\n" and not (env / "o").exists()


def test_ctrl_c_while_reading(env, capsys, monkeypatch):
    _inject(monkeypatch, train_module, "load_phone_or_csv")
    code, out, err = run(capsys, "train", "--out", "o", *FAST)
    assert code == 130 and err == "interrupted; nothing was saved\n" and not (env / "o").exists()
    assert hidden(env) == []


def test_ctrl_c_before_the_first_epoch_ends(env, capsys, monkeypatch):
    from glasstorch.app.estimator import _TabularEstimator
    _inject(monkeypatch, _TabularEstimator, "_train_one_epoch")
    code, out, err = run(capsys, "train", "--out", "o", *FAST)
    assert code == 130 and "interrupted before the first epoch ended; nothing was saved" in err
    assert not (env / "o").exists() and hidden(env) == []


def test_ctrl_c_in_epoch_3_keeps_the_history_and_curves_so_far(env, capsys, monkeypatch):
    _inject(monkeypatch, EpochBar, "update", when=lambda self, row: row["epoch"] == 3)
    code, out, err = run(capsys, "train", "--out", "o", "--epochs", "50")
    assert code == 130 and "interrupted after 3 complete epoch(s)" in err and "with metrics.json, history.csv" in err
    assert len((env / "o" / "history.csv").read_text().splitlines()) == 4
    assert (env / "o" / "curves.png").stat().st_size > 0 and not (env / "o" / "confusion.png").exists()


def test_ctrl_c_after_the_model_is_written_keeps_the_old_run_not_a_mixture(env, capsys, monkeypatch):
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    before = snapshot(env / "o")
    _inject(monkeypatch, train_module, "learning_curves")  # the new model is already written (into the staging folder)
    code, out, err = run(capsys, "train", "--out", "o", "--epochs", "7", "--quiet")
    assert code == 130 and err == "interrupted; nothing was saved (o is unchanged)\n"
    assert snapshot(env / "o") == before and hidden(env) == []


def test_ctrl_c_during_the_swap_waits_for_it(env, capsys, monkeypatch):
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    real = rundir._swap

    def signalled(staging, out):
        os.kill(os.getpid(), signal.SIGINT)  # delivered now, handled only after the swap
        return real(staging, out)
    monkeypatch.setattr(rundir, "_swap", signalled)
    code, out, err = run(capsys, "train", "--out", "o", "--epochs", "7", "--quiet")
    assert code == 130 and err == "interrupted; the run had finished and is saved in o\n"
    assert json.loads((env / "o" / "metrics.json").read_text())["epochs"] == 7
    _, document = load_model(env / "o" / "model.safetensors")
    assert document["training"]["epochs_completed"] == 7 and hidden(env) == []


def test_a_rerun_replaces_the_whole_folder(env, capsys):
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    assert run(capsys, "evaluate", "--model", "o/model.safetensors", "--quiet")[0] == 0
    assert (env / "o" / "evaluation.json").exists()
    code, _, _ = run(capsys, "train", "--out", "o", "--data", str(_regression_csv(env)), *FAST)
    assert code == 0
    assert sorted(p.name for p in (env / "o").iterdir()) == \
        ["curves.png", "history.csv", "metrics.json", "model.safetensors"]  # no stale confusion or evaluation


def _regression_csv(env):
    lines = ["a,b,y"] + [f"{i},{i % 7},{i * 0.37 + (i % 7) * 0.5:.4f}" for i in range(60)]
    (env / "r.csv").write_text("\n".join(lines) + "\n")
    return env / "r.csv"


def test_the_lock(env, capsys):
    (env / ".o.lock").write_text(f"{os.getpid()}\n")  # a live process holds it
    code, _, err = run(capsys, "train", "--out", "o", *FAST)
    assert code == 2 and f"another glasstorch run (pid {os.getpid()}) is writing into o" in err
    assert "remove" in err and (env / ".o.lock").exists() and not (env / "o").exists()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    (env / ".o.lock").write_text(finished.stdout)  # its process has ended: stale
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    assert hidden(env) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_the_swap_without_renameat2(env, capsys, monkeypatch):
    monkeypatch.setattr(rundir, "_exchange", lambda a, b: False)
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    assert run(capsys, "train", "--out", "o", "--epochs", "6", "--quiet")[0] == 0
    assert json.loads((env / "o" / "metrics.json").read_text())["epochs"] == 6 and hidden(env) == []


LOADING = """
import os, signal, sys
sys.argv = ["glasstorch", "train", "--out", "o", "--epochs", "2"]
import _glasstorch_main as launcher                      # what the console script imports first
class Interrupt:                                         # Ctrl-C while {module} is being imported
    def find_spec(self, name, path=None, target=None):
        if name == "{module}":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
raise SystemExit(launcher.main())
"""


@pytest.mark.parametrize("module", ["numpy", "glasstorch.nn", "glasstorch.app.cli", "argparse"])
def test_ctrl_c_while_the_program_is_still_loading(env, module):
    """The console script's launcher holds Ctrl-C from its first statement: one line, exit 130, no traceback, nothing
    started. (numpy: imported by glasstorch; the launcher must run before either.)"""
    done = subprocess.run([sys.executable, "-c", LOADING.replace("{module}", module)], cwd=env, capture_output=True,
                          text=True, timeout=600)
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
    assert not (env / "o").exists()


def test_the_launcher_is_the_console_script():
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib")

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["glasstorch"] == "_glasstorch_main:main"
    assert project["tool"]["setuptools"]["py-modules"] == ["_glasstorch_main"]
