"""DataLoader: iterate a dataset in (shuffled) mini-batches, with torch's default collation and ``len()`` rule.

``for x, y in DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)`` is the course's training loop. Each
epoch the sampler gives an order of indices (``SequentialSampler``, or ``RandomSampler`` when ``shuffle``), the
``BatchSampler`` cuts it into batches, and ``collate_fn`` (``default_collate``) turns a list of samples into batch
tensors.

Fast path: when the dataset is a ``TensorDataset`` (or a ``Subset`` of one, e.g. from ``random_split``) and the
collation is the default, a batch is fetched with ONE indexing operation per tensor (``X[batch_indices]``) instead of
indexing each sample and stacking them; the result is identical. With batches of 8 the per-sample path would spend most
of its time in Python.

Differences from torch: there are no worker processes: ``num_workers > 0`` is accepted and loads in the main process
(same batches, same order); ``worker_init_fn`` is then never called and ``get_worker_info()`` is None. ``pin_memory``
is accepted and does nothing (CPU only).
"""
from __future__ import annotations

import collections.abc
import copy
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..._backend import np
from ..._creation import as_tensor, tensor
from ..._dtype import float64
from ..._functional import stack
from ..._tensor import Tensor
from ...autograd.tensor_base import wrap
from ... import _random_kernels as K
from ...random import Generator, generator_or_default
from .dataset import Dataset, IterableDataset, Subset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]

_STRING_OR_OBJECT_ARRAY = re.compile(r"[SaUO]")
_COLLATE_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def get_worker_info() -> None:
    """Always None: glasstorch loads data in the main process."""
    return None


# ---- collation -------------------------------------------------------------------------------------------------------

def default_collate(batch: list) -> Any:
    """Turns a list of samples into a batch, recursively, as torch's ``default_collate``:

    * tensors → stacked along a new first dimension (shapes must match: torch's ``stack`` error otherwise);
    * NumPy arrays → tensors, then stacked; NumPy scalars → a tensor of their dtype;
    * Python floats → a float64 tensor (torch's rule, not the float32 default); ints → int64; bools → bool;
    * str and bytes → left as they are (the batch itself);
    * dicts (Mappings) → the same kind of dict, each key collated over the batch;
    * namedtuples → the same namedtuple of collated fields; tuples → a LIST of collated fields (torch's backward
      compatibility: ``for x, y in loader`` unpacks either); other sequences → the same type, per position
      (all samples must have the same length: RuntimeError otherwise);
    * anything else → TypeError.
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack_tensors(batch)
    if isinstance(elem, np.ndarray):
        if _STRING_OR_OBJECT_ARRAY.search(elem.dtype.str) is not None:
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        return default_collate([as_tensor(array) for array in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return wrap(np.array(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return _like_mapping(elem, {key: default_collate([sample[key] for sample in batch]) for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        collated = [default_collate(samples) for samples in zip(*batch)]
        return collated if isinstance(elem, tuple) else _like_sequence(elem, collated)
    raise TypeError(_COLLATE_ERROR.format(type(elem)))


def _stack_tensors(batch: list) -> Tensor:
    first = batch[0]._data
    if all(isinstance(t, Tensor) and not t.requires_grad and t._data.shape == first.shape and
           t._data.dtype == first.dtype for t in batch):
        return wrap(np.stack([t._data for t in batch]))
    return stack(batch)  # autograd, type promotion and torch's size-mismatch error


def _like_mapping(elem, converted: dict):
    """``converted`` in a mapping of ``elem``'s type (a copy of a mutable one, updated), or the dict itself when that
    type cannot be built from it."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(converted)
            return clone
        return type(elem)(converted)
    except TypeError:
        return converted


def _like_sequence(elem, items: list):
    """``items`` in a sequence of ``elem``'s type (a copy of a mutable one, filled in), or the list itself when that
    type cannot be built from it."""
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, value in enumerate(items):
                clone[i] = value
            return clone
        return type(elem)(items)
    except TypeError:
        return items


