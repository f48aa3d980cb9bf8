"""glasstorch.utils.data datasets and samplers: TensorDataset, Subset, ConcatDataset, random_split and the samplers,
against torch.utils.data where the behaviour is deterministic."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import glasstorch
from glasstorch.utils.data import (BatchSampler, ChainDataset, ConcatDataset, Dataset, IterableDataset, RandomSampler,
                                   SequentialSampler, Subset, SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                                   random_split)


def _torch_data():
    torch = pytest.importorskip("torch")
    return torch, torch.utils.data


# ---- TensorDataset, Subset, ConcatDataset ------------------------------------------------------------------------------

def test_tensor_dataset_samples_are_rows_of_every_tensor():
    x, y = glasstorch.randn(5, 3), glasstorch.arange(5)
    dataset = TensorDataset(x, y)
    assert len(dataset) == 5
    row, label = dataset[3]
    np.testing.assert_array_equal(row.numpy(), x.numpy()[3])
    assert label.item() == 3 and label.dim() == 0


def test_tensor_dataset_size_mismatch_is_torchs_error():
    torch, data = _torch_data()
    with pytest.raises(AssertionError, match="^Size mismatch between tensors$"):
        TensorDataset(glasstorch.zeros(4, 2), glasstorch.zeros(5))
    with pytest.raises(AssertionError, match="^Size mismatch between tensors$"):
        data.TensorDataset(torch.zeros(4, 2), torch.zeros(5))


def test_subset_maps_indices_and_lists():
    dataset = TensorDataset(glasstorch.arange(10) * 10)
    subset = Subset(dataset, [7, 2, 5])
    assert len(subset) == 3
    assert subset[0][0].item() == 70 and subset[-1][0].item() == 50
    np.testing.assert_array_equal(subset[[0, 2]][0].numpy(), [70, 50])
    assert [s[0].item() for s in subset.__getitems__([1, 0])] == [20, 70]


def test_subset_subclass_overriding_only_getitem_is_refused_as_torch_does():
    class Bad(Subset):
        def __getitem__(self, idx):
            return 0

    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Bad(TensorDataset(glasstorch.zeros(3)), [0])


def test_concat_dataset_and_dataset_addition():
    a = TensorDataset(glasstorch.arange(3))
    b = TensorDataset(glasstorch.arange(3, 8))
    joined = a + b
    assert isinstance(joined, ConcatDataset)
    assert len(joined) == 8 and joined.cumulative_sizes == [3, 8]
    assert [joined[i][0].item() for i in range(8)] == list(range(8))
    assert joined[-1][0].item() == 7 and joined[-8][0].item() == 0
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        joined[-9]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])


def test_base_dataset_getitem_is_abstract():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement __getitem__"):
        Dataset()[0]


def test_chain_dataset_streams_one_after_another():
    class Stream(IterableDataset):
        def __init__(self, values):
            self.values = values

        def __iter__(self):
            return iter(self.values)

        def __len__(self):
            return len(self.values)

    chained = Stream([1, 2]) + Stream([3])
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [1, 2, 3] and len(chained) == 3


# ---- random_split ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, lengths", [(10, [3, 7]), (10, [0.8, 0.2]), (11, [0.3, 0.3, 0.4]), (7, [0.5, 0.5]),
                                        (2000, [0.8, 0.2]), (5, [5, 0])])
def test_random_split_sizes_match_torch_and_partition_the_indices(n, lengths):
    torch, data = _torch_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = random_split(TensorDataset(glasstorch.arange(n)), lengths)
        theirs = data.random_split(data.TensorDataset(torch.arange(n)), lengths)
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    all_indices = [i for s in ours for i in s.indices]
    assert sorted(all_indices) == list(range(n))
    assert all(type(i) is int for i in all_indices)


def test_random_split_repeats_with_a_seeded_generator_and_the_global_seed():
    dataset = TensorDataset(glasstorch.arange(50))
    first = [s.indices for s in random_split(dataset, [30, 20], generator=glasstorch.Generator().manual_seed(3))]
    again = [s.indices for s in random_split(dataset, [30, 20], generator=glasstorch.Generator().manual_seed(3))]
    other = [s.indices for s in random_split(dataset, [30, 20], generator=glasstorch.Generator().manual_seed(4))]
    assert first == again and first != other
    glasstorch.manual_seed(9)
    global_first = [s.indices for s in random_split(dataset, [0.5, 0.5])]
    glasstorch.manual_seed(9)
    assert [s.indices for s in random_split(dataset, [0.5, 0.5])] == global_first


def test_random_split_errors_and_warnings_as_torch():
    torch, data = _torch_data()
    for lib_data, make in ((data, torch.arange), (glasstorch.utils.data, glasstorch.arange)):
        dataset = lib_data.TensorDataset(make(10))
        with pytest.raises(ValueError, match="^Sum of input lengths does not equal the length of the input dataset!$"):
            lib_data.random_split(dataset, [3, 4])
        with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
            lib_data.random_split(lib_data.TensorDataset(make(2)), [1.0, 0.0])


# ---- samplers -----------------------------------------------------------------------------------------------------------

def test_sequential_and_batch_samplers_match_torch():
    torch, data = _torch_data()
    for drop_last in (False, True):
        for batch_size in (1, 3, 4, 10, 11):
            ours = BatchSampler(SequentialSampler(range(10)), batch_size, drop_last)
            theirs = data.BatchSampler(data.SequentialSampler(range(10)), batch_size, drop_last)
            assert list(ours) == list(theirs)
            assert len(ours) == len(theirs)


@pytest.mark.parametrize("batch_size, drop_last", [(0, False), (-2, False), (2.0, False), (True, False), (2, 1)])
def test_batch_sampler_argument_errors_match_torch(batch_size, drop_last):
    torch, data = _torch_data()
    with pytest.raises(ValueError) as theirs:
        data.BatchSampler(range(4), batch_size, drop_last)
    with pytest.raises(ValueError, match="^" + re.escape(str(theirs.value)) + "$"):
        BatchSampler(range(4), batch_size, drop_last)


def test_random_sampler_is_a_permutation_each_epoch_and_seeded():
    sampler = RandomSampler(range(20), generator=glasstorch.Generator().manual_seed(0))
    epochs = [list(sampler) for _ in range(3)]
    assert all(sorted(epoch) == list(range(20)) for epoch in epochs)
    assert epochs[0] != epochs[1]
    repeat = RandomSampler(range(20), generator=glasstorch.Generator().manual_seed(0))
    assert [list(repeat) for _ in range(3)] == epochs


def test_random_sampler_num_samples_and_replacement():
    sampler = RandomSampler(range(5), num_samples=12, generator=glasstorch.Generator().manual_seed(1))
    drawn = list(sampler)
    assert len(drawn) == len(sampler) == 12
    assert sorted(drawn[:5]) == list(range(5)) and sorted(drawn[5:10]) == list(range(5))  # whole permutations first
    with_replacement = list(RandomSampler(range(3), replacement=True, num_samples=200))
    assert len(with_replacement) == 200 and set(with_replacement) == {0, 1, 2}


def test_random_sampler_argument_errors_match_torch():
    torch, data = _torch_data()
    for lib_data in (data, glasstorch.utils.data):
        with pytest.raises(ValueError, match="num_samples should be a positive integer value, but got num_samples=0"):
            lib_data.RandomSampler(range(3), num_samples=0)
        with pytest.raises(TypeError, match="replacement should be a boolean value, but got replacement=1"):
            lib_data.RandomSampler(range(3), replacement=1)
        with pytest.raises(TypeError):
            lib_data.RandomSampler(iter(range(3)))  # no __len__


def test_subset_random_and_weighted_samplers():
    subset = list(SubsetRandomSampler([10, 20, 30, 40], generator=glasstorch.Generator().manual_seed(2)))
    assert sorted(subset) == [10, 20, 30, 40]
    weighted = list(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 400, generator=glasstorch.Generator().manual_seed(2)))
    assert set(weighted) == {1, 3}
    assert 0.65 < weighted.count(3) / 400 < 0.85  # expected 0.75; the 400-draw std is about 0.02
    without = list(WeightedRandomSampler([1.0, 1.0, 1.0], 3, replacement=False))
    assert sorted(without) == [0, 1, 2]
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        WeightedRandomSampler([1.0], 0)
