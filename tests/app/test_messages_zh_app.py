"""The trainer's rarer messages in Chinese (issue 17): --out checks, splits and folds, the estimators' errors, notes
and warnings, summary's details. Each expected text is the catalogue's entry formatted with the fields the case
should produce; exit codes and metrics.json do not change with the language; a GBK or ASCII console does not crash."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli_run import run
from test_cli_categorical import titanic_rows, write_csv

from glasstorch import i18n
from glasstorch.app.config import REGRESSION_LOSSES, TrainConfig
from glasstorch.app.encoding import ColumnEncoder
from glasstorch.app.estimator import TabularClassifier
from glasstorch.app.modelfile import load_model
from glasstorch.app.phrases import metric_lines
from glasstorch.app.preprocess import LabelEncoder
from glasstorch.app.recipes import make_config
from glasstorch.app.split import k_fold, split_sizes, stratified_k_fold, train_test_split
from glasstorch.i18n import t_in

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--epochs", "3", "--quiet"]


def zh(key: str, **fields) -> str:
    return t_in("zh", key, **fields)


def error(key: str, **fields) -> str:
    return zh("app.error", message=zh(key, **fields))


# ---- rundir.py: --out --------------------------------------------------------------------------------------------
def test_out_checks_in_chinese(env, capsys):
    (env / "taken").write_text("x")
    code, out, err = run(capsys, "--lang", "zh", "train", "--out", "taken", *FAST)
    assert code == 2 and not out and err.strip() == error("app.out.file", out="taken")
    code, _, err = run(capsys, "--lang", "zh", "train", "--out", "taken/run", *FAST)
    assert code == 2 and err.strip() == error("app.out.below_file", out="taken/run", parent="taken")
    (env / "busy").mkdir()
    for name in "abcdefg":
        (env / "busy" / f"{name}.txt").write_text("")
    code, _, err = run(capsys, "--lang", "zh", "train", "--out", "busy", *FAST)
    files = "a.txt, b.txt, c.txt, d.txt, e.txt" + zh("app.more", n=2)
    assert code == 2 and err.strip() == error("app.out.foreign_run", out="busy", files=files)
    code, _, err = run(capsys, "--lang", "en", "train", "--out", "busy", *FAST)  # English as before
    assert code == 2 and "(a.txt, b.txt, c.txt, d.txt, e.txt and 2 more); a run replaces its folder" in err
    (env / ".held.lock").write_text(f"{os.getpid()}\n")
    code, _, err = run(capsys, "--lang", "zh", "train", "--out", "held", *FAST)
    assert code == 2 and err.strip() == error("app.out.locked", pid=os.getpid(), out="held",
                                              lock=env / ".held.lock")


# ---- train.py, split.py, config.py -------------------------------------------------------------------------------
def test_train_flag_errors_in_chinese(env, capsys):
    code, out, err = run(capsys, "--lang", "zh", "train", "--synthetic", "50", "--categorical", "a", *FAST)
    assert code == 2 and not out and err.strip() == error("app.err.synthetic_columns", flag="--categorical")
    code, _, err = run(capsys, "--lang", "zh", "train", "--task", "regression", "--loss", "cross_entropy", *FAST)
    assert code == 2 and err.strip() == error("app.cfg.loss_classification", loss="'cross_entropy'",
                                              losses=", ".join(REGRESSION_LOSSES))
    code, _, err = run(capsys, "--lang", "zh", "train", "--loss", "mse", *FAST)  # the task is inferred: classes
    assert code == 2 and err.strip() == error("app.cfg.loss_regression", loss="'mse'")


def test_too_many_folds_in_chinese(env, capsys):
    y = [i % 3 for i in range(40)]
    (env / "small.csv").write_text("a,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(y)))
    train_rows, _ = train_test_split(40, 0.8, 88)
    largest = np.bincount(np.asarray(y)[train_rows]).max()
    code, out, err = run(capsys, "--lang", "zh", "train", "--data", "small.csv", "--cv", "20", *FAST)
    assert code == 2 and not out
    assert err.strip() == error("app.err.cv", k=20, message=zh("app.split.class_folds", k=20, largest=largest))
    code, _, err = run(capsys, "--lang", "zh", "train", "--data", "small.csv", "--task", "regression", "--cv", "40",
                       *FAST)
    assert code == 2 and err.strip() == error("app.err.cv", k=40, message=zh("app.split.folds", k=40, n=32))


def test_split_and_fold_errors_follow_the_language():
    i18n.set_language("zh")
    with pytest.raises(ValueError) as info:
        split_sizes(3, 0.2)
    assert str(info.value) == zh("app.split.empty_train", n=3, train_size=0.2)
    with pytest.raises(ValueError) as info:
        split_sizes(10, 1.0)
    assert str(info.value) == zh("app.split.train_size", train_size=1.0)
    with pytest.raises(ValueError) as info:
        list(stratified_k_fold(np.array([0, 1, 0, 1]), 1))
    assert str(info.value) == zh("app.split.cv_min", k=1)
    with pytest.raises(ValueError) as info:
        list(k_fold(3, 5))
    assert str(info.value) == zh("app.split.folds", k=5, n=3)
    i18n.set_language("en")
    with pytest.raises(ValueError, match=r"^cannot make 5 folds of 3 rows \(need 2 <= k <= rows\)$"):
        list(k_fold(3, 5))


# ---- estimator.py, preprocess.py, recipes.py, encoding.py --------------------------------------------------------
def test_the_estimator_s_errors_in_chinese():
    i18n.set_language("zh")
    model = TabularClassifier(TrainConfig(epochs=1, hidden=()))
    with pytest.raises(AttributeError) as info:
        model.predict(np.zeros((1, 2)))
    assert str(info.value) == zh("app.fit.not_fitted", name="TabularClassifier")
    with pytest.raises(ValueError) as info:
        model.fit(np.zeros((4, 2)), np.array([1, 1, 1, 1]))
    assert str(info.value) == zh("app.fit.single_class", label="1")
    model.fit(np.arange(8.0).reshape(4, 2), np.array([0, 1, 0, 1]))
    with pytest.raises(ValueError) as info:
        model.predict(np.zeros((1, 3)))
    assert str(info.value) == zh("app.fit.shape", n=2, shape=(1, 3))
    with pytest.raises(ValueError) as info:
        LabelEncoder().fit(np.array(["a", "b"])).transform(np.array(["a", "c"]))
    assert str(info.value) == zh("app.err.unseen_label", row=2, label="'c'", classes=["a", "b"])
    with pytest.raises(ValueError) as info:
        make_config("fast")
    assert str(info.value) == zh("app.err.recipe", recipe="'fast'", choices="course, tuned")


def test_the_column_encoding_in_chinese_and_metrics_json_in_english():
    x = np.array([[1.0, "a"], [np.nan, "b"], [3.0, "a"]], dtype=object)
    encoder = ColumnEncoder(["n", "c"], [1], "impute").fit(x)
    i18n.set_language("zh")
    parts = zh("app.enc.categorical", k=1) + zh("app.enc.sep") + zh("app.enc.imputed_n", n=1)
    assert encoder.describe(1) == zh("app.enc.describe", columns=2, inputs=3, parts=parts)
    assert encoder.describe(1, "en") == "2 columns → 3 inputs (1 categorical, one-hot; 1 missing cells imputed)"
    with pytest.raises(ValueError) as info:
        ColumnEncoder(["n", "c"], [1]).fit(x)
    assert str(info.value) == zh("app.enc.missing_cell", row=2, column="n")
    with pytest.raises(ValueError) as info:
        ColumnEncoder(["n"], [3])
    assert str(info.value) == zh("app.enc.index", index=3, n=1)


# ---- notices.py, use.py (evaluate, predict, summary), predictions.py, phrases.py ----------------------------------
@pytest.fixture
def people(env, capsys):
    """A titanic-like CSV with a name column (left out as an ID) and a year as its last column, trained once."""
    rows = titanic_rows(80)
    header = ["name", "pclass", "sex", "age", "fare", "embarked", "year"]
    write_csv(env / "people.csv", [[f"person{i}", *row[:5], 1990 + i % 15] for i, row in enumerate(rows)], header)
    return env


def test_a_doubtful_target_and_a_dropped_column_in_chinese(people, capsys):
    code, out, err = run(capsys, "--lang", "zh", "train", "--data", "people.csv", "--missing", "impute",
                         "--epochs", "3", "--out", "zh")
    assert code == 0, err
    why = zh("app.doubt.many_classes", k=15, low=1990, high=2004, what=zh("app.doubt.year"))
    assert zh("app.warn.target", target="year", why=why, columns="pclass, sex, age, fare, embarked") in err
    rows = 80  # the fixture's names are all distinct
    why = zh("table.distinct", distinct=rows, present=rows)
    assert zh("app.note.dropped_one", n=1, parts=zh("app.note.dropped_part", name="name", why=why), names="name") in err
    metrics = json.loads((people / "zh" / "metrics.json").read_text(encoding="utf-8"))  # language-neutral
    assert metrics["dropped_columns"] == {"name": t_in("en", "table.distinct", distinct=rows, present=rows)}
    code, _, err_en = run(capsys, "--lang", "en", "train", "--data", "people.csv", "--missing", "impute",
                          "--epochs", "3", "--out", "en")
    assert code == 0 and "it looks like a year. If that is not what to predict" in err_en
    assert "note: left out 1 column whose values are (nearly) all distinct" in err_en

    def metrics(folder):
        found = json.loads((people / folder / "metrics.json").read_text(encoding="utf-8"))
        found.pop("train_seconds")
        return found

    assert metrics("zh") == metrics("en")  # the encoding's description in metrics.json stays English
    assert metrics("zh")["encoding"]["description"].startswith("5 columns → ")


def test_summary_details_in_chinese(people, capsys):
    assert run(capsys, "train", "--data", "people.csv", "--target", "year", "--task", "regression", "--missing",
               "impute", "--feature-alpha", "1", "--out", "run", *FAST)[0] == 0
    model, document = load_model(people / "run" / "model.safetensors")
    code, out, _ = run(capsys, "--lang", "zh", "summary", "--model", "run/model.safetensors")
    assert code == 0
    encoder = model.columns_
    assert zh("app.summary.inputs", description=t_in("zh", "app.enc.describe", columns=5, inputs=len(
        encoder.input_names_), parts=zh("app.enc.categorical", k=2) + zh("app.enc.sep") + zh("app.enc.imputed")),
        used=len(model.selected_features_)) in out
    assert zh("app.summary.one_hot", name="sex", categories="female, male") + "\n" in out
    assert zh("app.summary.trained", rows=zh("app.count.rows", n=64), epochs=zh("app.count.epochs", n=3)) in out
    age = encoder.names.index("age")
    cells = zh("app.summary.fill_cells", name="age", mean=f"{encoder.fill_[age]:.4g}",
               n=encoder.missing_counts_[age])
    assert zh("app.summary.fills", fills=cells) in out
    i18n.set_language("zh")
    metrics = {"task": "regression", "r2": 0.5, "mae": 1.0, "mse": 2.0, "rmse": 2.0 ** 0.5}
    assert metric_lines(metrics) == [zh("app.report.regression", r2="0.5000", mae="1", mse="2", rmse="1.414")]


def test_evaluate_and_predict_notes_and_errors_in_chinese(people, capsys):
    assert run(capsys, "train", "--data", "people.csv", "--target", "year", "--task", "regression", "--missing",
               "impute", "--feature-alpha", "1", "--out", "run", *FAST)[0] == 0
    model, _ = load_model(people / "run" / "model.safetensors")
    (people / "new.csv").write_text("pclass,sex,age,fare,embarked,extra\n1,robot,3,5,S,9\n2,,4,5,Q,1\n")
    code, out, err = run(capsys, "--lang", "zh", "predict", "--model", "run/model.safetensors", "--input", "new.csv")
    assert code == 0 and out
    assert zh("app.note.ignored", columns=zh("app.count.column", n=1), names="extra") in err
    robot = zh("app.note.unseen_item", name="sex", value="'robot'", rows=zh("app.count.row", n=1))
    assert robot in err and zh("app.note.missing_value") in err
    (people / "empty.csv").write_text("  \n")
    code, _, err = run(capsys, "--lang", "zh", "predict", "--model", "run/model.safetensors", "--input", "empty.csv")
    assert code == 2 and err.strip() == error("app.err.empty", path="empty.csv")
    (people / "folder").mkdir()
    code, _, err = run(capsys, "--lang", "zh", "predict", "--model", "run/model.safetensors", "--input", "new.csv",
                       "--output", "folder")
    assert code == 2 and err.strip().splitlines()[-1] == error("app.err.output_folder", path="folder")
    write_csv(people / "fewer.csv", [[1, "male", 3, 7.5]], ["pclass", "sex", "age", "year"])
    code, _, err = run(capsys, "--lang", "zh", "evaluate", "--model", "run/model.safetensors", "--data", "fewer.csv")
    absent = [name for name in model.used_columns_ if name not in ("pclass", "sex", "age")]
    assert code == 2 and err.strip() == error("app.err.columns_mismatch", path="fewer.csv", absent=", ".join(absent),
                                              columns=", ".join(model.used_columns_))


# ---- a console that cannot write Chinese ----------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_rare_messages_on_a_gbk_or_ascii_console(tmp_path, encoding):
    (tmp_path / "taken").write_text("x")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": encoding,
                   "GLASSTORCH_LANG": "zh", "MPLBACKEND": "Agg"}
    for args, key, fields, kept in ((["--out", "taken"], "app.out.file", {"out": "taken"}, "--out taken"),
                                    (["--drop", "a", "--synthetic", "50"], "app.err.synthetic_columns",
                                     {"flag": "--drop"}, "--drop")):
        done = subprocess.run([sys.executable, "-m", "glasstorch.app.cli", "train", *args, "--quiet"],
                              capture_output=True, env=environment, cwd=tmp_path, timeout=120)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr[-2000:]
        if encoding == "gbk":
            assert done.stderr.decode("gbk").strip() == error(key, **fields)
        else:  # what ASCII cannot carry is escaped (\\uXXXX); the ASCII parts (the flag, the path) are kept
            text = done.stderr.decode("ascii")
            assert "\\u" in text and kept in text, text
