"""torch's CPU random recipes (torch 2.13, x86-64 AVX2 kernels) on a glasstorch ``Generator``'s words.

Each function returns a fresh ndarray and advances the generator exactly as torch's kernel does, so the same seed
gives the same numbers. The formulas, with the torch source each mirrors:

- uniform (``TransformationHelper.h`` uniform_real): x = (word & (2^d - 1)) · 2^-d with d = 24 bits of one word for
  float32 (11 for float16) and 53 bits of a 64-bit draw for float64; value = fma(x, to - from, from).
- normal, n >= 16 (``cpu/DistributionTemplates.h`` normal_fill): n uniforms first; per block of 16,
  u1 = 1 - x[j], u2 = x[j+8], r = sqrt(-2 log u1), θ = 2π u2, out[j] = r cos θ, out[j+8] = r sin θ, times std plus
  mean (fused); if n % 16 != 0, 16 fresh uniforms recompute the last 16 outputs. float32 runs the AVX2 cephes
  log/sincos (``_random_math``); float64 runs glibc's log/cos/sin.
- normal, n < 16 (``DistributionsHelper.h`` normal_distribution<double>): u1, u2 from two 64-bit draws,
  r = sqrt(-2 log1p(-u2)), θ = 2π u1; returns r cos θ and caches r sin θ for the next call; fma(z, std, mean).
- random_ / randint (``uniform_int*`` in TransformationHelper.h): from + word % range, with a 64-bit draw when the
  range needs more than 32 bits; random_() without bounds: word % (max + 1) (float: % (2^digits + 1)).
- randperm (``TensorFactories.cpp`` randperm_cpu): forward Fisher–Yates, z = random() % (n - i), swap i and i + z.
- bernoulli: double uniform < p (a float32 p tensor: float uniform < p); exponential: (-1/λ) log1p(-u);
  geometric: ceil(log u / log(1 - p)); cauchy: median + σ tan(π (u - 1/2)); log_normal: exp(normal).
"""
from __future__ import annotations

import math

from ._backend import np
from . import _random_math as M
from .random import Generator

_DIGITS = {np.dtype(np.float16): 11, np.dtype(np.float32): 24, np.dtype(np.float64): 53}
_TWO_PI_F32 = np.float32(2.0 * math.pi)
_CHUNK = 1 << 16  # elements per piece of the float32 pipelines (a multiple of 16)


def _count(shape) -> int:
    return int(np.prod(shape, dtype=np.int64)) if len(shape) else 1


