"""Error parity across the public API: the same bad call raises the same exception class under torch and glasstorch,
with torch's message (first line, ``torch.`` read as ``glasstorch.``) where glasstorch mirrors it.

Families: creation sizes and ranges, random bounds, tensor construction, indexing, split/chunk, gather/scatter/
index_select/masked_fill, in-place results, losses with shapes that differ, functional layers, init, autograd.
"""
from __future__ import annotations

import warnings

import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.nn.functional  # noqa: E402,F401
import glasstorch.nn.init  # noqa: E402,F401


def _raised(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(lib)
        except Exception as error:  # noqa: BLE001 - the class is what is compared
            return error
    return None


def _first_line(error) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


def assert_same_error(fn, message: bool = True) -> None:
    """``fn(lib)`` fails in torch; glasstorch fails with the same class (and, with ``message``, the same first line)."""
    theirs = _raised(fn, torch)
    assert theirs is not None, "torch accepted it: the test case is wrong"
    ours = _raised(fn, glasstorch)
    assert ours is not None, f"glasstorch accepted what torch refuses with {type(theirs).__name__}: {theirs}"
    assert type(ours).__name__ == type(theirs).__name__, f"{type(ours).__name__}: {ours}  vs  {type(theirs).__name__}: {theirs}"
    if message:
        assert _first_line(ours) == _first_line(theirs).replace("torch.", "glasstorch.")


def _f(lib):
    return lib.nn.functional


A = lambda lib: lib.ones(2, 3)  # noqa: E731
I64 = lambda lib: lib.ones(2, 3, dtype=lib.int64)  # noqa: E731

CREATION = {
    "randn negative": lambda lib: lib.randn(-1),
    "rand negative second dim": lambda lib: lib.rand(2, -1),
    "zeros negative": lambda lib: lib.zeros(-2),
    "zeros negative tuple": lambda lib: lib.zeros((2, -3)),
    "ones negative": lambda lib: lib.ones(2, -3),
    "empty negative": lambda lib: lib.empty(-1),
    "full negative": lambda lib: lib.full((-1,), 1.0),
    "randint negative size": lambda lib: lib.randint(0, 5, (-1,)),
    "randperm negative": lambda lib: lib.randperm(-1),
    "eye negative n": lambda lib: lib.eye(-1),
    "eye negative m": lambda lib: lib.eye(2, -1),
    "new_zeros negative": lambda lib: A(lib).new_zeros(-1),
    "new_ones negative": lambda lib: A(lib).new_ones((2, -1)),
    "Tensor negative": lambda lib: lib.Tensor(2, -1),
    "zeros float size": lambda lib: lib.zeros(2.5),
    "zeros str size": lambda lib: lib.zeros("a"),
    "ones str in size": lambda lib: lib.ones((2, "a")),
    "rand float in size": lambda lib: lib.rand(2, 2.5),
    "empty None size": lambda lib: lib.empty(None),
    "full int size": lambda lib: lib.full(2, 1.0),
    "full str value": lambda lib: lib.full((2,), "x"),
    "full_like str value": lambda lib: lib.full_like(A(lib), "x"),
    "zeros_like list": lambda lib: lib.zeros_like([1, 2]),
    "ones_like int": lambda lib: lib.ones_like(3),
    "empty_like None": lambda lib: lib.empty_like(None),
    "eye float": lambda lib: lib.eye(2.0),
    "randperm float": lambda lib: lib.randperm(2.0),
    "arange negative step": lambda lib: lib.arange(0, 10, -1),
    "arange end below start": lambda lib: lib.arange(10, 0),
    "arange zero step": lambda lib: lib.arange(0, 10, 0),
    "arange nan": lambda lib: lib.arange(float("nan")),
    "arange inf": lambda lib: lib.arange(0, float("inf")),
    "arange bool": lambda lib: lib.arange(0, 5, dtype=lib.bool),
    "linspace negative steps": lambda lib: lib.linspace(0, 1, -1),
    "logspace negative steps": lambda lib: lib.logspace(0, 1, -1),
    "randint low >= high": lambda lib: lib.randint(5, 0, (2,)),
    "randint empty range": lambda lib: lib.randint(3, 3, (2,)),
    "rand int dtype": lambda lib: lib.rand(2, dtype=lib.int64),
    "randn int dtype": lambda lib: lib.randn(2, dtype=lib.int64),
    "randn_like int": lambda lib: lib.randn_like(I64(lib)),
    "normal negative std": lambda lib: lib.normal(0.0, -1.0, (2,)),
    "normal negative std tensor": lambda lib: lib.normal(lib.zeros(2), -lib.ones(2)),
    "multinomial negative": lambda lib: lib.multinomial(lib.tensor([0.5, -1.0]), 1),
    "multinomial too many": lambda lib: lib.multinomial(lib.tensor([0.5, 0.5]), 3),
    "multinomial zero sum": lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
    "multinomial zero samples": lambda lib: lib.multinomial(lib.ones(2), 0),
    "multinomial 3-D": lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    "multinomial int": lambda lib: lib.multinomial(lib.ones(2, dtype=lib.int64), 1),
    "bernoulli p > 1": lambda lib: lib.bernoulli(lib.ones(2), p=1.5),
    "tensor ragged": lambda lib: lib.tensor([[1, 2], [3]]),
    "as_tensor ragged": lambda lib: lib.as_tensor([[1], [2, 3]]),
    "tensor str item": lambda lib: lib.tensor([1, "a"]),
    "tensor dict": lambda lib: lib.tensor({1: 2}),
    "tensor set": lambda lib: lib.tensor({1, 2}),
    "tensor int requires grad": lambda lib: lib.tensor([1], requires_grad=True),
    "zeros int requires grad": lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True),
    "Tensor str": lambda lib: lib.Tensor("x"),
}

