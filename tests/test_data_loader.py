"""glasstorch.utils.data.DataLoader and default_collate: batch shapes, the last batch, len(), shuffling, seeding, the
TensorDataset fast path, nested collation and argument errors, compared with torch.utils.data."""
from __future__ import annotations

import re
from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import glasstorch
from glasstorch.utils.data import (BatchSampler, DataLoader, Dataset, IterableDataset, SequentialSampler, Subset,
                                   TensorDataset, default_collate, default_convert, random_split)


def _torch():
    return pytest.importorskip("torch")


def _labels(n: int) -> TensorDataset:
    return TensorDataset(glasstorch.arange(n * 2, dtype=glasstorch.float32).reshape(n, 2), glasstorch.arange(n))


def _per_sample(batch):
    """A collate_fn that is not default_collate itself, so the loader takes the per-sample path."""
    return default_collate(batch)


# ---- batches, the last batch, len() -------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch_size, drop_last", [(10, 3, False), (10, 3, True), (10, 5, False), (10, 5, True),
                                                       (10, 1, False), (10, 16, False), (10, 16, True), (1600, 8, False)])
def test_batch_shapes_last_batch_and_len_match_torch(n, batch_size, drop_last):
    torch = _torch()
    ours = DataLoader(_labels(n), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.arange(n * 2, dtype=torch.float32).reshape(n, 2), torch.arange(n)),
        batch_size=batch_size, drop_last=drop_last)
    our_batches, their_batches = list(ours), list(theirs)
    assert len(ours) == len(theirs) == len(their_batches) == len(our_batches)
    for (x, y), (tx, ty) in zip(our_batches, their_batches):
        assert x.dtype is glasstorch.float32 and y.dtype is glasstorch.int64
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
    expected_last = batch_size if drop_last or n % batch_size == 0 else n % batch_size
    if our_batches:
        assert our_batches[-1][1].shape == (expected_last,)


def test_a_batch_is_a_list_like_torchs_and_unpacks():
    batch = next(iter(DataLoader(_labels(4), batch_size=2)))
    assert type(batch) is list and len(batch) == 2
    x, y = batch
    assert x.shape == (2, 2) and y.shape == (2,)


def test_course_pipeline_shapes_and_dtypes():
    features = np.random.default_rng(0).random((40, 20)).astype(np.float32)
    labels = np.random.default_rng(1).integers(0, 4, 40)
    dataset = TensorDataset(glasstorch.from_numpy(features), glasstorch.tensor(labels))
    glasstorch.manual_seed(0)
    loader = DataLoader(dataset, shuffle=True, batch_size=8)
    assert len(loader) == 5
    for x, y in loader:
        assert x.shape == (8, 20) and x.dtype is glasstorch.float32
        assert y.shape == (8,) and y.dtype is glasstorch.int64


# ---- shuffling ------------------------------------------------------------------------------------------------------------

def _epoch_labels(loader) -> list[int]:
    return [int(v) for _, y in loader for v in y.tolist()]


@pytest.mark.parametrize("n, batch_size, drop_last", [(23, 4, False), (23, 4, True), (16, 8, False)])
def test_shuffle_covers_every_index_once_per_epoch(n, batch_size, drop_last):
    loader = DataLoader(_labels(n), batch_size=batch_size, shuffle=True, drop_last=drop_last)
    epochs = [_epoch_labels(loader) for _ in range(3)]
    for epoch in epochs:
        if drop_last:
            assert len(epoch) == n - n % batch_size and len(set(epoch)) == len(epoch)
        else:
            assert sorted(epoch) == list(range(n))
    assert epochs[0] != epochs[1] != epochs[2]  # a fresh order each epoch


def test_shuffle_repeats_under_manual_seed():
    loader = DataLoader(_labels(30), batch_size=4, shuffle=True)
    glasstorch.manual_seed(123)
    first = [_epoch_labels(loader) for _ in range(2)]
    glasstorch.manual_seed(123)
    again = [_epoch_labels(loader) for _ in range(2)]
    glasstorch.manual_seed(124)
    other = _epoch_labels(loader)
    assert first == again and other != first[0]


