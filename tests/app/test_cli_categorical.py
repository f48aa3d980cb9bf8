"""The command line on real-world CSVs: categorical columns, --categorical, --missing impute, through train,
evaluate, predict (CSV and JSON), summary and --cv; old model files; the phone data unchanged."""
import csv
import io
import json
import re
import sys

import numpy as np
import pytest

from cli_run import run

import glasstorch as torch
from glasstorch.app import encoding
from glasstorch.app.modelfile import FORMAT_VERSION, load_model
from glasstorch.app.split import stratified_k_fold, train_test_split

FAST = ["--epochs", "40", "--quiet"]
HEADER = ["pclass", "sex", "age", "fare", "embarked", "survived"]


def titanic_rows(n=240, seed=3, missing=True):
    """Titanic-like rows: survival depends mostly on sex, then class; some ages and ports are empty."""
    rng = np.random.RandomState(seed)
    rows = []
    for _ in range(n):
        pclass = int(rng.choice([1, 2, 3]))
        sex = str(rng.choice(["male", "female"]))
        age = "" if missing and rng.rand() < 0.2 else f"{rng.uniform(1, 70):.1f}"
        fare = f"{rng.lognormal(2 + (3 - pclass) * 0.6, 0.4):.2f}"
        port = "" if missing and rng.rand() < 0.1 else str(rng.choice(["S", "C", "Q"]))
        survived = int((sex == "female") if rng.rand() < 0.9 else rng.rand() < 0.5)
        rows.append([pclass, sex, age, fare, port, survived])
    return rows


def write_csv(path, rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue())
    return path.name


def as_object_rows(rows):
    """The feature cells as the model reads them, built by hand: floats (NaN if empty) and category text (None)."""
    x = np.empty((len(rows), 5), dtype=object)
    for r, (pclass, sex, age, fare, port, _) in enumerate(rows):
        x[r] = [float(pclass), sex, float(age) if age != "" else np.nan, float(fare), port or None]
    return x


def test_titanic_like_round_trip_train_evaluate_predict(env, capsys):
    rows = titanic_rows()
    write_csv(env / "titanic.csv", rows)
    code, out, err = run(capsys, "train", "--data", "titanic.csv", "--out", "run", "--missing", "impute",
                         "--epochs", "40")
    assert code == 0, err
    n_missing = sum((r[2] == "") + (r[4] == "") for r in rows)
    assert f"features: 5 columns → 9 inputs (2 categorical, one-hot; {n_missing} missing cells imputed)" in err
    assert re.match(r"accuracy \d\.\d{4} on 48 held-out rows$", out.strip().splitlines()[-1])
    metrics = json.loads((env / "run" / "metrics.json").read_text())
    assert metrics["accuracy"] >= 0.8  # sex decides 90% of the outcomes
    assert metrics["encoding"]["inputs"] == ["pclass", "sex=female", "sex=male", "age", "fare", "embarked=C",
                                             "embarked=Q", "embarked=S", "embarked=<missing>"]
    assert metrics["encoding"]["categorical"] == ["sex", "embarked"]
    assert metrics["encoding"]["missing_cells"] == n_missing
    assert set(metrics["features_used"]) <= set(metrics["encoding"]["inputs"])

    model, document = load_model(env / "run" / "model.safetensors")
    assert document["format_version"] == FORMAT_VERSION == 2 and document["config"]["missing"] == "impute"
    train_rows, test_rows = train_test_split(len(rows), 0.8, 88)
    ages = np.array([float(r[2]) if r[2] else np.nan for r in rows])
    assert model.columns_.fill_[2] == pytest.approx(np.nanmean(ages[train_rows]))

    # evaluate: the same held-out rows, the same accuracy
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors", "--quiet")
    assert code == 0 and out.strip() == f"accuracy {metrics['accuracy']:.4f} on 48 held-out rows"

    # predict from CSV: empty and NA cells, an unseen sex and an unseen port
    (env / "new.csv").write_text("embarked,fare,age,sex,pclass\nS,7.25,22,male,3\nNA,80,,female,1\n"
                                 "X,10,30,unknown,2\nC,10,n/a,unknown,2\n")
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "new.csv", "--json")
    assert code == 0
    records = json.loads(out)
    x = np.array([[3.0, "male", 22.0, 7.25, "S"], [1.0, "female", np.nan, 80.0, None],
                  [2.0, "unknown", 30.0, 10.0, "X"], [2.0, "unknown", np.nan, 10.0, "C"]], dtype=object)
    assert [r["prediction"] for r in records] == model.predict(x).tolist()
    np.testing.assert_allclose([list(r["probabilities"].values()) for r in records], model.predict_proba(x), atol=1e-6)
    notes = err.strip().splitlines()
    assert len(notes) == 1 and "sex='unknown' (2 rows)" in notes[0] and "embarked='X' (1 row)" in notes[0]
    # the unseen values encode as all zeros: the same outputs as a row with every one-hot input of the column off
    encoded = model.columns_.transform(x)
    np.testing.assert_array_equal(encoded[2, [1, 2, 5, 6, 7, 8]], np.zeros(6))

    # predict from JSON: categories as strings, missing values as null
    (env / "new.json").write_text(json.dumps([
        {"pclass": 1, "sex": "female", "age": None, "fare": 80, "embarked": None},
        {"pclass": 3, "sex": "male", "age": 22, "fare": 7.25, "embarked": "S"}]))
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "new.json", "--json")
    assert code == 0 and err == ""
    assert [r["prediction"] for r in json.loads(out)] == model.predict(x[[1, 0]]).tolist()

    code, out, _ = run(capsys, "summary", "--model", "run/model.safetensors")
    assert code == 0 and "5 columns → 9 inputs (2 categorical, one-hot; missing cells imputed)" in out
    assert "embarked: one-hot over C, Q, S and <missing>" in out
    assert f"age {np.nanmean(ages[train_rows]):.4g}" in out