INDEXING = {
    "int out of range": lambda lib: A(lib)[5],
    "second int out of range": lambda lib: A(lib)[0, 5],
    "too many indices": lambda lib: A(lib)[0, 0, 0],
    "negative slice step": lambda lib: A(lib)[::-1],
    "negative slice step in a tuple": lambda lib: A(lib)[:, ::-2],
    "zero slice step": lambda lib: A(lib)[::0],
    "negative slice step assigned": lambda lib: A(lib).__setitem__((0, slice(None, None, -1)), 1.0),
    "tensor index out of range": lambda lib: A(lib)[lib.tensor([5])],
    "list index out of range": lambda lib: A(lib)[[0, 5]],
    "negative tensor index out of range": lambda lib: A(lib)[lib.tensor([-3])],
    "float tensor index": lambda lib: A(lib)[lib.tensor([0.0])],
    "mask of the wrong shape": lambda lib: A(lib)[lib.ones(3, dtype=lib.bool)],
    "2-D mask of the wrong shape": lambda lib: A(lib)[lib.tensor([[True]])],
    "float index": lambda lib: A(lib)[1.5],
    "assign out of range": lambda lib: A(lib).__setitem__(5, 1.0),
    "assign tensor index out of range": lambda lib: A(lib).__setitem__(lib.tensor([5]), 0.0),
    "assign too many dims": lambda lib: A(lib).__setitem__(0, lib.ones(4, 5)),
    "assign wrong size": lambda lib: A(lib).__setitem__(slice(0, 1), lib.ones(2, 3)),
    "assign str": lambda lib: A(lib).__setitem__(0, "x"),
}

