"""No silent bad model, and the details a user notices: predict needs only the columns the model uses, a guessed
target that looks wrong is named, predict --output, --version, --help examples, py.typed, the examples extra, the
estimators as scikit-learn prints them, and the output's wording."""
import csv
import io
import json
import os
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from cli_run import run

import glasstorch
from glasstorch.app import TabularClassifier, TabularRegressor, make_config
from glasstorch.app.cli import build_parser, main
from glasstorch.app.config import TrainConfig
from glasstorch.app.modelfile import load_model
from glasstorch.app.train import describe_config

ROOT = Path(__file__).resolve().parents[2]


def write_rows(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _sex_rows(n=300, seed=2):
    """性别 decides the label; two noise columns do not."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        sex = "女" if rng.random() < 0.5 else "男"
        rows.append([sex, f"{rng.normal():.3f}", f"{rng.normal():.3f}", int(sex == "女")])
    return rows


def test_predict_asks_only_for_the_columns_the_model_uses(env, capsys):
    write_rows(env / "s.csv", ["性别", "noise1", "noise2", "label"], _sex_rows())
    code, _, err = run(capsys, "train", "--data", "s.csv", "--out", "run", "--epochs", "200", "--feature-alpha",
                       "0.001", "--quiet")
    assert code == 0, err
    model, _ = load_model(env / "run" / "model.safetensors")
    assert model.used_columns_ == ["性别"] and model.selected_features_.tolist() == ["性别=女", "性别=男"]
    (env / "only.csv").write_text("性别\n女\n男\n", encoding="utf-8")
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "only.csv", "--json")
    assert code == 0 and err == "" and [r["prediction"] for r in json.loads(out)] == [1, 0]
    (env / "extra.csv").write_text("colour,性别,noise1\nred,男,0.5\n", encoding="utf-8")
    code, out, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "extra.csv", "--json")
    assert code == 0 and err.strip() == "note: ignored 1 column the model does not use: colour"
    assert json.loads(out)[0]["prediction"] == 0
    (env / "none.csv").write_text("noise1,noise2\n1,2\n")
    code, _, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "none.csv")
    assert code == 2 and "missing column: 性别. The model uses: 性别" in err
    code, out, _ = run(capsys, "summary", "--model", "run/model.safetensors")
    assert "columns the model uses (what predict needs): 性别" in out
    # evaluate reads only the used columns of another CSV
    (env / "eval.csv").write_text("性别,label\n女,1\n男,0\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors", "--data", "eval.csv", "--quiet")
    assert code == 0 and out.strip() == "accuracy 1.0000 on 2 rows of eval.csv"


def test_a_guessed_target_that_looks_wrong_is_named_even_when_quiet(env, capsys):
    rng = np.random.default_rng(0)
    rows = [[f"{rng.normal():.3f}", int(rng.integers(0, 2)), int(2000 + rng.integers(0, 14))] for _ in range(300)]
    rows[0][2], rows[1][2] = 2000, 2013
    write_rows(env / "cars.csv", ["km", "label", "year"], rows)
    code, out, err = run(capsys, "train", "--data", "cars.csv", "--out", "run", "--epochs", "2", "--quiet")
    assert code == 0 and len(out.strip().splitlines()) == 1
    assert ("warning: the target is the last column, 'year', because --target was not given, but it holds 14 "
            "distinct integers from 2000 to 2013, read as 14 classes; it looks like a year") in err
    assert "name the target with --target COLUMN (columns: km, label)" in err
    code, _, err = run(capsys, "train", "--data", "cars.csv", "--out", "run2", "--epochs", "2", "--quiet",
                       "--target", "label")
    assert code == 0 and err == ""
    write_rows(env / "ids.csv", ["km", "id"], [[f"{rng.normal():.3f}", i + 1] for i in range(300)])
    code, _, err = run(capsys, "train", "--data", "ids.csv", "--out", "run3", "--epochs", "2", "--quiet")
    assert "its values are 300 distinct integers (1 to 300), as in an ID" in err


def test_predict_output_writes_the_rows_with_their_predictions(env, capsys, phone_csv):
    assert run(capsys, "train", "--out", "run", "--epochs", "20", "--quiet")[0] == 0
    lines = phone_csv.read_text().splitlines()
    (env / "rows.csv").write_text("\n".join(lines[:5]) + "\n")
    model, _ = load_model(env / "run" / "model.safetensors")
    code, out, _ = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "rows.csv", "--output",
                       "out/predicted.csv", "--proba")
    assert code == 0 and out.strip() == "wrote out/predicted.csv: 4 rows with their prediction and class probabilities"
    written = list(csv.reader(io.StringIO((env / "out" / "predicted.csv").read_text())))
    assert written[0] == lines[0].split(",") + ["prediction", "p(0)", "p(1)", "p(2)", "p(3)"]
    assert [row[:-5] for row in written[1:]] == [line.split(",") for line in lines[1:5]]  # the rows as written
    x = np.array([[float(v) for v in line.split(",")[:-1]] for line in lines[1:5]])
    assert [int(row[-5]) for row in written[1:]] == model.predict(x).tolist()
    np.testing.assert_allclose([[float(v) for v in row[-4:]] for row in written[1:]], model.predict_proba(x),
                               atol=1e-6)
    assert sorted(os.listdir(env / "out")) == ["predicted.csv"]  # written atomically, nothing left beside it
    code, _, err = run(capsys, "predict", "--model", "run/model.safetensors", "--input", "rows.csv", "--output", "out")
    assert code == 2 and "--output out is a folder" in err


def test_version_help_examples_and_package_data(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"glasstorch {glasstorch.__version__}"
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in ("train", "evaluate", "predict", "summary"):
        text = commands[name].format_help()
        examples = text.split("examples:\n")[1].strip().splitlines()
        assert 2 <= len(examples) <= 3 and all("glasstorch " in line for line in examples), name
    assert "Prints what a saved model is" in commands["summary"].format_help()
    assert (ROOT / "src" / "glasstorch" / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["glasstorch"]
    assert any(d.startswith("pandas") for d in project["project"]["dependencies"])
    examples = {re.split(r"[<>=]", d)[0] for d in project["project"]["optional-dependencies"]["examples"]}
    assert examples == {"pandas", "scikit-learn", "torchsummary"}
    assert "pip install -e '.[examples]'" in (ROOT / "README.md").read_text()


def test_estimators_as_scikit_learn_has_them():
    config = make_config("tuned", {"epochs": 30})
    model = TabularClassifier(config)
    assert repr(model).startswith("TabularClassifier(hidden=(), optimizer='adam', lr=1.0, scheduler='cosine',")
    assert repr(TabularRegressor()) == "TabularRegressor()"
    sklearn_base = pytest.importorskip("sklearn.base")
    clone = sklearn_base.clone(model)
    assert clone is not model and clone.config == model.config
    pandas = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    frame = pandas.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    y = (frame["a"] > 0).astype(int).to_numpy()
    model.fit(frame, y)
    assert model.feature_names_in_.tolist() == ["a", "b"]
    predicted, proba = model.predict(frame), model.predict_proba(frame)
    assert isinstance(predicted, np.ndarray) and isinstance(proba, np.ndarray) and proba.shape == (80, 2)
    assert isinstance(model.selected_features_, np.ndarray) and set(model.selected_features_) <= {"a", "b"}


def test_wording(env, capsys):
    assert describe_config(TrainConfig(hidden=())).startswith("model: hidden none (linear) · sgd")
    assert describe_config(TrainConfig(hidden=(4,), activation="tanh")).startswith("model: hidden 4, tanh · sgd")
    lines = ["a,b,y"] + [f"{i},{'' if i % 5 == 0 else i * 2},{i % 2}" for i in range(1, 101)]
    (env / "m.csv").write_text("\n".join(lines) + "\n")
    assert run(capsys, "train", "--data", "m.csv", "--out", "run", "--epochs", "3", "--quiet", "--missing",
               "impute")[0] == 0
    code, out, _ = run(capsys, "summary", "--model", "run/model.safetensors")
    assert re.search(r"missing numbers filled with the training rows' mean: b \d+\.?\d* \(\d+ cells\)$", out, re.M)
    assert re.search(r"no missing numbers in training, the mean kept for new rows: a ", out)
    (env / "one.csv").write_text("a,b,y\n3,6,1\n")
    code, out, _ = run(capsys, "evaluate", "--model", "run/model.safetensors", "--data", "one.csv", "--quiet")
    assert code == 0 and re.fullmatch(r"accuracy \d\.\d{4} on 1 row of one.csv", out.strip())


def test_the_readme_figures_come_from_one_script():
    """benchmarks/readme_figures.py rewrites the README's results table and inline figures between markers."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "benchmarks" / "readme_figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert figures.TABLE.search(readme) and {m.group(1) for m in figures.INLINE.finditer(readme)} == {"course", "tuned"}
    table = figures.HEADER + "| the course | 0.1234 | 0.5 ± 0.1 | 1.0 |\n"
    new = figures.rewrite(readme, table, {"course": "0.1234", "tuned": "0.9999"})
    assert "| the course | 0.1234 |" in new and "<!-- fig:course -->0.1234<!-- /fig -->" in new
    assert "<!-- fig:tuned -->0.9999<!-- /fig -->" in new and "0.6112 ± 0.0260" not in new
    assert figures.rewrite(new, table, {"course": "0.1234", "tuned": "0.9999"}) == new
    with pytest.raises(ValueError, match="names figures this script does not make: tuned"):
        figures.rewrite(readme, table, {"course": "0.1"})


def test_the_readme_figures_rewrite_the_chinese_table_under_its_own_labels():
    import importlib.util
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "benchmarks" / "readme_figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    old_rows = figures.TABLE.search(readme).group(2).splitlines()
    ladder = figures.HEADER + "".join(f"| step {i} | 0.{i:04d} | 0.5 ± 0.1 | 1.0 |\n" for i in range(len(old_rows) - 2))
    new_rows = figures.TABLE.search(figures.rewrite(readme, ladder, {"course": "0.1", "tuned": "0.9"}, True)).group(2)
    for i, (old, new) in enumerate(zip(old_rows[2:], new_rows.splitlines()[2:])):
        assert new.split(" | ")[0] == old.split(" | ")[0] and f"| 0.{i:04d} | 0.5 ± 0.1 | 1.0 |" in new
    with pytest.raises(ValueError, match="the translated table has"):
        figures.rewrite(readme, figures.HEADER + "| one | 1 | 2 | 3 |\n", {"course": "0.1"}, True)
