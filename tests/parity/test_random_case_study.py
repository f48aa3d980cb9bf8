"""The course's case study (tests/companion_scripts/course_case_study.py) under `glasstorch run` starts where real
torch starts: after its torch.manual_seed(0), the same initial weights (bit for bit) and the same shuffled batches
epoch after epoch; one epoch of SGD then lands on the same loss up to float32 summation-order rounding."""
from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("torchsummary")
pytest.importorskip("pandas")
pytest.importorskip("sklearn")

from glasstorch.companion.runner import run_script  # noqa: E402

CASE_STUDY = Path(__file__).parents[1] / "companion_scripts" / "course_case_study.py"

# What train() does first (seed, DataLoader, model), then fingerprints of the weights and of each epoch's batches,
# then one epoch of the course's own training step with the losses printed in full.
DRIVER = f'''
import hashlib, importlib.util
import torch
from torch.utils.data import DataLoader
import torch.nn as nn
import torch.optim as optim

spec = importlib.util.spec_from_file_location("case_study", {str(CASE_STUDY)!r})
cs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cs)
train_dataset, valid_dataset, input_dim, class_num = cs.create_dataset()
torch.manual_seed(0)
dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
model = cs.PhonePriceModel(input_dim, class_num)
for name, value in model.state_dict().items():
    print("weight", name, hashlib.sha256(value.numpy().tobytes()).hexdigest())
for epoch in range(3):
    digest = hashlib.sha256()
    for x, y in dataloader:
        digest.update(x.numpy().tobytes())
        digest.update(y.numpy().tobytes())
    print("epoch", epoch, digest.hexdigest())
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=1e-3)
losses = []
for x, y in dataloader:
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
print("losses", repr(losses))
'''


def _run(driver: Path, with_glasstorch: bool) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if with_glasstorch:
            assert run_script(driver) == 0
        else:
            exec(compile(driver.read_text(encoding="utf-8"), str(driver), "exec"), {"__name__": "__main__"})
    return out.getvalue()


def test_case_study_starts_from_torchs_weights_and_batches(tmp_path: Path, phone_csv: Path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "手机价格预测.csv").write_bytes(phone_csv.read_bytes())
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(driver)])
    ours, theirs = _run(driver, True), _run(driver, False)
    our_lines, their_lines = ours.splitlines(), theirs.splitlines()
    fingerprints = [line for line in their_lines if line.startswith(("weight", "epoch"))]
    assert len(fingerprints) == 9
    assert [line for line in our_lines if line.startswith(("weight", "epoch"))] == fingerprints
    our_losses = eval(our_lines[-1].split(" ", 1)[1])  # noqa: S307 - our own repr of a list of floats
    their_losses = eval(their_lines[-1].split(" ", 1)[1])  # noqa: S307
    assert len(our_losses) == len(their_losses) == 200
    assert our_losses[0] == pytest.approx(their_losses[0], rel=1e-6)
    assert sum(our_losses) / 200 == pytest.approx(sum(their_losses) / 200, rel=1e-3)