def test_without_the_flag_empty_cells_stop_the_run_with_a_hint(env, capsys):
    write_csv(env / "titanic.csv", titanic_rows())
    code, out, err = run(capsys, "train", "--data", "titanic.csv", "--out", "o", *FAST)
    assert code == 2 and out == "" and not (env / "o").exists()
    assert re.search(r"row \d+ \(line \d+\), column '(age|embarked)': the cell is empty.*--missing impute", err)


def test_empty_target_cells_stay_an_error_under_impute(env, capsys):
    rows = titanic_rows(40)
    rows[5][-1] = ""
    write_csv(env / "t.csv", rows)
    code, _, err = run(capsys, "train", "--data", "t.csv", "--out", "o", "--missing", "impute", *FAST)
    assert code == 2 and "row 6 (line 7), column 'survived': the target cell is empty" in err


def test_a_mixed_column_is_refused_and_categorical_forces_codes(env, capsys):
    rows = titanic_rows(60, missing=False)
    rows[7][0] = "first"
    write_csv(env / "t.csv", rows)
    code, _, err = run(capsys, "train", "--data", "t.csv", "--out", "o", *FAST)
    assert code == 2 and "row 8 (line 9), column 'pclass': 'first' is not a number" in err
    assert "--categorical pclass" in err
    code, _, err = run(capsys, "train", "--data", "t.csv", "--out", "o", "--categorical", "pclass", *FAST)
    assert code == 0, err
    inputs = json.loads((env / "o" / "metrics.json").read_text())["encoding"]["inputs"]
    assert inputs[:4] == ["pclass=1", "pclass=2", "pclass=3", "pclass=first"]
    code, _, err = run(capsys, "train", "--data", "t.csv", "--out", "o2", "--categorical", "deck", *FAST)
    assert code == 2 and "--categorical deck: t.csv has no column 'deck'" in err


def test_cross_validation_fits_the_encoding_inside_each_fold(env, capsys, monkeypatch):
    rows = titanic_rows()
    write_csv(env / "titanic.csv", rows)
    fitted = []
    real_fit = encoding.ColumnEncoder.fit

    def spy(self, x):
        result = real_fit(self, x)
        fitted.append(dict(self.fill_))
        return result

    monkeypatch.setattr(encoding.ColumnEncoder, "fit", spy)
    code, out, err = run(capsys, "train", "--data", "titanic.csv", "--out", "cv", "--missing", "impute", "--cv", "3",
                         *FAST)
    assert code == 0, err
    metrics = json.loads((env / "cv" / "metrics.json").read_text())
    assert metrics["cv_folds"] == 3 and len(metrics["cv_accuracy_folds"]) == 3
    ages = np.array([float(r[2]) if r[2] else np.nan for r in rows])
    train_rows, _ = train_test_split(len(rows), 0.8, 88)
    y = np.array([r[-1] for r in rows], dtype=np.float64)[train_rows]
    folds = list(stratified_k_fold(y, 3, 0))
    expected = [np.nanmean(ages[train_rows][fit]) for fit, _ in folds] + [np.nanmean(ages[train_rows])]
    # the header line's fit, then one per fold, then the final model's
    assert [f[2] for f in fitted[1:]] == pytest.approx(expected)
    assert len({round(v, 9) for v in expected}) == 4  # each fold's mean really differs


