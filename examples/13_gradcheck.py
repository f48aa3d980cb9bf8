"""gradcheck: compare a backward with central finite differences (float64). A custom Function with a deliberately
wrong derivative is caught, and the message says which element disagrees.

    python examples/13_gradcheck.py
"""
import glasstorch as torch
from glasstorch.autograd import Function, gradcheck
from glasstorch.autograd.gradcheck import GradcheckError
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²


class Cube(Function):
    """f(x) = x³, f'(x) = 3x² (forward and backward work on NumPy arrays)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x ** 2


class WrongCube(Cube):
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x ** 2            # wrong on purpose


x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
print("sigmoid(x)·x:", gradcheck(lambda t: torch.sigmoid(t) * t, (x,)))
print("Cube:", gradcheck(Cube.apply, (x,)))
try:
    gradcheck(WrongCube.apply, (x,))
except GradcheckError as error:
    print("WrongCube:", str(error).splitlines()[0], "...")
    print(str(error).splitlines()[-1])