SHAPES = {
    "chunk zero": lambda lib: A(lib).chunk(0),
    "chunk negative": lambda lib: A(lib).chunk(-1),
    "split zero": lambda lib: A(lib).split(0),
    "split negative": lambda lib: A(lib).split(-1),
    "gather out of range": lambda lib: A(lib).gather(1, lib.tensor([[5]])),
    "gather negative": lambda lib: A(lib).gather(1, lib.tensor([[-1]])),
    "gather float index": lambda lib: A(lib).gather(1, lib.tensor([[0.0]])),
    "gather bool index": lambda lib: A(lib).gather(1, lib.tensor([[True]])),
    "gather index of fewer dims": lambda lib: A(lib).gather(1, lib.tensor([0])),
    "gather index too large": lambda lib: A(lib).gather(1, lib.zeros(3, 3, dtype=lib.int64)),
    "gather list index": lambda lib: A(lib).gather(1, [[0]]),
    "scatter out of range": lambda lib: A(lib).scatter(1, lib.tensor([[9]]), 1.0),
    "scatter_ out of range": lambda lib: A(lib).scatter_(1, lib.tensor([[9]]), 1.0),
    "scatter negative": lambda lib: A(lib).scatter(1, lib.tensor([[-1]]), 2.0),
    "scatter float index": lambda lib: A(lib).scatter(1, lib.tensor([[0.0]]), 1.0),
    "scatter index of fewer dims": lambda lib: A(lib).scatter(1, lib.tensor([0]), 1.0),
    "scatter index too large": lambda lib: A(lib).scatter(1, lib.zeros(3, 1, dtype=lib.int64), 1.0),
    "scatter src too small": lambda lib: A(lib).scatter(1, lib.zeros(2, 1, dtype=lib.int64), lib.ones(1, 1)),
    "index_select out of range": lambda lib: A(lib).index_select(0, lib.tensor([9])),
    "index_select below -size": lambda lib: A(lib).index_select(0, lib.tensor([-3])),
    "index_select negative": lambda lib: A(lib).index_select(1, lib.tensor([-1])),
    "index_select float index": lambda lib: A(lib).index_select(0, lib.tensor([0.0])),
    "index_select 2-D index": lambda lib: A(lib).index_select(0, lib.tensor([[0]])),
    "masked_fill float mask": lambda lib: A(lib).masked_fill(A(lib), 0),
    "masked_fill int mask": lambda lib: A(lib).masked_fill(I64(lib), 0),
    "masked_fill 1-D value": lambda lib: A(lib).masked_fill(A(lib) > 0, lib.ones(2)),
    "masked_fill_ wider mask": lambda lib: A(lib).masked_fill_(lib.ones(2, 1, 3, dtype=lib.bool), 0),
    "cat bad sizes": lambda lib: lib.cat([A(lib), lib.ones(4, 5)]),
    "cat of different ranks": lambda lib: lib.cat([A(lib), lib.ones(3)]),
    "hstack bad sizes": lambda lib: lib.hstack([A(lib), lib.ones(4, 5)]),
    "cat of a tensor": lambda lib: lib.cat(A(lib)),
    "stack of a tensor": lambda lib: lib.stack(A(lib)),
    "stack dim out of range": lambda lib: lib.stack([A(lib), A(lib)], dim=4),
    "outer of a matrix": lambda lib: lib.outer(A(lib), lib.ones(3)),
    "sum repeated dim": lambda lib: A(lib).sum(dim=(0, 0)),
    "copy_ bad shape": lambda lib: A(lib).copy_(lib.ones(4, 5)),
    "copy_ str": lambda lib: A(lib).copy_("x"),
}

POINTWISE = {
    "isclose bad shapes": lambda lib: lib.isclose(A(lib), lib.ones(4, 5)),
    "allclose bad shapes": lambda lib: lib.allclose(A(lib), lib.ones(4, 5)),
    "equal str": lambda lib: lib.equal(A(lib), "x"),
    "float & float": lambda lib: A(lib) & A(lib),
    "float | int": lambda lib: A(lib) | I64(lib),
    "float ^ float": lambda lib: A(lib) ^ A(lib),
    "div rounding mode": lambda lib: lib.div(A(lib), 2, rounding_mode="bad"),
    "int sqrt_": lambda lib: I64(lib).sqrt_(),
    "int exp_": lambda lib: I64(lib).exp_(),
    "int sigmoid_": lambda lib: I64(lib).sigmoid_(),
    "fill_ str": lambda lib: A(lib).fill_("x"),
    "type of a bad name": lambda lib: A(lib).type("foo"),
    "float of many elements": lambda lib: float(A(lib)),
    "int of many elements": lambda lib: int(A(lib)),
}

FUNCTIONAL = {
    "softmax int": lambda lib: _f(lib).softmax(I64(lib), 0),
    "log_softmax int": lambda lib: _f(lib).log_softmax(I64(lib), 1),
    "layer_norm weight shape": lambda lib: _f(lib).layer_norm(A(lib), (3,), weight=lib.ones(4)),
    "embedding 1-D weight": lambda lib: _f(lib).embedding(lib.tensor([0]), lib.ones(3)),
    "relu None": lambda lib: _f(lib).relu(None),
    "ReLU str": lambda lib: lib.nn.ReLU()("x"),
    "linear list": lambda lib: lib.nn.Linear(3, 2)([1.0, 2.0, 3.0]),
    "rrelu bounds": lambda lib: _f(lib).rrelu(A(lib), 0.5, 0.1),
    "relu6 bool": lambda lib: _f(lib).relu6(lib.ones(2, dtype=lib.bool)),
    "Linear negative in": lambda lib: lib.nn.Linear(-1, 2),
    "Linear negative out": lambda lib: lib.nn.Linear(2, -1),
    "BatchNorm1d negative": lambda lib: lib.nn.BatchNorm1d(-1),
    "Embedding negative": lambda lib: lib.nn.Embedding(-1, 2),
    "uniform_ bounds": lambda lib: lib.nn.init.uniform_(A(lib), 1, 0),
    "normal_ negative std": lambda lib: lib.nn.init.normal_(A(lib), 0, -1),
    "trunc_normal_ bounds": lambda lib: lib.nn.init.trunc_normal_(A(lib), a=2, b=-2),
    "uniform_ int": lambda lib: lib.nn.init.uniform_(I64(lib)),
    "normal_ int": lambda lib: lib.nn.init.normal_(I64(lib)),
    "xavier_uniform_ int": lambda lib: lib.nn.init.xavier_uniform_(I64(lib)),
    "kaiming_normal_ int": lambda lib: lib.nn.init.kaiming_normal_(I64(lib)),
}

