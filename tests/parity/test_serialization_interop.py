"""Checkpoints between glasstorch and real torch 2.13, both ways, through files on disk.

* every module type glasstorch has: its state_dict saved by one library loads in the other (torch.load with its default
  weights_only=True; glasstorch.load likewise) into the same module built there, with the same keys in the same order,
  shapes, dtypes and values; a whole module saved by torch loads into glasstorch's class with weights_only=False;
* optimizer state_dicts in a checkpoint dict with epoch and loss: training resumed in the other library takes the
  same steps as in the first one (float32 tolerances as tests/parity/test_optim_parity.py);
* views and shared storages keep torch's storage sharing, storage_offset and strides; 0-dim and empty tensors and
  every dtype glasstorch has (bool, uint8, int8, int16, int32, int64, float16, float32, float64) keep dtype and shape.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.optim  # noqa: E402,F401


def _modules(lib) -> dict:
    """name → a factory of that module, built the same way in either library."""
    nn = lib.nn
    return {
        "Module": lambda: nn.Module(), "Sequential": lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)),
        "ModuleList": lambda: nn.ModuleList([nn.Linear(2, 2), nn.Tanh()]),
        "ModuleDict": lambda: nn.ModuleDict({"a": nn.Linear(2, 2), "b": nn.BatchNorm1d(2)}),
        "ParameterList": lambda: nn.ParameterList([nn.Parameter(lib.ones(2)), nn.Parameter(lib.zeros(1, 3))]),
        "ParameterDict": lambda: nn.ParameterDict({"p": nn.Parameter(lib.ones(2))}),
        "Linear": lambda: nn.Linear(3, 4), "Identity": lambda: nn.Identity(), "Flatten": lambda: nn.Flatten(),
        "Unflatten": lambda: nn.Unflatten(1, (2, 2)), "Dropout": lambda: nn.Dropout(0.3),
        "BatchNorm1d": lambda: nn.BatchNorm1d(3), "BatchNorm2d": lambda: nn.BatchNorm2d(3),
        "BatchNorm3d": lambda: nn.BatchNorm3d(2), "LayerNorm": lambda: nn.LayerNorm(4),
        "Embedding": lambda: nn.Embedding(5, 3), **{name: getattr(nn, name) for name in (
            "Sigmoid", "Tanh", "ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "GELU", "SiLU", "Softplus",
            "Hardtanh", "SELU", "CELU", "Softsign", "Mish", "Hardswish", "Hardsigmoid", "LogSigmoid", "Tanhshrink",
            "GLU", "Softmax2d", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "L1Loss", "MSELoss",
            "SmoothL1Loss", "HuberLoss", "KLDivLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
            "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "PoissonNLLLoss", "GaussianNLLLoss",
            "TripletMarginLoss", "CosineSimilarity", "PairwiseDistance", "Dropout1d", "Dropout2d", "Dropout3d",
            "AlphaDropout", "FeatureAlphaDropout")},
        "Softmax": lambda: nn.Softmax(dim=1), "LogSoftmax": lambda: nn.LogSoftmax(dim=1),
        "Softmin": lambda: nn.Softmin(dim=1), "Threshold": lambda: nn.Threshold(0.1, 20.0),
        "Conv1d": lambda: nn.Conv1d(2, 3, 3), "Conv2d": lambda: nn.Conv2d(2, 3, 3, bias=False),
        "MaxPool1d": lambda: nn.MaxPool1d(2), "MaxPool2d": lambda: nn.MaxPool2d(2),
        "AvgPool1d": lambda: nn.AvgPool1d(2), "AvgPool2d": lambda: nn.AvgPool2d(2),
        "AdaptiveAvgPool1d": lambda: nn.AdaptiveAvgPool1d(2), "AdaptiveAvgPool2d": lambda: nn.AdaptiveAvgPool2d(2),
        "AdaptiveMaxPool1d": lambda: nn.AdaptiveMaxPool1d(2), "AdaptiveMaxPool2d": lambda: nn.AdaptiveMaxPool2d(2),
        "ZeroPad1d": lambda: nn.ZeroPad1d(1), "ZeroPad2d": lambda: nn.ZeroPad2d(1),
        "ConstantPad1d": lambda: nn.ConstantPad1d(1, 0.5), "ConstantPad2d": lambda: nn.ConstantPad2d(1, 0.5),
        "ReflectionPad1d": lambda: nn.ReflectionPad1d(1), "ReflectionPad2d": lambda: nn.ReflectionPad2d(1),
        "ReplicationPad1d": lambda: nn.ReplicationPad1d(1), "ReplicationPad2d": lambda: nn.ReplicationPad2d(1),
        "CircularPad1d": lambda: nn.CircularPad1d(1), "CircularPad2d": lambda: nn.CircularPad2d(1),
        "RNNBase": lambda: nn.RNNBase("GRU", 3, 4), "RNN": lambda: nn.RNN(3, 4, num_layers=2),
        "LSTM": lambda: nn.LSTM(3, 4, bidirectional=True), "GRU": lambda: nn.GRU(3, 4, batch_first=True),
        "RNNCellBase": lambda: nn.RNNCellBase(3, 4, True, 2), "RNNCell": lambda: nn.RNNCell(3, 4),
        "LSTMCell": lambda: nn.LSTMCell(3, 4), "GRUCell": lambda: nn.GRUCell(3, 4),
        "GroupNorm": lambda: nn.GroupNorm(2, 4), "LocalResponseNorm": lambda: nn.LocalResponseNorm(2),
        "InstanceNorm1d": lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
        "InstanceNorm2d": lambda: nn.InstanceNorm2d(3, affine=True),
        "InstanceNorm3d": lambda: nn.InstanceNorm3d(3, track_running_stats=True),
        "Upsample": lambda: nn.Upsample(scale_factor=2), "UpsamplingNearest2d": lambda: nn.UpsamplingNearest2d(scale_factor=2),
        "UpsamplingBilinear2d": lambda: nn.UpsamplingBilinear2d(scale_factor=2),
        "PixelShuffle": lambda: nn.PixelShuffle(2), "PixelUnshuffle": lambda: nn.PixelUnshuffle(2),
        "Fold": lambda: nn.Fold(output_size=(4, 4), kernel_size=2), "Unfold": lambda: nn.Unfold(kernel_size=2),
        "MultiheadAttention": lambda: nn.MultiheadAttention(4, 2, add_bias_kv=True, kdim=3, vdim=5),
        "TransformerEncoderLayer": lambda: nn.TransformerEncoderLayer(4, 2, 8, norm_first=True),
        "TransformerEncoder": lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, batch_first=True), 2,
                                                            norm=nn.LayerNorm(4)),
    }


MODULE_NAMES = sorted(_modules(glasstorch))


def test_every_module_type_is_covered():
    assert set(MODULE_NAMES) == set(glasstorch.nn.modules.__all__)


def _build(lib, name: str, seed: int):
    lib.manual_seed(seed)
    module = _modules(lib)[name]()
    with lib.no_grad():  # visible values in every entry (running stats, counters included)
        for i, (key, value) in enumerate(module.state_dict().items()):
            if value.dtype == lib.int64:
                value.fill_(7 + i)
            else:
                value.copy_(lib.arange(value.numel(), dtype=value.dtype).reshape(value.shape) * 0.25 - i)
    return module


def _assert_same_state(ours: dict, theirs: dict) -> None:
    assert list(ours) == list(theirs)
    for key in ours:
        a, b = ours[key], theirs[key]
        assert tuple(a.shape) == tuple(b.shape), key
        assert a.dtype.name == str(b.dtype).split(".")[-1], key
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy(), err_msg=key)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_state_dict_glasstorch_to_torch(tmp_path, name):
    ours = _build(glasstorch, name, seed=1)
    glasstorch.save(ours.state_dict(), tmp_path / "m.pth")
    loaded = torch.load(tmp_path / "m.pth")  # weights_only=True, torch's default
    theirs = _modules(torch)[name]()
    assert list(loaded) == list(theirs.state_dict())
    theirs.load_state_dict(loaded)
    _assert_same_state(ours.state_dict(), theirs.state_dict())


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_state_dict_torch_to_glasstorch(tmp_path, name):
    theirs = _build(torch, name, seed=2)
    torch.save(theirs.state_dict(), tmp_path / "m.pth")
    loaded = glasstorch.load(tmp_path / "m.pth")
    assert type(loaded) is OrderedDict
    ours = _modules(glasstorch)[name]()
    assert list(loaded) == list(ours.state_dict())
    ours.load_state_dict(loaded)
    _assert_same_state(ours.state_dict(), theirs.state_dict())


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_whole_module_torch_to_glasstorch(tmp_path, name):
    theirs = _build(torch, name, seed=3)
    torch.save(theirs, tmp_path / "m.pth")
    with pytest.raises(glasstorch.serialization.WeightsOnlyUnpicklingError, match="Unsupported global"):
        glasstorch.load(tmp_path / "m.pth")
    ours = glasstorch.load(tmp_path / "m.pth", weights_only=False)
    assert type(ours) is getattr(glasstorch.nn, name)
    _assert_same_state(ours.state_dict(), theirs.state_dict())
    assert ours.training == theirs.training


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_whole_module_glasstorch_round_trip(tmp_path, name):
    ours = _build(glasstorch, name, seed=4)
    glasstorch.save(ours, tmp_path / "m.pth")
    back = glasstorch.load(tmp_path / "m.pth", weights_only=False)
    assert type(back) is type(ours) and repr(back) == repr(ours)
    _assert_same_state(back.state_dict(), ours.state_dict())


def test_a_whole_model_from_torch_predicts_as_in_torch(tmp_path):
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                                 torch.nn.Dropout(0.2), torch.nn.Linear(8, 3)).eval()
    torch.save(theirs, tmp_path / "model.pth")
    ours = glasstorch.load(tmp_path / "model.pth", weights_only=False)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(ours(glasstorch.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    assert not ours.training and not ours[1].training


# ---- optimizers: a checkpoint dict resumed in the other library ----------------------------------------------------

OPTIMIZERS = {
    "SGD": lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adam": lambda lib, p: lib.optim.Adam(p, lr=0.01, amsgrad=True), "AdamW": lambda lib, p: lib.optim.AdamW(p, lr=0.01),
    "RMSprop": lambda lib, p: lib.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda lib, p: lib.optim.Adagrad(p, lr=0.1), "Adadelta": lambda lib, p: lib.optim.Adadelta(p),
    "Adamax": lambda lib, p: lib.optim.Adamax(p, lr=0.01), "NAdam": lambda lib, p: lib.optim.NAdam(p, lr=0.01),
    "RAdam": lambda lib, p: lib.optim.RAdam(p, lr=0.01), "ASGD": lambda lib, p: lib.optim.ASGD(p, lr=0.01),
    "Rprop": lambda lib, p: lib.optim.Rprop(p, lr=0.01), "LBFGS": lambda lib, p: lib.optim.LBFGS(p, lr=0.5, max_iter=3),
}


def _training(lib, name: str, state=None):
    """A 4-3-2 MLP with fixed weights and data, its optimizer, and one step (a closure, so LBFGS works too)."""
    rng = np.random.default_rng(5)
    x, y = (lib.tensor(rng.standard_normal(shape).astype(np.float32)) for shape in [(8, 4), (8, 2)])
    model = lib.nn.Sequential(lib.nn.Linear(4, 3), lib.nn.Tanh(), lib.nn.Linear(3, 2))
    with lib.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32) * 0.5))
    optimizer = OPTIMIZERS[name](lib, model.parameters())
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])

    def step():
        def closure():
            optimizer.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            return loss
        return float(optimizer.step(closure).detach())
    return model, optimizer, step


def _weights(model) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("direction", ["glasstorch->torch", "torch->glasstorch"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_resumes_in_the_other_library(tmp_path, name, direction):
    first, second = (glasstorch, torch) if direction == "glasstorch->torch" else (torch, glasstorch)
    model, optimizer, step = _training(first, name)
    loss = [step() for _ in range(3)][-1]
    first.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3, "loss": loss},
               tmp_path / "checkpoint.pth")
    expected = [step() for _ in range(3)]
    checkpoint = second.load(tmp_path / "checkpoint.pth")  # weights_only=True in both
    assert checkpoint["epoch"] == 3 and checkpoint["loss"] == loss
    resumed, _, resumed_step = _training(second, name, checkpoint)
    got = [resumed_step() for _ in range(3)]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    for ours, theirs in zip(_weights(resumed), _weights(model)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


# ---- views, shared storages, 0-dim and empty tensors, dtypes ------------------------------------------------------

def _views(lib):
    base = lib.arange(24, dtype=lib.float32).reshape(4, 6)
    return {"base": base, "t": base.t(), "row": base[1], "rows": base[1:3], "cols": base[:, 2:5],
            "step": base[:, ::2], "expand": base[0, :1].expand(3, 4), "flat": base.reshape(-1)}


def test_views_saved_by_glasstorch_share_storage_in_torch(tmp_path):
    glasstorch.save(_views(glasstorch), tmp_path / "v.pth")
    loaded = torch.load(tmp_path / "v.pth")
    reference = _views(torch)
    base_pointer = loaded["base"].untyped_storage().data_ptr()
    for key, view in loaded.items():
        assert view.untyped_storage().data_ptr() == base_pointer, key
        assert view.stride() == reference[key].stride() and view.storage_offset() == reference[key].storage_offset(), key
        assert torch.equal(view, reference[key]), key
    loaded["base"][1, 3] = -1.0
    assert loaded["t"][3, 1] == -1.0 and loaded["rows"][0, 3] == -1.0


def _element_strides(tensor) -> tuple[int, ...]:
    array = tensor.numpy()
    return tuple(s // array.itemsize for s in array.strides)


def test_views_saved_by_torch_share_memory_in_glasstorch(tmp_path):
    torch.save(_views(torch), tmp_path / "v.pth")
    loaded = glasstorch.load(tmp_path / "v.pth")
    reference = _views(glasstorch)
    for key, view in loaded.items():
        assert np.shares_memory(view.numpy(), loaded["base"].numpy()), key
        assert _element_strides(view) == _element_strides(reference[key]), key
        np.testing.assert_array_equal(view.numpy(), reference[key].numpy(), err_msg=key)
    with glasstorch.no_grad():
        loaded["base"][1, 3] = -1.0
    assert loaded["t"][3, 1].item() == -1.0 and loaded["cols"][1, 1].item() == -1.0


def test_one_tensor_and_a_parameter_over_it(tmp_path):
    weight = glasstorch.nn.Parameter(glasstorch.ones(2, 2))
    glasstorch.save({"p": weight, "again": weight, "half": weight[0]}, tmp_path / "p.pth")
    loaded = torch.load(tmp_path / "p.pth")
    assert type(loaded["p"]) is torch.nn.Parameter and loaded["p"].requires_grad and loaded["again"] is loaded["p"]
    assert loaded["half"].untyped_storage().data_ptr() == loaded["p"].untyped_storage().data_ptr()
    torch.save(loaded, tmp_path / "back.pth")
    back = glasstorch.load(tmp_path / "back.pth")
    assert type(back["p"]) is glasstorch.nn.Parameter and back["p"].requires_grad and back["again"] is back["p"]


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SHAPES = [(), (0,), (2, 0, 3), (2, 3)]


def _sample(lib, dtype: str, shape):
    values = (np.arange(int(np.prod(shape))).reshape(shape) % 5 - 2).astype(dtype)
    return lib.tensor(values) if shape else lib.tensor(values.item(), dtype=getattr(lib, dtype))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_and_shapes_glasstorch_to_torch(tmp_path, dtype, shape):
    glasstorch.save({"x": _sample(glasstorch, dtype, shape)}, tmp_path / "x.pth")
    loaded = torch.load(tmp_path / "x.pth")["x"]
    expected = _sample(torch, dtype, shape)
    assert loaded.dtype == expected.dtype and loaded.shape == expected.shape and torch.equal(loaded, expected)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_and_shapes_torch_to_glasstorch(tmp_path, dtype, shape):
    torch.save({"x": _sample(torch, dtype, shape)}, tmp_path / "x.pth")
    loaded = glasstorch.load(tmp_path / "x.pth")["x"]
    expected = _sample(glasstorch, dtype, shape)
    assert loaded.dtype is expected.dtype and loaded.shape == expected.shape
    np.testing.assert_array_equal(loaded.numpy(), expected.numpy())


def test_a_legacy_checkpoint_from_torch(tmp_path):
    state = _build(torch, "LSTM", seed=6).state_dict()
    torch.save({"state": state, "views": _views(torch), "epoch": 2}, tmp_path / "old.pth",
               _use_new_zipfile_serialization=False)
    loaded = glasstorch.load(tmp_path / "old.pth")
    _assert_same_state(loaded["state"], state)
    assert np.shares_memory(loaded["views"]["t"].numpy(), loaded["views"]["base"].numpy())
    assert loaded["epoch"] == 2


def test_glasstorch_reads_a_torch_checkpoint_with_mmap(tmp_path):
    state = _build(torch, "Conv2d", seed=7).state_dict()
    torch.save(state, tmp_path / "m.pth")
    _assert_same_state(glasstorch.load(tmp_path / "m.pth", mmap=True, map_location="cpu"), state)


def test_safe_globals_allow_a_class_of_ones_own(tmp_path):
    glasstorch.save({"cfg": Config(3)}, tmp_path / "c.pth")
    with pytest.raises(glasstorch.serialization.WeightsOnlyUnpicklingError, match="Config"):
        glasstorch.load(tmp_path / "c.pth")
    with glasstorch.serialization.safe_globals([Config]):
        assert glasstorch.serialization.get_safe_globals() == [Config]
        assert glasstorch.load(tmp_path / "c.pth")["cfg"].width == 3
        with torch.serialization.safe_globals([Config]):
            assert torch.load(tmp_path / "c.pth")["cfg"].width == 3  # torch reads the same file the same way
    assert glasstorch.serialization.get_safe_globals() == []


class Config:
    def __init__(self, width: int) -> None:
        self.width = width


def test_torch_maps_a_glasstorch_checkpoint_and_finds_only_safe_globals(tmp_path):
    state = _build(glasstorch, "BatchNorm1d", seed=8).state_dict()
    glasstorch.save(state, tmp_path / "m.pth")
    assert torch.serialization.get_unsafe_globals_in_checkpoint(tmp_path / "m.pth") == []
    _assert_same_state(state, torch.load(tmp_path / "m.pth", mmap=True))  # storages 64-byte aligned, as torch's


@pytest.mark.parametrize("what", ["tensor", "dtype"])
def test_a_dtype_glasstorch_lacks_is_named(tmp_path, what):
    torch.save({"x": torch.ones(2, dtype=torch.bfloat16) if what == "tensor" else torch.bfloat16}, tmp_path / "b.pth")
    with pytest.raises(glasstorch.serialization.UnsupportedFileError, match="bfloat16"):
        glasstorch.load(tmp_path / "b.pth")
