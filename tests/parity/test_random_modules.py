"""Same seed, same numbers, one level up: nn.init functions, the default initialisation of every layer (the order in
which a module consumes the stream), dropout and RReLU masks, the samplers, random_split and a shuffled DataLoader
over several epochs, all bitwise equal to torch after the same manual_seed."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402

SEEDS = [0, 1, 42, 2147483647]


def _arrays(result) -> list[np.ndarray]:
    items = result if isinstance(result, (list, tuple)) else [result]
    return [x.detach().numpy() if hasattr(x, "detach") else np.asarray(x) for x in items]


def same_after_seed(ours, theirs, seeds=SEEDS) -> None:
    """``ours()`` after glasstorch.manual_seed(s) equals ``theirs()`` after torch.manual_seed(s), bit for bit, and
    the default generators end in the same state."""
    for seed in seeds:
        glasstorch.manual_seed(seed)
        torch.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a, b = _arrays(ours()), _arrays(theirs())
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert x.shape == y.shape and x.dtype == y.dtype, (x.shape, y.shape, x.dtype, y.dtype)
            assert np.array_equal(x, y), f"seed {seed}: {int(np.count_nonzero(x != y))} of {x.size} differ"
        assert np.array_equal(glasstorch.get_rng_state().numpy(), torch.get_rng_state().numpy()), seed


INITS = [("uniform_", (-0.3, 0.7)), ("normal_", (0.2, 0.5)), ("xavier_uniform_", ()), ("xavier_normal_", (0.8,)),
         ("kaiming_uniform_", ()), ("kaiming_normal_", (0.1, "fan_out")), ("trunc_normal_", ()),
         ("trunc_normal_", (0.0, 1.0, 0.5, 0.7))]  # (the last: the narrow, rejection-by-uniforms branch)


@pytest.mark.parametrize("shape", [(3, 5), (20, 30), (64, 3, 3, 3)], ids=str)
@pytest.mark.parametrize("name, args", INITS, ids=[f"{n}{a}" for n, a in INITS])
def test_init_functions(name, args, shape):
    same_after_seed(lambda: getattr(glasstorch.nn.init, name)(glasstorch.empty(*shape), *args),
                    lambda: getattr(torch.nn.init, name)(torch.empty(*shape), *args))


def test_init_functions_take_a_generator():
    g, t = glasstorch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    for name in ("uniform_", "normal_", "xavier_uniform_", "kaiming_normal_", "trunc_normal_"):
        ours = getattr(glasstorch.nn.init, name)(glasstorch.empty(9, 7), generator=g)
        theirs = getattr(torch.nn.init, name)(torch.empty(9, 7), generator=t)
        assert np.array_equal(ours.numpy(), theirs.numpy()), name


def test_sparse_init():
    same_after_seed(lambda: glasstorch.nn.init.sparse_(glasstorch.empty(10, 6), 0.3),
                    lambda: torch.nn.init.sparse_(torch.empty(10, 6), 0.3))


@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (8, 2, 3)], ids=str)
def test_orthogonal_draws_torchs_normals_and_agrees_to_qr_rounding(shape):
    for seed in SEEDS:
        glasstorch.manual_seed(seed)
        torch.manual_seed(seed)
        ours = glasstorch.nn.init.orthogonal_(glasstorch.empty(*shape), gain=1.5).numpy()
        theirs = torch.nn.init.orthogonal_(torch.empty(*shape), gain=1.5).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-6)  # QR: float64 here, LAPACK float32 in torch
        assert np.array_equal(glasstorch.get_rng_state().numpy(), torch.get_rng_state().numpy())


MODULES = [("Linear", (7, 5)), ("Linear", (300, 200)), ("Linear", (4, 3, False)), ("Conv1d", (3, 8, 3)),
           ("Conv2d", (3, 8, 3)), ("Conv2d", (4, 6, 5, 2, 1, 1, 2)), ("RNN", (5, 7)), ("RNN", (5, 7, 2)),
           ("LSTM", (5, 7, 2)), ("GRU", (5, 7)), ("RNNCell", (5, 7)), ("LSTMCell", (5, 7)), ("GRUCell", (5, 7)),
           ("Embedding", (10, 4)), ("BatchNorm1d", (5,)), ("BatchNorm2d", (3,)), ("LayerNorm", (5,)),
           ("GroupNorm", (2, 4)), ("PReLU", ()), ("InstanceNorm1d", (3, 1e-5, 0.1, True))]


@pytest.mark.parametrize("name, args", MODULES, ids=[f"{n}{a}" for n, a in MODULES])
def test_default_initialisation_of_every_layer(name, args):
    same_after_seed(lambda: list(getattr(glasstorch.nn, name)(*args).parameters()),
                    lambda: list(getattr(torch.nn, name)(*args).parameters()))


def test_a_network_initialises_layer_by_layer_in_torchs_order():
    def net(lib):
        nn = lib.nn
        return list(nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 26 * 26, 32),
                                  nn.Dropout(0.2), nn.Linear(32, 10)).parameters())
    same_after_seed(lambda: net(glasstorch), lambda: net(torch))


# ---- dropout and RReLU ---------------------------------------------------------------------------------------------

X = np.random.default_rng(0).standard_normal((4, 6, 5, 5)).astype(np.float32)
DROPOUTS = [("dropout", X, {"p": 0.3}), ("dropout", X.astype(np.float64), {"p": 0.7}),
            ("dropout1d", X[:, :, :, 0], {"p": 0.3}), ("dropout2d", X, {"p": 0.3}), ("dropout3d", X[None], {"p": 0.3}),
            ("alpha_dropout", X, {"p": 0.3, "training": True}),
            ("feature_alpha_dropout", X, {"p": 0.3, "training": True}), ("rrelu", X, {"training": True}),
            ("rrelu", X.astype(np.float64), {"lower": 0.05, "upper": 0.4, "training": True})]


@pytest.mark.parametrize("name, x, kwargs", DROPOUTS, ids=[f"{n}-{x.dtype}" for n, x, _ in DROPOUTS])
def test_dropout_masks_and_rrelu_slopes(name, x, kwargs):
    same_after_seed(lambda: getattr(glasstorch.nn.functional, name)(glasstorch.tensor(x), **kwargs),
                    lambda: getattr(torch.nn.functional, name)(torch.tensor(x), **kwargs))


@pytest.mark.parametrize("name", ["Dropout", "Dropout1d", "Dropout2d", "AlphaDropout", "FeatureAlphaDropout", "RReLU"])
def test_dropout_modules_in_training(name):
    x = X if name != "Dropout1d" else X[:, :, :, 0]
    same_after_seed(lambda: getattr(glasstorch.nn, name)()(glasstorch.tensor(x)),
                    lambda: getattr(torch.nn, name)()(torch.tensor(x)))


# ---- samplers, random_split, DataLoader ----------------------------------------------------------------------------

def _both(make):
    return make(glasstorch), make(torch)


@pytest.mark.parametrize("kwargs", [{}, {"num_samples": 25}, {"num_samples": 20}, {"replacement": True},
                                    {"replacement": True, "num_samples": 70}], ids=str)
def test_random_sampler(kwargs):
    same_after_seed(lambda: [list(glasstorch.utils.data.RandomSampler(range(10), **kwargs)) for _ in range(3)],
                    lambda: [list(torch.utils.data.RandomSampler(range(10), **kwargs)) for _ in range(3)])
    g, t = glasstorch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    ours = [list(glasstorch.utils.data.RandomSampler(range(10), generator=g, **kwargs)) for _ in range(3)]
    assert ours == [list(torch.utils.data.RandomSampler(range(10), generator=t, **kwargs)) for _ in range(3)]


def test_random_sampler_with_replacement_is_lazy():
    sampler = glasstorch.utils.data.RandomSampler(range(10), replacement=True, num_samples=int(1e10))
    assert len(sampler) == int(1e10)
    glasstorch.manual_seed(0)
    torch.manual_seed(0)
    head = [i for _, i in zip(range(100), sampler)]  # chunks of 32; nothing of size 1e10 is ever built
    assert head == [i for _, i in zip(range(100), torch.utils.data.RandomSampler(range(10), replacement=True,
                                                                                  num_samples=int(1e10)))]


def test_subset_and_weighted_samplers_and_random_split():
    same_after_seed(lambda: list(glasstorch.utils.data.SubsetRandomSampler([3, 9, 4, 7, 1])),
                    lambda: list(torch.utils.data.SubsetRandomSampler([3, 9, 4, 7, 1])))
    weights = [0.1, 0.5, 2.0, 0.0, 1.0]
    for replacement in (True, False):
        same_after_seed(lambda: list(glasstorch.utils.data.WeightedRandomSampler(weights, 4, replacement)),
                        lambda: list(torch.utils.data.WeightedRandomSampler(weights, 4, replacement)))
    same_after_seed(lambda: [list(s) for s in glasstorch.utils.data.random_split(range(10), [3, 7])],
                    lambda: [list(s) for s in torch.utils.data.random_split(range(10), [3, 7])])
    g, t = glasstorch.Generator().manual_seed(42), torch.Generator().manual_seed(42)
    assert ([list(s) for s in glasstorch.utils.data.random_split(range(30), [0.3, 0.3, 0.4], generator=g)]
            == [list(s) for s in torch.utils.data.random_split(range(30), [0.3, 0.3, 0.4], generator=t)])


@pytest.mark.parametrize("n, batch_size, with_generator", [(30, 4, False), (100, 16, False), (7, 3, True),
                                                          (100, 16, True)])
def test_shuffled_dataloader_gives_torchs_batches_epoch_after_epoch(n, batch_size, with_generator):
    def epochs(lib):
        data = lib.utils.data.TensorDataset(lib.arange(n * 2, dtype=lib.float32).reshape(n, 2), lib.arange(n))
        generator = lib.Generator().manual_seed(9) if with_generator else None
        loader = lib.utils.data.DataLoader(data, batch_size=batch_size, shuffle=True, generator=generator)
        out = []
        for _ in range(4):
            out.append([y.tolist() for _, y in loader])
            out.append(lib.rand(2).tolist())  # the training step's own draws in between
        return out
    for seed in SEEDS:
        glasstorch.manual_seed(seed)
        torch.manual_seed(seed)
        assert epochs(glasstorch) == epochs(torch)
        assert np.array_equal(glasstorch.get_rng_state().numpy(), torch.get_rng_state().numpy())
