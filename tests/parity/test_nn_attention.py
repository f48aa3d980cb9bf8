"""Parity with torch of attention: F.scaled_dot_product_attention (masks bool and float, is_causal, scale,
enable_gqa, batch shapes), nn.MultiheadAttention (batch_first, kdim/vdim, bias, add_bias_kv, add_zero_attn,
need_weights, average_attn_weights, key_padding_mask, attn_mask 2-D and 3-D, unbatched input), values and the
gradients of the inputs and of every parameter, glasstorch's modules loaded with torch's weights; reprs, state_dict
keys, initialisation, errors."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import compare  # noqa: E402

# softmax over a few scores then a matmul: float32 rounding differs in the last bits between summation orders
RTOL, ATOL = 1e-5, 2e-6
RNG = np.random.default_rng(7)


def data(*shape) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def pair(array: np.ndarray, requires_grad: bool = True):
    ours = glasstorch.tensor(array, requires_grad=requires_grad and array.dtype.kind == "f")
    theirs = torch.tensor(array, requires_grad=requires_grad and array.dtype.kind == "f")
    return ours, theirs


def sum_of_outputs(outputs):
    """A scalar that reaches every output with a different weight (so a wrong gradient path shows)."""
    total = 0
    for i, out in enumerate(o for o in outputs if o is not None):
        total = total + (out * (i + 1.5)).sin().sum()
    return total


SDPA_CASES = [
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {}),
    ((5, 8), (6, 8), (6, 3), {}),
    ((2, 5, 4), (2, 5, 4), (2, 5, 4), {"is_causal": True}),
    ((2, 3, 5, 8), (2, 3, 7, 8), (2, 3, 7, 8), {"is_causal": True}),
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {"scale": 0.3}),
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {"mask": "bool", "mask_shape": (5, 6)}),
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {"mask": "bool", "mask_shape": (2, 1, 5, 6)}),
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {"mask": "float", "mask_shape": (5, 6)}),
    ((2, 3, 5, 8), (2, 3, 6, 8), (2, 3, 6, 4), {"mask": "float", "mask_shape": (2, 3, 5, 6), "scale": 2.0}),
    ((2, 4, 5, 8), (2, 2, 6, 8), (2, 2, 6, 4), {"enable_gqa": True}),
]


@pytest.mark.parametrize("q_shape,k_shape,v_shape,options", SDPA_CASES)
def test_scaled_dot_product_attention_values_and_gradients(q_shape, k_shape, v_shape, options):
    (oq, tq), (ok, tk), (ov, tv) = pair(data(*q_shape)), pair(data(*k_shape)), pair(data(*v_shape))
    options = dict(options)
    kind, mask_shape = options.pop("mask", None), options.pop("mask_shape", None)
    ours_kw, theirs_kw = dict(options), dict(options)
    if kind == "bool":
        mask = RNG.random(mask_shape) < 0.7
        mask[..., 0] = True  # every query may look at one key at least (an all-masked row is NaN in both)
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = pair(mask, requires_grad=False)
    elif kind == "float":
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = pair(data(*mask_shape))
    ours = glasstorch.nn.functional.scaled_dot_product_attention(oq, ok, ov, **ours_kw)
    theirs = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, **theirs_kw)
    compare(ours, theirs, RTOL, ATOL)
    sum_of_outputs([ours]).backward()
    sum_of_outputs([theirs]).backward()
    for name, o, t in (("q", oq, tq), ("k", ok, tk), ("v", ov, tv)):
        compare(o.grad, t.grad, RTOL, ATOL, f"grad {name}")
    if kind == "float":
        compare(ours_kw["attn_mask"].grad, theirs_kw["attn_mask"].grad, RTOL, ATOL, "grad attn_mask")


def test_scaled_dot_product_attention_dropout_keeps_shape_and_scale():
    """Dropout's random stream is another file's business: here only that dropped weights are 0 and kept ones are
    scaled by 1/(1-p), so each output row is a rescaled subset of the no-dropout weights times V."""
    glasstorch.manual_seed(0)
    q, k = glasstorch.tensor(data(2, 4, 5)), glasstorch.tensor(data(2, 6, 5))
    v = glasstorch.eye(6).expand(2, 6, 6)  # V = I: the output is the (dropped-out) attention matrix itself
    plain = glasstorch.nn.functional.scaled_dot_product_attention(q, k, v)
    dropped = glasstorch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    assert tuple(dropped.shape) == (2, 4, 6)
    kept = dropped.numpy() != 0
    assert 0 < kept.sum() < kept.size
    np.testing.assert_allclose(dropped.numpy()[kept], plain.numpy()[kept] * 2.0, rtol=1e-6)


def test_scaled_dot_product_attention_refuses_a_mask_with_is_causal():
    for library in (glasstorch, torch):
        q = library.ones(2, 3, 4)
        with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when is_causal=True"):
            library.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=library.ones(3, 3) > 0,
                                                               is_causal=True)


def build(*args, **kwargs):
    """The same MultiheadAttention in both libraries, glasstorch's loaded with torch's weights (in training mode:
    dropout 0 unless given)."""
    theirs = torch.nn.MultiheadAttention(*args, **kwargs)
    ours = glasstorch.nn.MultiheadAttention(*args, **kwargs)
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


MHA_OPTIONS = [dict(zip(("batch_first", "bias", "add_bias_kv", "add_zero_attn", "kvdim"), values))
               for values in itertools.product((False, True), (True, False), (False, True), (False, True),
                                               (None, (3, 5)))]


def _mha_inputs(options, batch: int | None, length: int = 4, source: int = 6, embed: int = 8):
    kdim, vdim = options.get("kvdim") or (embed, embed)
    shapes = [(length, embed), (source, kdim), (source, vdim)]
    if batch is not None:
        shapes = [(n, batch, e) if not options.get("batch_first") else (batch, n, e) for n, e in shapes]
    return [pair(data(*shape)) for shape in shapes]


def _masks(kind: str, batch: int | None, heads: int, length: int = 4, source: int = 6):
    """(ours, theirs) keyword arguments for the masks of one case (source length counts bias_kv/zero_attn later)."""
    if kind == "none":
        return {}, {}
    if kind == "key_padding_bool":
        mask = np.zeros((batch, source) if batch else (source,), dtype=bool)
        mask[..., -2:] = True
        ours, theirs = pair(mask, requires_grad=False)
        return {"key_padding_mask": ours}, {"key_padding_mask": theirs}
    if kind == "attn_bool_2d":
        mask = RNG.random((length, source)) < 0.3
        mask[:, 0] = False
        ours, theirs = pair(mask, requires_grad=False)
        return {"attn_mask": ours}, {"attn_mask": theirs}
    if kind == "attn_float_3d":
        ours, theirs = pair(data((batch or 1) * heads, length, source), requires_grad=False)
        return {"attn_mask": ours}, {"attn_mask": theirs}
    if kind == "both_float":
        kpm = np.zeros((batch, source), dtype=np.float32)
        kpm[:, -1] = -np.inf
        attn = data(length, source)
        (ok, tk), (oa, ta) = pair(kpm, requires_grad=False), pair(attn, requires_grad=False)
        return {"key_padding_mask": ok, "attn_mask": oa}, {"key_padding_mask": tk, "attn_mask": ta}
    raise ValueError(kind)


@pytest.mark.parametrize("options", MHA_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_multihead_attention_values_and_gradients(options, need_weights, average):
    options = dict(options)
    kvdim = options.pop("kvdim")
    kdim, vdim = kvdim or (None, None)
    ours, theirs = build(8, 2, kdim=kdim, vdim=vdim, **options)
    inputs = _mha_inputs({**options, "kvdim": kvdim}, batch=3)
    for masks in ("none", "key_padding_bool", "attn_bool_2d", "attn_float_3d", "both_float"):
        if options["add_bias_kv"] or options["add_zero_attn"]:
            if masks in ("attn_float_3d",):
                continue
        ours_kw, theirs_kw = _masks(masks, 3, 2)
        ours.zero_grad(), theirs.zero_grad()
        for o, t in inputs:
            o.grad, t.grad = None, None
        o_out = ours(*(o for o, _ in inputs), need_weights=need_weights, average_attn_weights=average, **ours_kw)
        t_out = theirs(*(t for _, t in inputs), need_weights=need_weights, average_attn_weights=average,
                       **theirs_kw)
        compare(o_out[0], t_out[0], RTOL, ATOL, f"{masks}: output")
        assert (o_out[1] is None) == (t_out[1] is None)
        if t_out[1] is not None:
            compare(o_out[1], t_out[1], RTOL, ATOL, f"{masks}: weights")
        sum_of_outputs(o_out).backward()
        sum_of_outputs(t_out).backward()
        for i, (o, t) in enumerate(inputs):
            compare(o.grad, t.grad, RTOL, ATOL, f"{masks}: grad of input {i}")
        ours_params = dict(ours.named_parameters())
        for name, parameter in theirs.named_parameters():
            compare(ours_params[name].grad, parameter.grad, 1e-4, 1e-5, f"{masks}: grad of {name}")


@pytest.mark.parametrize("masks", ["none", "key_padding_bool", "attn_bool_2d"])
def test_multihead_attention_unbatched_input(masks):
    ours, theirs = build(8, 4, add_bias_kv=True)
    inputs = _mha_inputs({}, batch=None)
    ours_kw, theirs_kw = _masks(masks, None, 4)
    o_out = ours(*(o for o, _ in inputs), **ours_kw)
    t_out = theirs(*(t for _, t in inputs), **theirs_kw)
    compare(list(o_out), list(t_out), RTOL, ATOL)
    sum_of_outputs(o_out).backward()
    sum_of_outputs(t_out).backward()
    for i, (o, t) in enumerate(inputs):
        compare(o.grad, t.grad, RTOL, ATOL, f"grad of input {i}")


def test_multihead_attention_eval_mode_ignores_dropout():
    ours, theirs = build(8, 2, dropout=0.5, batch_first=True)
    ours.eval(), theirs.eval()
    (oq, tq), = [pair(data(3, 4, 8))]
    compare(list(ours(oq, oq, oq)), list(theirs(tq, tq, tq)), RTOL, ATOL)


def test_multihead_attention_structure_and_initialisation():
    for kwargs in ({}, {"kdim": 3, "vdim": 5}, {"bias": False, "add_bias_kv": True}):
        ours, theirs = build(8, 2, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
        fresh = glasstorch.nn.MultiheadAttention(8, 2, **kwargs)
        weights = [fresh.in_proj_weight] if fresh.in_proj_weight is not None else [
            fresh.q_proj_weight, fresh.k_proj_weight, fresh.v_proj_weight]
        for weight in weights:  # xavier_uniform_: U(±√(6/(fan_in+fan_out)))
            bound = np.sqrt(6.0 / (weight.shape[0] + weight.shape[1]))
            assert 0 < np.abs(weight.detach().numpy()).max() <= bound
        if fresh.in_proj_bias is not None:
            assert not fresh.in_proj_bias.detach().numpy().any() and not fresh.out_proj.bias.detach().numpy().any()
    layer = glasstorch.nn.MultiheadAttention(8, 2)
    assert (layer.embed_dim, layer.num_heads, layer.head_dim, layer.batch_first, layer.dropout) == (8, 2, 4, False, 0.0)


@pytest.mark.parametrize("call,error", [
    (lambda lib: lib.nn.MultiheadAttention(8, 3), AssertionError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(4, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
                                                 attn_mask=lib.ones(3, 3)), RuntimeError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(4, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
                                                 attn_mask=lib.ones(2, 4, 4)), RuntimeError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(4, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
                                                 is_causal=True), RuntimeError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2)(lib.ones(4, 2, 8), lib.ones(4, 2, 8), lib.ones(4, 2, 8),
                                                 attn_mask=lib.ones(4, 4, dtype=lib.int64)), AssertionError),
])
def test_multihead_attention_errors(call, error):
    with pytest.raises(error) as theirs:
        call(torch)
    with pytest.raises(error) as ours:
        call(glasstorch)
    assert str(ours.value).split("\n")[0] == str(theirs.value).split("\n")[0].replace("torch.", "glasstorch.")
