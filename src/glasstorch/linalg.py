"""``glasstorch.linalg``: vector norms (``vector_norm``) and ``norm`` in its vector and Frobenius forms, as
``torch.linalg`` names them. Matrix norms other than Frobenius (spectral, nuclear, max row/column sums) are not
implemented."""
from __future__ import annotations

from ._tensor import Tensor

__all__ = ["norm", "vector_norm"]


def vector_norm(x: Tensor, ord: float = 2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:  # noqa: A002
    """‖x‖_ord over ``dim`` (every element when None): 2 gives √(Σ x²), 1 gives Σ |x|, inf gives max |x|, 0 counts
    the non-zeros, any other ord (Σ |x|^ord)^(1/ord)."""
    if isinstance(ord, str):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}")
    return x.norm(ord, dim, keepdim, dtype=dtype)


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.norm: with ``ord`` None, the 2-norm of the vectors along ``dim`` (of all elements when None);
    with a number, the vector norm along one ``dim`` (or of a 1-D A); ``"fro"``, the Frobenius norm of the matrices
    along a 2-tuple ``dim`` (the last two dimensions of a 2-D A when None)."""
    dims = (dim,) if isinstance(dim, int) else dim
    if ord is None:
        return A.norm(2, dim, keepdim, dtype=dtype)
    if ord == "fro":
        if dims is None and A.dim() == 2:
            dims = (-2, -1)
        if dims is None or len(dims) != 2:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims or ()))}")
        return A.norm(2, dims, keepdim, dtype=dtype)
    if not isinstance(ord, str) and ((dims is not None and len(dims) == 1) or (dims is None and A.dim() == 1)):
        return A.norm(ord, dim, keepdim, dtype=dtype)
    raise NotImplementedError(f"glasstorch: linalg.norm(ord={ord!r}) of matrices is not supported (vector norms and "
                              f"'fro' are)")