# --- uniform --------------------------------------------------------------------------------------------------------
def unit_uniform(gen: Generator, n: int, dtype) -> np.ndarray:
    """n values of x = (word & (2^d - 1)) · 2^-d in [0, 1): the uniform_real recipe with from = 0, to = 1 (exact)."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return (gen.random64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * (2.0 ** -53)
    digits = _DIGITS.get(dtype, 24)
    x = (gen.random(n) & np.uint64((1 << digits) - 1)).astype(np.float32) * np.float32(2.0 ** -digits)
    return x.astype(dtype, copy=False)


def uniform(gen: Generator, shape, dtype, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """``uniform_(from, to)``: fma(x, to - from, from) in the tensor's type (float16 computed in float32). For float32
    x · (to - from) = k · ((to - from) · 2^-24) with k the 24-bit integer, exact in float64, so ``fma32`` takes k."""
    dtype = np.dtype(dtype)
    n = _count(shape)
    if dtype == np.float64:
        x = unit_uniform(gen, n, np.float64)
        lo, hi = np.float64(low), np.float64(high)
        out = x if (lo == 0 and hi == 1) else M.fma64(x, hi - lo, lo)
        return out.reshape(shape)
    lo, hi = np.float32(dtype.type(low)), np.float32(dtype.type(high))
    if lo == 0 and hi == 1:
        return unit_uniform(gen, n, dtype).reshape(shape)
    digits = _DIGITS.get(dtype, 24)
    words = gen.random(n)
    scale, offset = float(hi - lo) * 2.0 ** -digits, float(lo)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, _CHUNK):  # (in cache-sized pieces: the same arithmetic, less memory traffic)
        k = (words[start:start + _CHUNK] & np.uint64((1 << digits) - 1)).view(np.int64).astype(np.float64)
        out[start:start + _CHUNK] = M.fma32(k, scale, offset)
    return out.astype(dtype, copy=False).reshape(shape)


# --- normal ---------------------------------------------------------------------------------------------------------
def _box_muller_f32(u: np.ndarray, mean: np.float32, std: np.float32) -> np.ndarray:
    """normal_fill_16_AVX2 on rows of 16 float32 uniforms (in cache-sized pieces)."""
    if u.size > _CHUNK:
        return np.concatenate([_box_muller_f32(u[start:start + _CHUNK], mean, std)
                               for start in range(0, u.size, _CHUNK)])
    u = u.reshape(-1, 16)
    radius = np.sqrt(np.float32(-2) * M.log256_ps(np.float32(1) - u[:, :8]))
    sine, cosine = M.sincos256_ps(_TWO_PI_F32 * u[:, 8:])
    out = np.concatenate([radius * cosine, radius * sine], axis=1)
    if not (mean == 0 and std == 1):
        out = M.fma32(out, std, mean)
    return out.ravel()


def _box_muller_f64(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16<double> on rows of 16 double uniforms (glibc log, cos, sin; fma(r cos θ, std, mean))."""
    u = u.reshape(-1, 16)
    radius = np.sqrt(-2.0 * M.libm_log(1.0 - u[:, :8]))
    theta = (2.0 * math.pi) * u[:, 8:]
    out = np.concatenate([radius * M.libm_cos(theta), radius * M.libm_sin(theta)], axis=1)
    if not (mean == 0 and std == 1):
        out = M.fma64(out, np.float64(std), np.float64(mean))
    return out.ravel()


def normal_fill(gen: Generator, n: int, dtype, mean: float, std: float) -> np.ndarray:
    """The n >= 16 path: n uniforms, Box–Muller per 16, the last 16 redone from 16 fresh uniforms if n % 16."""
    is64 = np.dtype(dtype) == np.float64
    work = np.float64 if is64 else np.float32
    u = unit_uniform(gen, n, work)
    full = n - n % 16
    if is64:
        out = _box_muller_f64(u[:full], mean, std)
    else:
        out = _box_muller_f32(u[:full], np.float32(mean), np.float32(std))
    if n % 16:
        tail = unit_uniform(gen, 16, work)
        redone = _box_muller_f64(tail, mean, std) if is64 else _box_muller_f32(tail, np.float32(mean), np.float32(std))
        out = _splice(out, redone, n)
    return out


def _splice(out: np.ndarray, redone: np.ndarray, n: int) -> np.ndarray:
    """The first n - 16 values of the full blocks followed by the 16 recomputed ones (the tail's blocks overlap)."""
    result = np.empty(n, dtype=redone.dtype)
    result[:n - 16] = out[:n - 16]
    result[n - 16:] = redone
    return result


