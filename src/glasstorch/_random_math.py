"""The floating-point arithmetic behind torch's random recipes, reproduced to the last bit with NumPy.

torch's x86-64 wheel compiles its CPU kernels with GCC for AVX2, and GCC contracts ``a * b + c`` into one fused
multiply-add (rounded once). NumPy has no FMA, so two exact emulations live here:

- ``fma32(a, b, c)``: float32 operands; ``a * b`` is exact in float64 (24 + 24 bits), so ``a * b + c`` in float64 is
  rounded once to 53 bits and then to 24. That double rounding differs from one rounding only when the float64 result
  lands exactly on a float32 midpoint while the exact value does not; the exact remainder (TwoSum) says which way to
  nudge it first.
- ``fma64(a, b, c)``: float64 operands, by error-free transformations (Dekker's TwoProduct, Knuth's TwoSum) with the
  single tie case corrected from the exact remainder.

And the float32 AVX2 ``log256_ps`` / ``sincos256_ps`` of ``aten/src/ATen/native/cpu/avx_mathfun.h`` (cephes
polynomials, Julien Pommier's SSE/AVX port), with the fused steps GCC made of them, plus glibc's double-precision
``log``/``log1p``/``cos``/``sin`` through Python's ``math`` module (which calls the platform libm).
"""
from __future__ import annotations

import math

from ._backend import np

_F32 = np.float32
_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter for float64


def fma32(a, b, c) -> np.ndarray:
    """round_f32(a * b + c) with one rounding, for float32 arrays or numbers a, b, c (or float64 ones whose product
    a * b is exact in float64, such as 24-bit integers times a float32). The float64 sum is rounded once to 53 bits;
    rounding it again to 24 can only go wrong where it lands exactly on a float32 midpoint, so the exact remainder
    (TwoSum) is computed for those few elements only and nudges them off the midpoint first."""
    total = np.multiply(a, b, dtype=np.float64)
    total += c
    bits = total.view(np.uint64)
    on_midpoint = (bits & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000)
    if on_midpoint.any():
        where = np.nonzero(on_midpoint)
        product = (np.broadcast_to(np.asarray(a, dtype=np.float64), total.shape)[where]
                   * np.broadcast_to(np.asarray(b, dtype=np.float64), total.shape)[where])
        addend = np.broadcast_to(np.asarray(c, dtype=np.float64), total.shape)[where]
        rounded = total[where]
        virtual = rounded - product
        remainder = (product - (rounded - virtual)) + (addend - virtual)
        total[where] = np.where(remainder == 0, rounded,
                                np.nextafter(rounded, np.where(remainder > 0, np.inf, -np.inf)))
    return total.astype(_F32)


def _two_product(a: np.ndarray, b: np.ndarray):
    """p, e with p = fl(a*b) and a*b = p + e exactly (Dekker, Veltkamp splitting)."""
    p = a * b
    a_big = _SPLIT * a
    a_hi = a_big - (a_big - a)
    a_lo = a - a_hi
    b_big = _SPLIT * b
    b_hi = b_big - (b_big - b)
    b_lo = b - b_hi
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def _two_sum(a: np.ndarray, b: np.ndarray):
    """s, t with s = fl(a+b) and a+b = s + t exactly (Knuth)."""
    s = a + b
    virtual = s - a
    t = (a - (s - virtual)) + (b - virtual)
    return s, t


