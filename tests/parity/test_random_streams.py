"""Same seed, same numbers: glasstorch's random streams against torch's, bit for bit (float32 and float64), and the
generator's 5056-byte state equal after every draw (so the two continue identically)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402

SIZES = [0, 1, 3, 15, 16, 17, 100, 1000, 10007]
SEEDS = [0, 1, 42, 2147483647]
FLOATS = ["float32", "float64"]


def _array(t) -> np.ndarray:
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def same_stream(ours, theirs, seed: int = 0) -> None:
    """Runs ``ours(generator)`` and ``theirs(generator)`` from the same seed: equal bits, dtype, shape and state."""
    g, t = glasstorch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    a, b = ours(g), theirs(t)
    pairs = zip(a, b) if isinstance(a, (list, tuple)) else [(a, b)]
    for x, y in pairs:
        x, y = _array(x), _array(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x.shape, y.shape, x.dtype, y.dtype)
        if x.dtype.kind == "f":
            x, y = x.view(f"u{x.itemsize}"), y.view(f"u{y.itemsize}")
        mismatches = int(np.count_nonzero(x != y))
        assert mismatches == 0, f"{mismatches} of {x.size} differ"
    assert np.array_equal(g.get_state().numpy(), t.get_state().numpy())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_rand_randn_and_their_in_place_forms(dtype, n, seed):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)
    same_stream(lambda g: glasstorch.rand(n, generator=g, dtype=G), lambda t: torch.rand(n, generator=t, dtype=T), seed)
    same_stream(lambda g: glasstorch.randn(n, generator=g, dtype=G), lambda t: torch.randn(n, generator=t, dtype=T),
                seed)
    same_stream(lambda g: glasstorch.empty(n, dtype=G).uniform_(-2.5, 0.75, generator=g),
                lambda t: torch.empty(n, dtype=T).uniform_(-2.5, 0.75, generator=t), seed)
    same_stream(lambda g: glasstorch.empty(n, dtype=G).normal_(1.5, 0.3, generator=g),
                lambda t: torch.empty(n, dtype=T).normal_(1.5, 0.3, generator=t), seed)


@pytest.mark.parametrize("dtype", FLOATS)
def test_the_cached_second_normal_and_the_16_wide_path_that_ignores_it(dtype):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)

    def draws(lib, gen, D):
        # 3 draws leave r·sin θ cached; the next 3 start with it; 20 take the 16-wide path (cache untouched); 1 uses it
        return [lib.randn(3, generator=gen, dtype=D), lib.randn(3, generator=gen, dtype=D),
                lib.randn(20, generator=gen, dtype=D), lib.randn(1, generator=gen, dtype=D),
                lib.randn(1, generator=gen, dtype=D)]
    for seed in SEEDS:
        same_stream(lambda g: draws(glasstorch, g, G), lambda t: draws(torch, t, T), seed)


def test_non_contiguous_tensors_fill_in_memory_order_through_the_pairs_path():
    same_stream(lambda g: glasstorch.empty(6, 5).t().normal_(generator=g), lambda t: torch.empty(6, 5).t().normal_(generator=t))
    same_stream(lambda g: glasstorch.empty(6, 5).t().uniform_(generator=g),
                lambda t: torch.empty(6, 5).t().uniform_(generator=t))


@pytest.mark.parametrize("n", SIZES)
def test_randperm_and_randint(n):
    for seed in SEEDS:
        same_stream(lambda g: glasstorch.randperm(n, generator=g), lambda t: torch.randperm(n, generator=t), seed)
        same_stream(lambda g: glasstorch.randint(-5, 17, (n,), generator=g),
                    lambda t: torch.randint(-5, 17, (n,), generator=t), seed)
    same_stream(lambda g: glasstorch.randint(0, 2 ** 40, (n,), generator=g),
                lambda t: torch.randint(0, 2 ** 40, (n,), generator=t))
    same_stream(lambda g: glasstorch.randint(0, 10, (n,), dtype=glasstorch.float32, generator=g),
                lambda t: torch.randint(0, 10, (n,), dtype=torch.float32, generator=t))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"])
def test_random_(dtype):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)
    same_stream(lambda g: glasstorch.empty(100, dtype=G).random_(generator=g),
                lambda t: torch.empty(100, dtype=T).random_(generator=t))
    if dtype != "bool":
        same_stream(lambda g: glasstorch.empty(100, dtype=G).random_(3, 9, generator=g),
                    lambda t: torch.empty(100, dtype=T).random_(3, 9, generator=t))
        same_stream(lambda g: glasstorch.empty(100, dtype=G).random_(7, generator=g),
                    lambda t: torch.empty(100, dtype=T).random_(7, generator=t))


@pytest.mark.parametrize("n", [1, 3, 17, 1000])
@pytest.mark.parametrize("dtype", FLOATS)
def test_derived_distributions(dtype, n):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)
    for method, args in [("exponential_", (2.5,)), ("geometric_", (0.3,)), ("cauchy_", (0.5, 2.0)),
                         ("log_normal_", (0.5, 0.7)), ("bernoulli_", (0.3,))]:
        same_stream(lambda g: getattr(glasstorch.empty(n, dtype=G), method)(*args, generator=g),
                    lambda t: getattr(torch.empty(n, dtype=T), method)(*args, generator=t))
    same_stream(lambda g: glasstorch.empty(n, dtype=G).bernoulli_(glasstorch.full((n,), 0.4, dtype=G), generator=g),
                lambda t: torch.empty(n, dtype=T).bernoulli_(torch.full((n,), 0.4, dtype=T), generator=t))
    same_stream(lambda g: glasstorch.bernoulli(glasstorch.full((n,), 0.4, dtype=G), generator=g),
                lambda t: torch.bernoulli(torch.full((n,), 0.4, dtype=T), generator=t))


@pytest.mark.parametrize("n", [1, 3, 17, 1000])
@pytest.mark.parametrize("dtype", FLOATS)
def test_normal_overloads(dtype, n):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)
    same_stream(lambda g: glasstorch.normal(glasstorch.arange(n, dtype=G), glasstorch.full((n,), 0.3, dtype=G), generator=g),
                lambda t: torch.normal(torch.arange(n, dtype=T), torch.full((n,), 0.3, dtype=T), generator=t))
    same_stream(lambda g: glasstorch.normal(glasstorch.arange(n, dtype=G), 0.3, generator=g),
                lambda t: torch.normal(torch.arange(n, dtype=T), 0.3, generator=t))
    same_stream(lambda g: glasstorch.normal(0.7, glasstorch.full((n,), 0.3, dtype=G), generator=g),
                lambda t: torch.normal(0.7, torch.full((n,), 0.3, dtype=T), generator=t))
    same_stream(lambda g: glasstorch.normal(glasstorch.arange(n, dtype=G), generator=g),
                lambda t: torch.normal(torch.arange(n, dtype=T), generator=t))
    same_stream(lambda g: glasstorch.normal(2.0, 3.0, (n,), generator=g), lambda t: torch.normal(2.0, 3.0, (n,), generator=t))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("samples, replacement", [(1, False), (5, False), (1, True), (7, True), (100, True)])
def test_multinomial(dtype, samples, replacement):
    G, T = getattr(glasstorch, dtype), getattr(torch, dtype)
    for seed in SEEDS:
        same_stream(lambda g: glasstorch.multinomial(glasstorch.arange(1, 17, dtype=G).reshape(2, 8), samples,
                                                     replacement, generator=g),
                    lambda t: torch.multinomial(torch.arange(1, 17, dtype=T).reshape(2, 8), samples, replacement,
                                                generator=t), seed)


def test_like_factories_take_the_generator():
    x = glasstorch.zeros(5, 4)
    y = torch.zeros(5, 4)
    same_stream(lambda g: glasstorch.rand_like(x, generator=g), lambda t: torch.rand_like(y, generator=t))
    same_stream(lambda g: glasstorch.randn_like(x, generator=g), lambda t: torch.randn_like(y, generator=t))
    same_stream(lambda g: glasstorch.randint_like(x, 3, 9, generator=g), lambda t: torch.randint_like(y, 3, 9, generator=t))


# ---- the generator: seeds and states ------------------------------------------------------------------------------

def test_a_new_generator_starts_from_torchs_default_seed_and_the_default_one_does_not():
    assert glasstorch.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721
    assert glasstorch.Generator().device == glasstorch.device("cpu")
    assert glasstorch.default_generator.initial_seed() != 67280421310721 or glasstorch.initial_seed() is not None


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 + 5, 2 ** 64 - 1, -1, -2 ** 63])
def test_manual_seed_states_are_torchs_bytes(seed):
    ours = glasstorch.Generator().manual_seed(seed)
    theirs = torch.Generator().manual_seed(seed)
    assert ours.initial_seed() == theirs.initial_seed()
    assert np.array_equal(ours.get_state().numpy(), theirs.get_state().numpy())
    assert ours.get_state().numpy().size == 5056


@pytest.mark.parametrize("warmup", [0, 1, 3, 623, 624, 625, 5000])
def test_states_cross_between_the_libraries_both_ways(warmup):
    theirs = torch.Generator().manual_seed(7)
    torch.randint(0, 2 ** 31, (warmup,), generator=theirs)
    torch.randn(3, generator=theirs)  # a cached normal travels in the state too
    ours = glasstorch.Generator().set_state(glasstorch.tensor(theirs.get_state().numpy()))
    same = (glasstorch.randn(5, generator=ours).numpy(), torch.randn(5, generator=theirs).numpy())
    assert np.array_equal(*same)
    back = torch.Generator()
    back.set_state(torch.from_numpy(ours.get_state().numpy().copy()))
    assert np.array_equal(glasstorch.rand(700, generator=ours).numpy(), torch.rand(700, generator=back).numpy())
    ours.set_state(theirs.get_state())  # a torch tensor is accepted as it is
    assert np.array_equal(ours.get_state().numpy(), theirs.get_state().numpy())


def test_global_functions_and_fork_rng():
    glasstorch.manual_seed(3)
    torch.manual_seed(3)
    state = glasstorch.get_rng_state()
    assert np.array_equal(state.numpy(), torch.get_rng_state().numpy())
    with glasstorch.random.fork_rng():
        glasstorch.rand(10)
    assert np.array_equal(glasstorch.get_rng_state().numpy(), state.numpy())
    assert np.array_equal(glasstorch.rand(4).numpy(), torch.rand(4).numpy())
    glasstorch.set_rng_state(state)
    assert np.array_equal(glasstorch.get_rng_state().numpy(), state.numpy())
    assert glasstorch.initial_seed() == 3
    assert glasstorch.seed() != glasstorch.seed()  # nondeterministic


def test_bad_states_and_seeds_raise_torchs_errors():
    with pytest.raises(RuntimeError, match="size 5056"):
        glasstorch.Generator().set_state(glasstorch.zeros(10, dtype=glasstorch.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        glasstorch.Generator().set_state(glasstorch.zeros(5056, dtype=glasstorch.uint8))
    with pytest.raises(ValueError, match="Overflow"):
        glasstorch.manual_seed(2 ** 64)
    with pytest.raises(ValueError):
        glasstorch.manual_seed("a")
    assert glasstorch.manual_seed(1.5).initial_seed() == torch.manual_seed(1.5).initial_seed() == 1
    with pytest.raises(RuntimeError, match="expected a long, but got float"):
        glasstorch.Generator().manual_seed(1.5)
