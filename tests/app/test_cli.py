"""End-to-end runs of the ``glasstorch`` command (in-process through ``main``, and as a subprocess for Ctrl-C)."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from cli_run import run

import glasstorch as torch
from glasstorch.app.cli import build_parser, main
from glasstorch.app.data import read_csv
from glasstorch.app.modelfile import load_model
from glasstorch.app.split import train_test_split

HEADLINE = re.compile(r"^accuracy (\d\.\d{4}) on 400 held-out rows$")
SHORT = ["--epochs", "15", "--quiet"]


def last_line(text):
    return text.strip().splitlines()[-1]


def test_train_evaluate_predict_round_trip(env, capsys, phone_csv):
    code, out, err = run(capsys, "train", "--out", "run", *SHORT)
    assert code == 0 and err == ""
    match = HEADLINE.match(last_line(out))
    assert match, out
    for name in ("model.safetensors", "metrics.json", "curves.png", "confusion.png", "history.csv"):
        assert (env / "run" / name).stat().st_size > 0
    assert not [p for p in (env / "run").iterdir() if p.name.endswith(".tmp")]
    metrics = json.loads((env / "run" / "metrics.json").read_text())
    for key in ("task", "recipe", "n_train", "n_test", "epochs", "train_seconds", "accuracy", "per_class", "confusion"):
        assert key in metrics
    assert (metrics["task"], metrics["recipe"], metrics["n_train"], metrics["n_test"], metrics["epochs"]) == \
        ("classification", "tuned", 1600, 400, 15)
    assert float(match.group(1)) == pytest.approx(metrics["accuracy"], abs=5e-5)
    assert sum(map(sum, metrics["confusion"])) == 400
    assert set(metrics["per_class"]) == {"0", "1", "2", "3"}
    assert sum(row["support"] for row in metrics["per_class"].values()) == 400

    # evaluate finds the same CSV and the same held-out rows
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors")
    assert code == 0 and last_line(out) == f"accuracy {metrics['accuracy']:.4f} on 400 held-out rows"
    assert json.loads((env / "run" / "evaluation.json").read_text())["confusion"] == metrics["confusion"]
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors", "--all-rows", "--quiet")
    assert code == 0 and re.match(r"accuracy \d\.\d{4} on 2000 rows of ", last_line(out))

    # predict: a table, JSON, stdin; the target column in the input is ignored
    lines = phone_csv.read_text().splitlines()
    (env / "rows.csv").write_text("\n".join(lines[:6]) + "\n")
    code, out, _ = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "rows.csv")
    assert code == 0
    table = out.strip().splitlines()
    assert table[0].split() == ["row", "prediction", "p(0)", "p(1)", "p(2)", "p(3)"] and len(table) == 6
    code, out, _ = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "rows.csv", "--json")
    records = json.loads(out)
    model, _ = load_model(env / "run" / "model.safetensors")
    x = read_csv(phone_csv).features[:5]
    assert [r["prediction"] for r in records] == model.predict(x).tolist()
    np.testing.assert_allclose([list(r["probabilities"].values()) for r in records], model.predict_proba(x),
                               atol=1e-6)
    assert [int(line.split()[1]) for line in table[1:]] == model.predict(x).tolist()


def test_predict_from_stdin_json(env, capsys, monkeypatch):
    assert run(capsys, "train", "--out", "run", *SHORT)[0] == 0
    model, document = load_model(env / "run" / "model.safetensors")
    row = dict(zip(document["feature_names"], read_csv(os.environ["GLASSTORCH_DATA"]).features[7].tolist()))
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(json.dumps([row, row])))
    code, out, _ = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "-", "--json")
    assert code == 0 and len(json.loads(out)) == 2


def test_summary(env, capsys):
    assert run(capsys, "train", "--recipe", "course", "--epochs", "1", "--out", "course", "--quiet")[0] == 0
    code, out, _ = run(capsys, "summary", "--model", "course/model.safetensors", "--batch-size", "16")
    assert code == 0
    for figure in ("[16, 128]", "2,688", "33,024", "1,028", "Total params: 36,740"):
        assert figure in out


def test_course_recipe_configuration(env, capsys):
    code, out, _ = run(capsys, "train", "--recipe", "course", "--epochs", "2", "--out", "course", "--quiet")
    assert code == 0 and HEADLINE.match(last_line(out))
    config = json.loads((env / "course" / "metrics.json").read_text())["config"]
    assert {k: config[k] for k in ("hidden", "activation", "optimizer", "lr", "batch_size", "seed", "standardize",
                                   "train_size", "split_seed", "feature_alpha", "scheduler", "recipe")} == \
        {"hidden": [128, 256], "activation": "relu", "optimizer": "sgd", "lr": 1e-3, "batch_size": 8, "seed": 0,
         "standardize": False, "train_size": 0.8, "split_seed": 88, "feature_alpha": None, "scheduler": "none",
         "recipe": "course"}
    assert config["epochs"] == 2  # the explicit flag overrides the recipe's 50


def test_flags_override_the_recipe(env, capsys):
    argv = ["train", "--out", "o", "--quiet", "--epochs", "3", "--hidden", "8,4", "--activation", "tanh",
            "--optimizer", "adamw", "--lr", "0.01", "--weight-decay", "0.001", "--scheduler", "step", "--step-size",
            "1", "--gamma", "0.5", "--dropout", "0.1", "--batchnorm", "--batch-size", "64", "--no-standardize",
            "--init", "xavier", "--seed", "3", "--train-size", "0.75", "--split-seed", "1"]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and re.match(r"accuracy \d\.\d{4} on 500 held-out rows", last_line(out))
    metrics = json.loads((env / "o" / "metrics.json").read_text())
    config = metrics["config"]
    assert (config["hidden"], config["activation"], config["optimizer"], config["weight_decay"], config["dropout"],
            config["batchnorm"], config["standardize"], config["init"], config["seed"]) == \
        ([8, 4], "tanh", "adamw", 0.001, 0.1, True, False, "xavier", 3)
    history = (env / "o" / "history.csv").read_text().splitlines()
    assert [float(line.split(",")[1]) for line in history[1:]] == [0.01, 0.005, 0.0025]


def test_same_seed_same_metrics(env, capsys):
    for out_dir in ("a", "b"):
        assert run(capsys, "train", "--out", out_dir, *SHORT)[0] == 0
    a, b = (json.loads((env / d / "metrics.json").read_text()) for d in ("a", "b"))
    assert a["confusion"] == b["confusion"] and a["accuracy"] == b["accuracy"]
    assert (env / "a" / "history.csv").read_text() == (env / "b" / "history.csv").read_text()


def test_cross_validation(env, capsys):
    code, out, _ = run(capsys, "train", "--out", "cv", "--cv", "3", *SHORT)
    assert code == 0
    metrics = json.loads((env / "cv" / "metrics.json").read_text())
    assert len(metrics["cv_accuracy_folds"]) == 3
    assert metrics["cv_accuracy_mean"] == pytest.approx(np.mean(metrics["cv_accuracy_folds"]))
    assert metrics["cv_accuracy_std"] == pytest.approx(np.std(metrics["cv_accuracy_folds"]))


def test_regression_on_a_generated_csv(env, capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)) * [1.0, 5.0, 0.1]
    y = 2.0 * x[:, 0] - 0.5 * x[:, 1] + 10.0 * x[:, 2] + 7.0 + rng.normal(scale=0.05, size=200)
    lines = ["a,b,c,value"] + [f"{r[0]:.6f},{r[1]:.6f},{r[2]:.6f},{v:.6f}" for r, v in zip(x, y)]
    (env / "reg.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "train", "--data", "reg.csv", "--out", "reg", "--epochs", "300")
    assert code == 0 and "task: regression (inferred" in err
    match = re.match(r"r2 (\d\.\d{4}) on 40 held-out rows", last_line(out))
    assert match and float(match.group(1)) > 0.95
    metrics = json.loads((env / "reg" / "metrics.json").read_text())
    assert {"r2", "mae", "mse", "rmse"} <= set(metrics) and "accuracy" not in metrics
    assert not (env / "reg" / "confusion.png").exists() and (env / "reg" / "curves.png").exists()
    (env / "new.csv").write_text("c,a,b\n0.1,1.0,2.0\n")
    code, out, _ = run(capsys, "predict", "--model", "reg/model.safetensors", "--input", "new.csv", "--json")
    assert json.loads(out)[0]["prediction"] == pytest.approx(2.0 - 1.0 + 1.0 + 7.0, abs=0.5)


def test_string_labels(env, capsys):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 2))
    labels = np.where(x[:, 0] + x[:, 1] > 0, "high", "low")
    (env / "s.csv").write_text("kind,u,v\n" + "".join(f"{k},{a:.4f},{b:.4f}\n" for k, (a, b) in zip(labels, x)))
    code, out, _ = run(capsys, "train", "--data", "s.csv", "--target", "kind", "--out", "s", "--epochs", "200",
                       "--quiet")
    assert code == 0 and float(last_line(out).split()[1]) > 0.85
    (env / "q.json").write_text('[{"u": 2, "v": 2}, {"u": -2, "v": -2}]')
    code, out, _ = run(capsys, "predict", "--model", "s/model.safetensors", "--input", "q.json", "--json")
    assert [r["prediction"] for r in json.loads(out)] == ["high", "low"]


def test_synthetic_rows_are_labelled(env, capsys):
    code, out, err = run(capsys, "train", "--synthetic", "300", "--out", "syn", "--epochs", "20")
    assert code == 0 and last_line(out).endswith("on 60 held-out rows (synthetic data)")
    assert "SYNTHETIC" in err
    assert json.loads((env / "syn" / "metrics.json").read_text())["synthetic"] is True
    code, out, _ = run(capsys, "evaluate", "--model", "syn/model.safetensors", "--quiet")
    assert code == 0 and last_line(out).endswith("on 60 held-out rows (synthetic data)")


def test_companion_subcommands_are_registered():
    pytest.importorskip("glasstorch.companion.cli")
    choices = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert {"train", "evaluate", "predict", "summary", "run", "explain", "tour"} <= set(choices)


def test_cli_works_without_the_companion(monkeypatch):
    import importlib

    real = importlib.import_module

    def without_companion(name, *args):
        if name == "glasstorch.companion.cli":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_companion)
    choices = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert set(choices) == {"train", "evaluate", "predict", "summary", "export"}


# ---- bad input: a clear message and exit code 2 ----------------------------------------------------------------------

def _bad_csv(env, name, text):
    (env / name).write_text(text)
    return name


@pytest.mark.parametrize("text, extra, message", [
    (None, [], "no such file: missing.csv"),
    ("", [], "is empty"),
    ("a,b,y\n1,2,0\n3,4,1\n", ["--target", "price"], "has no column 'price'; its columns are: a, b, y"),
    ("a,b,y\n1,2,0\n3,x,1\n", [], r"row 2 \(line 3\), column 'b': 'x' is not a number"),
    ("a,b,y\n1,2,0\n3,,1\n", [], r"row 2 \(line 3\), column 'b': the cell is empty"),
    ("a,b,y\n1,2,5\n3,4,5\n5,6,5\n", [], r"the target column 'y' has a single class \(5\)"),
    ("a,b,y\n1,2,0\n3,4,x\n", ["--task", "regression"], "'x' is not a number; a regression target must be numeric"),
])
def test_bad_training_data(env, capsys, text, extra, message):
    name = "missing.csv" if text is None else _bad_csv(env, "bad.csv", text)
    code, out, err = run(capsys, "train", "--data", name, "--out", "o", *SHORT, *extra)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and re.search(message, err), err
    assert not (env / "o").exists()


@pytest.mark.parametrize("flags, message", [
    (["--lr", "-1"], "lr must be > 0"),
    (["--train-size", "1.5"], "train size must be a fraction"),
    (["--dropout", "1"], "dropout must be in"),
    (["--cv", "1"], "at least 2 folds"),
    (["--task", "classification", "--loss", "mse"], "regression loss"),
    (["--cv", "2000"], "--cv 2000: 2000 folds need at least 2000 rows of some class"),
])
def test_bad_flag_values(env, capsys, flags, message):
    code, _, err = run(capsys, "train", "--out", "o", *SHORT, *flags)
    assert code == 2 and message in err


def test_argparse_errors_exit_2(env, capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--hidden", "12,x"])
    assert info.value.code == 2
    assert "comma-separated widths" in capsys.readouterr().err


def test_predict_input_with_missing_or_extra_columns(env, capsys, phone_csv):
    assert run(capsys, "train", "--out", "run", *SHORT)[0] == 0
    header, first = phone_csv.read_text().splitlines()[:2]
    names, cells = header.split(","), first.split(",")
    (env / "missing.csv").write_text(",".join(names[1:]) + "\n" + ",".join(cells[1:]) + "\n")
    (env / "extra.csv").write_text(header + ",colour\n" + first + ",7\n")
    code, _, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "missing.csv")
    assert code == 2 and "missing column: battery_power" in err
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "extra.csv")
    assert code == 0 and err.strip() == "note: ignored 1 column the model does not use: colour"
    assert len(out.strip().splitlines()) == 2  # the header and the one row
    code, _, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "nope.csv")
    assert code == 2 and "no such file: nope.csv" in err


def test_a_model_file_that_is_not_glasstorchs(env, capsys):
    (env / "random.bin").write_bytes(os.urandom(256))
    (env / "empty.bin").write_bytes(b"")
    torch.save({"weight": torch.ones(2)}, str(env / "weights.safetensors"))
    cases = [("random.bin", "is not a glasstorch model file"), ("empty.bin", "is not a glasstorch model file"),
             ("weights.safetensors", "not a model written by `glasstorch train`"), ("nope.bin", "no such model file")]
    real_torch = _real_torch()
    if real_torch is not None:
        real_torch.save({"w": real_torch.ones(2)}, str(env / "model.pth"))
        cases.append(("model.pth", "is not a glasstorch model file"))
    for name, message in cases:
        for command in (["summary"], ["evaluate"], ["predict", "--input", "x.csv"]):
            code, _, err = run(capsys, *command, "--model", name)
            assert code == 2 and message in err, (name, command, err)


def _real_torch():
    try:
        import torch as real  # noqa: PLC0415 (the real PyTorch, only to write a pickle checkpoint)
    except ImportError:
        return None
    return real if hasattr(real, "cuda") else None


def test_diverging_run_names_the_epoch_and_keeps_the_last_good_model(env, capsys):
    code, out, err = run(capsys, "train", "--recipe", "course", "--lr", "100", "--epochs", "3", "--out", "div",
                         "--quiet")
    assert code == 2 and out == ""
    assert re.search(r"diverged: the loss became NaN or infinite in epoch 1\. Try a lower learning rate "
                     r"\(--lr 10; it was 100\)", err)
    assert "saved in div/model.safetensors" in err
    model, document = load_model(env / "div" / "model.safetensors")
    assert document["training"]["stopped"] == "diverged"
    assert all(np.isfinite(p.detach().numpy()).all() for p in model.network_.parameters())


def test_offline_without_the_csv_says_where_to_put_it(env, capsys, monkeypatch):
    monkeypatch.delenv("GLASSTORCH_DATA")
    code, out, err = run(capsys, "train", "--out", "o", *SHORT)
    assert code == 2 and out == ""
    assert "./data/mobile_price_train.csv" in err and "--data PATH" in err and "GLASSTORCH_DATA" in err
    assert "--synthetic" in err


def test_ctrl_c_saves_the_model_so_far(tmp_path, phone_csv):
    environment = dict(os.environ, GLASSTORCH_DATA=str(phone_csv), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "glasstorch.app.cli", "train", "--out", "run", "--epochs",
                                "1000000"], cwd=tmp_path, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    epoch_done = threading.Event()  # set when an epoch's held-out accuracy is shown, or when stderr ends

    def read():
        for char in iter(lambda: process.stderr.read(1), ""):
            seen.append(char)
            if char == "=" and "".join(seen[-len("held-out acc="):]) == "held-out acc=":
                epoch_done.set()
        epoch_done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    epoch_done.wait(timeout=900)  # a state, not a time: the limit only turns a hang into a failure
    assert "held-out acc=" in "".join(seen), "".join(seen)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    reader.join(timeout=10)  # the reader alone drains stderr, to its end
    process.stdout.close()
    process.stderr.close()
    err = "".join(seen)
    assert process.returncode == 130, err
    assert re.search(r"interrupted after \d+ complete epoch\(s\); the model so far is saved in run/model.safetensors",
                     err)
    model, document = load_model(tmp_path / "run" / "model.safetensors")
    assert document["training"]["stopped"] == "interrupted" and document["training"]["epochs_completed"] >= 1
    assert len(model.predict(read_csv(phone_csv).features[:3])) == 3


def test_written_files_are_atomic(tmp_path, monkeypatch):
    from glasstorch.app import fileio

    target = tmp_path / "metrics.json"
    fileio.write_json(target, {"old": 1})

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        fileio.write_json(target, {"new": 2})
    assert json.loads(target.read_text()) == {"old": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def test_held_out_rows_are_the_course_split(env, capsys, phone_csv):
    assert run(capsys, "train", "--out", "run", *SHORT)[0] == 0
    model, _ = load_model(env / "run" / "model.safetensors")
    table = read_csv(phone_csv)
    _, test = train_test_split(2000, 0.8, 88)
    accuracy = json.loads((env / "run" / "metrics.json").read_text())["accuracy"]
    assert model.score(table.features[test], table.target[test]) == pytest.approx(accuracy)
    assert Path(env / "run" / "model.safetensors").read_bytes()[:8] != b"\x80\x04\x95"  # no pickle


def test_train_downloads_a_verified_copy_when_none_is_found(env, capsys, monkeypatch, server, phone_csv):
    files, base = server
    files["/train.csv"] = phone_csv.read_bytes()
    monkeypatch.delenv("GLASSTORCH_DATA")
    monkeypatch.delenv("GLASSTORCH_OFFLINE")
    for proxy in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("GLASSTORCH_DATA_MIRRORS", f"{base}/train.csv")
    code, out, err = run(capsys, "train", "--out", "run", "--epochs", "3")
    assert code == 0 and HEADLINE.match(last_line(out))
    assert "sha256 verified" in err
    assert (env / "cache" / "glasstorch" / "mobile_price_train.csv").read_bytes() == phone_csv.read_bytes()


def test_command_line_starts_without_the_trainer_or_matplotlib():
    """`glasstorch run` and `--help` only need the parser: the trainer and matplotlib load when a command uses them."""
    code = ("import sys, glasstorch.app.cli; "
            "print(sorted(m for m in ('matplotlib', 'glasstorch.app.estimator', 'glasstorch.app.train') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    import glasstorch.app as app
    assert app.TabularClassifier.__name__ == "TabularClassifier" and "fit_recipe" in dir(app)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        app.nope  # noqa: B018
