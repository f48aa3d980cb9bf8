"""Parity with torch of every loss, as a function and as a module, with every option (reduction, weight,
ignore_index, label_smoothing, pos_weight, beta, delta), gradients included, and the errors for wrong targets."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import RNG, arr, check, raises_like  # noqa: E402

REDUCTIONS = ["mean", "sum", "none"]


def classes(*shape, n=5, ignore=None) -> np.ndarray:
    t = RNG.integers(0, n, shape).astype(np.int64)
    if ignore is not None:
        t.reshape(-1)[::3] = ignore
    return t


def _lib_tensor(lib, a):
    return None if a is None else lib.tensor(a)


# ---- cross entropy -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("ignore", [None, 2, -100], ids=["no_ignore", "ignore2", "ignore-100"])
def test_cross_entropy_with_class_indices(reduction, weighted, smoothing, ignore):
    logits = arr(6, 5) * 3
    target = classes(6, ignore=ignore)
    weight = RNG.uniform(0.2, 2.0, 5).astype(np.float32) if weighted else None
    kwargs = dict(reduction=reduction, label_smoothing=smoothing)
    if ignore is not None:
        kwargs["ignore_index"] = ignore
    check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor(target), weight=_lib_tensor(lib, weight),
                                                        **kwargs), logits)


@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 5, 3), (2, 5, 3, 2)], ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_shapes(shape, reduction):
    logits = arr(*shape)
    target = classes(*((shape[0],) + shape[2:]) if len(shape) > 1 else ())
    check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor(target), reduction=reduction,
                                                        label_smoothing=0.05), logits)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("shape", [(4, 3), (3,), (2, 3, 4)], ids=str)
def test_cross_entropy_with_probabilities(reduction, weighted, smoothing, shape):
    logits = arr(*shape)
    probs = RNG.dirichlet(np.ones(3), size=int(np.prod(shape)) // 3).astype(np.float32)
    probs = np.moveaxis(probs.reshape((shape[0],) + shape[2:] + (3,)), -1, 1) if len(shape) > 1 else probs[0]
    weight = np.array([0.5, 1.0, 2.0], dtype=np.float32) if weighted else None
    check(lambda lib, x, p: lib.nn.functional.cross_entropy(x, p, weight=_lib_tensor(lib, weight),
                                                           reduction=reduction, label_smoothing=smoothing),
          logits, probs.copy())


def test_cross_entropy_course_example():
    """The course's example: one-hot and index targets give the same loss."""
    pred = np.array([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1]], dtype=np.float32)
    check(lambda lib, x: lib.nn.CrossEntropyLoss()(x, lib.tensor([1, 2], dtype=lib.int64)), pred)
    check(lambda lib, x: lib.nn.CrossEntropyLoss()(x, lib.tensor([[0, 1, 0], [0, 0, 1]], dtype=lib.float32)), pred)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [-5e4, 5e4, 1.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise"):
        check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([1, 0])), logits)


def test_cross_entropy_all_ignored_is_nan_as_torch():
    check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([-100, -100])), arr(2, 3))


def test_cross_entropy_float64_and_uint8_targets():
    check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2, 1])), arr(3, 4, dtype=np.float64))
    check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2, 1], dtype=lib.uint8)), arr(3, 4))


