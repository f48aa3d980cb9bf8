"""One time step of a recurrent network: ``RNNCell``, ``LSTMCell``, ``GRUCell``, and the step functions that
``nn.RNN``/``nn.LSTM``/``nn.GRU`` (rnn.py) share with them.

Every step is written with differentiable ops (linear, sigmoid, tanh, chunk), so autograd derives the backward
through time by itself. Each step function takes ``gates_x`` = x W_ihᵀ + b_ih already computed: a cell computes it
for one step, a full layer for all its time steps at once (one matrix product instead of one per step).
"""
from __future__ import annotations

import math

from ..._creation import empty, zeros
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


# ---- the step equations (torch's gate order) -----------------------------------------------------------------------

def rnn_step(gates_x: Tensor, h: Tensor, weight_hh: Tensor, bias_hh: Tensor | None, nonlinearity: str) -> Tensor:
    """Elman step:  h' = act(W_ih x + b_ih + W_hh h + b_hh),  act = tanh or relu."""
    pre = gates_x + F.linear(h, weight_hh, bias_hh)
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def lstm_step(gates_x: Tensor, h: Tensor, c: Tensor, weight_hh: Tensor, bias_hh: Tensor | None,
              weight_hr: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """LSTM step, the four gates stacked in torch's order i, f, g, o (rows of W_ih and W_hh):

        i = σ(W_ii x + b_ii + W_hi h + b_hi)      input gate
        f = σ(W_if x + b_if + W_hf h + b_hf)      forget gate
        g = tanh(W_ig x + b_ig + W_hg h + b_hg)   candidate cell
        o = σ(W_io x + b_io + W_ho h + b_ho)      output gate
        c' = f ⊙ c + i ⊙ g
        h' = o ⊙ tanh(c')            (with proj_size > 0:  h' = W_hr (o ⊙ tanh(c')))
    """
    i, f, g, o = (gates_x + F.linear(h, weight_hh, bias_hh)).chunk(4, 1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_next = o.sigmoid() * c_next.tanh()
    if weight_hr is not None:
        h_next = F.linear(h_next, weight_hr)
    return h_next, c_next


def gru_step(gates_x: Tensor, h: Tensor, weight_hh: Tensor, bias_hh: Tensor | None) -> Tensor:
    """GRU step, the three gates stacked in torch's order r, z, n:

        r = σ(W_ir x + b_ir + W_hr h + b_hr)          reset gate
        z = σ(W_iz x + b_iz + W_hz h + b_hz)          update gate
        n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))  candidate (torch puts r inside, around W_hn h + b_hn)
        h' = (1 − z) ⊙ n + z ⊙ h
    """
    x_r, x_z, x_n = gates_x.chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, weight_hh, bias_hh).chunk(3, 1)
    r = (x_r + h_r).sigmoid()
    z = (x_z + h_z).sigmoid()
    n = (x_n + r * h_n).tanh()
    return (1 - z) * n + z * h


# ---- the cells -----------------------------------------------------------------------------------------------------

def _check_cell_sizes(cell: RNNCellBase, input: Tensor, hiddens: tuple[Tensor, ...]) -> None:  # noqa: A002
    """torch's checks of a cell's (batched) input and hidden states, with its words."""
    if input.shape[1] != cell.input_size:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {cell.input_size}")
    for k, hidden in enumerate(hiddens):
        if input.shape[0] != hidden.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                               f"{hidden.shape[0]}")
        if hidden.shape[1] != cell.hidden_size:
            raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {hidden.shape[1]}, expected "
                               f"{cell.hidden_size}")


class RNNCellBase(Module):
    """What the three cells share: weight_ih (chunks·hidden, input), weight_hh (chunks·hidden, hidden), and the
    biases bias_ih, bias_hh (chunks·hidden,) when ``bias``; every parameter starts from
    U(−1/√hidden, 1/√hidden)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, name: str, input: Tensor, hx, count: int):  # noqa: A002
        """(batched input, batched hidden states or zeros, is_batched): a 1-D input is one sample. The sizes are
        checked by the caller, after its own checks (torch's order)."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        hiddens = None if hx is None else (hx,) if count == 1 else tuple(hx)
        for k, hidden in enumerate(hiddens or ()):
            if hidden.dim() not in (1, 2):
                what = "hidden" if count == 1 else f"hx[{k}]"
                raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {hidden.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hiddens is None:
            hiddens = (zeros(input.shape[0], self.hidden_size, dtype=input.dtype),) * count
        elif not is_batched:
            hiddens = tuple(hidden.unsqueeze(0) for hidden in hiddens)
        return input, hiddens, is_batched


class RNNCell(RNNCellBase):
    """An Elman RNN cell:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)  (relu instead of tanh with
    ``nonlinearity="relu"``). Input (N, input_size) or (input_size,), hx alike with hidden_size (zeros if omitted)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        input, (h,), is_batched = self._prepare("RNNCell", input, hx, 1)
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        _check_cell_sizes(self, input, (h,))
        h = rnn_step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh,
                     self.nonlinearity)
        return h if is_batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """A long short-term memory cell (the equations: ``lstm_step``); returns (h', c').
    Weights stack the gates i, f, g, o: weight_ih (4·hidden, input). hx = (h, c), zeros if omitted."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:  # noqa: A002
        input, (h, c), is_batched = self._prepare("LSTMCell", input, hx, 2)
        _check_cell_sizes(self, input, (h, c))
        h, c = lstm_step(F.linear(input, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """A gated recurrent unit cell (the equations: ``gru_step``). Weights stack the gates r, z, n:
    weight_ih (3·hidden, input). hx zeros if omitted."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        input, (h,), is_batched = self._prepare("GRUCell", input, hx, 1)
        _check_cell_sizes(self, input, (h,))
        h = gru_step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return h if is_batched else h.squeeze(0)