def fma64(a, b, c) -> np.ndarray:
    """round_f64(a * b + c) with one rounding, for float64 arrays: a*b + c = s + (t + e) exactly; rounding the small
    part first can only go wrong where the result sits on a half-ulp tie, which the exact remainder then breaks."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    p, e = _two_product(a, b)
    s, t = _two_sum(p, c)
    small, small_err = _two_sum(t, e)
    result, rest = _two_sum(s, small)
    with np.errstate(invalid="ignore"):
        half_ulp = np.abs(np.spacing(result)) / 2
        tie = (np.abs(rest) == half_ulp) & (small_err != 0)
    if np.any(tie):
        beyond = np.sign(small_err) == np.sign(rest)
        nudged = np.nextafter(result, np.where(rest > 0, np.inf, -np.inf))
        result = np.where(tie & beyond, nudged, result)  # (a remainder pointing back inside: already right)
    return result


# --- float32 AVX2 kernels of avx_mathfun.h ---------------------------------------------------------------------------
_LOG_P = [_F32(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
                            -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1 = _F32(-2.12194440e-4)
_LOG_Q2 = _F32(0.693359375)
_SQRTHF = _F32(0.707106781186547524)
_DP1, _DP2, _DP3 = _F32(-0.78515625), _F32(-2.4187564849853515625e-4), _F32(-3.77489497744594108e-8)
_SINCOF = [_F32(v) for v in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1)]
_COSCOF = [_F32(v) for v in (2.443315711809948E-005, -1.388731625493765E-003, 4.166664568298827E-002)]
_FOPI = _F32(1.27323954473516)


def log256_ps(x: np.ndarray) -> np.ndarray:
    """Natural log of positive float32 x as ``log256_ps`` computes it: x = m * 2^e with m in [0.5, 1); if m < sqrt(1/2)
    then e -= 1, m = 2m - 1 else m = m - 1; log x = m - m²/2 + m³ P(m) + e * (q1 + q2), q2 = 0.693359375,
    q1 = -2.12194440e-4, with P's Horner steps fused (fma) and the m³P(m)·m² step fused onto e*q1, as GCC compiled
    it (the other contraction, e*q1 fused onto the product, is off in ~1 of 10^5 elements)."""
    x = np.maximum(x.astype(_F32, copy=False), _F32(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(_F32) + _F32(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(_F32)
    small = m < _SQRTHF
    e = e - small.astype(_F32)
    m = (m - _F32(1)) + np.where(small, m, _F32(0))
    z = m * m
    m64 = m.astype(np.float64)  # (converted once for the nine steps that multiply by it)
    y = fma32(_LOG_P[0], m64, _LOG_P[1])
    for coefficient in _LOG_P[2:]:
        y = fma32(y, m64, coefficient)
    y = y * m
    y = fma32(y, z, e * _LOG_Q1)
    y = y - z * _F32(0.5)
    return fma32(e, _LOG_Q2, m + y)


def sincos256_ps(x: np.ndarray):
    """sin and cos of float32 x >= 0 as ``sincos256_ps`` computes them: j = (int(x·4/π) + 1) & ~1;
    r = x - j·π/4 by three fused steps (DP1 + DP2 + DP3 = -π/4); cos-polynomial 1 - r²/2 + r⁴ C(r²) and
    sin-polynomial r + r³ S(r²); j's bits 1 and 2 choose the polynomial and the signs."""
    x = x.astype(_F32, copy=False)
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float64)  # (j is a small integer: exact in either type)
    r = fma32(y, _DP1, x)
    r = fma32(y, _DP2, r)
    r = fma32(y, _DP3, r)
    sin_sign = (j & 4) << 29  # the sign bits, as the AVX code XORs them in
    cos_sign = ((~(j - 2)) & 4) << 29
    use_sin_poly = (j & 2) == 0
    z = r * r
    z64 = z.astype(np.float64)
    c = fma32(_COSCOF[0], z64, _COSCOF[1])
    c = fma32(c, z64, _COSCOF[2])
    c = c * z
    c = fma32(c, z64, -(z * _F32(0.5)))
    c = c + _F32(1)
    s = fma32(_SINCOF[0], z64, _SINCOF[1])
    s = fma32(s, z64, _SINCOF[2])
    s = s * z
    s = fma32(s, r, r)
    sine = np.where(use_sin_poly, s, c)
    cosine = np.where(use_sin_poly, c, s)
    sine = (sine.view(np.int32) ^ sin_sign).view(_F32)
    cosine = (cosine.view(np.int32) ^ cos_sign).view(_F32)
    return sine, cosine


# --- glibc double precision, through Python's math module ------------------------------------------------------------
def _libm(function, x: np.ndarray) -> np.ndarray:
    flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
    return np.fromiter(map(function, flat.tolist()), dtype=np.float64, count=flat.size).reshape(np.shape(x))


def libm_log(x: np.ndarray) -> np.ndarray:
    """glibc log, element by element (NumPy's SIMD log differs in the last bit for some inputs)."""
    return _libm(math.log, x)


def libm_log1p(x: np.ndarray) -> np.ndarray:
    return _libm(math.log1p, x)


def libm_cos(x: np.ndarray) -> np.ndarray:
    return _libm(math.cos, x)


def libm_sin(x: np.ndarray) -> np.ndarray:
    return _libm(math.sin, x)


def libm_tan(x: np.ndarray) -> np.ndarray:
    return _libm(math.tan, x)


def libm_exp(x: np.ndarray) -> np.ndarray:
    return _libm(math.exp, x)
