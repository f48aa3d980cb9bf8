"""``glasstorch export``: the ONNX graph run by onnxruntime and the torch export loaded by PyTorch give what
``glasstorch predict`` gives on the held-out rows (classes equal, probabilities within 1e-5), on the phone prices, on a
table with categories and missing cells, and on a regression; bad input ends in a clear message and exit code 2.

CI (GLASSTORCH_REQUIRE_TORCH=1) installs onnx and onnxruntime with the test extra: there these tests fail, not skip,
when either is missing."""
import csv
import importlib
import importlib.util
import os
import sys
import types

import numpy as np
import pytest

from cli_run import run
from test_cli_categorical import titanic_rows, write_csv

import glasstorch.app
from glasstorch.app import use
from glasstorch.app.data import InputError
from glasstorch.app.encoding import category_of
from glasstorch.app.estimator import TabularClassifier
from glasstorch.app.export import default_out, plan_of
from glasstorch.app.modelfile import load_model


def _required(name):
    if os.environ.get("GLASSTORCH_REQUIRE_TORCH") == "1":
        return importlib.import_module(name)
    return pytest.importorskip(name)


ort = _required("onnxruntime")
onnx = _required("onnx")
real_torch = _required("torch")


def held_out(model_file):
    """(model, document, the held-out rows as the model reads them), as ``glasstorch evaluate`` picks them."""
    model, document = load_model(model_file)
    table, rows, where = use._rows_to_evaluate(types.SimpleNamespace(data=None, all_rows=False), document, model)
    assert where == "held-out rows"
    return model, document, use._model_matrix(table, model)[rows]


def feeds(model, x):
    """ONNX inputs for rows ``x``: the numeric columns as float32 (NaN where missing), the categories as text."""
    encoder = model.columns_
    numeric = [j for j in range(len(encoder.names)) if j not in encoder.categorical]
    result = {}
    if numeric:
        result["features"] = np.array([[np.nan if row[j] is None else float(row[j]) for j in numeric] for row in x],
                                      dtype=np.float32)
    if encoder.categorical:
        result["categories"] = np.array([[category_of(row[j]) or "" for j in encoder.categorical] for row in x],
                                        dtype=object)
    return result


def run_onnx(path, model, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds(model, x))))


def assert_onnx_matches(path, model, x):
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    got = run_onnx(path, model, x)
    if model.task == "classification":
        np.testing.assert_allclose(got["probabilities"], model.predict_proba(x), rtol=0, atol=1e-5)
        assert got["label"].tolist() == model.predict(x).tolist()
        assert got["class_index"].tolist() == model.decision_function(x).argmax(axis=1).tolist()
    else:
        expected = model.predict(x)
        assert got["value"].dtype == np.float64 and got["value"].shape == expected.shape
        np.testing.assert_allclose(got["value"], expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())
    return got


