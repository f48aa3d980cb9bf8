"""``LBFGS``: a quasi-Newton method: the step direction comes from an approximate inverse Hessian built from the
last few (parameter change, gradient change) pairs. Each ``step(closure)`` runs up to ``max_iter`` iterations.

All parameters are handled as one flat float32 vector. The scalars torch keeps as 0-d float32 tensors (dot
products, step lengths) are ``np.float32`` numbers here, which round like them: a Python float meeting one is
converted to float32 first, in NumPy as in torch.
"""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from .._layout import VIEW_ERROR, is_dense
from ..autograd import no_grad
from ..autograd.tensor_base import TensorBase, wrap
from .optimizer import Optimizer, ParamsT, check_tensor_lr
from .line_search import strong_wolfe

__all__ = ["LBFGS"]

_HISTORY_KEYS = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")


def _to_state(value):
    """A working value as torch stores it: arrays and float32 numbers become tensors, lists are converted item by
    item, Python numbers and None stay as they are."""
    if isinstance(value, list):
        return [_to_state(v) for v in value]
    if isinstance(value, (np.ndarray, np.floating)):
        return wrap(np.array(value))
    return value


def _from_state(value):
    """The inverse of ``_to_state``: 0-d tensors become float32 numbers, other tensors their arrays."""
    if isinstance(value, list):
        return [_from_state(v) for v in value]
    if isinstance(value, TensorBase):
        return value._data[()] if value._data.ndim == 0 else value._data
    return value