def test_an_old_model_file_without_encoding_still_loads_and_predicts(env, capsys):
    rows = [[r[0], 1.0 if r[1] == "female" else 0.0, r[3], r[5]] for r in titanic_rows(80, missing=False)]
    write_csv(env / "num.csv", rows, ["pclass", "female", "fare", "survived"])
    assert run(capsys, "train", "--data", "num.csv", "--out", "run", *FAST)[0] == 0
    path = env / "run" / "model.safetensors"
    document = torch.load(str(path))
    assert document["format_version"] == 1 and "encoding" not in document
    # as the code before categorical columns wrote it: no encoding, no categorical/missing in the config
    for key in ("categorical", "missing"):
        del document["config"][key]
    torch.save(document, str(env / "old.safetensors"))
    old, old_document = load_model(env / "old.safetensors")
    new, _ = load_model(path)
    assert old.columns_.trivial and old.config.missing == "error" and old.config.categorical == ()
    x = np.array([[r[0], r[1], r[2]] for r in rows], dtype=np.float64)
    np.testing.assert_array_equal(old.predict_proba(x), new.predict_proba(x))
    (env / "rows.csv").write_text("pclass,female,fare\n1,1,80\n3,0,7.5\n")
    code, out, err = run(capsys, "predict", "--model", "old.safetensors", "--input", "rows.csv", "--json")
    assert code == 0 and err == ""
    assert [r["prediction"] for r in json.loads(out)] == old.predict(np.array([[1, 1, 80], [3, 0, 7.5]])).tolist()
    (env / "bad.csv").write_text("pclass,female,fare\n1,,80\n")
    code, _, err = run(capsys, "predict", "--model", "old.safetensors", "--input", "bad.csv")
    assert code == 2 and "row 1 (line 2), column 'female': the cell is empty" in err


def test_a_newer_model_format_is_refused(env, capsys):
    write_csv(env / "titanic.csv", titanic_rows(60))
    assert run(capsys, "train", "--data", "titanic.csv", "--out", "run", "--missing", "impute", *FAST)[0] == 0
    document = torch.load(str(env / "run" / "model.safetensors"))
    document["format_version"] = FORMAT_VERSION + 1
    torch.save(document, str(env / "future.safetensors"))
    code, _, err = run(capsys, "summary", "--model", "future.safetensors")
    assert code == 2 and "newer glasstorch" in err


def test_the_phone_data_model_is_unchanged(env, capsys, phone_csv):
    """All-numeric data: no features line, no encoding in metrics or the model file, format 1 as before."""
    code, out, err = run(capsys, "train", "--out", "run", "--epochs", "3")
    assert code == 0 and "features:" not in err
    metrics = json.loads((env / "run" / "metrics.json").read_text())
    header = phone_csv.read_text().splitlines()[0].split(",")
    assert "encoding" not in metrics and set(metrics["features_used"]) <= set(header[:-1])
    document = torch.load(str(env / "run" / "model.safetensors"))
    assert document["format_version"] == 1 and "encoding" not in document
    assert document["feature_names"] == header[:-1]
    assert document["preprocessing"]["mean"].shape == (20,)
    code, out, _ = run(capsys, "summary", "--model", "run/model.safetensors")
    assert re.search(r"^features: 20 in the data, \d+ used", out, re.M)


def test_predict_on_stdin_json_with_nulls(env, capsys, monkeypatch):
    write_csv(env / "titanic.csv", titanic_rows())
    assert run(capsys, "train", "--data", "titanic.csv", "--out", "run", "--missing", "impute", *FAST)[0] == 0
    rows = [{"pclass": 2, "sex": "female", "age": None, "fare": 20.5, "embarked": "NA"}]
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(rows)))
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "-")
    assert code == 0 and err == "" and out.strip().splitlines()[1].split()[1] == "1"