def load_exported_torch(folder):
    """The generated model.py imported, and its Model with model.pth loaded (strict) through PyTorch itself."""
    spec = importlib.util.spec_from_file_location(f"exported_{abs(hash(str(folder)))}", folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    network = module.Model()
    network.load_state_dict(real_torch.load(folder / "model.pth", weights_only=True), strict=True)
    return module, network.eval()


def assert_torch_matches(folder, model, x):
    module, network = load_exported_torch(folder)
    rows = [dict(zip(model.columns_.names, row)) for row in x]
    prepared = np.asarray(module.prepare(rows), dtype=np.float32)
    np.testing.assert_array_equal(prepared, model._inputs(x).numpy())
    with real_torch.no_grad():
        outputs = network(real_torch.tensor(prepared)).numpy()
    np.testing.assert_allclose(outputs, model.decision_function(x), rtol=1e-5, atol=1e-5)
    return module, outputs


@pytest.fixture
def phone_run(tmp_path, phone_csv):
    """The tuned recipe's preprocessing (standardised, screened to 9 of 20 columns) with a deeper network: two hidden
    layers with batch norm, GELU and dropout, 3 epochs."""
    from glasstorch.app.cli import main
    assert main(["train", "--data", str(phone_csv), "--epochs", "3", "--hidden", "32,16", "--batchnorm",
                 "--dropout", "0.1", "--activation", "gelu", "--out", str(tmp_path / "phone"), "--quiet"]) == 0
    return tmp_path / "phone"


def test_onnx_phone_prices_match_predict_on_the_held_out_rows(phone_run, tmp_path, capsys):
    code, out, err = run(capsys, "export", str(phone_run), "--format", "onnx", "--out", str(tmp_path / "onnx"))
    assert code == 0, err
    assert "model.onnx" in out
    model, document, x = held_out(phone_run / "model.safetensors")
    assert len(model.selected_inputs_) < len(document["feature_names"])  # feature selection is in the graph
    got = assert_onnx_matches(tmp_path / "onnx" / "model.onnx", model, x)
    # and against the command itself: predict --output --proba on the same rows
    names = document["feature_names"]
    with open(tmp_path / "rows.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([names] + [[repr(float(v)) for v in row] for row in x])
    code, _, err = run(capsys, "predict", "--model", str(phone_run / "model.safetensors"), "--input",
                       str(tmp_path / "rows.csv"), "--output", str(tmp_path / "predicted.csv"), "--proba")
    assert code == 0, err
    with open(tmp_path / "predicted.csv") as handle:
        predicted = list(csv.DictReader(handle))
    assert [int(row["prediction"]) for row in predicted] == got["label"].tolist()
    columns = [f"p({c})" for c in model.classes_]
    np.testing.assert_allclose([[float(row[c]) for c in columns] for row in predicted], got["probabilities"],
                               rtol=0, atol=1e-5)
    session = onnx.load(str(tmp_path / "onnx" / "model.onnx"))
    properties = {p.key: p.value for p in session.metadata_props}
    assert properties["numeric_columns"].count('"') == 2 * len(names)


def test_torch_export_of_the_phone_model_loads_strictly_and_matches(phone_run, tmp_path, capsys):
    code, out, err = run(capsys, "export", str(phone_run / "model.safetensors"), "--format", "torch",
                         "--out", str(tmp_path / "pt"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "pt").iterdir()) == ["model.pth", "model.py"]
    model, _, x = held_out(phone_run / "model.safetensors")
    module, outputs = assert_torch_matches(tmp_path / "pt", model, x)
    probabilities = real_torch.softmax(real_torch.tensor(outputs), dim=1).numpy()
    np.testing.assert_allclose(probabilities, model.predict_proba(x), rtol=0, atol=1e-5)
    assert [module.CLASSES[i] for i in outputs.argmax(axis=1)] == model.predict(x).tolist()
    assert "BatchNorm1d" in (tmp_path / "pt" / "model.py").read_text()


def test_categorical_and_missing_cells_in_both_formats(env, capsys):
    """One-hot categories (string labels, a learned <missing> input, imputed numbers) inside the ONNX graph; rows
    with an unseen category and missing cells encode as in glasstorch."""
    rows = [row[:5] + [["died", "survived"][row[5]]] for row in titanic_rows(n=300)]
    write_csv(env / "titanic.csv", rows)
    code, _, err = run(capsys, "train", "--data", "titanic.csv", "--out", "run", "--missing", "impute",
                       "--epochs", "30", "--hidden", "16", "--activation", "silu", "--quiet")
    assert code == 0, err
    model, document, x = held_out("run/model.safetensors")
    encoder = model.columns_
    assert encoder.categorical and encoder.missing_input_ and encoder.fill_
    odd = np.array([[2.0, "male", np.nan, 10.0, "X"], [1.0, None, 30.0, np.nan, None],
                    [3.0, " female ", 4.0, 7.5, "Q"]], dtype=object)  # unseen port, missing cells, spaces
    x = np.concatenate([x, odd])
    for fmt in ("onnx", "torch"):
        code, _, err = run(capsys, "export", "run", "--format", fmt)
        assert code == 0, err
    got = assert_onnx_matches(env / "run-onnx" / "model.onnx", model, x)
    assert got["label"].dtype == object and set(got["label"]) <= {"died", "survived"}
    assert_torch_matches(env / "run-torch", model, x)


def test_regression_value_in_the_targets_units(env, capsys):
    rng = np.random.RandomState(5)
    rows = []
    for _ in range(300):
        a, b, city = rng.uniform(0, 10), rng.normal(), str(rng.choice(["north", "south", "east"]))
        rows.append([f"{a:.3f}", f"{b:.3f}", city, f"{1000 + 30 * a - 20 * b + (50 if city == 'north' else 0):.2f}"])
    write_csv(env / "prices.csv", rows, header=["a", "b", "city", "price"])
    code, _, err = run(capsys, "train", "--data", "prices.csv", "--target", "price", "--task", "regression",
                       "--out", "run", "--epochs", "20", "--hidden", "8", "--activation", "elu", "--quiet")
    assert code == 0, err
    model, _, x = held_out("run/model.safetensors")
    assert plan_of(model).target_scale is not None  # the target was standardised: the graph undoes it
    for fmt in ("onnx", "torch"):
        assert run(capsys, "export", "run/model.safetensors", "--format", fmt)[0] == 0
    assert_onnx_matches(env / "run-onnx" / "model.onnx", model, x)
    module, outputs = assert_torch_matches(env / "run-torch", model, x)
    np.testing.assert_allclose(outputs[:, 0] * module.TARGET_SCALE + module.TARGET_MEAN, model.predict(x),
                               rtol=1e-5)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "silu", "softplus",
                                        "identity"])
