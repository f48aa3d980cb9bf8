"""Random number generation: a default Generator seeded by ``manual_seed``, and explicit ``Generator`` objects.

The streams come from NumPy's PCG64, so seeded runs repeat exactly, but the numbers differ from torch's
Mersenne-Twister streams: ``manual_seed(0)`` makes glasstorch reproducible, not identical to torch.
"""
from __future__ import annotations

import json
import time

from ._backend import np


class Generator:
    """A seeded source of random numbers, passable as ``generator=`` wherever torch accepts one."""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self.manual_seed(67280421310721)  # torch's default seed for a new Generator

    def manual_seed(self, seed: int) -> "Generator":
        """Seeds with any integer in [-2**63, 2**64) (a negative seed is read as its unsigned 64-bit twin, as torch
        does: ``initial_seed()`` then gives seed + 2**64); others raise torch's ValueError."""
        seed = int(seed)
        if not -2 ** 63 <= seed < 2 ** 64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed & 0xFFFFFFFFFFFFFFFF
        self.numpy = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def seed(self) -> int:
        """Re-seeds from a non-deterministic source and returns the seed used."""
        self.manual_seed(time.time_ns() & 0xFFFFFFFFFFFF)
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor-like array (opaque, for set_state)."""
        return np.frombuffer(json.dumps(self.numpy.bit_generator.state).encode(), dtype=np.uint8).copy()

    def set_state(self, state) -> None:
        array = state.numpy() if hasattr(state, "numpy") else np.asarray(state)
        self.numpy.bit_generator.state = json.loads(bytes(array.astype(np.uint8)).decode())


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seeds the default generator (``torch.manual_seed``) and returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state) -> None:
    default_generator.set_state(state)


def numpy_generator(generator: Generator | None) -> np.random.Generator:
    """The NumPy generator behind ``generator`` (the default one when None)."""
    return (generator or default_generator).numpy