def normal_pairs(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """n draws of normal_distribution<double>(mean, std), float64: the cached second value first, then pairs
    (r cos θ, r sin θ); an odd last pair leaves r sin θ in the cache."""
    out = np.empty(n, dtype=np.float64)
    start = 0
    if n and gen.next_double_normal is not None:
        out[0] = gen.next_double_normal
        gen.next_double_normal = None
        start = 1
    pairs = (n - start + 1) // 2
    if pairs:
        draws = gen.random64(2 * pairs) & np.uint64((1 << 53) - 1)
        u = draws.astype(np.float64) * (2.0 ** -53)
        u1, u2 = u[0::2], u[1::2]
        radius = np.sqrt(-2.0 * M.libm_log1p(-u2))
        theta = (2.0 * math.pi) * u1
        values = np.empty(2 * pairs)
        values[0::2] = radius * M.libm_cos(theta)
        values[1::2] = radius * M.libm_sin(theta)
        out[start:] = values[:n - start]
        if (n - start) % 2:
            gen.next_double_normal = float(values[-1])
    if not (mean == 0 and std == 1):
        out = M.fma64(out, np.float64(std), np.float64(mean))
    return out


def normal(gen: Generator, shape, dtype, mean: float = 0.0, std: float = 1.0, contiguous: bool = True) -> np.ndarray:
    """``normal_(mean, std)`` (normal_kernel): the 16-wide fill for n >= 16 contiguous, else the cached pairs."""
    dtype = np.dtype(dtype)
    n = _count(shape)
    if n >= 16 and contiguous:
        out = normal_fill(gen, n, dtype, mean, std)
    else:
        out = normal_pairs(gen, n, mean, std)
    return out.astype(dtype, copy=False).reshape(shape)


# --- integers -------------------------------------------------------------------------------------------------------
_RANDOM_MODULUS = {np.dtype(np.float16): (1 << 11) + 1, np.dtype(np.float32): (1 << 24) + 1,
                   np.dtype(np.float64): (1 << 53) + 1, np.dtype(np.int64): 1 << 63, np.dtype(np.int32): 1 << 31,
                   np.dtype(np.int16): 1 << 15, np.dtype(np.int8): 1 << 7, np.dtype(np.uint8): 1 << 8}


def random_(gen: Generator, shape, dtype) -> np.ndarray:
    """``random_()`` with no bounds (uniform_int): word % (max + 1); float types % (2^digits + 1); int64 and float64
    take 64-bit draws; bool takes the low bit."""
    dtype = np.dtype(dtype)
    n = _count(shape)
    if dtype == np.bool_:
        return (gen.random(n) & np.uint64(1)).astype(np.bool_).reshape(shape)
    words = gen.random64(n) if dtype in (np.dtype(np.float64), np.dtype(np.int64)) else gen.random(n)
    return (words % np.uint64(_RANDOM_MODULUS[dtype])).astype(dtype).reshape(shape)


def random_from_to(gen: Generator, shape, dtype, low: int, span: int) -> np.ndarray:
    """``random_(from, to)`` / randint: from + word % (to - from); a 64-bit draw when the range is >= 2^32 and the
    type is int64 or floating."""
    dtype = np.dtype(dtype)
    n = _count(shape)
    wide = span >= 1 << 32 and (dtype == np.int64 or dtype.kind == "f")
    words = gen.random64(n) if wide else gen.random(n)
    values = (words % np.uint64(span)).astype(np.int64) + np.int64(low)
    return values.astype(dtype).reshape(shape)


def random_full_range(gen: Generator, shape, dtype) -> np.ndarray:
    """``random_(from=-2^63, to=None)``: the 64-bit draw read as int64."""
    return gen.random64(_count(shape)).view(np.int64).astype(dtype).reshape(shape)


def randperm(gen: Generator, n: int) -> np.ndarray:
    """Forward Fisher–Yates as randperm_cpu runs it: for i < n-1, z = random() % (n-i), swap a[i], a[i+z].

    The n - 1 swaps are replayed without a Python loop. Position i is final after step i, and it receives what sat at
    j_i = i + z_i, which is either j_i itself (never touched) or the value D(k) that an earlier step k with the same
    target carried there. D(k), the value at position k when step k starts, is D(q) for the last earlier step q that
    targeted k, else k: a forest of pointers resolved by pointer jumping (log n rounds)."""
    if n >= (2 ** 32 - 1) // 20:
        return _randperm_inside_out(gen, n)
    if n <= 1:
        return np.arange(n, dtype=np.int64)
    steps = np.arange(n - 1, dtype=np.int64)
    target = steps + (gen.random(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).view(np.int64)
    # steps grouped by target, each group in step order: sort the unique keys target·n + step
    keys = np.sort(target * n + steps)
    sorted_target = keys // n
    order = keys - sorted_target * n
    same = sorted_target[1:] == sorted_target[:-1]
    previous = np.full(n - 1, -1, dtype=np.int64)  # the last earlier step with the same target
    previous[order[1:][same]] = order[:-1][same]
    last_in_group = np.append(~same, True)
    q = np.full(n, -1, dtype=np.int64)  # q[p]: the last step k < p with target p (a self-swap is not one)
    q[sorted_target[last_in_group]] = order[last_in_group]
    self_swap = np.flatnonzero(target == steps)
    q[self_swap] = previous[self_swap]
    parent = np.where(q >= 0, q, np.arange(n, dtype=np.int64))
    active = np.flatnonzero(q >= 0)
    while active.size:  # pointer jumping on the nodes whose parent is not yet a root
        grandparent = parent[parent[active]]
        parent[active] = grandparent
        active = active[parent[grandparent] != grandparent]
    result = np.empty(n, dtype=np.int64)
    carried = np.where(previous >= 0, parent[np.maximum(previous, 0)], target)
    result[:-1] = np.where(target == steps, parent[:-1], carried)
    result[-1] = parent[-1]
    return result


def _randperm_inside_out(gen: Generator, n: int) -> np.ndarray:
    """The n >= (2^32 - 1)/20 variant: inside-out Fisher–Yates with z = random64() % (i + 1)."""
    result = np.empty(n, dtype=np.int64)
    draws = gen.random64(n)
    for i in range(n):
        z = int(draws[i] % np.uint64(i + 1))
        result[i] = result[z]
        result[z] = i
    return result


# --- derived distributions ------------------------------------------------------------------------------------------
def bernoulli_scalar(gen: Generator, shape, p: float) -> np.ndarray:
    """``bernoulli_(p)``: one double uniform per element, u < p."""
    return unit_uniform(gen, _count(shape), np.float64).reshape(shape) < p


def bernoulli_tensor(gen: Generator, p: np.ndarray) -> np.ndarray:
    """``bernoulli_(p_tensor)`` / ``torch.bernoulli(p)``: a double uniform for a float64 p, else a 24-bit float
    uniform compared with p as float32."""
    if p.dtype == np.float64:
        return unit_uniform(gen, p.size, np.float64).reshape(p.shape) < p
    return unit_uniform(gen, p.size, np.float32).reshape(p.shape) < p.astype(np.float32)


def exponential(gen: Generator, shape, lambd: float) -> np.ndarray:
    """``exponential_(λ)``: (-1/λ) · log1p(-u) on a double uniform (float64 result; dividing by λ instead rounds
    differently in ~1/3 of the elements)."""
    u = unit_uniform(gen, _count(shape), np.float64)
    return ((-1.0 / lambd) * M.libm_log1p(-u)).reshape(shape)


def geometric(gen: Generator, shape, p: float) -> np.ndarray:
    """``geometric_(p)``: ceil(log(u) / log(1 - p)) on a double uniform."""
    u = unit_uniform(gen, _count(shape), np.float64)
    return np.ceil(M.libm_log(u) / math.log(1.0 - p)).reshape(shape)


def cauchy(gen: Generator, shape, median: float, sigma: float) -> np.ndarray:
    """``cauchy_(median, σ)``: median + σ tan(π (u - 1/2)) on a double uniform."""
    u = unit_uniform(gen, _count(shape), np.float64)
    return (median + sigma * M.libm_tan(math.pi * (u - 0.5))).reshape(shape)


def log_normal(gen: Generator, shape, mean: float, std: float) -> np.ndarray:
    """``log_normal_(mean, std)``: exp of normal_distribution<double>(mean, std) (the cached-pair path)."""
    return M.libm_exp(normal_pairs(gen, _count(shape), mean, std)).reshape(shape)


def rrelu_slopes(gen: Generator, x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """RReLU's training noise (``Activation.cpp`` _rrelu_with_noise_train): where x <= 0, in memory order, a double
    uniform u (53 bits) and r = u · (upper - lower) + lower in double without FMA, the bounds first rounded to x's
    type; 1 elsewhere."""
    work = np.float64 if x.dtype == np.float64 else np.float32
    lo, hi = float(work(lower)), float(work(upper))
    negative = np.ascontiguousarray(x) <= 0
    u = unit_uniform(gen, int(np.count_nonzero(negative)), np.float64)
    slopes = np.ones(x.shape, dtype=x.dtype)
    slopes[negative] = (u * (hi - lo) + lo).astype(x.dtype)
    return slopes