AUTOGRAD = {
    "requires_grad_ int": lambda lib: I64(lib).requires_grad_(),
    "requires_grad_ bool": lambda lib: lib.ones(2, dtype=lib.bool).requires_grad_(),
    "data = number": lambda lib: setattr(lib.ones(2, requires_grad=True), "data", 5),
    "grad input not requiring grad": lambda lib: lib.autograd.grad(lib.ones(2, requires_grad=True).sum(), A(lib)),
    "grad output of the wrong shape": lambda lib: lib.autograd.grad(lib.ones(2, requires_grad=True).sum(),
                                                                     lib.ones(2, requires_grad=True),
                                                                     grad_outputs=lib.ones(2)),
}

BL = lambda lib, *shape: lib.ones(*(shape or (2,)), dtype=lib.bool)  # noqa: E731

# bool tensors where torch has no kernel (NumPy would answer in int8, float16 or bool)
BOOL = {
    "bool // bool": lambda lib: BL(lib) // BL(lib), "bool // True": lambda lib: BL(lib) // True,
    "True // bool": lambda lib: True // BL(lib), "bool % bool": lambda lib: BL(lib) % BL(lib),
    "bool % True": lambda lib: BL(lib) % True, "remainder bool": lambda lib: lib.remainder(BL(lib), BL(lib)),
    "fmod bool": lambda lib: lib.fmod(BL(lib), True), "bool ** bool": lambda lib: BL(lib) ** BL(lib),
    "True ** bool": lambda lib: True ** BL(lib), "pow bool": lambda lib: lib.pow(BL(lib), BL(lib)),
    "floor_divide_ bool": lambda lib: BL(lib).floor_divide_(BL(lib)),
    "div trunc bool": lambda lib: BL(lib).div(BL(lib), rounding_mode="trunc"),
    "clamp bool min": lambda lib: lib.clamp(BL(lib), min=True), "clamp bool max": lambda lib: lib.clamp(BL(lib), max=True),
    "clamp bool both": lambda lib: lib.clamp(BL(lib), True, True), "clamp_ bool": lambda lib: BL(lib).clamp_(min=True),
    "clamp_min bool": lambda lib: BL(lib).clamp_min(True), "clamp_max bool": lambda lib: BL(lib).clamp_max(True),
    "abs bool": lambda lib: BL(lib).abs(), "abs_ bool": lambda lib: BL(lib).abs_(), "round bool": lambda lib: BL(lib).round(),
    "round decimals bool": lambda lib: BL(lib).round(decimals=1), "floor bool": lambda lib: BL(lib).floor(),
    "ceil bool": lambda lib: BL(lib).ceil(), "trunc bool": lambda lib: BL(lib).trunc(),
    "relu bool": lambda lib: BL(lib).relu(), "relu_ bool": lambda lib: BL(lib).relu_(),
    "F.relu bool": lambda lib: _f(lib).relu(BL(lib)), "ReLU bool": lambda lib: lib.nn.ReLU()(BL(lib)),
    "matmul bool 2-D": lambda lib: BL(lib, 2, 2) @ BL(lib, 2, 2), "matmul bool 1-D": lambda lib: BL(lib) @ BL(lib),
    "matmul bool mv": lambda lib: BL(lib, 2, 2) @ BL(lib), "matmul bool batched": lambda lib: BL(lib, 3, 2, 2) @ BL(lib, 3, 2, 2),
    "mm bool": lambda lib: lib.mm(BL(lib, 2, 2), BL(lib, 2, 2)),
}

