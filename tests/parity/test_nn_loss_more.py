"""Parity with torch of the less common losses and distances (KL divergence, cosine similarity, pairwise distance,
normalize, the margin/embedding losses, the Poisson and Gaussian NLL), as functions and as modules: values,
gradients of every input that takes one, dtypes, warnings, errors and reprs."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import RNG, arr, check, raises_like  # noqa: E402

REDUCTIONS = ["mean", "sum", "none"]


def signs(*shape) -> np.ndarray:
    return np.where(RNG.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


def probabilities(*shape) -> np.ndarray:
    return RNG.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(np.float32)


# ---- KL divergence -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(probabilities(4, 5))
    y = probabilities(4, 5)
    y[0, :2] = 0.0  # 0·log 0 = 0 in the value; torch's gradient for the target there is NaN
    if log_target:
        y = np.log(probabilities(4, 5))
    check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction=reduction, log_target=log_target), x, y)
    check(lambda lib, a, b: lib.nn.KLDivLoss(reduction=reduction, log_target=log_target)(a, b), x, y)


def test_kl_div_mean_warns_as_torch():
    x, y = np.log(probabilities(3, 4)), probabilities(3, 4)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        check(lambda lib, a, b: lib.nn.functional.kl_div(a, b), x, y)
    with pytest.warns(UserWarning, match="'mean' will be changed"):
        check(lambda lib, a, b: lib.nn.KLDivLoss(log_target=True)(a, b), x, np.log(y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        glasstorch.nn.functional.kl_div(glasstorch.tensor(x), glasstorch.tensor(y), reduction="batchmean")


def test_kl_div_promotes_broadcasts_and_scalars():
    x = np.log(probabilities(3, 4))
    check(lambda lib, a: lib.nn.functional.kl_div(a, lib.tensor([0.25] * 4, dtype=lib.float64), reduction="sum"), x)
    check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="none"), x, probabilities(4))
    check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="batchmean"), np.array(-0.5, dtype=np.float32),
          np.array(0.3, dtype=np.float32))


@pytest.mark.parametrize("reduction", [0, 1, 2, 7])
def test_top_level_kl_div_takes_an_integer_reduction(reduction):
    x, y = np.log(probabilities(3, 4)), probabilities(3, 4)
    check(lambda lib, a, b: lib.kl_div(a, b, reduction), x, y)
    check(lambda lib, a, b: lib.kl_div(a, b, reduction, log_target=True), x, np.log(y))
    check(lambda lib, a, b: lib.kl_div(a, b), x, y)  # torch 2.13 does not reduce by default


@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True)])
def test_kl_div_deprecated_arguments(size_average, reduce):
    x, y = np.log(probabilities(3, 4)), probabilities(3, 4)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, size_average=size_average, reduce=reduce), x, y)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        check(lambda lib, a, b: lib.nn.KLDivLoss(size_average=size_average, reduce=reduce)(a, b), x, y)


# ---- distances -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shapes,dim", [(((4, 5), (4, 5)), 1), (((4, 5), (5,)), -1), (((2, 3, 4), (2, 1, 4)), 1),
                                        (((2, 3, 4), (2, 3, 4)), 2), (((5,), (5,)), 0), (((3, 1), (1, 4)), 0)],
                         ids=str)
def test_cosine_similarity(shapes, dim):
    # its own data (the shared stream's values depend on which tests ran before): a short vector of the shared stream
    # can have a norm near 0, where the gradient's terms (~1/|x|) cancel to float32 noise above the tolerance
    rng = np.random.default_rng(11)
    a, b = (rng.uniform(-2, 2, shape).astype(np.float32) for shape in shapes)
    check(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, dim=dim), a, b)
    check(lambda lib, x, y: lib.cosine_similarity(x, y, dim), a, b)
    check(lambda lib, x, y: lib.nn.CosineSimilarity(dim=dim, eps=1e-6)(x, y), a, b)


def test_cosine_similarity_at_the_eps_clamp_and_with_mixed_dtypes():
    a, b = arr(3, 4), arr(3, 4)
    a[0] = 0.0  # norm 0: clamped at eps, the gradient still flows through the norm (0 there), as torch
    a[1] = 1e-5
    # row 1's gradient is a difference of terms ~2e4 that cancel: float32 rounding leaves ~2e-3 (1e-7 relative)
    check(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, eps=1e-3), a, b, grad_atol=5e-3)
    check(lambda lib, x: lib.nn.functional.cosine_similarity(x, lib.tensor([[1, 0, 2, 1]])), arr(3, 4))
    check(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y), arr(3, 4), b.astype(np.float64))


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, float("inf"), 0.0, -1.0])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance(p, keepdim):
    a, b = arr(4, 5), arr(4, 5)
    b[0] = a[0]  # distance eps: the norm's gradient near 0
    b[1, :2] = a[1, :2] + 1e-6  # x1 − x2 + eps = 0 in two places
    check(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, p=p, keepdim=keepdim), a, b,
          rtol=2e-5, atol=1e-5)
    check(lambda lib, x, y: lib.nn.PairwiseDistance(p=p, eps=1e-3, keepdim=keepdim)(x, y), a, b, rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((), ()), ((4, 3), (3,)), ((2, 1, 3), (4, 3)), ((), (3,))], ids=str)
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance_shapes(shapes, keepdim):
    check(lambda lib, x, y: lib.pairwise_distance(x, y, keepdim=keepdim), arr(*shapes[0]), arr(*shapes[1]))


def test_pairwise_distance_of_integers_is_float():
    check(lambda lib: lib.nn.functional.pairwise_distance(lib.tensor([[1, 2], [3, 4]]), lib.tensor([[0, 0], [1, 1]])))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1), (float("inf"), 1), (2.0, (0, 1))], ids=str)
def test_normalize(p, dim):
    x = arr(4, 5)
    x[2] = 0.0  # a zero vector: the norm clamps at eps
    check(lambda lib, a: lib.nn.functional.normalize(a, p=p, dim=dim), x)
    check(lambda lib, a: lib.nn.functional.normalize(a, p=p, dim=dim, eps=0.5), x)


def test_normalize_out():
    x = arr(3, 4)
    ours, theirs = glasstorch.zeros(3, 4), torch.zeros(3, 4)
    result = glasstorch.nn.functional.normalize(glasstorch.tensor(x), out=ours)
    torch.nn.functional.normalize(torch.tensor(x), out=theirs)
    assert result is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ---- margin and embedding losses -----------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.5])
def test_margin_ranking_loss(reduction, margin):
    x1, x2, y = arr(8), arr(8), signs(8)
    x2[0] = x1[0] + y[0] * margin  # exactly at the hinge: torch passes the gradient (clamp_min at the bound)
    check(lambda lib, a, b, t: lib.nn.functional.margin_ranking_loss(a, b, t, margin=margin, reduction=reduction),
          x1, x2, y)
    check(lambda lib, a, b, t: lib.nn.MarginRankingLoss(margin=margin, reduction=reduction)(a, b, t), x1, x2, y)


def test_margin_ranking_loss_dtypes_and_scalars():
    check(lambda lib: lib.nn.functional.margin_ranking_loss(lib.tensor([0, 2, 3]), lib.tensor([1, -1, 1]),
                                                            lib.tensor([1, -1, 1]), reduction="none"))
    check(lambda lib, a, b: lib.nn.functional.margin_ranking_loss(a, b, lib.tensor(-1.0), margin=0.2),
          arr(), arr())
    check(lambda lib, a: lib.nn.functional.margin_ranking_loss(a, lib.ones(4, dtype=lib.float64), lib.ones(4)), arr(4))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 2.5])
def test_hinge_embedding_loss(reduction, margin):
    x, y = np.abs(arr(3, 6)) * 2, signs(3, 6)
    x[0, 0], y[0, 0] = margin, -1.0  # at the hinge
    y[1, :2] = [0.0, 2.0]  # neither 1 nor -1: both terms, as torch
    check(lambda lib, a, t: lib.nn.functional.hinge_embedding_loss(a, t, margin=margin, reduction=reduction), x, y)
    check(lambda lib, a, t: lib.nn.HingeEmbeddingLoss(margin=margin, reduction=reduction)(a, t), x, y)


def test_hinge_embedding_loss_keeps_an_integer_input_dtype():
    for margin in (1.0, 2.5, -1.5):
        check(lambda lib: lib.nn.functional.hinge_embedding_loss(lib.tensor([0, 2, 3, -4]), lib.tensor([1, -1, 1, -1]),
                                                                 margin=margin, reduction="none"))
    check(lambda lib, a: lib.nn.functional.hinge_embedding_loss(a, lib.tensor([1, -1, 1], dtype=lib.float64)), arr(3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("target_shape", [(4, 5), (5,), (1, 5)], ids=str)
def test_soft_margin_loss(reduction, target_shape):
    x, y = arr(4, 5) * 3, signs(*target_shape)
    x[0, 0] = -60.0 * y.reshape(-1)[0]  # e^60 still finite in float32
    check(lambda lib, a: lib.nn.functional.soft_margin_loss(a, lib.tensor(y), reduction=reduction), x)
    check(lambda lib, a: lib.nn.SoftMarginLoss(reduction=reduction)(a, lib.tensor(y)), x)


def test_soft_margin_loss_node_and_target_dtypes():
    x = glasstorch.tensor(arr(3), requires_grad=True)
    assert glasstorch.nn.functional.soft_margin_loss(x, glasstorch.ones(3)).grad_fn.name() == "SoftMarginLossBackward0"
    check(lambda lib, a: lib.nn.functional.soft_margin_loss(a, lib.tensor([1, -1, 1])), arr(3))
    check(lambda lib, a: lib.nn.functional.soft_margin_loss(a, lib.tensor([1.0, -1, 1], dtype=lib.float64)), arr(3))
    check(lambda lib, a: lib.nn.functional.soft_margin_loss(a, lib.tensor([1.0, -1, 1])), arr(3, dtype=np.float64))
    with glasstorch.no_grad():  # a target that needs grad is refused only when a graph is recorded
        glasstorch.nn.functional.soft_margin_loss(x, glasstorch.ones(3, requires_grad=True))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (5,), (4, 5)], ids=str)
def test_multilabel_soft_margin_loss(reduction, weight_shape):
    x, y = arr(4, 5) * 3, (RNG.random((4, 5)) < 0.5).astype(np.float32)
    weight = None if weight_shape is None else RNG.uniform(0.5, 2, weight_shape).astype(np.float32)
    check(lambda lib, a, t: lib.nn.functional.multilabel_soft_margin_loss(
        a, t, weight=None if weight is None else lib.tensor(weight), reduction=reduction), x, y)
    module_weight = None if weight_shape != (5,) else weight
    check(lambda lib, a, t: lib.nn.MultiLabelSoftMarginLoss(
        weight=None if module_weight is None else lib.tensor(module_weight), reduction=reduction)(a, t), x, y)


def test_multilabel_soft_margin_loss_shapes_and_weight_gradient():
    check(lambda lib, a, t: lib.nn.functional.multilabel_soft_margin_loss(a, t, reduction="none"), arr(5), arr(5))
    check(lambda lib, a, t: lib.nn.functional.multilabel_soft_margin_loss(a, t), arr(2, 3, 4), arr(2, 3, 4))
    check(lambda lib, a, t, w: lib.nn.functional.multilabel_soft_margin_loss(a, t, weight=w), arr(3, 4), arr(3, 4),
          arr(4, positive=True))
    check(lambda lib, a: lib.nn.functional.multilabel_soft_margin_loss(a, lib.tensor([[1, 0, 1]])), arr(2, 3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3, -0.5])
def test_cosine_embedding_loss(reduction, margin):
    x1, x2, y = arr(6, 4), arr(6, 4), signs(6)
    x1[0] = 0.0  # a zero vector: cos = 0 thanks to the 1e-12
    y[1] = 0.0  # neither 1 nor -1: loss 0, as torch
    check(lambda lib, a, b, t: lib.nn.functional.cosine_embedding_loss(a, b, t, margin=margin, reduction=reduction),
          x1, x2, y)
    check(lambda lib, a, b, t: lib.nn.CosineEmbeddingLoss(margin=margin, reduction=reduction)(a, b, t), x1, x2, y)


def test_cosine_embedding_loss_unbatched_and_integers():
    check(lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(a, b, lib.tensor(-1.0)), arr(4), arr(4))
    check(lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(a, b, lib.tensor(1)), arr(4), arr(4))
    check(lambda lib: lib.nn.functional.cosine_embedding_loss(lib.tensor([[0, 2, 3]]), lib.tensor([[1, -1, 1]]),
                                                              lib.tensor([-1]), reduction="none"))
    check(lambda lib, a: lib.nn.functional.cosine_embedding_loss(a, lib.ones(2, 3, dtype=lib.float64),
                                                                 lib.tensor([1, -1])), arr(2, 3))


@pytest.mark.parametrize("reduction", ["batchmean"] + REDUCTIONS)
def test_triplet_margin_loss_reductions_map_to_torch(reduction):
    if reduction == "batchmean":
        raises_like(lambda lib: lib.nn.TripletMarginLoss(reduction=reduction)(lib.ones(2, 3), lib.ones(2, 3),
                                                                               lib.ones(2, 3)))
        return
    a, p, n = arr(6, 4), arr(6, 4), arr(6, 4)
    check(lambda lib, x, y, z: lib.nn.TripletMarginLoss(reduction=reduction)(x, y, z), a, p, n)


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("margin", [1.0, 0.2])
def test_triplet_margin_loss(p, swap, margin):
    a, pos, neg = arr(8, 4), arr(8, 4), arr(8, 4)
    pos[0] = a[0]  # distance eps
    check(lambda lib, x, y, z: lib.nn.functional.triplet_margin_loss(x, y, z, margin=margin, p=p, swap=swap,
                                                                     reduction="none"), a, pos, neg,
          rtol=2e-5, atol=1e-5)
    check(lambda lib, x, y, z: lib.nn.TripletMarginLoss(margin=margin, p=p, eps=1e-4, swap=swap)(x, y, z),
          a, pos, neg, rtol=2e-5, atol=1e-5)


def test_triplet_margin_loss_unbatched_and_broadcast():
    check(lambda lib, x, y, z: lib.nn.functional.triplet_margin_loss(x, y, z, swap=True), arr(4), arr(4), arr(4))
    check(lambda lib, x, y, z: lib.nn.functional.triplet_margin_loss(x, y, z), arr(3, 4), arr(1, 4), arr(3, 4))


# ---- likelihoods ---------------------------------------------------------------------------------------------------

# NumPy warns where the target gradient is NaN (y = 0), which torch gives silently
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
def test_poisson_nll_loss(reduction, log_input, full):
    x = arr(4, 5) if log_input else arr(4, 5, positive=True)
    x[0, 0] = 0.0 if not log_input else x[0, 0]  # log(0 + eps)
    y = RNG.poisson(2.0, (4, 5)).astype(np.float32)
    y[0, :3] = [0.0, 1.0, 1.5]  # at and around Stirling's mask (y ≤ 1)
    check(lambda lib, a, t: lib.nn.functional.poisson_nll_loss(a, t, log_input=log_input, full=full,
                                                               reduction=reduction), x, y, rtol=2e-5)
    check(lambda lib, a: lib.nn.PoissonNLLLoss(log_input=log_input, full=full, eps=1e-3, reduction=reduction)(
        a, lib.tensor(y)), x, rtol=2e-5)


def test_poisson_nll_loss_dtypes():
    check(lambda lib: lib.nn.functional.poisson_nll_loss(lib.tensor([0, 2, 3]), lib.tensor([1, 0, 4]),
                                                         reduction="none", full=True))
    check(lambda lib, a: lib.nn.functional.poisson_nll_loss(a, lib.tensor([1, 0, 4.0], dtype=lib.float64),
                                                            log_input=False, full=True), arr(3, positive=True))


@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False)])
def test_deprecated_arguments_of_the_margin_losses(size_average, reduce):
    x1, x2, y = arr(5), arr(5), signs(5)
    kwargs = dict(size_average=size_average, reduce=reduce)
    cases = [
        lambda lib, a, b: lib.nn.functional.margin_ranking_loss(a, b, lib.tensor(y), **kwargs),
        lambda lib, a, b: lib.nn.functional.hinge_embedding_loss(a, lib.tensor(y), **kwargs),
        lambda lib, a, b: lib.nn.functional.soft_margin_loss(a, lib.tensor(y), **kwargs),
        lambda lib, a, b: lib.nn.functional.multilabel_soft_margin_loss(a, b, **kwargs),
        lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(a, b, lib.tensor(1.0), **kwargs),
        lambda lib, a, b: lib.nn.functional.poisson_nll_loss(a, b.abs(), **kwargs),
        lambda lib, a, b: lib.nn.functional.triplet_margin_loss(a, b, a * 2, **kwargs),
        lambda lib, a, b: lib.nn.SoftMarginLoss(**kwargs)(a, lib.tensor(y)),
        lambda lib, a, b: lib.nn.PoissonNLLLoss(**kwargs)(a, b.abs()),
    ]
    for case in cases:
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            check(case, x1, x2)


@pytest.mark.parametrize("var_shape", [(4, 3), (4,), (4, 1), (1, 3), "float"], ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_loss(var_shape, reduction, full):
    x, y = arr(4, 3), arr(4, 3)
    if var_shape == "float":
        check(lambda lib, a, b: lib.nn.functional.gaussian_nll_loss(a, b, 0.7, full=full, reduction=reduction), x, y)
        return
    var = arr(*var_shape, positive=True)
    var.reshape(-1)[0] = 1e-8  # below eps: clamped, and the gradient still reaches var, as torch
    check(lambda lib, a, b, v: lib.nn.functional.gaussian_nll_loss(a, b, v, full=full, reduction=reduction), x, y, var,
          rtol=2e-5)
    check(lambda lib, a, b, v: lib.nn.GaussianNLLLoss(full=full, eps=1e-3, reduction=reduction)(a, b, v), x, y, var,
          rtol=2e-5)


# ---- errors --------------------------------------------------------------------------------------------------------

ERRORS = {
    "kl_integral_input": lambda F, lib: F.kl_div(lib.ones(3, dtype=lib.int64), lib.ones(3), reduction="sum"),
    "kl_integral_target": lambda F, lib: F.kl_div(lib.ones(3), lib.ones(3, dtype=lib.int64), reduction="sum"),
    "kl_bad_reduction": lambda F, lib: F.kl_div(lib.ones(3), lib.ones(3), reduction="avg"),
    "kl_shapes": lambda F, lib: F.kl_div(lib.ones(3), lib.ones(4), reduction="sum"),
    "top_level_kl_string_reduction": lambda F, lib: lib.kl_div(lib.ones(3), lib.ones(3), "sum"),
    "cosine_integers": lambda F, lib: F.cosine_similarity(lib.ones(2, 3, dtype=lib.int64),
                                                          lib.ones(2, 3, dtype=lib.int64)),
    "cosine_shapes": lambda F, lib: F.cosine_similarity(lib.ones(2, 3), lib.ones(2, 4)),
    "cosine_dim": lambda F, lib: F.cosine_similarity(lib.ones(3), lib.ones(3)),
    "pairwise_shapes": lambda F, lib: F.pairwise_distance(lib.ones(2, 3), lib.ones(2, 4)),
    "normalize_integers": lambda F, lib: F.normalize(lib.ones(2, 3, dtype=lib.int64)),
    "normalize_dim": lambda F, lib: F.normalize(lib.ones(3)),
    "normalize_out_with_grad": lambda F, lib: F.normalize(lib.ones(2, 3, requires_grad=True), out=lib.zeros(2, 3)),
    "ranking_dims": lambda F, lib: F.margin_ranking_loss(lib.ones(3), lib.ones(3), lib.ones(1, 3)),
    "ranking_shapes": lambda F, lib: F.margin_ranking_loss(lib.ones(3), lib.ones(4), lib.ones(3)),
    "ranking_bad_reduction": lambda F, lib: F.margin_ranking_loss(lib.ones(3), lib.ones(3), lib.ones(3), reduction="x"),
    "hinge_integer_mean": lambda F, lib: F.hinge_embedding_loss(lib.ones(3, dtype=lib.int64), lib.ones(3)),
    "soft_margin_target_grad": lambda F, lib: F.soft_margin_loss(lib.ones(3), lib.ones(3, requires_grad=True)),
    "soft_margin_shapes": lambda F, lib: F.soft_margin_loss(lib.ones(3), lib.ones(4)),
    "soft_margin_input_broadcast": lambda F, lib: F.soft_margin_loss(lib.ones(3), lib.ones(2, 3)),
    "soft_margin_integer_input": lambda F, lib: F.soft_margin_loss(lib.ones(3, dtype=lib.int64), lib.ones(3)),
    "multilabel_bad_reduction": lambda F, lib: F.multilabel_soft_margin_loss(lib.ones(2, 3), lib.ones(2, 3),
                                                                             reduction="x"),
    "multilabel_elementwise_mean": lambda F, lib: F.multilabel_soft_margin_loss(lib.ones(2, 3), lib.ones(2, 3),
                                                                                reduction="elementwise_mean"),
    "multilabel_scalar": lambda F, lib: F.multilabel_soft_margin_loss(lib.tensor(1.0), lib.tensor(1.0)),
    "multilabel_integers": lambda F, lib: F.multilabel_soft_margin_loss(lib.ones(2, 3, dtype=lib.int64),
                                                                        lib.ones(2, 3)),
    "cosine_embedding_2d_target": lambda F, lib: F.cosine_embedding_loss(lib.ones(2, 3), lib.ones(2, 3),
                                                                         lib.ones(2, 1)),
    "cosine_embedding_1d_inputs": lambda F, lib: F.cosine_embedding_loss(lib.ones(3), lib.ones(3), lib.ones(3)),
    "cosine_embedding_2d_inputs": lambda F, lib: F.cosine_embedding_loss(lib.ones(2, 3), lib.ones(2, 3),
                                                                         lib.tensor(1.0)),
    "triplet_dims": lambda F, lib: F.triplet_margin_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(3)),
    "triplet_margin": lambda F, lib: F.triplet_margin_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(2, 3), margin=0),
    "triplet_module_margin": lambda F, lib: lib.nn.TripletMarginLoss(margin=-1),
    "poisson_elementwise_mean": lambda F, lib: F.poisson_nll_loss(lib.ones(3), lib.ones(3),
                                                                  reduction="elementwise_mean"),
    "poisson_bad_reduction": lambda F, lib: F.poisson_nll_loss(lib.ones(3), lib.ones(3), reduction="avg"),
    "gaussian_negative_float": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), -1.0),
    "gaussian_negative_tensor": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), -lib.ones(2, 3)),
    "gaussian_var_size": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(3, 2)),
    "gaussian_var_short": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(3)),
    "gaussian_two_mismatches": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(1, 1)),
    "gaussian_int_var": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), 1),
    "gaussian_bad_reduction": lambda F, lib: F.gaussian_nll_loss(lib.ones(2, 3), lib.ones(2, 3), lib.ones(2, 3),
                                                                 reduction="x"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    theirs, ours = raises_like(lambda lib: ERRORS[name](lib.nn.functional, lib))
    assert ours.replace("glasstorch.", "torch.") == theirs


def test_reduction_warnings_match_torch():
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="elementwise_mean"), arr(3), arr(3).__abs__())
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        check(lambda lib, a, b: lib.nn.functional.margin_ranking_loss(a, b, lib.ones(3), reduction="elementwise_mean"),
              arr(3), arr(3))


# ---- modules -------------------------------------------------------------------------------------------------------

MODULES = [
    lambda nn, lib: nn.KLDivLoss(), lambda nn, lib: nn.KLDivLoss(reduction="batchmean", log_target=True),
    lambda nn, lib: nn.MarginRankingLoss(margin=0.5), lambda nn, lib: nn.HingeEmbeddingLoss(margin=2.0),
    lambda nn, lib: nn.SoftMarginLoss(reduction="sum"), lambda nn, lib: nn.MultiLabelSoftMarginLoss(),
    lambda nn, lib: nn.MultiLabelSoftMarginLoss(weight=lib.ones(3)), lambda nn, lib: nn.CosineEmbeddingLoss(),
    lambda nn, lib: nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-4),
    lambda nn, lib: nn.GaussianNLLLoss(full=True, eps=1e-3), lambda nn, lib: nn.TripletMarginLoss(p=1.0, swap=True),
    lambda nn, lib: nn.CosineSimilarity(dim=0, eps=1e-6), lambda nn, lib: nn.PairwiseDistance(p=1.0, keepdim=True),
    lambda nn, lib: nn.SoftMarginLoss(size_average=False),
]
ATTRIBUTES = ["reduction", "log_target", "margin", "log_input", "full", "eps", "p", "swap", "dim", "norm", "keepdim"]


@pytest.mark.parametrize("make", MODULES)
def test_module_repr_state_dict_and_attributes(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = make(glasstorch.nn, glasstorch), make(torch.nn, torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attribute in ATTRIBUTES:
        assert getattr(ours, attribute, None) == getattr(theirs, attribute, None), attribute


def test_gaussian_nll_module_options_are_keyword_only():
    with pytest.raises(TypeError):
        torch.nn.GaussianNLLLoss(True)
    with pytest.raises(TypeError):
        glasstorch.nn.GaussianNLLLoss(True)


NODES = {
    "kl_none": lambda F, x, lib: F.kl_div(x, x.detach().exp(), reduction="none"),
    "kl_log_target": lambda F, x, lib: F.kl_div(x, x.detach(), reduction="none", log_target=True),
    "kl_batchmean": lambda F, x, lib: F.kl_div(x, x.detach().exp(), reduction="batchmean"),
    "cosine_similarity": lambda F, x, lib: F.cosine_similarity(x, x.detach() + 1),
    "normalize": lambda F, x, lib: F.normalize(x),
    "margin_ranking": lambda F, x, lib: F.margin_ranking_loss(x, x.detach(), lib.ones(3, 3), reduction="none"),
    "hinge": lambda F, x, lib: F.hinge_embedding_loss(x, lib.ones(3, 3), reduction="sum"),
    "soft_margin": lambda F, x, lib: F.soft_margin_loss(x, lib.ones(3, 3)),
    "multilabel": lambda F, x, lib: F.multilabel_soft_margin_loss(x, lib.ones(3, 3), reduction="none"),
    "poisson": lambda F, x, lib: F.poisson_nll_loss(x, lib.ones(3, 3), reduction="none"),
    "gaussian_full": lambda F, x, lib: F.gaussian_nll_loss(x, lib.ones(3, 3), 1.0, full=True, reduction="none"),
}


@pytest.mark.parametrize("name", NODES)
def test_node_names_match_torch(name):
    x = arr(3, 3)
    theirs = NODES[name](torch.nn.functional, torch.tensor(x, requires_grad=True), torch)
    ours = NODES[name](glasstorch.nn.functional, glasstorch.tensor(x, requires_grad=True), glasstorch)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
