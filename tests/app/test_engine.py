"""glasstorch train --engine torch|glasstorch, --device, and data-parallel training under torchrun."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from glasstorch.app.cli import main
from glasstorch.app.modelfile import load_model

torch = pytest.importorskip("torch")
DATA = os.environ.get("GLASSTORCH_DATA")
needs_data = pytest.mark.skipif(not DATA or not Path(DATA).is_file(), reason="GLASSTORCH_DATA not set")
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _history(out):
    return np.genfromtxt(out / "history.csv", delimiter=",", names=True)


def _train(tmp_path, name, *flags):
    out = tmp_path / name
    assert main(["train", "--data", DATA, "--out", str(out), "--quiet", *flags]) == 0
    return out, json.loads((out / "metrics.json").read_text())


@needs_data
@pytest.mark.parametrize("recipe", [("--epochs", "30"),  # tuned: Adam, one 2048-row batch per epoch
                                    ("--recipe", "course", "--standardize", "--epochs", "2")])  # SGD, batches of 8
def test_torch_engine_agrees_with_glasstorch(tmp_path, recipe):
    """Same seed, same rows: the same initial weights and the same shuffles (glasstorch's random streams are
    torch's), so the two engines differ only by float32 rounding: their matrix products sum in different orders
    (NumPy's BLAS against PyTorch's kernels; the first batch's loss already differs in the last bit). Measured: losses
    within 5e-7 relative after 300 epochs of the tuned recipe. history.csv holds 6 significant digits, so the bound is
    2e-5 (one unit in the last written digit); a real difference (another shuffle, initialisation or update rule)
    moves the losses by 1e-2 or more."""
    a_out, a = _train(tmp_path, "glasstorch", *recipe)
    b_out, b = _train(tmp_path, "torch", "--engine", "torch", "--device", "cpu", *recipe)
    assert sorted(os.listdir(a_out)) == sorted(os.listdir(b_out))
    assert (a["engine"], b["engine"], b["device"], b["processes"]) == ("glasstorch", "torch", "cpu", 1)
    assert b["config"]["engine"] == "torch" and b["engine_version"] == torch.__version__
    assert a["accuracy"] == b["accuracy"] and a["confusion"] == b["confusion"]
    history_a, history_b = _history(a_out), _history(b_out)
    assert history_a.dtype.names == history_b.dtype.names and len(history_a) == len(history_b) == a["epochs"]
    for key in history_a.dtype.names:
        np.testing.assert_allclose(history_b[key], history_a[key], rtol=2e-5, atol=1e-7, err_msg=key)
    # the torch-trained file is a glasstorch model: it loads and predicts as the run scored it
    model_a, _ = load_model(a_out / "model.safetensors")
    model_b, document = load_model(b_out / "model.safetensors")
    assert document["training"]["engine"] == "torch"
    rows = np.loadtxt(DATA, delimiter=",", skiprows=1)[:50, :-1]
    np.testing.assert_allclose(model_b.predict_proba(rows), model_a.predict_proba(rows), atol=1e-4)
    assert main(["evaluate", "--model", str(b_out / "model.safetensors"), "--quiet"]) == 0


def test_engine_errors(capsys, monkeypatch, tmp_path):
    """Each refusal: exit 2, one clear line, nothing written."""
    out = tmp_path / "run"
    cases = [(["--device", "cuda"], "needs --engine torch"),
             (["--device", "mps"], "glasstorch computes on the CPU only")]
    if not torch.cuda.is_available():
        cases.append((["--engine", "torch", "--device", "cuda"], "finds no cuda device"))
    for flags, words in cases:
        assert main(["train", "--synthetic", "50", "--epochs", "1", "--out", str(out), *flags]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    assert main(["train", "--synthetic", "50", "--engine", "torch", "--out", str(out)]) == 2
    assert "pip install 'glasstorch[torch]'" in capsys.readouterr().err
    monkeypatch.setenv("GLASSTORCH_LANG", "zh")
    assert main(["train", "--synthetic", "50", "--engine", "torch", "--out", str(out)]) == 2
    assert "需要 PyTorch" in capsys.readouterr().err
    monkeypatch.delitem(sys.modules, "torch")
    monkeypatch.delenv("GLASSTORCH_LANG")
    monkeypatch.setenv("WORLD_SIZE", "2")  # started by torchrun, but on glasstorch
    assert main(["train", "--synthetic", "50", "--out", str(out)]) == 2
    assert "glasstorch trains in one process" in capsys.readouterr().err
    assert not out.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _torchrun(tmp_path, *args, timeout=120):
    env = dict(os.environ, OMP_NUM_THREADS="1", MASTER_ADDR="127.0.0.1", PYTHONPATH=SRC, GLASSTORCH_LANG="en")
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
               "--master_port", str(_free_port()), "-m", "glasstorch", "train", "--engine", "torch", *args]
    return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=timeout)


@needs_data
def test_two_processes_train_like_one(tmp_path):
    """2 processes × batches of 64 against 1 process × batches of 128: the same global batch and number of steps per
    epoch, different shuffles (DistributedSampler's stream). Held-out accuracy on 400 rows has a binomial standard
    deviation of sqrt(0.965·0.035/400) ≈ 0.009; seeds 0-5 of the one-process run give 0.9625-0.975 (measured). The
    bound 0.035 is about 4σ: a broken run (no gradient averaging, one process's share only, unsynchronised weights)
    lands far outside it."""
    common = ("--data", DATA, "--epochs", "10", "--quiet")
    one_out, one = _train(tmp_path, "one", "--engine", "torch", "--epochs", "10", "--batch-size", "128")
    result = _torchrun(tmp_path, *common, "--batch-size", "64", "--out", "two")
    assert result.returncode == 0, result.stderr[-3000:]
    two_out = tmp_path / "two"
    assert sorted(os.listdir(two_out)) == sorted(os.listdir(one_out))  # complete, and nothing else
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []  # no staging folder left
    assert result.stdout.count("accuracy") == 1  # the headline once: only the first process reports
    two = json.loads((two_out / "metrics.json").read_text())
    assert (two["processes"], two["engine"], two["epochs"], len(_history(two_out))) == (2, "torch", 10, 10)
    assert abs(two["accuracy"] - one["accuracy"]) <= 0.035
    assert main(["predict", "--model", str(two_out / "model.safetensors"), "--input", DATA, "--output",
                 str(tmp_path / "p.csv")]) == 0


def test_a_bad_csv_stops_every_process(tmp_path):
    """Every process exits 2 with the message (none waits forever for the other) and nothing is written."""
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,0\n3,x,1\n" * 20)
    result = _torchrun(tmp_path, "--data", str(bad), "--out", "run", timeout=90)
    assert result.returncode != 0
    assert result.stderr.count("'x' is not a number") == 2
    assert result.stderr.count("exitcode  : 2") == 2
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("processes", [None, (2, 1)])
@pytest.mark.parametrize("drop_last", [False, True])
def test_torch_engine_batches_are_torchs_own(processes, drop_last):
    """The torch engine fetches each batch as one indexed slice (TensorDataset.__getitems__) instead of PyTorch's
    row-by-row gather and collate: the batches, their order and the random stream must be exactly PyTorch's own."""
    from glasstorch.app.engine import select
    engine = select("torch", "cpu")
    x, y = torch.randn(203, 5), torch.randint(0, 4, (203,))
    plain = torch.utils.data.TensorDataset(x, y)
    fast = engine.TensorDataset(x, y)

    def batches(loader_class, dataset):
        torch.manual_seed(7)
        sampler = None if processes is None else torch.utils.data.DistributedSampler(
            dataset, num_replicas=processes[0], rank=processes[1], shuffle=True, seed=3)
        loader = loader_class(dataset, batch_size=16, shuffle=sampler is None, sampler=sampler, drop_last=drop_last)
        return [batch for _ in range(2) for batch in loader], torch.rand(1)

    (expected, after), (got, got_after) = batches(torch.utils.data.DataLoader, plain), batches(engine.DataLoader, fast)
    assert len(got) == len(expected) > 0 and torch.equal(after, got_after)
    for (xe, ye), (xg, yg) in zip(expected, got):
        assert torch.equal(xe, xg) and torch.equal(ye, yg) and xg.dtype == xe.dtype and yg.dtype == ye.dtype