def test_shuffle_with_its_own_generator_ignores_the_global_seed():
    def run(seed):
        glasstorch.manual_seed(seed)
        return _epoch_labels(DataLoader(_labels(30), batch_size=4, shuffle=True,
                                        generator=glasstorch.Generator().manual_seed(7)))

    assert run(1) == run(2)


def test_order_is_drawn_lazily_at_the_first_batch_like_torch():
    # iter() draws the workers' base seed; the sampler draws its own seed at the first batch, so reseeding in between
    # decides the order; both libraries then give the same order
    torch = _torch()
    loader = DataLoader(_labels(30), batch_size=4, shuffle=True)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(30)), batch_size=4, shuffle=True)
    orders = []
    for lib, dataloader in ((glasstorch, loader), (torch, theirs)):
        lib.manual_seed(5)
        iterator = iter(dataloader)
        lib.manual_seed(6)
        orders.append([int(v) for batch in iterator for v in batch[-1].tolist()])
    assert orders[0] == orders[1]
    glasstorch.manual_seed(6)
    assert orders[0] != _epoch_labels(loader)  # (iter() after the seed draws the base seed first)


# ---- the TensorDataset fast path ------------------------------------------------------------------------------------------

def test_fast_path_indexes_each_tensor_once_per_batch_not_per_sample(monkeypatch):
    dataset = _labels(20)
    calls = []
    original = TensorDataset.__getitem__

    def counting(self, index):
        calls.append(index)
        return original(self, index)

    monkeypatch.setattr(TensorDataset, "__getitem__", counting)
    fast = list(DataLoader(dataset, batch_size=8))
    assert calls == []
    slow = list(DataLoader(dataset, batch_size=8, collate_fn=_per_sample))
    assert len(calls) == 20
    for (fx, fy), (sx, sy) in zip(fast, slow):
        np.testing.assert_array_equal(fx.numpy(), sx.numpy())
        np.testing.assert_array_equal(fy.numpy(), sy.numpy())


@pytest.mark.parametrize("shuffle, drop_last", [(False, False), (True, False), (True, True)])
def test_fast_path_equals_per_sample_path_for_tensor_datasets_and_subsets(shuffle, drop_last):
    base = TensorDataset(glasstorch.randn(37, 3), glasstorch.arange(37), glasstorch.randn(37).double())
    subset = random_split(base, [0.7, 0.3], generator=glasstorch.Generator().manual_seed(0))[0]
    nested = Subset(subset, list(range(len(subset) - 1, -1, -3)))
    for dataset in (base, subset, nested):
        loaders = [DataLoader(dataset, batch_size=5, shuffle=shuffle, drop_last=drop_last, collate_fn=collate,
                              generator=glasstorch.Generator().manual_seed(11)) for collate in (None, _per_sample)]
        fast, slow = (list(loader) for loader in loaders)
        assert len(fast) == len(slow) == len(loaders[0])
        for fast_batch, slow_batch in zip(fast, slow):
            assert type(fast_batch) is type(slow_batch) is list
            for f, s in zip(fast_batch, slow_batch):
                assert f.dtype is s.dtype and f.shape == s.shape
                np.testing.assert_array_equal(f.numpy(), s.numpy())


def test_fast_path_keeps_autograd_for_tensors_that_require_grad():
    weights = glasstorch.ones(6, 2, requires_grad=True)
    (batch,) = next(iter(DataLoader(TensorDataset(weights), batch_size=3)))
    assert batch.requires_grad
    batch.sum().backward()
    np.testing.assert_array_equal(weights.grad.numpy(), [[1, 1]] * 3 + [[0, 0]] * 3)


def test_batch_tensors_do_not_alias_the_dataset():
    x = glasstorch.zeros(4, 2)
    (batch,) = next(iter(DataLoader(TensorDataset(x), batch_size=4)))
    with glasstorch.no_grad():
        batch.add_(1.0)
    assert x.sum().item() == 0.0


# ---- collation of nested structures, against torch ----------------------------------------------------------------------

Pair = namedtuple("Pair", "left right")


