"""Parity with torch of nn.TransformerEncoderLayer (norm_first, activation relu / gelu / a callable, batch_first,
bias, masks, training mode with dropout 0 and eval mode) and nn.TransformerEncoder (num_layers, final norm, masks,
nested-tensor padding in eval without gradients, enable_nested_tensor's warning): outputs and the gradients of the
input and of every parameter, glasstorch's modules loaded with torch's weights."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import compare  # noqa: E402

RTOL, ATOL = 1e-5, 1e-5  # two LayerNorms and a softmax per layer: float32 rounding compounds through the stack
RNG = np.random.default_rng(11)


def data(*shape) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def copy_weights(ours, theirs) -> None:
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def run_both(ours, theirs, shape, ours_kw=None, theirs_kw=None, grad=True):
    x = data(*shape)
    ox, tx = glasstorch.tensor(x, requires_grad=grad), torch.tensor(x, requires_grad=grad)
    o_out, t_out = ours(ox, **(ours_kw or {})), theirs(tx, **(theirs_kw or {}))
    compare(o_out, t_out, RTOL, ATOL, "output")
    if grad:
        (o_out.sin() * 1.5).sum().backward()
        (t_out.sin() * 1.5).sum().backward()
        compare(ox.grad, tx.grad, RTOL, ATOL, "grad of input")
        ours_params = dict(ours.named_parameters())
        for name, parameter in theirs.named_parameters():
            compare(ours_params[name].grad, parameter.grad, 1e-4, 1e-5, f"grad of {name}")


def erf_gelu(lib):
    return lambda x: x * lib.sigmoid(1.702 * x)


LAYER_OPTIONS = list(itertools.product((False, True), ("relu", "gelu", "callable"), (False, True), (True, False)))


@pytest.mark.parametrize("norm_first,activation,batch_first,bias", LAYER_OPTIONS)
def test_encoder_layer_train_and_eval(norm_first, activation, batch_first, bias):
    kwargs = dict(dim_feedforward=16, dropout=0.0, norm_first=norm_first, batch_first=batch_first, bias=bias)
    theirs = torch.nn.TransformerEncoderLayer(8, 2, activation=erf_gelu(torch) if activation == "callable"
                                              else activation, **kwargs)
    ours = glasstorch.nn.TransformerEncoderLayer(8, 2, activation=erf_gelu(glasstorch) if activation == "callable"
                                                 else activation, **kwargs)
    copy_weights(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    shape = (3, 5, 8) if batch_first else (5, 3, 8)
    run_both(ours, theirs, shape)
    ours.eval(), theirs.eval()
    run_both(ours, theirs, shape)
    with torch.no_grad(), glasstorch.no_grad():  # torch's fused inference path
        run_both(ours, theirs, shape, grad=False)


@pytest.mark.parametrize("mask_kind", ["causal_float", "causal_bool", "padding_bool", "padding_and_causal"])
def test_encoder_layer_masks(mask_kind):
    theirs = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    ours = glasstorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    copy_weights(ours, theirs)
    causal = np.triu(np.full((5, 5), -np.inf, dtype=np.float32), 1)
    padding = np.zeros((3, 5), dtype=bool)
    padding[1, 3:] = True
    o_kw, t_kw = {}, {}
    if mask_kind in ("causal_float", "padding_and_causal"):
        o_kw["src_mask"], t_kw["src_mask"] = glasstorch.tensor(causal), torch.tensor(causal)
    if mask_kind == "causal_bool":
        o_kw["src_mask"], t_kw["src_mask"] = glasstorch.tensor(causal != 0), torch.tensor(causal != 0)
    if mask_kind.startswith("padding"):
        o_kw["src_key_padding_mask"], t_kw["src_key_padding_mask"] = glasstorch.tensor(padding), torch.tensor(padding)
    if mask_kind == "causal_float":
        o_kw["is_causal"], t_kw["is_causal"] = True, True
    run_both(ours, theirs, (3, 5, 8), o_kw, t_kw)


@pytest.mark.parametrize("num_layers,final_norm,batch_first", [(1, False, False), (2, True, True), (3, False, True)])
def test_encoder_stack(num_layers, final_norm, batch_first):
    t_layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=batch_first)
    o_layer = glasstorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=batch_first)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.TransformerEncoder(t_layer, num_layers, norm=torch.nn.LayerNorm(8) if final_norm else None)
        ours = glasstorch.nn.TransformerEncoder(o_layer, num_layers,
                                                norm=glasstorch.nn.LayerNorm(8) if final_norm else None)
    for parameter in theirs.parameters():  # the clones differ, so a wrong layer order would show
        parameter.data.add_(torch.randn(parameter.shape) * 0.1)
    copy_weights(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    shape = (3, 5, 8) if batch_first else (5, 3, 8)
    run_both(ours, theirs, shape)
    ours.eval(), theirs.eval()
    causal = np.triu(np.full((5, 5), -np.inf, dtype=np.float32), 1)
    run_both(ours, theirs, shape, {"mask": glasstorch.tensor(causal)}, {"mask": torch.tensor(causal)})


@pytest.mark.parametrize("left_aligned", [True, False])
def test_encoder_pads_like_torchs_nested_tensors_in_inference(left_aligned):
    t_layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    o_layer = glasstorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    theirs = torch.nn.TransformerEncoder(t_layer, 2, norm=torch.nn.LayerNorm(8)).eval()
    ours = glasstorch.nn.TransformerEncoder(o_layer, 2, norm=glasstorch.nn.LayerNorm(8)).eval()
    assert ours.use_nested_tensor and theirs.use_nested_tensor
    copy_weights(ours, theirs)
    padding = np.zeros((3, 5), dtype=bool)
    padding[0, 3:] = True
    padding[2, 4:] = True
    if not left_aligned:
        padding[1, 0] = True
    kw = ({"src_key_padding_mask": glasstorch.tensor(padding)}, {"src_key_padding_mask": torch.tensor(padding)})
    with torch.no_grad(), glasstorch.no_grad():
        run_both(ours, theirs, (3, 5, 8), *kw, grad=False)
    run_both(ours, theirs, (3, 5, 8), *kw)  # with gradients torch does not nest: padded positions are computed


@pytest.mark.parametrize("layer_kwargs", [{}, {"batch_first": True, "norm_first": True},
                                          {"batch_first": True, "activation": "gelu", "bias": False},
                                          {"batch_first": True, "activation": erf_gelu}, {"batch_first": True},
                                          {"batch_first": True, "layer_norm_eps": 1e-6}])
@pytest.mark.parametrize("nhead", [2, 1])
def test_encoder_warns_as_torch_when_it_cannot_nest(layer_kwargs, nhead):
    kwargs = {k: (v(torch) if k == "activation" and callable(v) else v) for k, v in layer_kwargs.items()}
    theirs_layer = torch.nn.TransformerEncoderLayer(8, nhead, 16, **kwargs)
    kwargs = {k: (v(glasstorch) if k == "activation" and callable(v) else v) for k, v in layer_kwargs.items()}
    ours_layer = glasstorch.nn.TransformerEncoderLayer(8, nhead, 16, **kwargs)
    if "layer_norm_eps" in layer_kwargs:
        theirs_layer.norm2.eps = ours_layer.norm2.eps = 1e-5
    messages = []
    for library, layer in ((torch, theirs_layer), (glasstorch, ours_layer)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            encoder = library.nn.TransformerEncoder(layer, 2)
        messages.append(([str(w.message) for w in caught], encoder.use_nested_tensor))
    assert messages[0] == messages[1]


def test_encoder_layer_rejects_an_unknown_activation():
    for library in (torch, glasstorch):
        with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
            library.nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_encoder_layer_repr_matches():
    ours, theirs = glasstorch.nn.TransformerEncoderLayer(8, 2, 16), torch.nn.TransformerEncoderLayer(8, 2, 16)
    assert repr(ours) == repr(theirs)