def test_cross_entropy_is_one_fused_node_named_as_torch():
    x = glasstorch.tensor(arr(3, 4), requires_grad=True)
    loss = glasstorch.nn.functional.cross_entropy(x, glasstorch.tensor([0, 1, 3]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    # log_softmax and nll in one node, read as torch's graph: NllLossBackward0 → LogSoftmaxBackward0 → the logits
    (log_softmax, _), = loss.grad_fn.next_functions
    assert log_softmax.name() == "LogSoftmaxBackward0" and log_softmax.next_functions[0][0].variable is x
    smoothed = glasstorch.nn.functional.cross_entropy(x, glasstorch.tensor([0, 1, 3]), label_smoothing=0.1)
    assert smoothed.grad_fn.name() == "AddBackward0"


CE_ERRORS = {
    "float_class_indices": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1.0, 2.0, 3.0])),
    "int32_class_indices": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 3], dtype=lib.int32)),
    "target_out_of_range": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 5])),
    "negative_target": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, -1, 2])),
    "batch_mismatch": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2])),
    "scalar_target": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor(1)),
    "multi_target": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.zeros(3, 1, dtype=lib.int64)),
    "spatial_mismatch_3d": lambda F, lib: F.cross_entropy(lib.ones(2, 3, 4), lib.zeros(2, dtype=lib.int64)),
    "spatial_mismatch_4d": lambda F, lib: F.cross_entropy(lib.ones(2, 3, 4, 5), lib.zeros(2, 4, 6, dtype=lib.int64)),
    "probabilities_as_long": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.zeros(3, 5, dtype=lib.int64)),
    "probabilities_with_ignore_index": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.zeros(3, 5),
                                                                      ignore_index=1),
    "smoothing_above_one": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 3]),
                                                          label_smoothing=1.5),
    "weight_size": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 3]), weight=lib.ones(4)),
    "weight_size_probabilities": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.zeros(3, 5), weight=lib.ones(4)),
    "weight_dtype": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 3]),
                                                   weight=lib.ones(5, dtype=lib.float64)),
    "bad_reduction": lambda F, lib: F.cross_entropy(lib.ones(3, 5), lib.tensor([1, 2, 3]), reduction="avg"),
    "integer_logits": lambda F, lib: F.cross_entropy(lib.ones(3, 5, dtype=lib.int64), lib.tensor([1, 2, 3])),
    "nll_scalar_input": lambda F, lib: F.nll_loss(lib.tensor(1.0), lib.tensor(0)),
    "nll_out_of_range": lambda F, lib: F.nll_loss(lib.ones(3, 5), lib.tensor([0, 7, 1])),
}


@pytest.mark.parametrize("name", CE_ERRORS)
def test_class_target_errors_match_torch(name):
    theirs, ours = raises_like(lambda lib: CE_ERRORS[name](lib.nn.functional, lib))
    assert ours.replace("glasstorch.", "torch.") == theirs


def test_out_of_range_target_message():
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        glasstorch.nn.CrossEntropyLoss()(glasstorch.ones(3, 5), glasstorch.tensor([1, 2, 5]))


# ---- NLL -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("shape", [(6, 4), (4,), (2, 4, 3)], ids=str)
def test_nll_loss(reduction, weighted, shape):
    logp = arr(*shape)
    target = classes(*((shape[0],) + shape[2:]) if len(shape) > 1 else (), n=4,
                     ignore=1 if len(shape) > 1 else None)
    weight = RNG.uniform(0.5, 2.0, 4).astype(np.float32) if weighted else None
    check(lambda lib, x: lib.nn.NLLLoss(weight=_lib_tensor(lib, weight), ignore_index=1, reduction=reduction)(
        x, lib.tensor(target)), logp)


def test_log_softmax_then_nll_equals_cross_entropy():
    logits, target = arr(5, 4), classes(5, n=4)
    check(lambda lib, x: lib.nn.NLLLoss()(lib.nn.LogSoftmax(dim=1)(x), lib.tensor(target)), logits)


# ---- binary cross entropy ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (3, 4), (4,)], ids=str)
def test_bce(reduction, weight_shape):
    probs = RNG.uniform(0.01, 0.99, (3, 4)).astype(np.float32)
    probs[0, :2] = [0.0, 1.0]  # the clamped logs: log 0 = -100
    target = RNG.uniform(0, 1, (3, 4)).astype(np.float32)
    weight = None if weight_shape is None else RNG.uniform(0.5, 2, weight_shape).astype(np.float32)
    check(lambda lib, p, t: lib.nn.BCELoss(weight=_lib_tensor(lib, weight), reduction=reduction)(p, t),
          probs, target, rtol=1e-5, atol=1e-5)


def test_bce_course_example():
    y_pred = np.array([0.6901, 0.5459, 0.2469], dtype=np.float32)
    check(lambda lib, p: lib.nn.BCELoss()(p, lib.tensor([0, 1, 0], dtype=lib.float32)), y_pred)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, "scalar", "per_class"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_bce_with_logits(reduction, pos_weight, weighted):
    logits = arr(4, 3) * 10
    logits[0] = [-200.0, 0.0, 200.0]  # stable far from 0
    target = RNG.uniform(0, 1, (4, 3)).astype(np.float32)
    pw = {None: None, "scalar": np.array([2.5], dtype=np.float32),
          "per_class": np.array([0.5, 1.0, 3.0], dtype=np.float32)}[pos_weight]
    weight = RNG.uniform(0.5, 2, (3,)).astype(np.float32) if weighted else None
    check(lambda lib, x, t: lib.nn.BCEWithLogitsLoss(weight=_lib_tensor(lib, weight), reduction=reduction,
                                                     pos_weight=_lib_tensor(lib, pw))(x, t), logits, target,
          atol=1e-5)