class _Nested:
    """Samples mixing every kind default_collate handles, built with either library's tensors."""

    def __init__(self, lib, n: int = 7) -> None:
        self.lib, self.n = lib, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        lib = self.lib
        return {
            "x": lib.arange(6, dtype=lib.float32).reshape(2, 3) * i,
            "label": i,
            "weight": 0.5 * i,
            "flag": i % 2 == 0,
            "name": f"sample{i}",
            "raw": b"bytes",
            "array": np.full((2,), i, dtype=np.int32),
            "np_float": np.float64(i) / 3,
            "np_int": np.int16(i),
            "pair": (lib.tensor([i, -i]), [1.5 * i, i]),
            "point": Pair(lib.tensor(float(i)), "p"),
            "ordered": OrderedDict([("b", i), ("a", lib.tensor(i, dtype=lib.int32))]),
        }


def _assert_same_batch(ours, theirs, matches_torch) -> None:
    torch = _torch()
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, glasstorch.Tensor)
        matches_torch(ours, theirs)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs)
        for key in theirs:
            _assert_same_batch(ours[key], theirs[key], matches_torch)
    elif isinstance(theirs, (list, tuple)):
        assert type(ours).__name__ == type(theirs).__name__ and len(ours) == len(theirs), (ours, theirs)
        for o, t in zip(ours, theirs):
            _assert_same_batch(o, t, matches_torch)
    else:
        assert type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("batch_size, drop_last", [(3, False), (3, True), (7, False)])
def test_nested_collation_matches_torchs_dataloader(matches_torch, batch_size, drop_last):
    torch = _torch()
    ours = list(DataLoader(_Nested(glasstorch), batch_size=batch_size, drop_last=drop_last))
    theirs = list(torch.utils.data.DataLoader(_Nested(torch), batch_size=batch_size, drop_last=drop_last))
    assert len(ours) == len(theirs)
    for our_batch, their_batch in zip(ours, theirs):
        _assert_same_batch(our_batch, their_batch, matches_torch)


def test_python_floats_collate_to_float64_ints_to_int64_bools_to_bool(matches_torch):
    torch = _torch()
    for batch in ([1.5, 2.0], [1, 2], [True, False], [np.float32(1), np.float32(2)], [np.int8(3)]):
        matches_torch(default_collate(batch), torch.utils.data.default_collate(batch))


def test_unbatched_loading_converts_each_sample_as_torch(matches_torch):
    torch = _torch()
    ours = list(DataLoader(_Nested(glasstorch, 3), batch_size=None))
    theirs = list(torch.utils.data.DataLoader(_Nested(torch, 3), batch_size=None))
    assert len(ours) == len(theirs) == 3
    for o, t in zip(ours, theirs):
        _assert_same_batch(o, t, matches_torch)
    converted = default_convert((np.ones(2), "s", [np.int64(1)]))
    assert type(converted) is list and isinstance(converted[0], glasstorch.Tensor) and converted[1] == "s"


def test_collation_errors_match_torch():
    torch = _torch()
    for ours_batch, theirs_batch in (([[1, 2], [3]], [[1, 2], [3]]), ([object()], [object()]),
                                     ([np.array(["a"])], [np.array(["a"])])):
        with pytest.raises(Exception) as theirs:
            torch.utils.data.default_collate(theirs_batch)
        with pytest.raises(type(theirs.value)) as ours:
            default_collate(ours_batch)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match=re.escape("stack expects each tensor to be equal size, but got [2] at "
                                                     "entry 0 and [3] at entry 1")):
        default_collate([glasstorch.zeros(2), glasstorch.zeros(3)])


# ---- samplers, batch samplers, iterable datasets ------------------------------------------------------------------------