def test_every_activation_in_onnx_and_torch(activation, tmp_path):
    """Each layer the trainer builds, with weights scaled up so that the activations see large values too (softplus
    beyond its threshold of 20, sigmoid and tanh saturated)."""
    from glasstorch.app import onnx_graph
    from glasstorch.app.export import module_source
    import glasstorch

    rng = np.random.RandomState(0)
    x = rng.normal(size=(120, 3)) * [1.0, 5.0, 0.1]
    y = (x[:, 0] + x[:, 1] > 0).astype(int) + (x[:, 2] > 0)
    model = TabularClassifier(hidden=(6, 5), activation=activation, batchnorm=True, epochs=2, batch_size=32,
                              standardize=True).fit(x, y, feature_names=["p", "q", "r"])
    with glasstorch.no_grad():
        model.network_[0].weight.mul_(30.0)
    with glasstorch.no_grad():
        normalised = model.network_[1](model.network_[0](model._inputs(x))).numpy()
    assert np.abs(normalised).max() > 20  # the activation sees values beyond softplus's threshold
    plan = plan_of(model)
    (tmp_path / "model.onnx").write_bytes(onnx_graph.build(plan, "test").SerializeToString())
    assert_onnx_matches(tmp_path / "model.onnx", model, x)
    glasstorch.save(model.network_.state_dict(), tmp_path / "model.pth")
    (tmp_path / "model.py").write_text(module_source(plan, "test"))
    assert_torch_matches(tmp_path, model, x)


def test_bad_input_is_refused_with_exit_code_2(phone_run, tmp_path, capsys, monkeypatch):
    code, _, err = run(capsys, "export", str(tmp_path / "nothing"), "--format", "onnx")
    assert code == 2 and "no such model file" in err
    (tmp_path / "bad.safetensors").write_bytes(b"not a model")
    code, _, err = run(capsys, "export", str(tmp_path / "bad.safetensors"), "--format", "torch")
    code_predict, _, err_predict = run(capsys, "predict", "--model", str(tmp_path / "bad.safetensors"),
                                       "--input", str(tmp_path / "bad.safetensors"))
    assert code == code_predict == 2 and err == err_predict and "not a glasstorch model file" in err
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "export", str(phone_run), "--format", "onnx", "--out", str(tmp_path / "file"))
    assert code == 2 and "is a file" in err
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    code, _, err = run(capsys, "export", str(phone_run), "--format", "torch", "--out", str(tmp_path / "busy"))
    assert code == 2 and "notes.txt" in err and (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    # a previous export of the same format is replaced; one of the other format is someone else's files
    out = str(tmp_path / "again")
    assert run(capsys, "export", str(phone_run), "--format", "torch", "--out", out)[0] == 0
    assert run(capsys, "export", str(phone_run), "--format", "torch", "--out", out)[0] == 0
    code, _, err = run(capsys, "export", str(phone_run), "--format", "onnx", "--out", out)
    assert code == 2 and "model.py" in err


@pytest.mark.parametrize("lang, words", [("en", "pip install 'glasstorch[onnx]'"),
                                         ("zh", "没有安装：pip install 'glasstorch[onnx]'")])
def test_without_onnx_a_clear_message(phone_run, tmp_path, capsys, monkeypatch, lang, words):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx → ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "glasstorch.app.onnx_graph", raising=False)
    monkeypatch.delattr(glasstorch.app, "onnx_graph", raising=False)
    code, out, err = run(capsys, "export", str(phone_run), "--format", "onnx", "--out", str(tmp_path / "o"),
                         "--lang", lang)
    assert code == 2 and words in err and not (tmp_path / "o").exists()


def test_an_unsupported_layer_is_named():
    from glasstorch import nn

    model = TabularClassifier(hidden=(4,), epochs=1).fit(np.eye(4), [0, 1, 0, 1])
    model.network_[1] = nn.PReLU()
    with pytest.raises(InputError, match="cannot export the layer PReLU"):
        plan_of(model)


def test_default_out_is_beside_the_run(tmp_path):
    (tmp_path / "runs" / "tuned").mkdir(parents=True)
    run_folder = tmp_path / "runs" / "tuned"
    assert default_out(str(run_folder), "onnx") == tmp_path / "runs" / "tuned-onnx"
    assert default_out(str(run_folder / "model.safetensors"), "torch") == tmp_path / "runs" / "tuned-torch"
    assert default_out(str(tmp_path / "mine.safetensors"), "onnx") == tmp_path / "mine-onnx"
