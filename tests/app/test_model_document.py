"""Damaged and hostile model files: every field of the model document is checked against one schema before use, so
each mutation below ends in exit code 2 and one line naming the field, for summary, evaluate and predict alike;
never a traceback, never a network built from a configuration the stored tensors do not fit."""
import json
import math

import numpy as np
import pytest

from cli_run import run

import glasstorch as torch
from glasstorch.serialization import load_safetensors, save_safetensors
from glasstorch.app.config import TrainConfig
from glasstorch.app.modelfile import load_model
from glasstorch.app.network import build_network, state_shapes

HEADER = "colour,size,weight,label"


def _rows(n=60, seed=0):
    rng = np.random.RandomState(seed)
    lines = [HEADER]
    for _ in range(n):
        colour = rng.choice(["red", "blue", "green"])
        size, weight = rng.uniform(0, 10), rng.uniform(0, 5)
        label = "big" if size + (colour == "red") * 3 > 6 else ("mid" if size > 3 else "small")
        lines.append(f"{colour},{size:.3f},{'' if rng.rand() < 0.1 else f'{weight:.3f}'},{label}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """A format-2 classifier (categories, imputation, hidden layer with batchnorm and dropout) and a standardised
    regressor, trained by the command line into a folder of their own."""
    from glasstorch.app.cli import main

    base = tmp_path_factory.mktemp("models")
    (base / "c.csv").write_text(_rows())
    rng = np.random.RandomState(1)
    x = rng.normal(size=(50, 2))
    (base / "r.csv").write_text("a,b,y\n" + "".join(f"{a:.4f},{b:.4f},{2 * a - b + 0.5:.4f}\n" for a, b in x))
    assert main(["train", "--data", str(base / "c.csv"), "--out", str(base / "c"), "--missing", "impute",
                 "--hidden", "5", "--batchnorm", "--dropout", "0.1", "--epochs", "3", "--quiet"]) == 0
    assert main(["train", "--data", str(base / "r.csv"), "--out", str(base / "r"), "--task", "regression",
                 "--epochs", "3", "--quiet"]) == 0
    (base / "in.csv").write_text("colour,size,weight\nred,5,1\n")
    (base / "rin.csv").write_text("a,b\n0.1,0.2\n")
    return base


def _document(models, which):
    return load_safetensors(str(models / which / "model.safetensors"))


def _set(document, path, value):
    *parents, last = path
    target = document
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value


_DELETE = object()
C, R = "c", "r"
MUTATIONS = [  # (model, path in the document, new value, the field the message must name)
    (C, ["format_version"], "2", "format_version"),
    (C, ["format_version"], 0, "format_version"),
    (C, ["format_version"], True, "format_version"),
    (C, ["config"], None, "config"),
    (C, ["target_name"], _DELETE, "target_name"),
    (C, ["target_name"], 7, "target_name"),
    (C, ["task"], "clustering", "task"),
    (C, ["config", "hidden"], [400000000], "state_dict"),
    (C, ["config", "hidden"], ["5"], "config.hidden[0]"),
    (C, ["config", "hidden"], [-5], "config.hidden[0]"),
    (C, ["config", "batchnorm"], False, "state_dict"),
    (C, ["config", "batchnorm"], "yes", "config.batchnorm"),
    (C, ["config", "activation"], "swish!", "config.activation"),
    (C, ["config", "lr"], "fast", "config.lr"),
    (C, ["config", "gamma"], math.inf, "config.gamma"),
    (C, ["config", "dropout"], 2.0, "config.dropout"),
    (C, ["config", "train_size"], 1.5, "config.train_size"),
    (C, ["config", "split_seed"], -1, "config.split_seed"),
    (C, ["config", "seed"], 2 ** 70, "config.seed"),
    (C, ["config", "task"], "regression", "config.task"),
    (C, ["classes"], None, "classes"),
    (C, ["classes"], ["big"], "classes"),
    (C, ["classes"], ["big", "big", "mid"], "classes[1]"),
    (C, ["classes"], ["big", {"x": 1}, "small"], "classes[1]"),
    (C, ["feature_names"], [], "feature_names"),
    (C, ["feature_names"], [1, 2, 3], "feature_names[0]"),
    (C, ["feature_names"], ["colour", "colour", "weight"], "feature_names[1]"),
    (C, ["encoding", "columns", 0, "name"], "hue", "encoding.columns"),
    (C, ["encoding", "columns", 0, "kind"], "ordinal", "encoding.columns[0].kind"),
    (C, ["encoding", "columns", 0, "categories"], _DELETE, "encoding.columns[0].categories"),
    (C, ["encoding", "columns", 0, "categories"], ["red", "blue", "green", "pink"], "encoding.input_names"),
    (C, ["encoding", "input_names"], ["x"], "encoding.input_names"),
    (C, ["encoding", "missing"], "guess", "encoding.missing"),
    (C, ["preprocessing"], None, "preprocessing"),
    (C, ["preprocessing", "selected"], np.array([0, 99]), "preprocessing.selected"),
    (C, ["preprocessing", "selected"], np.array([-1]), "preprocessing.selected"),
    (C, ["preprocessing", "selected"], np.array([0.5]), "preprocessing.selected"),
    (C, ["preprocessing", "mean"], np.zeros(2), "preprocessing.mean"),
    (C, ["preprocessing", "mean"], np.full(6, np.nan), "preprocessing.mean"),
    (C, ["preprocessing", "scale"], np.zeros(6), "preprocessing.scale"),
    (C, ["preprocessing", "scale"], _DELETE, "preprocessing.scale"),
    (C, ["state_dict"], {}, "state_dict"),
    (C, ["state_dict", "0.weight"], "w", "state_dict"),
    (C, ["state_dict", "0.weight"], torch.zeros(5, 6, dtype=torch.float64), "state_dict['0.weight']"),
    (C, ["state_dict", "0.weight"], torch.full((5, 6), float("nan")), "state_dict['0.weight']"),
    (C, ["training"], "yesterday", "training"),
    (C, ["training", "data", "path"], 123, "training.data.path"),
    (C, ["training", "data", "sha256"], "beef", "training.data.sha256"),
    (C, ["training", "data"], {"kind": "synthetic", "n": 10 ** 12, "seed": 0}, "training.data.n"),
    (C, ["training", "stopped"], "exploded", "training.stopped"),
    (R, ["classes"], [0, 1], "classes"),
    (R, ["preprocessing", "target_mean"], _DELETE, "preprocessing.target_mean"),
    (R, ["preprocessing", "target_scale"], np.ones(3), "preprocessing.target_scale"),
    (R, ["config", "standardize"], False, "preprocessing.mean"),
]


@pytest.mark.parametrize("which, path, value, field", MUTATIONS,
                         ids=[f"{m[0]}-{'.'.join(map(str, m[1]))}-{i}" for i, m in enumerate(MUTATIONS)])
def test_a_damaged_field_is_named(models, capsys, tmp_path, which, path, value, field):
    document = _document(models, which)
    if which == C:  # this model must have what the mutations change
        assert document["format_version"] == 2 and document["config"]["batchnorm"]
    _set(document, path, value)
    save_safetensors(document, str(tmp_path / "bad.safetensors"))
    assert (tmp_path / "bad.safetensors").stat().st_size < 20_000  # a small file...
    rows = str(models / ("in.csv" if which == C else "rin.csv"))
    for command in (["summary"], ["evaluate", "--out", str(tmp_path / "e.json")], ["predict", "--input", rows]):
        code, out, err = run(capsys, *command, "--model", str(tmp_path / "bad.safetensors"))
        assert code == 2 and out == "", (command, err)
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert f"damaged: {field}" in err, (field, err)  # ...whose message names the field


def test_the_untouched_models_load(models, capsys):
    for which, rows in ((C, "in.csv"), (R, "rin.csv")):
        model = str(models / which / "model.safetensors")
        assert run(capsys, "summary", "--model", model)[0] == 0
        code, out, _ = run(capsys, "predict", "--model", model, "--input", str(models / rows), "--json")
        assert code == 0 and len(json.loads(out)) == 1


def test_a_huge_hidden_width_is_refused_before_anything_is_allocated(models, tmp_path, monkeypatch):
    """config.hidden = [400000000] in a small file: the stored tensors are checked first, so no network is built."""
    document = _document(models, C)
    document["config"]["hidden"] = [400_000_000]
    save_safetensors(document, str(tmp_path / "big.safetensors"))
    from glasstorch.app import modelfile

    def refuse(*args, **kwargs):
        raise AssertionError("build_network ran on a configuration the tensors do not fit")

    monkeypatch.setattr(modelfile, "build_network", refuse)
    with pytest.raises(Exception, match=r"damaged: state_dict: does not fit config|damaged: state_dict\['0.weight'\]"):
        load_model(tmp_path / "big.safetensors")


@pytest.mark.parametrize("config", [TrainConfig(hidden=()), TrainConfig(hidden=(3, 5), batchnorm=True, dropout=0.2),
                                    TrainConfig(hidden=(4,), dropout=0.1), TrainConfig(hidden=(2, 2, 2))])
def test_state_shapes_are_the_built_networks(config):
    built = {k: (tuple(v.shape), str(v.dtype).rsplit(".", 1)[-1])
             for k, v in build_network(config, 7, 3).state_dict().items()}
    assert built == state_shapes(config, 7, 3)


def test_old_files_without_new_config_fields_still_load(models, tmp_path, capsys):
    """A document from an older glasstorch may lack config fields added since (categorical, missing...)."""
    document = _document(models, R)
    for name in ("categorical", "missing", "label_smoothing", "notes"):
        del document["config"][name]
    save_safetensors(document, str(tmp_path / "old.safetensors"))
    model, loaded = load_model(tmp_path / "old.safetensors")
    assert loaded["config"]["missing"] == "error" and model.predict(np.array([[0.1, 0.2]])).shape == (1,)
