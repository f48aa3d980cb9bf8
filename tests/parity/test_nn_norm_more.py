"""Parity with torch of GroupNorm, InstanceNorm1d/2d/3d and LocalResponseNorm (modules and functionals): values,
gradients of the input, γ and β, running statistics (train, then eval), node names, reprs, state_dict keys, warnings
and errors; float64 gradients against finite differences (glasstorch.autograd.gradcheck)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from glasstorch.autograd import gradcheck  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402


def copy_state(theirs, ours) -> None:
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def perturb(module) -> None:
    """γ and β away from ones and zeros, so that their gradients matter."""
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn(p.shape))


def run_both(theirs, ours, x, rtol=1e-5, atol=1e-5):
    xt, xo = torch.tensor(x, requires_grad=True), glasstorch.tensor(x, requires_grad=True)
    yt, yo = theirs(xt), ours(xo)
    compare(yo, yt, rtol=rtol, atol=atol)
    assert yo.grad_fn.name() == yt.grad_fn.name()
    cotangent = np.random.default_rng(1).standard_normal(tuple(yt.shape)).astype(x.dtype)
    yt.backward(torch.tensor(cotangent))
    yo.backward(glasstorch.tensor(cotangent))
    compare(xo.grad, xt.grad, rtol=1e-4, atol=1e-4, what="input grad")
    for (name, pt), (_, po) in zip(theirs.named_parameters(), ours.named_parameters()):
        compare(po.grad, pt.grad, rtol=1e-4, atol=1e-4, what=f"{name}.grad")


# ---- GroupNorm --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("groups,channels,shape", [(2, 4, (3, 4)), (1, 6, (2, 6, 5)), (3, 6, (2, 6, 4, 3)),
                                                   (6, 6, (2, 6, 3, 2)), (2, 4, (1, 4, 2, 2, 2))], ids=str)
@pytest.mark.parametrize("affine,bias", [(True, True), (True, False), (False, True)], ids=str)
def test_group_norm_module_matches_torch(groups, channels, shape, affine, bias):
    theirs = torch.nn.GroupNorm(groups, channels, affine=affine, bias=bias)
    ours = glasstorch.nn.GroupNorm(groups, channels, affine=affine, bias=bias)
    perturb(theirs)
    copy_state(theirs, ours)
    run_both(theirs, ours, arr(*shape))
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours._parameters) == list(theirs._parameters)


def test_functional_group_norm_and_gradcheck():
    check(lambda lib, x, w, b: lib.nn.functional.group_norm(x, 2, w, b, eps=1e-3), arr(3, 4, 5), arr(4), arr(4),
          grad_atol=1e-5)
    check(lambda lib, x, w: lib.nn.functional.group_norm(x, 2, w), arr(2, 4, 3, dtype=np.float64),
          arr(4, dtype=np.float64))
    x = glasstorch.tensor(arr(2, 4, 3, dtype=np.float64), requires_grad=True)
    w = glasstorch.tensor(arr(4, dtype=np.float64), requires_grad=True)
    b = glasstorch.tensor(arr(4, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda x, w, b: glasstorch.nn.functional.group_norm(x, 2, w, b), (x, w, b))


@pytest.mark.parametrize("make", [
    lambda lib, x: lib.nn.functional.group_norm(x, 3),
    lambda lib, x: lib.nn.functional.group_norm(x, 2, lib.ones(3)),
    lambda lib, x: lib.nn.functional.group_norm(x, 2, lib.ones(4), lib.ones(3)),
    lambda lib, x: lib.nn.functional.group_norm(x, 2, None, lib.ones(3)),
    lambda lib, x: lib.nn.functional.group_norm(x, 2, lib.ones(4, 2)),
    lambda lib, x: lib.nn.functional.group_norm(x, 2, lib.ones(4, dtype=lib.float64)),
    lambda lib, x: lib.nn.functional.group_norm(x.double(), 2, lib.ones(4)),
    lambda lib, x: lib.nn.functional.group_norm(x.long(), 2),
    lambda lib, x: lib.nn.functional.group_norm(x[0, 0], 1),
    lambda lib, x: lib.nn.functional.group_norm(x[:1, :2, 0], 2),
    lambda lib, x: lib.nn.functional.group_norm(x, 0),
    lambda lib, x: lib.nn.GroupNorm(3, 4),
    lambda lib, x: lib.nn.GroupNorm(2, 4)(x[:, :3]),
])
def test_group_norm_errors_match_torch(make):
    theirs, ours = raises_like(make, arr(2, 4, 3))
    assert ours.replace("glasstorch.", "torch.") == theirs


# ---- InstanceNorm -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls,shape", [("InstanceNorm1d", (3, 4, 5)), ("InstanceNorm1d", (4, 5)),
                                       ("InstanceNorm2d", (2, 4, 3, 3)), ("InstanceNorm2d", (4, 2, 3)),
                                       ("InstanceNorm3d", (2, 4, 2, 2, 2))], ids=str)
@pytest.mark.parametrize("affine,track", [(False, False), (True, False), (False, True), (True, True)], ids=str)
def test_instance_norm_train_then_eval_matches_torch(cls, shape, affine, track):
    theirs = getattr(torch.nn, cls)(4, affine=affine, track_running_stats=track, momentum=0.3)
    ours = getattr(glasstorch.nn, cls)(4, affine=affine, track_running_stats=track, momentum=0.3)
    perturb(theirs)
    copy_state(theirs, ours)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for step in range(2):  # training: batch statistics, running statistics updated
        run_both(theirs, ours, arr(*shape) * (step + 1) + step)
    for name, buffer in theirs.named_buffers():
        compare(dict(ours.named_buffers())[name], buffer, rtol=1e-5, atol=1e-6, what=name)
    theirs.eval(), ours.eval()  # evaluation: the running statistics when tracked, else the batch's own
    run_both(theirs, ours, arr(*shape))


def test_instance_norm_momentum_none_and_functional():
    theirs, ours = torch.nn.InstanceNorm1d(3, momentum=None, track_running_stats=True), \
        glasstorch.nn.InstanceNorm1d(3, momentum=None, track_running_stats=True)
    run_both(theirs, ours, arr(2, 3, 4))
    compare(ours.running_mean, theirs.running_mean)
    assert int(ours.num_batches_tracked) == int(theirs.num_batches_tracked) == 0
    check(lambda lib, x, w, b: lib.nn.functional.instance_norm(x, weight=w, bias=b, eps=1e-3), arr(2, 3, 5), arr(3),
          arr(3), grad_atol=1e-5)
    check(lambda lib, x: lib.nn.functional.instance_norm(x, lib.zeros(3) + 0.5, lib.ones(3) * 2, use_input_stats=False),
          arr(2, 3, 5))
    x = glasstorch.tensor(arr(2, 3, 4, dtype=np.float64), requires_grad=True)
    w = glasstorch.tensor(arr(3, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda x, w: glasstorch.nn.functional.instance_norm(x, weight=w), (x, w))


def test_instance_norm_warns_like_torch_when_unbatched_size_differs():
    def run(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = lib.nn.InstanceNorm1d(5)(lib.ones(4, 3) + lib.arange(3.0))
        return out, [str(w.message) for w in caught]
    (out_t, msgs_t), (out_o, msgs_o) = run(torch), run(glasstorch)
    assert msgs_o == msgs_t and len(msgs_t) == 1
    compare(out_o, out_t)


@pytest.mark.parametrize("make", [
    lambda lib, x: lib.nn.InstanceNorm1d(4, affine=True)(x),
    lambda lib, x: lib.nn.InstanceNorm1d(4, affine=True)(x[0]),
    lambda lib, x: lib.nn.InstanceNorm2d(3)(x[0]),
    lambda lib, x: lib.nn.InstanceNorm1d(3)(x[..., None]),
    lambda lib, x: lib.nn.InstanceNorm1d(3)(x[:, :, :1]),
    lambda lib, x: lib.nn.functional.instance_norm(x, use_input_stats=False),
    lambda lib, x: lib.nn.functional.instance_norm(x, lib.zeros(2), lib.ones(2)),
    lambda lib, x: lib.nn.functional.instance_norm(x, weight=lib.ones(3, dtype=lib.float64)),
])
def test_instance_norm_errors_match_torch(make):
    theirs, ours = raises_like(make, arr(2, 3, 5))
    assert ours.replace("glasstorch.", "torch.") == theirs


# ---- LocalResponseNorm ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 3), (1, 3, 2, 2, 2)], ids=str)
def test_local_response_norm_matches_torch(size, shape):
    theirs, ours = torch.nn.LocalResponseNorm(size, alpha=0.5, beta=0.6, k=1.5), \
        glasstorch.nn.LocalResponseNorm(size, alpha=0.5, beta=0.6, k=1.5)
    run_both(theirs, ours, arr(*shape))
    assert repr(ours) == repr(theirs) and repr(ours.__class__(3)) == repr(torch.nn.LocalResponseNorm(3))
    x = glasstorch.tensor(arr(*shape, dtype=np.float64), requires_grad=True)
    assert gradcheck(lambda x: glasstorch.nn.functional.local_response_norm(x, size, 0.5, 0.6, 1.5), (x,))


def test_local_response_norm_errors_match_torch():
    theirs, ours = raises_like(lambda lib, x: lib.nn.functional.local_response_norm(x, 2), arr(2, 3))
    assert ours.replace("glasstorch.", "torch.") == theirs
