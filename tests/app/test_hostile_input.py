"""Bad training input, impossible flags and hostile files: each is one clear line and exit code 2, found before
training where it can be; never a traceback, a silent wrong result or an unbounded read."""
import errno
import json
import os
import re
import stat
import sys

import numpy as np
import pytest

from cli_run import run

from glasstorch.app import train as train_module
from glasstorch.app.modelfile import load_model

FAST = ["--epochs", "3", "--quiet"]


def phone_lines(phone_csv, n=300):
    return phone_csv.read_text().splitlines()[:n + 1]


def with_cell(lines, row, column, text):
    """The CSV lines with data row ``row`` (1-based), column ``column`` replaced."""
    header = lines[0].split(",")
    j = header.index(column)
    cells = lines[row].split(",")
    cells[j] = text
    return lines[:row] + [",".join(cells)] + lines[row + 1:]


def write(env, name, lines):
    (env / name).write_text("\n".join(lines) + "\n")
    return name


def must_not_train(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("training started although the input was refused")
    monkeypatch.setattr(train_module, "estimator_for", refuse)


def refused(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", (code, err)
    assert err.startswith("error: ") and "Traceback" not in err, err
    return err


# ---- the target --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["abc", "nan", "?", "NA", "1e309", "inf"])
def test_a_non_number_in_a_numeric_target_is_refused_not_a_new_class(env, capsys, monkeypatch, phone_csv, text):
    must_not_train(monkeypatch)
    name = write(env, "t.csv", with_cell(phone_lines(phone_csv), 17, "price_range", text))
    err = refused(capsys, "train", "--data", name, "--out", "o", *FAST)
    assert re.search(r"row 17, column 'price_range': .*" + re.escape(repr(text)), err), err
    assert not (env / "o").exists()


def test_a_word_in_numbers_is_a_label_only_when_classification_is_asked_for(env, capsys, phone_csv):
    lines = with_cell(phone_lines(phone_csv, 200), 5, "price_range", "premium")
    err = refused(capsys, "train", "--data", write(env, "t.csv", lines), "--out", "o", *FAST)
    assert "pass --task classification" in err
    code, _, err = run(capsys, "train", "--data", "t.csv", "--out", "o", "--task", "classification", *FAST)
    assert code == 0, err
    _, document = load_model(env / "o" / "model.safetensors")
    assert "premium" in document["classes"]


def test_a_regression_target_with_a_nan_cell(env, capsys):
    lines = ["a,b,y"] + [f"{i},{i % 7},{i * 0.5 + 0.25}" for i in range(40)]
    lines[9] = "8,1,nan"
    err = refused(capsys, "train", "--data", write(env, "r.csv", lines), "--task", "regression", "--out", "o", *FAST)
    assert "row 9, column 'y': 'nan' is not a number" in err


def test_a_continuous_target_with_one_bad_cell_is_not_1600_classes(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 2))
    lines = ["a,b,price"] + [f"{a:.5f},{b:.5f},{100 + 30 * a + rng.normal():.4f}" for a, b in x]
    lines[1234] = lines[1234].rsplit(",", 1)[0] + ",n/a"
    err = refused(capsys, "train", "--data", write(env, "c.csv", lines), "--out", "o", *FAST)
    assert "row 1234, column 'price': the target is missing ('n/a')" in err
    lines[1234] = lines[1234].rsplit(",", 1)[0] + ",101.5"
    err = refused(capsys, "train", "--data", write(env, "c.csv", lines), "--task", "classification", "--out", "o",
                  *FAST)
    assert re.search(r"'price' has 1,9\d\d distinct values: too many classes .*--task regression.*--max-classes 19\d\d",
                     err), err


def test_classes_beyond_the_limit_need_the_flag_and_the_confusion_plot_is_skipped_above_30(env, capsys):
    rng = np.random.default_rng(1)

    def labelled(k, n):
        labels = [f"k{i % k}" for i in range(n)]
        return ["u,v,kind"] + [f"{rng.normal():.4f},{int(c[1:]) + rng.normal() * 0.1:.4f},{c}" for c in labels]
    write(env, "many.csv", labelled(120, 480))
    err = refused(capsys, "train", "--data", "many.csv", "--out", "o", *FAST)
    assert "'kind' has 120 distinct values: too many classes for a classifier (limit 100)" in err
    assert "--max-classes 120" in err
    code, _, err = run(capsys, "train", "--data", "many.csv", "--out", "o", *FAST, "--max-classes", "120")
    assert code == 0, err
    write(env, "forty.csv", labelled(40, 400))
    code, out, err = run(capsys, "train", "--data", "forty.csv", "--out", "o", "--epochs", "3", "--train-size", "0.5")
    assert code == 0, err
    assert "confusion.png not drawn: 40 classes are more than the 30" in err
    assert not (env / "o" / "confusion.png").exists() and (env / "o" / "curves.png").exists()
    assert len(json.loads((env / "o" / "metrics.json").read_text())["confusion"]) == 40


def test_a_target_beyond_float32_is_out_of_range_not_nan_metrics(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    lines = ["a,b,y"] + [f"{i},{i % 7},{i * 0.5 + 0.25}" for i in range(40)]
    lines[5] = "4,4,1e200"
    err = refused(capsys, "train", "--data", write(env, "r.csv", lines), "--out", "o", *FAST)
    assert "row 5, column 'y': 1e+200 is out of range" in err and "float32" in err


def test_a_feature_cell_beyond_float32_names_row_and_column_not_divergence(env, capsys, monkeypatch, phone_csv):
    must_not_train(monkeypatch)
    lines = with_cell(phone_lines(phone_csv), 3, "ram", "1e39")
    err = refused(capsys, "train", "--data", write(env, "f.csv", lines), "--out", "o", "--recipe", "course", *FAST)
    assert "row 3, column 'ram': 1e+39 is out of range" in err and "diverged" not in err


def test_metrics_json_is_strict_json(env, capsys, tmp_path):
    from glasstorch.app.fileio import write_json

    write_json(tmp_path / "m.json", {"r2": float("nan"), "inner": [1.0, float("inf")], "ok": 0.5})

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")
    assert json.loads((tmp_path / "m.json").read_text(), parse_constant=refuse) == \
        {"r2": None, "inner": [1.0, None], "ok": 0.5}
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    json.loads((env / "o" / "metrics.json").read_text(), parse_constant=refuse)


# ---- flags -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flags, message", [
    (["--gamma", "inf"], "gamma must be a finite number, got inf"),
    (["--lr", "nan"], "lr must be a finite number"),
    (["--weight-decay", "inf"], "weight decay must be a finite number"),
    (["--loss", "mse"], "loss 'mse' is a regression loss"),  # the task is inferred: classification
    (["--split-seed", "-1"], "split seed must be in [0, 2**32)"),
    (["--seed", str(2 ** 70)], "seed must be in [-2**63, 2**64)"),
    (["--train-size", "0.0001"], "--train-size 0.0001 of 2000 rows gives 0 training and 2000 held-out rows"),
    (["--hidden", "100000000"], "GiB; --hidden 100000000: use narrower layers"),
    (["--synthetic", str(10 ** 12)], "--synthetic needs between 20 and 1,000,000 rows"),
])
def test_impossible_flags_are_refused_before_any_work(env, capsys, monkeypatch, flags, message):
    must_not_train(monkeypatch)
    err = refused(capsys, "train", "--out", "o", *FAST, *flags)
    assert message in err, err
    assert not (env / "o").exists()


