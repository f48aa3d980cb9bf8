"""torch.utils.tensorboard.SummaryWriter: the same events as torch's writer (read back from the files), where the
``tensorboard`` package is installed; without it, the import fails as torch's does. The writer tests skip when
tensorboard is missing (it is an optional extra: ``pip install glasstorch[tensorboard]``)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402

SRC = str(Path(glasstorch.__file__).resolve().parents[1])
WITHOUT_TENSORBOARD = """
import importlib.abc, sys
class Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorboard" or name.startswith("tensorboard."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Missing())
for library in ("torch", "glasstorch"):
    try:
        __import__(library + ".utils.tensorboard")
    except ImportError as error:
        print(library, type(error).__name__, error, error.name)
    else:
        print(library, "imported")
"""


def test_import_without_tensorboard_fails_as_torchs():
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run([sys.executable, "-c", WITHOUT_TENSORBOARD], capture_output=True, text=True, env=env,
                            check=True)
    theirs, ours = result.stdout.splitlines()
    assert theirs == "torch ModuleNotFoundError No module named 'tensorboard' tensorboard"
    assert ours == theirs.replace("torch", "glasstorch", 1)


def _events(folder: Path) -> dict:
    """{file's folder relative to ``folder``: [Event, ...]} with the file-creation time zeroed."""
    loader = pytest.importorskip("tensorboard.backend.event_processing.event_file_loader")
    found = {}
    for path in sorted(folder.rglob("events.out.tfevents.*")):
        events = list(loader.LegacyEventFileLoader(str(path)).Load())
        for event in events:
            if event.HasField("file_version"):
                event.wall_time = 0
        found[str(path.parent.relative_to(folder))] = events
    return found


def _write(library, folder: Path, values) -> None:
    from importlib import import_module

    writer_class = import_module(f"{library.__name__}.utils.tensorboard").SummaryWriter
    with writer_class(str(folder), purge_step=None) as writer:
        for step in range(3):
            writer.add_scalar("loss/train", 1.0 / (step + 1), step, walltime=100.0 + step)
            writer.add_scalar("acc", library.tensor(0.25 * step), global_step=step, walltime=200.0 + step)
            writer.add_scalar("precise", 0.1 * step, step, walltime=250.0, new_style=True, double_precision=True)
            writer.add_scalars("run/curves", {"sin": float(np.sin(step)), "cos": float(np.cos(step))}, step,
                               walltime=300.0 + step)
        writer.add_histogram("weights", library.tensor(values), 0, walltime=400.0)
        writer.add_histogram("weights", values * 2, 1, walltime=401.0)
        writer.add_histogram("few", values, 2, bins=5, walltime=402.0)
        writer.add_histogram("merged", values, 2, bins=40, max_bins=7, walltime=403.0)
        writer.add_text("notes", "learning rate 0.1, 学习率", 0, walltime=500.0)
        writer.flush()
        writer.add_scalar("after_flush", 3.5, 9, walltime=600.0)
    writer.close()  # a second close does nothing


def test_summary_writer_writes_torchs_events(tmp_path):
    pytest.importorskip("tensorboard")
    values = np.random.default_rng(3).standard_normal(200).astype(np.float32)
    _write(torch, tmp_path / "torch", values)
    _write(glasstorch, tmp_path / "glasstorch", values)
    theirs, ours = _events(tmp_path / "torch"), _events(tmp_path / "glasstorch")
    assert sorted(theirs) == sorted(ours) == [".", "run_curves_cos", "run_curves_sin"]
    for folder in theirs:
        assert len(ours[folder]) == len(theirs[folder]) > 1
        for mine, reference in zip(ours[folder], theirs[folder]):
            assert mine == reference, (folder, mine, reference)


def test_summary_writer_default_folder_and_errors(tmp_path, monkeypatch):
    pytest.importorskip("tensorboard")
    from glasstorch.utils.tensorboard import SummaryWriter

    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lr0.1")
    assert writer.get_logdir().startswith("runs" + os.sep) and writer.get_logdir().endswith("_lr0.1")
    with pytest.raises(AssertionError, match="Tensor should contain one element"):
        writer.add_scalar("bad", glasstorch.ones(3))
    with pytest.raises(ValueError, match="The input has no element."):
        writer.add_histogram("empty", np.array([]))
    with pytest.raises(NotImplementedError, match="numpy array or torch tensor are expected"):
        writer.add_histogram("list", [1.0, 2.0])
    writer.close()
    assert list((tmp_path / writer.get_logdir()).glob("events.out.tfevents.*"))
