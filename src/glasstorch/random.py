"""Random number generation: torch's CPU generator, bit for bit.

A ``Generator`` is the 32-bit Mersenne Twister MT19937 of ``aten/src/ATen/core/MT19937RNGEngine.h``, seeded with
``init_genrand(seed & 0xffffffff)``; NumPy's own ``MT19937`` bit generator, seeded the legacy way, produces the same
words, so it does the twisting here. On top of the words, ``glasstorch._random_kernels`` turns them into uniforms,
normals, integers and permutations with torch's recipes (design/RNG.md). After ``manual_seed(s)`` glasstorch draws the
numbers torch 2.13 draws on an x86-64 CPU, and ``get_rng_state()`` is torch's 5056-byte layout, so a state saved by one
loads into the other and the stream continues.

- ``random()``: one 32-bit word; ``random64()``: two words, ``(first << 32) | second`` (``CPUGeneratorImpl.cpp``).
- The default generator starts from a nondeterministic seed each process; a ``Generator()`` made by the user starts
  from torch's ``default_rng_seed_val`` = 67280421310721.
- ``manual_seed`` also forgets the cached second normal of the Box–Muller pair (see ``_random_kernels.normal``).
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from ._backend import np
from ._device import device as _device
from .autograd.tensor_base import wrap

DEFAULT_SEED = 67280421310721  # c10::detail::default_rng_seed_val
STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
_N = 624  # MERSENNE_STATE_N

# CPUGeneratorImplState: the legacy THGeneratorState (seed, left, seeded, next, 624 uint64 words, three doubles for the
# old normal cache, an int flag) followed by the float normal cache and its flag; byte offsets of the x86-64 layout.
_STATE_LAYOUT = np.dtype({
    "names": ["seed", "left", "seeded", "next", "state", "normal_x", "normal_y", "normal_rho", "normal_is_valid",
              "next_float_normal_sample", "is_next_float_normal_sample_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", (_N,)), "<f8", "<f8", "<f8", "<i4", "<f4", "u1"],
    "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
    "itemsize": STATE_SIZE,
})


def _nondeterministic_seed() -> int:
    """A fresh seed as ``c10::detail::getNonDeterministicRandom`` makes one: 53 random bits."""
    return int.from_bytes(os.urandom(8), "little") & ((1 << 53) - 1)


class Generator:
    """A seeded MT19937 stream, passable as ``generator=`` wherever torch accepts one (``torch.Generator``).

    ``Generator()`` starts from seed 67280421310721, as torch's does."""

    __slots__ = ("_engine", "_seed", "_fresh", "next_double_normal", "next_float_normal")

    def __init__(self, device: str = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"{str(device).upper()} device type not an accelerator.")
        self._engine = np.random.MT19937()
        self.manual_seed(DEFAULT_SEED)

    @property
    def device(self):
        return _device("cpu")

    def manual_seed(self, seed: int) -> "Generator":
        """Seeds with any integer in [-2**63, 2**64) (a negative seed is read as its unsigned 64-bit twin, as torch
        does: ``initial_seed()`` then gives seed + 2**64); a non-integer is torch's RuntimeError, out of range its
        ValueError. The engine takes the low 32 bits
        (``init_genrand``); the cached normal is forgotten."""
        if isinstance(seed, bool) or not hasattr(seed, "__index__"):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -2 ** 63 <= seed < 2 ** 64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed & 0xFFFFFFFFFFFFFFFF
        self._engine._legacy_seeding(self._seed & 0xFFFFFFFF)
        self._fresh = True
        self.next_double_normal = None
        self.next_float_normal = None
        return self

    def seed(self) -> int:
        """Re-seeds from a nondeterministic source and returns the seed used."""
        value = _nondeterministic_seed()
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        return self._seed

    # --- the words -----------------------------------------------------------------------------------------------
    def random(self, n: int) -> np.ndarray:
        """n consecutive 32-bit words (``CPUGeneratorImpl::random``), as uint64."""
        if n:
            self._fresh = False
        return self._engine.random_raw(n)

    def random64(self, n: int) -> np.ndarray:
        """n 64-bit draws (``random64``): two words each, the first in the high half."""
        if n:
            self._fresh = False
        words = self._engine.random_raw(2 * n)
        return (words[0::2] << np.uint64(32)) | words[1::2]

    # --- state ---------------------------------------------------------------------------------------------------
    def get_state(self):
        """The state as torch's 5056-byte uint8 tensor (``CPUGeneratorImpl::get_state``)."""
        engine = self._engine.state["state"]
        record = np.zeros((), dtype=_STATE_LAYOUT)
        position = int(engine["pos"])
        record["seed"] = self._seed
        record["left"] = _N + 1 - position
        record["seeded"] = 1
        record["next"] = 0 if (self._fresh and position == _N) else position
        record["state"] = np.asarray(engine["key"], dtype=np.uint64)
        if self.next_double_normal is not None:
            record["normal_is_valid"] = 1
            record["normal_y"] = self.next_double_normal
        if self.next_float_normal is not None:
            record["is_next_float_normal_sample_valid"] = 1
            record["next_float_normal_sample"] = self.next_float_normal
        return wrap(np.frombuffer(record.tobytes(), dtype=np.uint8).copy())

    def set_state(self, new_state) -> "Generator":
        """Loads a state from ``get_state`` here or in torch (``CPUGeneratorImpl::set_state``)."""
        array = new_state.numpy() if hasattr(new_state, "numpy") else np.asarray(new_state)
        if array.dtype != np.uint8:
            raise TypeError(f"expected a torch.ByteTensor, but got {getattr(new_state, 'dtype', array.dtype)}")
        if array.size != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input RNG state "
                               f"size to be {array.size}")
        record = np.frombuffer(np.ascontiguousarray(array).tobytes(), dtype=_STATE_LAYOUT)[0]
        left, next_word = int(record["left"]), int(record["next"])
        if not (int(record["seeded"]) and 0 < left <= _N and next_word <= _N):
            raise RuntimeError("Invalid mt19937 state")
        self._engine.state = {"bit_generator": "MT19937",
                              "state": {"key": (record["state"] & 0xFFFFFFFF).astype(np.uint32),
                                        "pos": _N + 1 - left}}
        self._seed = int(record["seed"])
        self._fresh = next_word == 0 and left == 1
        self.next_double_normal = float(record["normal_y"]) if int(record["normal_is_valid"]) else None
        self.next_float_normal = (float(record["next_float_normal_sample"])
                                  if int(record["is_next_float_normal_sample_valid"]) else None)
        return self

    def __repr__(self) -> str:
        return f"<glasstorch.Generator object at {hex(id(self))}>"


default_generator = Generator()
default_generator.seed()


def manual_seed(seed: int) -> Generator:
    """Seeds the default generator (``torch.manual_seed``) and returns it; the seed goes through ``int()`` first, as
    torch's does (1.5 seeds as 1, True as 1, and a string raises int()'s ValueError)."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seeds the default generator from a nondeterministic source and returns that seed."""
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state, torch's 5056-byte uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, _caller: str = "fork_rng", _devices_kw: str = "devices",
             device_type: str = "cuda") -> Iterator[None]:
    """Runs the block and then restores the default generator's state (``torch.random.fork_rng``); CPU only, so
    ``devices`` has nothing to fork."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def generator_or_default(generator: Generator | None) -> Generator:
    """``generator`` itself, or the default generator when None; anything else raises torch's TypeError."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a glasstorch.Generator, not {type(generator).__name__}")
    return generator