def two_loop_direction(flat_grad: np.ndarray, old_dirs: list, old_stps: list, ro: list, H_diag, al: list):
    """d ≈ -H⁻¹·g by the L-BFGS two-loop recursion over the stored pairs (s_i = step taken, y_i = change in
    gradient, ρ_i = 1/(y_i·s_i)), starting from the diagonal guess H_diag = (y·s)/(y·y) of the newest pair::

        q ← -g
        for i newest → oldest:  α_i = ρ_i·(s_i·q),   q ← q - α_i·y_i
        r ← H_diag·q
        for i oldest → newest:  β_i = ρ_i·(y_i·r),   r ← r + (α_i - β_i)·s_i
    """
    q = np.negative(flat_grad)
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = np.dot(old_stps[i], q) * ro[i]
        q += old_dirs[i] * -al[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        be_i = np.dot(old_dirs[i], r) * ro[i]
        r += old_stps[i] * (al[i] - be_i)
    return r


class LBFGS(Optimizer):
    r"""L-BFGS (limited-memory BFGS): Newton's step θ ← θ - H⁻¹·g, with the inverse Hessian H⁻¹ approximated from
    the last ``history_size`` pairs (s = Δθ, y = Δg), never stored as a matrix (see ``two_loop_direction``).

    torch's algorithm (what this class computes); one ``step(closure)`` is up to ``max_iter`` iterations::

        loss, g ← closure();  stop if max|g| ≤ tolerance_grad
        repeat:
            first iteration ever:  d ← -g
            else:  y ← g - g_prev,  s ← t·d;  if y·s > 1e-10: store (y, s, 1/(y·s)), H_diag ← (y·s)/(y·y)
                   d ← two-loop direction (≈ -H⁻¹·g)
            t ← min(1, 1/Σ|g|)·lr on the very first iteration, else lr
            stop if g·d > -tolerance_change              (d is no longer a descent direction)
            line_search_fn None:          θ ← θ + t·d, then loss, g ← closure()
            line_search_fn "strong_wolfe": t from a line search on loss(θ + t·d) (Wolfe conditions), θ ← θ + t·d
            stop after max_iter iterations or max_eval closure calls, or when max|g| ≤ tolerance_grad,
            max|t·d| ≤ tolerance_change or |loss - previous loss| < tolerance_change

    The closure must clear the gradients, compute the loss, call ``backward()`` and return the loss; ``step``
    returns the loss of its first closure call. Only one parameter group is allowed, as in torch.

    Args:
        params: tensors to optimize (one group).
        lr: learning rate, the step length t along d (default: 1).
        max_iter: iterations per ``step`` (default: 20).
        max_eval: closure calls per ``step`` (default: max_iter·5 // 4).
        tolerance_grad: stop when the largest |gradient| is at most this (default: 1e-7).
        tolerance_change: stop when the loss or the parameters change less than this (default: 1e-9).
        history_size: number of (s, y) pairs kept (default: 100).
        line_search_fn: None or "strong_wolfe" (default: None).

    State (held under the first parameter): ``"func_evals"``, ``"n_iter"``, and ``"d"``, ``"t"``, ``"old_dirs"``,
    ``"old_stps"``, ``"ro"``, ``"H_diag"``, ``"prev_flat_grad"``, ``"prev_loss"``, ``"al"`` as torch names them.
    """

    def __init__(self, params: ParamsT, lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval, "tolerance_grad": tolerance_grad,
                    "tolerance_change": tolerance_change, "history_size": history_size,
                    "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._params = self.param_groups[0]["params"]

    # ---- the parameters as one flat vector ---------------------------------------------------------------------
    def _gather_flat_grad(self) -> np.ndarray:
        """All gradients in one new float32 vector (zeros for a parameter without one). torch views each gradient as
        a vector, and a dense parameter's gradient has the parameter's layout, so a transposed one fails as there."""
        for p in self._params:
            if p._grad is not None and not p._data.flags.c_contiguous and is_dense(p._data):
                raise RuntimeError(VIEW_ERROR)
        return np.concatenate([np.zeros(p._data.size, p._data.dtype) if p._grad is None else p._grad._data.ravel()
                               for p in self._params])

    def _add_grad(self, step_size, update: np.ndarray) -> None:
        """θ ← θ + step_size·update, the flat update cut back into the parameters' shapes."""
        offset = 0
        for p in self._params:
            size = p._data.size
            p._data += update[offset:offset + size].reshape(p._data.shape) * step_size
            offset += size

    def _directional_evaluate(self, closure, x: list[np.ndarray], t, d: np.ndarray):
        """(loss, flat gradient) at θ + t·d; the parameters are then put back to ``x``."""
        self._add_grad(t, d)
        loss = float(self._run_closure(closure))
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x):
            np.copyto(p._data, saved)
        return loss, flat_grad

    def step(self, closure: Callable[[], Any]):  # type: ignore[override]
        """Runs up to ``max_iter`` L-BFGS iterations, calling ``closure`` for each loss and gradient; returns the
        loss of the first call. Runs in no-grad mode, as torch's does (the closure in grad mode)."""
        with no_grad():
            return self._iterate(closure)

    def _iterate(self, closure: Callable[[], Any]):
        group = self.param_groups[0]
        lr = group["lr"]  # kept as given, as torch does: t = lr is stored in the state (an int stays an int)
        if isinstance(lr, TensorBase):
            lr = lr._data.reshape(())[()]
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._run_closure(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = (
            _from_state(state.get(key)) for key in _HISTORY_KEYS)
        al = _from_state(state.get("al"))
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = np.negative(flat_grad)
                old_dirs, old_stps, ro, H_diag = [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = np.dot(y, s)
                if ys > 1e-10:  # keep the pair only where the curvature y·s is positive
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / np.dot(y, y)
                if al is None:  # torch creates this scratch list on the second iteration, and keeps it in the state
                    al = [None] * history_size
                    state["al"] = al
                d = two_loop_direction(flat_grad, old_dirs, old_stps, ro, H_diag, al)
            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                np.copyto(prev_flat_grad, flat_grad)
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = np.dot(flat_grad, d)
            if gtd > -tolerance_change:  # not a descent direction any more
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [p._data.copy() for p in self._params]

                def obj_func(x, t, d):
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = strong_wolfe(obj_func, x_init, t, d, loss, flat_grad, gtd,
                                                                 max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:  # the last iteration's loss is left to the next step's first call
                    loss = float(self._run_closure(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        for key, value in zip(_HISTORY_KEYS, (d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss)):
            state[key] = _to_state(value)
        if al is not None:
            state["al"] = _to_state(al)
        return orig_loss
