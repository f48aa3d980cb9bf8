"""Render tensors as text exactly the way ``repr(torch.Tensor)`` does.

The rules (as in PyTorch 2.13, default print options):

* One formatter is chosen for the whole tensor (or, when the tensor is
  summarised, for the elements that are actually shown).  Integer and bool
  tensors print ``str(value)``.  Floating tensors look only at the non-zero
  finite values and pick one of three styles:

  - *integer mode* when every such value is a whole number: ``3.`` / ``-0.``;
  - *scientific* (``1.0000e-05``) when max/min magnitude > 1000,
    max > 1e8 or min < 1e-4;
  - otherwise *fixed* with ``precision`` decimals (``0.5000``).

  Every element is right-aligned to the widest rendered value.
* 1-D rows wrap so that each line holds ``(linewidth - indent) // (width + 2)``
  elements; continuation lines are indented under the opening bracket.
* Tensors with more than ``threshold`` elements are summarised: each dimension
  longer than ``2 * edgeitems`` keeps ``edgeitems`` items at each end with
  ``...`` between them.
* Sub-tensors of an N-d tensor are separated by ``,`` plus ``N - 1`` newlines.
* Suffixes (``dtype=...``, ``requires_grad=True``, ...) follow the data,
  joined by ``", "``; one that would push the last line past ``linewidth``
  starts a new line indented by ``len("tensor(")``.  The dtype is spelled
  ``glasstorch.float64``, but lines are wrapped as if it read ``torch.float64``
  so the layout stays identical to torch's.

``PRINT_OPTS`` holds the options; replace or edit it to change them.
"""

from __future__ import annotations

import dataclasses

from . import _names
from ._backend import np

__all__ = ["PrintOptions", "PRINT_OPTS", "format_tensor"]


@dataclasses.dataclass
class PrintOptions:
    """Mutable print options; the defaults are torch's ``profile="default"``."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = PrintOptions()

_PREFIX = "tensor("
# dtypes whose name torch leaves out of a non-empty tensor's repr
_IMPLICIT_DTYPES = {"float32", "complex64", "int64", "bool"}


class _RealFormatter:
    """Turns one real/int/bool value into a fixed-width string."""

    def __init__(self, shown: np.ndarray):
        self.is_float = shown.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.is_float:
            self.width = max([1] + [len(str(v)) for v in shown.tolist()])
            return
        vals = shown[np.isfinite(shown) & (shown != 0)].astype(np.float64)
        if vals.size == 0:
            return
        mags = np.abs(vals)
        lo, hi = float(mags.min()), float(mags.max())
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)
        p = PRINT_OPTS.precision
        if self.sci_mode:
            texts, extra = [f"{v:.{p}e}" for v in vals.tolist()], 0
        elif self.int_mode:
            texts, extra = [f"{v:.0f}" for v in vals.tolist()], 1  # room for "."
        else:
            texts, extra = [f"{v:.{p}f}" for v in vals.tolist()], 0
        self.width = max(len(t) for t in texts) + extra

    def __call__(self, value) -> str:
        p = PRINT_OPTS.precision
        if not self.is_float:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if np.isfinite(value):
                text += "."
        else:
            text = f"{value:.{p}f}"
        return text.rjust(self.width)


class _ComplexFormatter:
    """Formats ``a+bj`` with separate formatters for the real and imaginary parts."""

    def __init__(self, shown: np.ndarray):
        self.real, self.imag = _RealFormatter(shown.real), _RealFormatter(shown.imag)
        self.width = self.real.width + self.imag.width + 1  # the trailing "j"

    def __call__(self, value) -> str:
        imag = (self.imag(value.imag) + "j").lstrip()
        sign = "" if imag[0] in "+-" else "+"
        return self.real(value.real) + sign + imag


def _shown_values(a: np.ndarray) -> np.ndarray:
    """Flat array of the elements that a summarised print actually displays."""
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0 or (a.ndim == 1 and a.size <= 2 * e):
        return a.reshape(-1)
    if a.ndim == 1:
        return np.concatenate([a[:e], a[-e:]])
    if not e:
        return a.reshape(-1)[:0]
    rows = [a[i] for i in _kept_indices(a.shape[0], True) if i is not None]
    return np.concatenate([_shown_values(r) for r in rows])


def _kept_indices(n: int, summarize: bool) -> list:
    """Indices printed along a dimension of length ``n``; ``None`` marks ``...``."""
    e = PRINT_OPTS.edgeitems
    if summarize and n > 2 * e:
        return [*range(e), None, *range(n - e, n)]
    return list(range(n))


def _render(a: np.ndarray, indent: int, summarize: bool, fmt) -> str:
    """Recursive body text (without the ``tensor(`` prefix) of ``a``."""
    if a.ndim == 0:
        return fmt(a.item())
    kept = _kept_indices(a.shape[0], summarize)
    if a.ndim == 1:
        if summarize and not PRINT_OPTS.edgeitems:
            items = ["..."]
        else:
            items = [" ..." if i is None else fmt(a[i].item()) for i in kept]
        per_line = max(1, (PRINT_OPTS.linewidth - indent) // (fmt.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    parts = ["..." if i is None else _render(a[i], indent + 1, summarize, fmt) for i in kept]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, key=value`` suffixes, wrapping one that would overflow the line."""
    out = [text]
    # torch counts the last line's length plus two (for the ", " to come)
    last_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        # lay out as torch would: measure "dtype=glasstorch.x" as "dtype=torch.x"
        size = len(suffix.replace(_names.prefix + ".", "torch."))
        if last_len + size + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_len = indent + size
        else:
            out.append(", " + suffix)
            last_len += size + 2
    return "".join(out) + ")"


def format_tensor(array: np.ndarray, dtype_name: str, suffixes: list[str]) -> str:
    """Return the ``repr`` torch would print for a CPU tensor holding ``array``.

    ``dtype_name`` is torch's name for the dtype (``"float32"``, ``"int64"`` ...);
    ``suffixes`` are extra ``key=value`` strings (``requires_grad=True``,
    ``grad_fn=<AddBackward0>``) placed after any size/dtype suffix.
    """
    a = np.asarray(array)
    indent = len(_PREFIX)
    dtype_suffix = f"dtype={_names.prefix}.{dtype_name}"
    extra = []
    if a.size == 0:
        # an empty tensor has no values to hint at its dtype, so only the
        # default floating dtype goes unmentioned
        if a.ndim != 1:
            extra.append(f"size={tuple(a.shape)}")
        if dtype_name != "float32":
            extra.append(dtype_suffix)
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            extra.append(f"size={tuple(a.shape)}")
        if dtype_name not in _IMPLICIT_DTYPES:
            extra.append(dtype_suffix)
        summarize = a.size > PRINT_OPTS.threshold
        shown = _shown_values(a) if summarize else a.reshape(-1)
        fmt = _ComplexFormatter(shown) if a.dtype.kind == "c" else _RealFormatter(shown)
        body = _render(a, indent, summarize, fmt)
    return _add_suffixes(_PREFIX + body, extra + list(suffixes), indent)
