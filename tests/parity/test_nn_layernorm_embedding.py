"""Parity with torch of LayerNorm (module and F.layer_norm: values, gradients of input, γ and β, reprs, errors) and
Embedding (lookup, gradient into the picked rows, padding_idx, from_pretrained, reprs, errors)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402


def copy_weights(theirs, ours) -> None:
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def run_both(theirs, ours, x, index_input: bool = False):
    """Forward and a backward with a fixed cotangent through both modules; compares output and every gradient."""
    if index_input:
        xt, xo = torch.tensor(x), glasstorch.tensor(x)
    else:
        xt, xo = torch.tensor(x, requires_grad=True), glasstorch.tensor(x, requires_grad=True)
    yt, yo = theirs(xt), ours(xo)
    compare(yo, yt, rtol=1e-5, atol=1e-5)
    cotangent = np.random.default_rng(0).standard_normal(tuple(yt.shape)).astype(np.float32)
    yt.backward(torch.tensor(cotangent))
    yo.backward(glasstorch.tensor(cotangent))
    if not index_input:
        compare(xo.grad, xt.grad, rtol=1e-4, atol=1e-5, what="input grad")
    for (name, pt), (_, po) in zip(theirs.named_parameters(), ours.named_parameters()):
        compare(po.grad, pt.grad, rtol=1e-4, atol=1e-5, what=f"{name}.grad")
    assert yo.grad_fn.name() == yt.grad_fn.name()


# ---- LayerNorm ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("normalized_shape,x_shape", [(4, (3, 4)), ((3, 4), (2, 3, 4)), ([4], (2, 3, 4)), (5, (5,))],
                         ids=str)
@pytest.mark.parametrize("affine,bias", [(True, True), (True, False), (False, False)], ids=str)
def test_layer_norm_matches_torch(normalized_shape, x_shape, affine, bias):
    def make(lib):
        return lib.nn.LayerNorm(normalized_shape, elementwise_affine=affine, bias=bias)
    theirs, ours = make(torch), make(glasstorch)
    with torch.no_grad():  # γ and β away from their initial ones and zeros, so that their gradients matter
        for p in theirs.parameters():
            p.add_(torch.randn(p.shape))
    copy_weights(theirs, ours)
    run_both(theirs, ours, arr(*x_shape))
    assert repr(ours) == repr(theirs)


def test_functional_layer_norm_and_its_errors():
    check(lambda lib, x, w, b: lib.nn.functional.layer_norm(x, (4,), w, b, eps=1e-3), arr(2, 3, 4), arr(4), arr(4))
    check(lambda lib, x: lib.nn.functional.layer_norm(x, [3, 4]), arr(2, 3, 4, dtype=np.float64))
    raises_like(lambda lib, x: lib.nn.LayerNorm(4)(x), arr(2, 3))
    raises_like(lambda lib, x: lib.nn.functional.layer_norm(x, (2, 3)), arr(3))
    raises_like(lambda lib, x: lib.nn.LayerNorm(4)(x), arr(2, 4, dtype=np.float64))


# ---- Embedding ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("padding_idx", [None, 1, -1])
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_embedding_matches_torch(padding_idx, dtype):
    theirs, ours = torch.nn.Embedding(5, 3, padding_idx=padding_idx), glasstorch.nn.Embedding(5, 3, padding_idx=padding_idx)
    copy_weights(theirs, ours)
    ids = np.array([[0, 1, 4], [4, 4, 2]], dtype=dtype)  # row 4 picked three times: its gradients add up
    run_both(theirs, ours, ids, index_input=True)
    assert repr(ours) == repr(theirs)
    assert ours.padding_idx == theirs.padding_idx


def test_embedding_initialisation_and_from_pretrained():
    glasstorch.manual_seed(0)
    layer = glasstorch.nn.Embedding(1000, 20, padding_idx=3)
    weight = layer.weight.detach().numpy()
    assert abs(weight.mean()) < 0.02 and abs(weight.std() - 1) < 0.02  # N(0, 1), as torch
    assert not weight[3].any()  # the padding row starts at zero
    table = arr(3, 2)

    def pretrained(lib, freeze):
        layer = lib.nn.Embedding.from_pretrained(lib.tensor(table), freeze=freeze)
        return layer(lib.tensor([2, 0])), layer.weight.requires_grad, repr(layer)
    for freeze in (True, False):
        compare(pretrained(glasstorch, freeze), pretrained(torch, freeze))


def test_functional_embedding_and_its_errors():
    check(lambda lib, w: lib.nn.functional.embedding(lib.tensor([[2, 0], [2, 2]]), w), arr(3, 4))
    check(lambda lib, w: lib.nn.functional.embedding(lib.tensor([1, 2]), w, padding_idx=2), arr(3, 4))
    raises_like(lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([5])))
    raises_like(lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([-1])))
    theirs, ours = raises_like(lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([0.0])))
    assert ours == theirs.replace("torch.", "glasstorch.")
    raises_like(lambda lib: lib.nn.Embedding(5, 3, padding_idx=5))