def default_convert(data: Any) -> Any:
    """What a DataLoader with ``batch_size=None`` applies to each sample: NumPy arrays and scalars become tensors
    (arrays share memory), containers are converted recursively (tuples become lists, as torch does), anything else
    is returned unchanged."""
    if isinstance(data, Tensor):
        return data
    if type(data).__module__ == "numpy" and not isinstance(data, (np.str_, np.bytes_)):
        if isinstance(data, np.ndarray) and _STRING_OR_OBJECT_ARRAY.search(data.dtype.str) is not None:
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _like_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _like_sequence(data, [default_convert(d) for d in data])
    return data


# ---- the loader --------------------------------------------------------------------------------------------------------

class DataLoader:
    """Iterates ``dataset`` in batches: ``DataLoader(dataset, batch_size=1, shuffle=False, sampler=None,
    batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
    worker_init_fn=None, multiprocessing_context=None, generator=None, *, prefetch_factor=None,
    persistent_workers=False, pin_memory_device="", in_order=True)`` (torch's signature and defaults).

    * ``shuffle=True`` draws a new order every epoch from ``generator`` (default: glasstorch's default generator, so
      ``glasstorch.manual_seed`` makes runs repeat); every index appears exactly once per epoch.
    * ``drop_last=True`` drops the last batch when it is smaller than ``batch_size``.
    * ``len(loader)`` is the number of batches: ⌈n / batch_size⌉, or ⌊n / batch_size⌋ with ``drop_last``
      (an IterableDataset: the same from ``len(dataset)``).
    * ``batch_size=None`` turns batching off: each sample goes through ``default_convert`` alone.
    * Errors as torch: ``batch_size`` < 1 and a ``sampler`` together with ``shuffle`` are ValueErrors, shuffling a
      dataset without ``__len__`` is Python's TypeError, ``batch_sampler`` excludes batch_size/shuffle/sampler/drop_last.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable[[list], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context=None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True) -> None:
        prefetch_factor = _checked_worker_options(num_workers, timeout, prefetch_factor, persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self.persistent_workers = persistent_workers

        self._iterable = isinstance(dataset, IterableDataset)
        shuffle, batch_size, drop_last = _checked_batching(self._iterable, shuffle, sampler, batch_sampler, batch_size,
                                                           drop_last)
        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._initialized = True

    def __setattr__(self, name: str, value) -> None:
        if getattr(self, "_initialized", False) and name in ("batch_size", "batch_sampler", "sampler", "drop_last",
                                                              "dataset", "persistent_workers"):
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None or (self._iterable and self.batch_size is not None)

    @property
    def _index_sampler(self):
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def __iter__(self) -> _DataLoaderIterator:
        return _DataLoaderIterator(self)


class _DataLoaderIterator:
    """One pass (epoch) over a DataLoader; ``len()`` is the loader's."""

    def __init__(self, loader: DataLoader) -> None:
        self._loader = loader
        self._batches = self._generate()
        self._base_seed = _draw_base_seed(loader)  # (a draw torch makes each epoch: the random streams stay in step)

    def __iter__(self) -> _DataLoaderIterator:
        return self

    def __next__(self):
        return next(self._batches)

    def __len__(self) -> int:
        return len(self._loader)

    def _generate(self) -> Iterator:
        loader = self._loader
        if loader._iterable:
            yield from _iterable_batches(loader)
            return
        dataset, collate_fn = loader.dataset, loader.collate_fn
        if not loader._auto_collation:
            for index in loader.sampler:
                yield collate_fn(dataset[index])
            return
        batch_sampler = loader.batch_sampler
        array_batches = batch_sampler._array_batches() if type(batch_sampler) is BatchSampler else None
        batches = array_batches if array_batches is not None else batch_sampler
        direct = _tensor_source(dataset) if collate_fn is default_collate else None
        if direct is not None:  # a TensorDataset: the same batches, by one indexing of each tensor
            yield from _tensor_batches(batches, array_batches is None, *direct)
            return
        get_items = getattr(dataset, "__getitems__", None)
        for indices in batches:
            if isinstance(indices, np.ndarray):
                indices = indices.tolist()
            samples = get_items(indices) if callable(get_items) else [dataset[i] for i in indices]
            yield collate_fn(samples)