def test_custom_sampler_and_batch_sampler():
    dataset = _labels(10)
    loader = DataLoader(dataset, batch_size=3, sampler=[9, 0, 8, 1])
    assert _epoch_labels(loader) == [9, 0, 8, 1] and len(loader) == 2
    batches = DataLoader(dataset, batch_sampler=[[3, 4], [0], [9, 8, 7]])
    assert [y.tolist() for _, y in batches] == [[3, 4], [0], [9, 8, 7]] and len(batches) == 3
    own = DataLoader(dataset, batch_sampler=BatchSampler(SequentialSampler(dataset), 4, drop_last=True))
    assert [y.tolist() for _, y in own] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_dataset_with_getitems_is_called_once_per_batch():
    class Batched(Dataset):
        def __init__(self):
            self.calls = []

        def __len__(self):
            return 5

        def __getitem__(self, i):
            raise AssertionError("the loader should use __getitems__")

        def __getitems__(self, indices):
            self.calls.append(list(indices))
            return [(i, float(i)) for i in indices]

    dataset = Batched()
    assert [b[0].tolist() for b in DataLoader(dataset, batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert dataset.calls == [[0, 1], [2, 3], [4]]


def _stream(data, n: int):
    """An IterableDataset of 0 … n−1 (with a __len__) for the given library's utils.data."""

    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self) -> int:
            return n

    return Stream()


@pytest.mark.parametrize("batch_size, drop_last", [(3, False), (3, True), (None, False), (5, False)])
def test_iterable_dataset_batches_and_len_match_torch(batch_size, drop_last):
    torch = _torch()
    ours = DataLoader(_stream(glasstorch.utils.data, 10), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(_stream(torch.utils.data, 10), batch_size=batch_size, drop_last=drop_last)
    our_batches = [b.tolist() if isinstance(b, glasstorch.Tensor) else b for b in ours]
    their_batches = [b.tolist() if isinstance(b, torch.Tensor) else b for b in theirs]
    assert our_batches == their_batches
    assert len(ours) == len(theirs)


def test_num_workers_loads_in_process_with_the_same_batches():
    plain = [y.tolist() for _, y in DataLoader(_labels(9), batch_size=4)]
    workers = [y.tolist() for _, y in DataLoader(_labels(9), batch_size=4, num_workers=2)]
    assert plain == workers
    assert glasstorch.utils.data.get_worker_info() is None


# ---- argument errors, as torch ---------------------------------------------------------------------------------------------

class _NoLen(Dataset):
    def __getitem__(self, i):
        return i


def _error_cases(lib, data):
    def tensors(n):
        return data.TensorDataset(lib.arange(n))

    return [
        lambda: data.DataLoader(tensors(4), batch_size=0),
        lambda: data.DataLoader(tensors(4), batch_size=-1),
        lambda: data.DataLoader(_NoLen(), shuffle=True),
        lambda: data.DataLoader(tensors(4), sampler=[0, 1], shuffle=True),
        lambda: data.DataLoader(tensors(4), batch_sampler=[[0]], batch_size=2),
        lambda: data.DataLoader(tensors(4), batch_sampler=[[0]], drop_last=True),
        lambda: data.DataLoader(tensors(4), batch_size=None, drop_last=True),
        lambda: data.DataLoader(tensors(4), num_workers=-1),
        lambda: data.DataLoader(tensors(4), timeout=-1),
        lambda: data.DataLoader(tensors(4), prefetch_factor=2),
        lambda: data.DataLoader(tensors(4), persistent_workers=True),
        lambda: data.DataLoader(_stream(data, 3), shuffle=True),
        lambda: data.DataLoader(_stream(data, 3), sampler=[0]),
        lambda: len(data.DataLoader(_NoLen())),
        lambda: setattr(data.DataLoader(tensors(4)), "batch_size", 2),
    ]


@pytest.mark.parametrize("case", range(15))
def test_argument_errors_match_torch(case):
    torch = _torch()
    with pytest.raises(Exception) as theirs:
        _error_cases(torch, torch.utils.data)[case]()
    with pytest.raises(type(theirs.value)) as ours:
        _error_cases(glasstorch, glasstorch.utils.data)[case]()
    assert str(ours.value) == str(theirs.value)


def test_a_dataset_without_len_still_loads_without_shuffle():
    loader = DataLoader(_NoLen(), batch_size=2, sampler=iter([4, 5, 6]))
    assert [b.tolist() for b in loader] == [[4, 5], [6]]
