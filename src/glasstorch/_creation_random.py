"""Functions that make random tensors (``torch.rand``, ``randn``, ``randint``, ``randperm``, ``normal``,
``bernoulli``, ``multinomial``), each the torch factory's recipe on ``glasstorch._random_kernels``: an empty tensor
filled by the in-place kernel (``rand`` = ``empty().uniform_(0, 1)``, ``randn`` = ``empty().normal_(0, 1)``, ...),
so the same generator state gives torch's numbers.
"""
from __future__ import annotations

from . import _creation_checks as _checks
from . import _dtype
from . import _random_kernels as K
from ._backend import np
from ._creation import _float_dtype, _is_tensor, _leaf, _like_shape, _size
from ._device import check_device
from .autograd.tensor_base import TensorBase, wrap
from .random import generator_or_default

Tensor = TensorBase


def rand(*shape, size=None, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform samples on [0, 1): ``empty(shape).uniform_(0, 1)``."""
    return _sampled("rand", K.uniform, "check_uniform_bounds", shape, size, generator, dtype, device, requires_grad)


def randn(*shape, size=None, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples: ``empty(shape).normal_(0, 1)``."""
    return _sampled("randn", K.normal, "normal_kernel_cpu", shape, size, generator, dtype, device, requires_grad)


def _sampled(name: str, kernel, kernel_name: str, shape, size, generator, dtype, device, requires_grad) -> Tensor:
    """rand's and randn's shared steps: the device, dtype and shape checks (torch's wording names the kernel), then
    ``kernel(generator, shape, dtype)`` as a leaf tensor."""
    if device is not None:
        check_device(device)
    numpy_dtype = _float_dtype(dtype)
    _checks.check_random_dtype(numpy_dtype, kernel_name)
    shape = _size(shape, name, size)
    return _leaf(kernel(generator_or_default(generator), shape, numpy_dtype), requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Integers uniform on [low, high) (``randint(high, size)`` starts at 0), int64 by default:
    ``empty(size).random_(low, high)``, i.e. low + word % (high - low)."""
    if device is not None:
        check_device(device)
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    shape = _checks.size_arg((size,), "randint")
    _checks.check_randint_bounds(low, high)
    numpy_dtype = _dtype.to_numpy_dtype(dtype) if dtype else np.dtype(np.int64)
    array = K.random_from_to(generator_or_default(generator), shape, numpy_dtype, int(low), int(high) - int(low))
    return _leaf(array, requires_grad)


def randperm(n: int, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A random permutation of 0 … n−1 (randperm_cpu's Fisher–Yates)."""
    if device is not None:
        check_device(device)
    n = _checks.count_arg(n, "n", "randperm")
    array = K.randperm(generator_or_default(generator), n)
    return _leaf(array.astype(_dtype.to_numpy_dtype(dtype) if dtype else np.int64, copy=False), requires_grad)


def rand_like(input: Tensor, dtype=None, generator=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return rand(_like_shape(input, "rand_like"), generator=generator, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input: Tensor, dtype=None, generator=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return randn(_like_shape(input, "randn_like"), generator=generator, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(input: Tensor, low, high=None, dtype=None, generator=None) -> Tensor:  # noqa: A002
    return randint(low, high, _like_shape(input, "randint_like"), generator=generator, dtype=dtype or input.dtype)


def normal(mean=0.0, std=1.0, size=None, generator=None, dtype=None) -> Tensor:
    """Samples N(mean, std²), torch's four overloads (``aten/src/ATen/native/DistributionTemplates.h``):

    - (mean tensor, std tensor): z = normal_(0, 1) over the broadcast shape, then z * std + mean (two roundings);
    - (mean tensor, std float): z = normal_(0, std) (fused), then z + mean;
    - (mean float, std tensor): z = normal_(0, 1), then z * std + mean;
    - (mean float, std float, size): normal_(mean, std) on a tensor of that size.
    ``normal(mean_tensor)`` takes std = 1."""
    gen = generator_or_default(generator)
    mean_is_tensor, std_is_tensor = _is_tensor(mean), _is_tensor(std)
    if not mean_is_tensor and not std_is_tensor:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), "
                            "but expected one of: (Tensor mean, Tensor std), (Tensor mean, float std), "
                            "(float mean, Tensor std), (float mean, float std, tuple of ints size)")
        _checks.check_std(std)
        shape = _checks.size_arg((size,), "normal")
        return wrap(K.normal(gen, shape, _float_dtype(dtype), float(mean), float(std)))
    std_values = std._data if std_is_tensor else std
    _checks.check_std(std_values)
    if mean_is_tensor and not std_is_tensor:
        z = K.normal(gen, mean._data.shape, mean._data.dtype, 0.0, float(std))
        return wrap((z + mean._data).astype(mean._data.dtype, copy=False))
    if std_is_tensor and not mean_is_tensor:
        out_dtype = std._data.dtype
        z = K.normal(gen, std._data.shape, out_dtype, 0.0, 1.0)
        return wrap(((z * std._data).astype(out_dtype) + out_dtype.type(mean)).astype(out_dtype, copy=False))
    out_dtype = mean._data.dtype
    shape = np.broadcast_shapes(mean._data.shape, std._data.shape)
    z = K.normal(gen, shape, out_dtype, 0.0, 1.0)
    return wrap(((z * std._data).astype(out_dtype) + mean._data).astype(out_dtype, copy=False))


def bernoulli(input: Tensor, p=None, generator=None) -> Tensor:  # noqa: A002
    """1 with probability ``input`` (elementwise), else 0; same dtype as input. A float64 p draws a double uniform
    per element, other p a 24-bit float uniform; ``bernoulli(input, p)`` with a number p: a double uniform < p."""
    gen = generator_or_default(generator)
    if p is None:
        _checks.check_bernoulli(input._data)
        draws = K.bernoulli_tensor(gen, input._data)
    else:
        _checks.check_bernoulli(p)
        draws = K.bernoulli_scalar(gen, input._data.shape, float(p))
    return wrap(draws.astype(input._data.dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, generator=None) -> Tensor:  # noqa: A002
    """Category indices drawn with probabilities proportional to the rows of ``input`` (``Distributions.cpp``
    multinomial):

    - without replacement, or one sample: q = exponential_(1) like input, then the top num_samples of p / q
      (argmax for one), the exponential-race form of the Gumbel-max trick;
    - with replacement: per row the cumulative sums normalised by their total, and per sample a double uniform
      placed by binary search (the first bucket whose cumulative value is >= u)."""
    _checks.check_multinomial(input._data, num_samples, replacement)
    gen = generator_or_default(generator)
    probs = input._data
    if not replacement or num_samples == 1:
        q = K.exponential(gen, probs.shape, 1.0).astype(probs.dtype)
        ratio = probs / q
        if num_samples == 1:
            out = np.argmax(ratio, axis=-1)[..., None]
        else:
            out = np.argsort(-ratio, axis=-1, kind="stable")[..., :num_samples]
        return wrap(out.astype(np.int64))
    rows = probs.reshape(-1, probs.shape[-1])
    picks = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for r, row in enumerate(rows):
        cumulative = np.cumsum(row, dtype=row.dtype)
        total = cumulative[-1]
        cumulative = cumulative / total
        cumulative[-1] = 1  # torch makes sure the last bucket is 1
        u = K.unit_uniform(gen, num_samples, np.float64)
        picks[r] = np.minimum(np.searchsorted(cumulative.astype(np.float64), u, side="left"), row.size - 1)
    return wrap(picks.reshape(probs.shape[:-1] + (num_samples,)))