def _tensor_source(dataset) -> tuple[tuple[Tensor, ...], np.ndarray | None] | None:
    """(tensors, index map) when ``dataset`` is a TensorDataset, or Subsets of one, whose samples are plain tensor
    rows, so a batch is ``[t[index_map[batch]] for t in tensors]``; None when the per-sample path is needed."""
    index_map = None
    while isinstance(dataset, Subset):
        if type(dataset).__getitem__ is not Subset.__getitem__ or type(dataset).__getitems__ is not Subset.__getitems__:
            return None
        indices = np.asarray(dataset.indices, dtype=np.int64)
        if indices.ndim != 1:
            return None
        index_map = indices if index_map is None else indices[index_map]
        dataset = dataset.dataset
    if (not isinstance(dataset, TensorDataset) or type(dataset).__getitem__ is not TensorDataset.__getitem__
            or hasattr(dataset, "__getitems__") or not dataset.tensors
            or not all(isinstance(t, Tensor) and t.dim() >= 1 for t in dataset.tensors)):
        return None
    return dataset.tensors, index_map


def _tensor_batches(batches: Iterable, as_arrays: bool, tensors: tuple[Tensor, ...],
                    index_map: np.ndarray | None) -> Iterator[list[Tensor]]:
    """The fast path of a TensorDataset (``_tensor_source``): each batch of indices is ONE indexing per tensor,
    ``[t[index_map[indices]] for t in tensors]``, the batch that stacking the samples would give."""
    for indices in batches:
        if as_arrays:  # (array batches are int64 arrays already)
            indices = np.asarray(indices, dtype=np.int64)
        if index_map is not None:
            indices = index_map[indices]
        yield [t[indices] if t.requires_grad else wrap(t._data[indices]) for t in tensors]


def _draw_base_seed(loader: DataLoader) -> int:
    """The workers' base seed that torch's _BaseDataLoaderIter draws (an int64 random_) when each epoch begins, from
    the loader's generator or the default one; the sampler then draws its own seed at the first batch."""
    return int(K.random_(generator_or_default(loader.generator), (), np.int64))


def _iterable_batches(loader: DataLoader) -> Iterator:
    samples = iter(loader.dataset)
    if loader.batch_size is None:
        for sample in samples:
            yield loader.collate_fn(sample)
        return
    while True:
        batch = list(itertools.islice(samples, loader.batch_size))
        if not batch or (loader.drop_last and len(batch) < loader.batch_size):
            return
        yield loader.collate_fn(batch)


# ---- torch's checks of the loader's options (parity plumbing, kept out of DataLoader.__init__) ------------------------

def _checked_worker_options(num_workers: int, timeout: float, prefetch_factor: int | None,
                            persistent_workers: bool) -> int | None:
    """torch's ValueErrors for the worker options; the prefetch factor as torch keeps it (2 with workers)."""
    if num_workers < 0:
        raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                         "to enable multiprocessing, otherwise set prefetch_factor to None.")
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    return prefetch_factor


def _checked_batching(iterable: bool, shuffle, sampler, batch_sampler, batch_size, drop_last: bool) -> tuple:
    """torch's ValueErrors for options that exclude each other; (shuffle, batch_size, drop_last) as the loader keeps
    them (a ``batch_sampler`` makes the batches: batch_size None, drop_last False)."""
    if iterable:
        if shuffle not in (False, None):
            raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                             f"shuffle={shuffle}")
        if sampler is not None:
            raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                             f"sampler={sampler}")
        if batch_sampler is not None:
            raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, but "
                             f"got batch_sampler={batch_sampler}")
    shuffle = bool(shuffle)
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                             "drop_last")
        return shuffle, None, False
    if batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
    if iterable and batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                                                or batch_size <= 0):
        raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
    return shuffle, batch_size, drop_last