# arguments torch's parser (or its first check) refuses
ARGUMENTS = {
    "clamp min str": lambda lib: A(lib).clamp(min="x"), "clamp max str": lambda lib: A(lib).clamp(max="x"),
    "leaky_relu str slope": lambda lib: _f(lib).leaky_relu(A(lib), "x"), "LeakyReLU str": lambda lib: lib.nn.LeakyReLU("x")(A(lib)),
    "elu str alpha": lambda lib: _f(lib).elu(A(lib), "x"), "tril float": lambda lib: A(lib).tril(0.5),
    "triu bool": lambda lib: A(lib).triu(True), "max of ints": lambda lib: lib.max(1, 2), "min of ints": lambda lib: lib.min(1, 2),
    "max of a list": lambda lib: lib.max([1, 2]), "layer_norm int shape": lambda lib: _f(lib).layer_norm(A(lib), 3),
    "where two arguments": lambda lib: lib.where(A(lib) > 0, A(lib)), "where str": lambda lib: lib.where(A(lib) > 0, A(lib), "x"),
    "set_grad_enabled str": lambda lib: lib.set_grad_enabled("x"), "set_grad_enabled int": lambda lib: lib.set_grad_enabled(1),
    "exp of a list": lambda lib: lib.exp([1.0, 2.0]), "sin of None": lambda lib: lib.sin(None),
    "sum of a number": lambda lib: lib.sum(2.0), "Parameter of a list": lambda lib: lib.nn.Parameter([1.0, 2.0]),
    "cat with an int": lambda lib: lib.cat([A(lib), 1]), "stack with a list": lambda lib: lib.stack([A(lib), [1.0]]),
    "linear 3-D weight": lambda lib: _f(lib).linear(A(lib), lib.ones(2, 3, 1)),
    "SGD lr of two": lambda lib: lib.optim.SGD(lib.nn.Linear(3, 2).parameters(), lr=lib.tensor([0.1, 0.2])),
    "Adam lr of two": lambda lib: lib.optim.Adam(lib.nn.Linear(3, 2).parameters(), lr=lib.tensor([0.1, 0.2])),
    "zeros unknown device": lambda lib: lib.zeros(2, device="foo"), "tensor unknown device": lambda lib: lib.tensor([1.0], device="CPU"),
    "arange unknown device": lambda lib: lib.arange(3, device="foo"), "randn bad device index": lambda lib: lib.randn(2, device="cpu:x"),
    "device unknown": lambda lib: lib.device("foo"), "device empty": lambda lib: lib.device(""),
    "to unknown device": lambda lib: A(lib).to("foo"), "to malformed device": lambda lib: A(lib).to("xpu9"),
    "Module.to unknown device": lambda lib: lib.nn.Linear(3, 2).to("foo"),
    "expand -1 leading": lambda lib: A(lib).expand(-1, -1, -1), "expand -1 leading later": lambda lib: A(lib).expand(4, -1, 2, 3),
    "repeat negative": lambda lib: A(lib).repeat(-1, 1), "repeat negative new dim": lambda lib: A(lib).repeat(-1, 1, 1),
    "argmax empty": lambda lib: lib.empty(0).argmax(), "argmin empty": lambda lib: lib.empty(0, 3).argmin(),
    "argmax empty dim": lambda lib: lib.empty(0, 3).argmax(0), "amax empty": lambda lib: lib.empty(0).amax(),
    "amin empty": lambda lib: lib.empty(0).amin(), "amax empty dim": lambda lib: lib.empty(0, 3).amax(0),
    "max empty": lambda lib: lib.empty(0).max(), "heaviside dtypes": lambda lib: lib.heaviside(A(lib), I64(lib)),
    "heaviside number": lambda lib: lib.heaviside(A(lib), 0.5), "lerp end dtype": lambda lib: lib.lerp(A(lib), I64(lib), 0.5),
    "lerp end double": lambda lib: lib.lerp(A(lib), A(lib).double(), 0.5),
    "lerp weight dtype": lambda lib: lib.lerp(A(lib), A(lib), lib.ones(3, dtype=lib.float64)),
    "lerp int": lambda lib: lib.lerp(I64(lib), I64(lib), 0.5), "lerp_ end dtype": lambda lib: A(lib).lerp_(I64(lib), 0.5),
}

# torch words these in its argument parser ("received an invalid combination of arguments..."): class only
CLASS_ONLY = {"equal str", "fill_ str"}


FAMILIES = {"creation": CREATION, "indexing": INDEXING, "shape and gather": SHAPES, "pointwise": POINTWISE,
            "functional, modules and init": FUNCTIONAL, "autograd": AUTOGRAD, "bool kernels": BOOL,
            "argument types": ARGUMENTS}