def test_bce_with_logits_equals_sigmoid_then_bce():
    x, t = arr(10), RNG.integers(0, 2, 10).astype(np.float32)
    ours = glasstorch.nn.functional.binary_cross_entropy_with_logits(glasstorch.tensor(x), glasstorch.tensor(t))
    via_sigmoid = glasstorch.nn.functional.binary_cross_entropy(glasstorch.tensor(x).sigmoid(), glasstorch.tensor(t))
    np.testing.assert_allclose(ours.item(), via_sigmoid.item(), rtol=1e-6)


BCE_ERRORS = {
    "bce_size": lambda F, lib: F.binary_cross_entropy(lib.rand(4), lib.rand(3)),
    "bce_size_broadcastable": lambda F, lib: F.binary_cross_entropy(lib.rand(4), lib.rand(1, 4)),
    "bce_long_target": lambda F, lib: F.binary_cross_entropy(lib.rand(4), lib.ones(4, dtype=lib.int64)),
    "bce_double_target": lambda F, lib: F.binary_cross_entropy(lib.rand(4), lib.ones(4, dtype=lib.float64)),
    "bce_input_above_one": lambda F, lib: F.binary_cross_entropy(lib.rand(4) + 1.5, lib.ones(4)),
    "bce_nan_input": lambda F, lib: F.binary_cross_entropy(lib.rand(4) * float("nan"), lib.ones(4)),
    "bce_weight_too_big": lambda F, lib: F.binary_cross_entropy(lib.rand(3, 4), lib.rand(3, 4), weight=lib.rand(2, 3, 4)),
    "logits_size": lambda F, lib: F.binary_cross_entropy_with_logits(lib.rand(4), lib.rand(3)),
    "logits_long_target": lambda F, lib: F.binary_cross_entropy_with_logits(lib.rand(4), lib.ones(4, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", BCE_ERRORS)
def test_binary_errors_match_torch(name):
    theirs, ours = raises_like(lambda lib: BCE_ERRORS[name](lib.nn.functional, lib))
    assert ours.replace("glasstorch.", "torch.") == theirs


def test_bce_with_logits_double_target_promotes():
    check(lambda lib, x: lib.nn.functional.binary_cross_entropy_with_logits(x, lib.ones(3, dtype=lib.float64)), arr(3))


# ---- regression losses ---------------------------------------------------------------------------------------------

REGRESSION = {
    "L1Loss": lambda nn, r: nn.L1Loss(reduction=r),
    "MSELoss": lambda nn, r: nn.MSELoss(reduction=r),
    "SmoothL1Loss": lambda nn, r: nn.SmoothL1Loss(reduction=r),
    "SmoothL1Loss_beta0.5": lambda nn, r: nn.SmoothL1Loss(reduction=r, beta=0.5),
    "SmoothL1Loss_beta0": lambda nn, r: nn.SmoothL1Loss(reduction=r, beta=0.0),
    "HuberLoss": lambda nn, r: nn.HuberLoss(reduction=r),
    "HuberLoss_delta2": lambda nn, r: nn.HuberLoss(reduction=r, delta=2.0),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", REGRESSION)
def test_regression_losses(name, reduction):
    x, y = arr(4, 5) * 2, arr(4, 5) * 2
    y[0] = x[0]  # d = 0, the kink of L1
    y[1, :3] = x[1, :3] - np.array([1.0, -1.0, 2.0], dtype=np.float32)  # |d| = beta = delta = 1 and 2
    check(lambda lib, a, b: REGRESSION[name](lib.nn, reduction)(a, b), x, y)


@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses_of_torch_2_13(name, reduction):
    x, y, w = arr(3, 4), arr(3, 4), RNG.uniform(0.5, 2, (3, 4)).astype(np.float32)
    check(lambda lib, a, b: getattr(lib.nn.functional, name)(a, b, reduction=reduction, weight=lib.tensor(w)), x, y)


@pytest.mark.parametrize("name", ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_target_broadcast_warns_and_promotes(name):
    with pytest.warns(UserWarning, match="Using a target size"):
        check(lambda lib, a: getattr(lib.nn.functional, name)(a, lib.ones(1, 4)), arr(4))
    if name == "huber_loss":
        return  # torch 2.13's huber_loss returns float32 for these and then fails in backward; glasstorch promotes
    check(lambda lib, a: getattr(lib.nn.functional, name)(a, lib.ones(4, dtype=lib.int64)), arr(4))
    check(lambda lib, a: getattr(lib.nn.functional, name)(a, lib.ones(4, dtype=lib.float64)), arr(4))


def test_target_gradients():
    x, y = arr(3, 4), arr(3, 4)
    for name in ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss"]:
        check(lambda lib, a, b: getattr(lib.nn.functional, name)(a, b), x, y)
    check(lambda lib, a, b: lib.nn.functional.binary_cross_entropy_with_logits(a, b, pos_weight=lib.tensor([2.0])),
          x, np.abs(y) / 2)


REGRESSION_ERRORS = {
    "smooth_l1_negative_beta": lambda F, lib: F.smooth_l1_loss(lib.ones(3), lib.ones(3), beta=-1.0),
    "huber_zero_delta": lambda F, lib: F.huber_loss(lib.ones(3), lib.ones(3), delta=0.0),
    "mse_bad_reduction": lambda F, lib: F.mse_loss(lib.ones(3), lib.ones(3), reduction="average"),
    "weight_shape": lambda F, lib: F.mse_loss(lib.ones(3), lib.ones(3), weight=lib.ones(2)),
    "mse_of_integers": lambda F, lib: F.mse_loss(lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", REGRESSION_ERRORS)
def test_regression_errors_match_torch(name):
    theirs, ours = raises_like(lambda lib: REGRESSION_ERRORS[name](lib.nn.functional, lib))
    assert ours == theirs


@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True), (False, True)])
def test_deprecated_size_average_and_reduce(size_average, reduce):
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        check(lambda lib, a, b: lib.nn.MSELoss(size_average=size_average, reduce=reduce)(a, b), arr(3), arr(3))


# ---- module details ------------------------------------------------------------------------------------------------

LOSS_MODULES = [
    lambda lib: lib.nn.CrossEntropyLoss(), lambda lib: lib.nn.CrossEntropyLoss(weight=lib.ones(3), label_smoothing=0.1),
    lambda lib: lib.nn.NLLLoss(), lambda lib: lib.nn.BCELoss(weight=lib.ones(2)),
    lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(3)), lambda lib: lib.nn.L1Loss(reduction="sum"),
    lambda lib: lib.nn.MSELoss(), lambda lib: lib.nn.SmoothL1Loss(beta=0.5), lambda lib: lib.nn.HuberLoss(delta=2.0),
]


@pytest.mark.parametrize("make", LOSS_MODULES)
def test_loss_module_repr_state_dict_and_attributes(make):
    ours, theirs = make(glasstorch), make(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attribute in ["reduction", "ignore_index", "label_smoothing", "beta", "delta"]:
        assert getattr(ours, attribute, None) == getattr(theirs, attribute, None)


def test_losses_return_scalars_of_the_input_dtype():
    for dtype in (np.float32, np.float64):
        logits = arr(4, 3, dtype=dtype)
        check(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 1, 2, 0])), logits)
        check(lambda lib, x: lib.nn.functional.mse_loss(x, x.detach() + 1), logits)


NODES = {
    "cross_entropy_probabilities_mean": lambda F, x, lib: F.cross_entropy(x, x.detach().softmax(1)),
    "cross_entropy_probabilities_sum": lambda F, x, lib: F.cross_entropy(x, x.detach().softmax(1), reduction="sum"),
    "nll": lambda F, x, lib: F.nll_loss(x, lib.tensor([0, 1, 2])),
    "bce": lambda F, x, lib: F.binary_cross_entropy(x.sigmoid(), lib.ones(3, 3)),
    "bce_with_logits": lambda F, x, lib: F.binary_cross_entropy_with_logits(x, lib.ones(3, 3)),
    "mse": lambda F, x, lib: F.mse_loss(x, lib.ones(3, 3)),
    "l1": lambda F, x, lib: F.l1_loss(x, lib.ones(3, 3)),
    "smooth_l1": lambda F, x, lib: F.smooth_l1_loss(x, lib.ones(3, 3)),
    "huber": lambda F, x, lib: F.huber_loss(x, lib.ones(3, 3)),
}


@pytest.mark.parametrize("name", NODES)
def test_loss_node_names_match_torch(name):
    x = arr(3, 3)
    theirs = NODES[name](torch.nn.functional, torch.tensor(x, requires_grad=True), torch)
    ours = NODES[name](glasstorch.nn.functional, glasstorch.tensor(x, requires_grad=True), glasstorch)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
