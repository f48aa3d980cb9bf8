"""Samplers: the order in which a DataLoader visits a dataset's indices, and how it groups them into batches.

As in torch, a sampler is any iterable of indices (``BatchSampler``: of lists of indices). Random samplers draw from
glasstorch's generators (``generator=``, or the default one that ``glasstorch.manual_seed`` seeds) with torch's
recipes, so after the same seed the orders are torch's (``torch/utils/data/sampler.py``).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

from ..._backend import np
from ... import _random_kernels as K
from ..._creation_random import multinomial as _multinomial
from ...autograd.tensor_base import wrap as _wrap
from ...random import Generator, default_generator, generator_or_default

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler",
           "WeightedRandomSampler"]

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class of samplers: subclasses define ``__iter__`` (and usually ``__len__``, which ``len(loader)`` uses).

    No default ``__len__`` on purpose (as torch): ``len()`` of a sampler without one is Python's TypeError.
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """0, 1, …, len(data_source) − 1, in order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _index_array(self) -> np.ndarray:
        return np.arange(len(self.data_source), dtype=np.int64)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random order of the indices: a fresh permutation each epoch (``replacement=False``), or ``num_samples`` draws
    with replacement. Without replacement and ``num_samples`` > len, whole permutations follow each other and the
    last one is cut short, as torch does.

    Each ``iter()`` draws from ``generator`` (default: glasstorch's default generator).
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _epoch_generator(self) -> Generator:
        """``generator``, or (torch's rule when none was given) a fresh Generator seeded with an int64 ``random_()``
        drawn from the default generator: 2 words of the global stream per epoch, whatever the dataset size."""
        if self.generator is not None:
            return self.generator
        seed = int(K.random_(default_generator, (), np.int64))
        return Generator().manual_seed(seed)

    def _index_array(self) -> np.ndarray:
        """One epoch's indices without replacement as an int64 array (``__iter__`` yields exactly these): a randperm
        per whole pass, and one more cut to ``num_samples % n`` (drawn even when that is 0, as torch does)."""
        n = len(self.data_source)
        generator = self._epoch_generator()
        whole, rest = divmod(self.num_samples, n)
        parts = [K.randperm(generator, n) for _ in range(whole)]
        parts.append(K.randperm(generator, n)[:rest])
        return np.concatenate(parts)

    def __iter__(self) -> Iterator[int]:
        if not self.replacement:
            yield from self._index_array().tolist()
            return
        n = len(self.data_source)
        generator = self._epoch_generator()
        for _ in range(self.num_samples // 32):  # lazily, 32 at a time (never all num_samples at once)
            yield from K.random_from_to(generator, (32,), np.int64, 0, n).tolist()
        yield from K.random_from_to(generator, (self.num_samples % 32,), np.int64, 0, n).tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a random order each epoch."""

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in K.randperm(generator_or_default(self.generator), len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probabilities proportional to ``weights`` (with replacement by default)."""

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Generator | None = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        weights_array = np.asarray(weights, dtype=np.float64)
        if weights_array.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {tuple(weights_array.shape)}")
        self.weights = weights_array
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        if not self.replacement and self.num_samples > self.weights.size:  # torch's multinomial says so when drawing
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        picks = _multinomial(_wrap(self.weights), self.num_samples, self.replacement, generator=self.generator)
        picks = picks._data
        yield from picks.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Groups the indices of ``sampler`` into lists of ``batch_size``; the last, shorter one is dropped when
    ``drop_last``. ``len()`` is ⌊n / batch_size⌋ with drop_last, else ⌈n / batch_size⌉.
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        while True:
            batch = list(itertools.islice(indices, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def _array_batches(self) -> Iterator[np.ndarray] | None:
        """The same batches as int64 arrays sliced from one epoch's index array, when the sampler is one of ours
        (SequentialSampler, RandomSampler without replacement) and can hand that array over; None otherwise. Lazy, like ``__iter__``:
        the epoch's order is drawn at the first ``next()``."""
        if type(self.sampler) not in (SequentialSampler, RandomSampler) or getattr(self.sampler, "replacement", False):
            return None
        return self._slices()

    def _slices(self) -> Iterator[np.ndarray]:
        order = self.sampler._index_array()
        stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
        for start in range(0, stop, self.batch_size):
            yield order[start:start + self.batch_size]

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