CASES = [(family, name, fn) for family, table in FAMILIES.items() for name, fn in table.items()]


@pytest.mark.parametrize("family, name, fn", CASES, ids=[f"{family}: {name}" for family, name, _ in CASES])
def test_bad_call_raises_as_torch(family, name, fn):
    assert_same_error(fn, message=name not in CLASS_ONLY)


# ---- losses: shapes that differ warn, shapes that do not broadcast fail -------------------------------------------

POINTWISE_LOSSES = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"]


@pytest.mark.parametrize("name", POINTWISE_LOSSES)
@pytest.mark.parametrize("target_shape", [(4, 5), (3, 2)])
def test_loss_with_shapes_that_do_not_broadcast(name, target_shape):
    assert_same_error(lambda lib: getattr(_f(lib), name)(A(lib), lib.ones(*target_shape)))


@pytest.mark.parametrize("name", POINTWISE_LOSSES)
def test_loss_module_with_shapes_that_do_not_broadcast(name):
    module = {"mse_loss": "MSELoss", "l1_loss": "L1Loss", "smooth_l1_loss": "SmoothL1Loss", "huber_loss": "HuberLoss"}
    assert_same_error(lambda lib: getattr(lib.nn, module[name])()(A(lib), lib.ones(4, 5)))


@pytest.mark.parametrize("name", POINTWISE_LOSSES)
@pytest.mark.parametrize("target_shape", [(3,), (2, 1), (1, 2, 3)])
def test_loss_with_a_broadcastable_target_warns_as_torch(name, target_shape):
    messages = []
    for lib in (torch, glasstorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(_f(lib), name)(lib.ones(2, 3), lib.zeros(*target_shape))
        messages.append([str(w.message).replace("torch.", "glasstorch.") if lib is torch else str(w.message)
                         for w in caught])
    assert messages[0] and messages[1] == messages[0]


@pytest.mark.parametrize("case", ["int input, float target", "float input, int target", "int input, double target"])
@pytest.mark.parametrize("name", POINTWISE_LOSSES + ["binary_cross_entropy"])
def test_loss_dtype_mixes_match_torch(name, case):
    """torch promotes an int input with a float target for some losses and refuses it for others."""
    def make(lib):
        x, y = {"int input, float target": (I64(lib), A(lib) * 0.5), "float input, int target": (A(lib) * 0.5, I64(lib)),
                "int input, double target": (I64(lib), A(lib).double() * 0.5)}[case]
        return getattr(_f(lib), name)(x, y)
    theirs, ours = _raised(make, torch), _raised(make, glasstorch)
    assert (theirs is None) == (ours is None), f"torch: {theirs!r}, glasstorch: {ours!r}"
    if theirs is not None:
        assert type(ours).__name__ == type(theirs).__name__ and _first_line(ours) == _first_line(theirs)
    else:
        assert str(make(glasstorch).dtype).split(".")[-1] == str(make(torch).dtype).split(".")[-1]


def test_bce_target_out_of_range():
    assert_same_error(lambda lib: _f(lib).binary_cross_entropy(A(lib) * 0.5, A(lib) * 2))


def test_bce_with_logits_pos_weight_shape():
    assert_same_error(lambda lib: _f(lib).binary_cross_entropy_with_logits(A(lib), A(lib), pos_weight=lib.ones(4)))


def test_sizes_that_torch_accepts_still_work():
    """The stricter size checks keep what torch allows: Size objects, lists, 0-dim int tensors, zero sizes."""
    for lib in (torch, glasstorch):
        assert tuple(lib.zeros(lib.Size([2, 0])).shape) == (2, 0)
        assert tuple(lib.ones([2, 3]).shape) == (2, 3)
        assert tuple(lib.rand(lib.tensor(3)).shape) == (3,)
        assert tuple(lib.full([2], 1.5).shape) == (2,)
        assert tuple(lib.arange(0, 1, 0.25).shape) == (4,)
        assert tuple(lib.arange(5, 0, -1).shape) == (5,)


def test_weighted_sampler_without_replacement_fails_when_drawn_as_torch():
    """torch builds the sampler and raises only when it draws more samples than there are weights."""
    samplers = [lib.utils.data.WeightedRandomSampler([1.0, 2.0], 10, replacement=False) for lib in (torch, glasstorch)]
    assert [len(s) for s in samplers] == [10, 10]
    assert_same_error(lambda lib: list(samplers[lib is glasstorch]))
