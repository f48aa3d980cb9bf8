"""gradcheck: analytical gradients (backward) against central finite differences, as ``torch.autograd.gradcheck``.

For a function ``f`` of tensors, two Jacobians are compared for every differentiable output ``o`` and every input
``x`` that requires grad, both laid out as torch lays them out, one row per input element, one column per output
element, in float64:

    numerical[j, m]  = (o_m(x + eps·e_j) − o_m(x − eps·e_j)) / (2·eps)      central differences
    analytical[j, m] = ∂o_m/∂x_j  from backward with the one-hot grad_output e_m

They agree when ``|analytical − numerical| ≤ atol + rtol·|numerical|`` everywhere (``allclose``). Otherwise a
``GradcheckError`` (a RuntimeError) names the output and the input as torch does, prints both Jacobians, and adds
where they differ most (which element of which input, which element of which output).

torch's defaults: eps=1e-6, atol=1e-5, rtol=1e-3. Inputs should be float64: in float32 the differences are too coarse
(torch warns the same way). ``fast_mode`` runs the same exact (slow-mode) check; forward-mode AD and batched
gradients are not implemented.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable

from .._backend import np
from . import engine
from .grad_mode import no_grad
from .tensor_base import TensorBase, wrap

__all__ = ["GradcheckError", "gradcheck"]


class GradcheckError(RuntimeError):
    """Error raised by :func:`gradcheck` (torch's name and base class)."""


def gradcheck(func: Callable, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None) -> bool:
    """True when backward agrees with finite differences for every (output, input) pair; else raises
    ``GradcheckError`` (or returns False with ``raise_exception=False``)."""
    for flag, name in ((check_batched_grad, "check_batched_grad"), (check_batched_forward_grad, "check_batched_forward_grad"),
                       (check_forward_ad, "check_forward_ad")):
        if flag:
            raise NotImplementedError(f"glasstorch does not implement gradcheck({name}=True)")
    try:
        return _check(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes, check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _check(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes, check_backward_ad) -> bool:
    tupled = _as_tuple(inputs)
    diff_inputs = [t for t in tupled if isinstance(t, TensorBase) and t.requires_grad]
    if not diff_inputs:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")
    for i, t in enumerate(tupled):
        if isinstance(t, TensorBase) and t.requires_grad and t._data.dtype != np.float64:
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating "
                          "point or complex. ", stacklevel=3)
    func_out = _as_tuple(func(*tupled))
    outputs = [o for o in func_out if isinstance(o, TensorBase) and o.requires_grad]
    numerical = _numerical_jacobians(func, tupled, diff_inputs, eps)  # [input][output] arrays (in_numel, out_numel)
    if not outputs:
        if any(np.any(jac != 0) for per_input in numerical for jac in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    if not check_backward_ad:
        return True
    position = {id(o): k for k, o in enumerate(func_out)}
    for out_index, output in enumerate(outputs):
        first = _analytical_jacobians(output, diff_inputs, check_grad_dtypes)
        second = _analytical_jacobians(output, diff_inputs, check_grad_dtypes)
        for in_index, (analytical, again) in enumerate(zip(first, second)):
            num = numerical[in_index][position[id(output)]]
            if not _allclose(analytical, num, rtol, atol):
                raise GradcheckError(_mismatch_message(analytical, num, out_index, in_index, output, diff_inputs[in_index],
                                                       rtol, atol))
            if np.max(np.abs(analytical - again), initial=0.0) > nondet_tol:
                raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and grad_output "
                                     "multiple times gives different values, although analytical gradient matches "
                                     f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}.")
    return True


def _allclose(analytical: np.ndarray, numerical: np.ndarray, rtol: float, atol: float) -> bool:
    return bool(np.all(np.abs(analytical - numerical) <= atol + rtol * np.abs(numerical)))


def _output_arrays(func, tupled) -> list:
    with no_grad():
        outs = _as_tuple(func(*tupled))
    return [np.array(o._data, dtype=np.float64).reshape(-1) if isinstance(o, TensorBase) else None for o in outs]


def _numerical_jacobians(func, tupled, diff_inputs, eps) -> list:
    """Central differences, perturbing each input element in place (and restoring it)."""
    reference = _output_arrays(func, tupled)
    jacobians = []
    for x in diff_inputs:
        data = x._data
        if not data.flags.writeable:
            raise GradcheckError("gradcheck needs inputs whose data can be perturbed in place (got a read-only array)")
        per_output = [np.zeros((data.size, r.size)) if r is not None else None for r in reference]
        for j, index in enumerate(np.ndindex(data.shape)):
            original = data[index].copy()
            data[index] = original + eps
            plus = _output_arrays(func, tupled)
            data[index] = original - eps
            minus = _output_arrays(func, tupled)
            data[index] = original
            for jac, p, m in zip(per_output, plus, minus):
                if jac is not None:
                    jac[j] = (p - m) / (2 * eps)
        jacobians.append(per_output)
    return jacobians


def _analytical_jacobians(output: TensorBase, diff_inputs: list, check_grad_dtypes: bool) -> list:
    """One backward per output element (one-hot grad_output) gives one column of each input's Jacobian."""
    jacobians = [np.zeros((x._data.size, output._data.size)) for x in diff_inputs]
    for m in range(output._data.size):
        seed = np.zeros(output._data.shape, dtype=output._data.dtype)
        seed.reshape(-1)[m] = 1
        grads = engine.run_backward([(output, seed)], True, tuple(diff_inputs))
        for jac, x in zip(jacobians, diff_inputs):
            g = grads[id(x)]
            if g is None:
                continue
            if g.shape != x._data.shape:
                raise GradcheckError("Analytical gradient has incorrect size")
            if check_grad_dtypes and g.dtype != x._data.dtype:
                raise GradcheckError("Gradient has dtype mismatch")
            jac[:, m] = np.asarray(g, dtype=np.float64).reshape(-1)
    return jacobians


def _mismatch_message(analytical, numerical, out_index, in_index, output, x, rtol, atol) -> str:
    excess = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
    j, m = np.unravel_index(int(np.argmax(excess)), excess.shape)
    in_element = _element_name(np.unravel_index(j, x._data.shape))
    out_element = _element_name(np.unravel_index(m, output._data.shape))
    return (f"Jacobian mismatch for output {out_index:d} with respect to input {in_index:d},\n"
            f"numerical:{wrap(numerical)}\nanalytical:{wrap(analytical)}\n"
            f"largest disagreement: d output{out_element} / d input {in_index}{in_element}: "
            f"numerical {numerical[j, m]:.8g}, analytical {analytical[j, m]:.8g} "
            f"(allowed difference {atol + rtol * abs(numerical[j, m]):.3g})\n")


def _element_name(index: tuple) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]" if index else ""