def test_a_one_row_file_for_regression(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    err = refused(capsys, "train", "--data", write(env, "one.csv", ["a,b,y", "1,2,3.5"]), "--task", "regression",
                  "--out", "o", *FAST)
    assert "of 1 row gives 0 training and 1 held-out rows" in err


def test_the_memory_estimate():
    from glasstorch.app import validate

    # 9 → 10 → 4 with Adam: P = 9·10+10 + 10·4+4 = 144; 4·144·(3+2) + 4·14·(4·8 + 2·100) + 20·9·500
    assert validate.training_bytes([9, 10, 4], "adam", 8, 100, False, 500) == \
        4 * 144 * 5 + 4 * 14 * (32 + 200) + 20 * 9 * 500
    validate.check_memory((10,), 9, 4, "adam", 8, 100, False, 500, available=2 ** 30)
    with pytest.raises(validate.InputError, match="more than half of this machine's 0.0 GiB; --hidden 10: use"):
        validate.check_memory((10,), 9, 4, "adam", 8, 100, False, available=1000)
    with pytest.raises(validate.InputError, match="100,000 encoded inputs for 10,000 rows"):
        validate.check_memory((), 100_000, 4, "adam", 8, 10_000, False, 10_000, available=2 ** 33)


def test_a_column_of_ids_read_as_categories_is_refused_before_encoding(env, capsys, monkeypatch):
    """Every row its own category: one input per row, a dense n × n matrix; the estimate refuses it first."""
    must_not_train(monkeypatch)
    from glasstorch.app import validate

    monkeypatch.setattr(validate, "physical_memory", lambda: 2 ** 30)  # as on a 1 GiB machine
    lines = ["id,x,y"] + [f"user{i:05d},{i % 13},{i % 2}" for i in range(6000)]
    # (an ID column is left out unless named by --categorical: named, it is kept and the estimate must refuse it)
    err = refused(capsys, "train", "--data", write(env, "ids.csv", lines), "--out", "o", "--categorical", "id", *FAST)
    assert re.search(r"[\d,]+ encoded inputs for 6,000 rows \(one per category of a categorical column\)", err), err


# ---- files -------------------------------------------------------------------------------------------------------

def test_a_character_device_is_refused_without_reading(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    err = refused(capsys, "train", "--data", "/dev/zero", "--out", "o", *FAST)
    assert "/dev/zero is a character device, not a regular CSV file" in err


def test_a_fifo_is_refused_without_blocking(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    os.mkfifo(env / "pipe.csv")  # no writer: opening it blocking would hang forever
    err = refused(capsys, "train", "--data", "pipe.csv", "--out", "o", *FAST)
    assert "pipe.csv is a FIFO (named pipe), not a regular CSV file" in err
    err = refused(capsys, "predict", "--model", "pipe.csv", "--input", "x.csv")
    assert "is a FIFO" in err


def test_check_regular_file_reads_nothing(env):
    from glasstorch.app import validate

    (env / "ok.csv").write_text("a,b\n1,2\n")
    assert validate.check_regular_file(env / "ok.csv", "CSV file") == 8
    os.mkfifo(env / "p")
    for path, message in (("/dev/zero", "is a character device"), (str(env / "p"), "is a FIFO"),
                          (str(env), "is a folder"), (str(env / "none"), "no such file")):
        with pytest.raises(validate.InputError, match=message):
            validate.check_regular_file(path, "CSV file")


def test_a_file_larger_than_the_limit(env, capsys, monkeypatch, phone_csv):
    from glasstorch.app import validate

    monkeypatch.setattr(validate, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(validate.read_regular_file, "__defaults__", ("file", 1000))
    err = refused(capsys, "train", "--out", "o", *FAST)
    assert re.search(r"is [\d,]+ bytes, more than the 1,000 bytes glasstorch reads", err), err


def test_an_unreadable_csv(env, capsys, monkeypatch, phone_csv):
    must_not_train(monkeypatch)
    write(env, "locked.csv", phone_lines(phone_csv, 50))
    os.chmod(env / "locked.csv", 0)
    if os.geteuid() != 0:  # an ordinary user: mode 000 really refuses
        err = refused(capsys, "train", "--data", "locked.csv", "--out", "o", *FAST)
        assert "cannot read CSV file locked.csv: Permission denied" in err
    real_open = os.open

    def deny(path, *args, **kwargs):  # root reads mode-000 files, so the refusal is simulated where open happens
        if str(path).endswith("locked.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    err = refused(capsys, "train", "--data", "locked.csv", "--out", "o", *FAST)
    assert "cannot read CSV file locked.csv: Permission denied" in err


@pytest.mark.parametrize("setup, out, message", [
    (lambda env: (env / "afile").write_text("x"), "afile", "--out afile is a file, not a folder"),
    (lambda env: (env / "afile").write_text("x"), "afile/sub/run", "--out afile/sub/run lies below afile, which is a"),
    (lambda env: (env / "mine").mkdir() or (env / "mine" / "notes.txt").write_text("keep me"), "mine",
     "--out mine holds files that are not a glasstorch run's (notes.txt)"),
])
def test_an_out_that_cannot_be_a_run_folder(env, capsys, monkeypatch, setup, out, message):
    must_not_train(monkeypatch)
    setup(env)
    err = refused(capsys, "train", "--out", out, *FAST)
    assert message in err
    if out == "mine":
        assert (env / "mine" / "notes.txt").read_text() == "keep me"


def test_a_read_only_out_fails_before_training(env, capsys, monkeypatch):
    must_not_train(monkeypatch)
    from pathlib import Path
    real_mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):  # root writes anywhere, so a read-only medium is simulated
        if ".o.run-" in self.name:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    err = refused(capsys, "train", "--out", "o", *FAST)
    assert "cannot write into" in err and "Read-only file system (a read-only file system)" in err
    assert not [p for p in env.iterdir() if p.name.startswith(".o.")]


def test_a_full_disk_leaves_the_previous_run_untouched(env, capsys, monkeypatch):
    assert run(capsys, "train", "--out", "o", *FAST)[0] == 0
    before = {p.name: p.read_bytes() for p in (env / "o").iterdir()}

    def full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # every atomic write fsyncs its file before renaming it
    err = refused(capsys, "train", "--out", "o", *FAST)
    assert "No space left on device (the disk is full); nothing was saved (o is unchanged)" in err
    assert {p.name: p.read_bytes() for p in (env / "o").iterdir()} == before
    assert sorted(p.name for p in env.iterdir() if p.name.startswith(".o")) == []


def test_evaluate_beside_a_model_on_a_read_only_medium(env, capsys, monkeypatch):
    assert run(capsys, "train", "--out", "run", *FAST)[0] == 0
    from glasstorch.app import use

    real = use.write_json

    def read_only(path, document):
        if os.path.abspath(os.path.dirname(path)) == str(env / "run"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(path, document)

    monkeypatch.setattr(use, "write_json", read_only)
    monkeypatch.chdir(env / "run")  # the fallback (./evaluation.json) is the model's folder too: nowhere to write
    code, out, err = run(capsys, "evaluate", "--model", "model.safetensors")
    assert code == 0 and "the metrics were not written to a file" in err and "pass --out FILE" in err
    monkeypatch.chdir(env)
    code, out, err = run(capsys, "evaluate", "--model", "run/model.safetensors")
    assert code == 0 and f"wrote {env / 'evaluation.json'} instead" in err
    assert json.loads((env / "evaluation.json").read_text())["n_test"] == 400
    err = refused(capsys, "evaluate", "--model", "run/model.safetensors", "--out", "run/e.json")
    assert "cannot write into run/e.json: Read-only file system" in err


def test_evaluate_names_the_moved_training_csv_and_fetches_nothing(env, capsys, monkeypatch, server):
    files, base = server
    requested = []
    files["/phones.csv"] = b"not served"
    monkeypatch.delenv("GLASSTORCH_OFFLINE")
    monkeypatch.delenv("GLASSTORCH_DATA")
    for proxy in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("GLASSTORCH_DATA_MIRRORS", f"{base}/phones.csv")
    phone_module = sys.modules["glasstorch.datasets.phone_prices"]
    real_download = phone_module._download
    monkeypatch.setattr(phone_module, "_download", lambda *a, **k: requested.append(a) or real_download(*a, **k))
    rng = np.random.default_rng(2)
    lines = ["u,v,label"] + [f"{a:.3f},{b:.3f},{int(a > b)}" for a, b in rng.normal(size=(80, 2))]
    write(env, "mine.csv", lines)
    assert run(capsys, "train", "--data", "mine.csv", "--out", "run", *FAST)[0] == 0
    os.rename(env / "mine.csv", env / "moved.csv")
    err = refused(capsys, "evaluate", "--model", "run/model.safetensors")
    assert "the model was trained on mine.csv, which is no longer there; pass --data CSV" in err
    assert "phone" not in err and requested == []
    write(env, "mine.csv", lines[:-1])
    err = refused(capsys, "evaluate", "--model", "run/model.safetensors")
    assert "mine.csv, which has changed since" in err and requested == []
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors", "--data", "moved.csv", "--quiet")
    assert code == 0 and "on 16 held-out rows" in out  # the same bytes: the same held-out rows


@pytest.mark.parametrize("stored", ["/dev/zero", "fifo"])
def test_a_model_whose_stored_training_path_is_not_a_regular_file(env, capsys, tmp_path, stored):
    from glasstorch.serialization import load_safetensors, save_safetensors

    assert run(capsys, "train", "--out", "run", *FAST)[0] == 0
    document = load_safetensors(str(env / "run" / "model.safetensors"))
    if stored == "fifo":
        os.mkfifo(env / "fifo")  # no writer: a blocking open would hang
        stored = str(env / "fifo")
    document["training"]["data"]["path"] = stored
    document["training"]["data"]["sha256"] = "0" * 64
    save_safetensors(document, str(env / "bad.safetensors"))
    err = refused(capsys, "evaluate", "--model", "bad.safetensors")
    assert f"the model was trained on {stored}, which cannot be read now" in err and "not a regular CSV file" in err


def test_summary_batch_size(env, capsys):
    assert run(capsys, "train", "--out", "run", *FAST)[0] == 0
    for bad in ("0", "-5", str(10 ** 20)):
        with pytest.raises(SystemExit) as info:
            run(capsys, "summary", "--model", "run/model.safetensors", "--batch-size", bad)
        assert info.value.code == 2
    assert run(capsys, "summary", "--model", "run/model.safetensors", "--batch-size", "-1")[0] == 0


# ---- JSON for predict --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('[{"u": 1%s, "v": 0}]' % ("0" * 400), "a number with 401 digits is out of range"),
    ('[{"u": 1%s, "v": 0}]' % ("0" * 4999), "a number with 5,000 digits is out of range"),
    ('[{"u": 1%s, "v": 0}]' % ("0" * 320), "is out of range"),
    ('[{"u": 1e39, "v": 0}]', "row 1, column 'u': 1e+39 is out of range"),
    ("[" * 100_000, "the JSON nests too deeply"),
    ('{"rows": ' + "[" * 50_000 + "]" * 50_000 + "}", "the JSON nests too deeply"),
])
def test_hostile_json_for_predict(env, capsys, text, message):
    rng = np.random.default_rng(3)
    lines = ["u,v,label"] + [f"{a:.3f},{b:.3f},{int(a > b)}" for a, b in rng.normal(size=(60, 2))]
    assert run(capsys, "train", "--data", write(env, "d.csv", lines), "--out", "run", *FAST)[0] == 0
    (env / "q.json").write_text(text)
    err = refused(capsys, "predict", "--model", "run/model.safetensors", "--input", "q.json")
    assert message in err, err
    assert sys.getrecursionlimit() < 100_000
