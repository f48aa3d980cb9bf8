"""Recurrent layers over whole sequences: ``RNN``, ``LSTM``, ``GRU`` (stacked layers, both directions).

A layer runs its cell's step (rnn_cell.py) along time, feeding each step's hidden state into the next:

    for t = 1 … L:   h_t = step(x_t, h_{t−1})          (LSTM: (h_t, c_t) = step(x_t, h_{t−1}, c_{t−1}))

The output holds h_t of the last layer for every t; h_n holds the final h of every layer and direction. A reverse
direction (``bidirectional=True``) runs t = L … 1 with its own weights, and the two outputs are joined feature-wise.
Layer k > 0 reads layer k − 1's output, with dropout in between in training mode. Backward through time is
autograd's work: the steps are ordinary differentiable ops.

Shapes (torch's): input (L, N, H_in), or (N, L, H_in) with ``batch_first``, or unbatched (L, H_in);
output (L, N, D·H_out); h_0 and h_n (num_layers·D, N, H_out), always batch second; D = 2 if bidirectional else 1,
H_out = proj_size if proj_size > 0 else hidden_size.
"""
from __future__ import annotations

import math
import numbers
import warnings

from ..._creation import empty, zeros
from ..._functional import cat, stack
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module
from .rnn_cell import gru_step, lstm_step, rnn_step

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters of every layer and direction, in torch's order and names
    (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k}, with a ``_reverse`` suffix for
    the backward direction), all initialised from U(−1/√hidden_size, 1/√hidden_size), and the loop through
    time."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None) -> None:
        super().__init__()
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                             "being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=2)  # torch's: the line in the subclass's __init__
        for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                                  ("input_size", input_size, int), ("hidden_size", hidden_size, int)):
            if not isinstance(value, kind):
                raise TypeError(f"{name} should be of type {kind.__name__}, got: {type(value).__name__}")
            if kind is int and value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size

        gate_size = _GATES[mode] * hidden_size
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            layer_input_size = input_size if layer == 0 else real_hidden_size * directions
            for direction in range(directions):
                shapes = {"weight_ih": (gate_size, layer_input_size), "weight_hh": (gate_size, real_hidden_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                suffix = "_reverse" if direction == 1 else ""
                names = [f"{kind}_l{layer}{suffix}" for kind in shapes]
                for name, shape in zip(names, shapes.values()):
                    setattr(self, name, Parameter(empty(*shape, dtype=dtype)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def flatten_parameters(self) -> None:
        """A no-op: torch packs the weights into one buffer for cuDNN; glasstorch has no cuDNN."""

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters grouped per layer and direction, as torch lists them."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # ---- checks, in torch's words ----------------------------------------------------------------------------------
    def _prepare_input(self, input: Tensor) -> tuple[Tensor, bool]:  # noqa: A002
        """(batched input, is_batched): an unbatched (L, H_in) input gets a batch of one."""
        if input.dim() not in (2, 3):
            tensor = " tensor" if self.mode.startswith("RNN") else ""
            raise ValueError(f"{self.mode.split('_')[0]}: Expected input to be 2D or 3D, got {input.dim()}D"
                             f"{tensor} instead")
        is_batched = input.dim() == 3
        return (input if is_batched else input.unsqueeze(0 if self.batch_first else 1)), is_batched

    def check_input(self, input: Tensor) -> None:  # noqa: A002
        weight_dtype = self.weight_ih_l0.dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert "
                             f"input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        if self.input_size != input.shape[-1]:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")

    def get_expected_hidden_size(self, input: Tensor, cell: bool = False) -> tuple[int, int, int]:  # noqa: A002
        mini_batch = input.shape[0] if self.batch_first else input.shape[1]
        size = self.proj_size if self.proj_size > 0 and not cell else self.hidden_size
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, list(hx.shape)))

    def _zeros(self, input: Tensor, cell: bool = False) -> Tensor:  # noqa: A002
        return zeros(*self.get_expected_hidden_size(input, cell), dtype=input.dtype)

    # ---- the loop through time -------------------------------------------------------------------------------------
    def _run(self, input: Tensor, h0: Tensor, c0: Tensor | None = None):  # noqa: A002
        """(output, h_n, c_n) of the stacked layers for a batched input (layout per ``batch_first``)."""
        x = input.transpose(0, 1) if self.batch_first else input  # time first: x[t] is step t
        directions = 2 if self.bidirectional else 1
        initial_h = h0.unbind(0)
        initial_c = c0.unbind(0) if c0 is not None else None
        final_h, final_c = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                suffix = "_reverse" if direction else ""
                w_ih, w_hh, b_ih, b_hh, w_hr = (getattr(self, f"{kind}_l{layer}{suffix}", None) for kind in
                                                ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr"))
                gates_x = F.linear(x, w_ih, b_ih).unbind(0)  # x W_ihᵀ + b_ih for every step at once
                h = initial_h[k]
                c = initial_c[k] if initial_c is not None else None
                steps = range(len(gates_x)) if direction == 0 else reversed(range(len(gates_x)))
                out = [None] * len(gates_x)
                for t in steps:
                    if self.mode == "LSTM":
                        h, c = lstm_step(gates_x[t], h, c, w_hh, b_hh, w_hr)
                    elif self.mode == "GRU":
                        h = gru_step(gates_x[t], h, w_hh, b_hh)
                    else:
                        h = rnn_step(gates_x[t], h, w_hh, b_hh, "tanh" if self.mode == "RNN_TANH" else "relu")
                    out[t] = h
                outputs.append(stack(out))
                final_h.append(h)
                final_c.append(c)
            x = outputs[0] if directions == 1 else cat(outputs, 2)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, training=True)
        output = x.transpose(0, 1) if self.batch_first else x
        return output, stack(final_h), (stack(final_c) if c0 is not None else None)

    def _unbatch(self, output: Tensor, is_batched: bool) -> Tensor:
        return output if is_batched else output.squeeze(0 if self.batch_first else 1)


class RNN(RNNBase):
    """An Elman RNN, one step per element:  h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)  (relu with
    ``nonlinearity="relu"``). RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
    batch_first=False, dropout=0.0, bidirectional=False). forward(input, h_0=None) → (output, h_n)."""

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:  # noqa: A002
        return _forward_one_state(self, input, hx)


class GRU(RNNBase):
    """A gated recurrent unit over a sequence (the step's equations: rnn_cell.gru_step, gates r, z, n).
    GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False).
    forward(input, h_0=None) → (output, h_n)."""

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:  # noqa: A002
        return _forward_one_state(self, input, hx)


def _forward_one_state(module: RNNBase, input: Tensor, hx: Tensor | None):  # noqa: A002
    """RNN's and GRU's forward: one hidden state h."""
    input, is_batched = module._prepare_input(input)  # noqa: A001
    if hx is not None and hx.dim() != (3 if is_batched else 2):
        raise RuntimeError(f"For {'batched 3' if is_batched else 'unbatched 2'}-D input, hx should also be "
                           f"{3 if is_batched else 2}-D but got {hx.dim()}-D tensor")
    hx = module._zeros(input) if hx is None else hx if is_batched else hx.unsqueeze(1)
    module.check_input(input)
    module.check_hidden_size(hx, module.get_expected_hidden_size(input))
    output, h_n, _ = module._run(input, hx)
    return module._unbatch(output, is_batched), (h_n if is_batched else h_n.squeeze(1))


class LSTM(RNNBase):
    """A long short-term memory network over a sequence (the step's equations: rnn_cell.lstm_step, gates
    i, f, g, o). LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, proj_size=0). forward(input, (h_0, c_0)=None) → (output, (h_n, c_n)); c has hidden_size
    features, h has proj_size of them when proj_size > 0 (h = W_hr (o ⊙ tanh c))."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None):  # noqa: A002
        input, is_batched = self._prepare_input(input)  # noqa: A001
        if hx is None:
            h0, c0 = self._zeros(input), self._zeros(input, cell=True)
        else:
            h0, c0 = hx[0], hx[1]
            wanted = 3 if is_batched else 2
            if h0.dim() != wanted or c0.dim() != wanted:
                kind = "batched 3" if is_batched else "unbatched 2"
                raise RuntimeError(f"For {kind}-D input, hx and cx should also be {wanted}-D but got ({h0.dim()}-D, "
                                   f"{c0.dim()}-D) tensors")
            if not is_batched:
                h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)
        self.check_input(input)
        self.check_hidden_size(h0, self.get_expected_hidden_size(input), "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(c0, self.get_expected_hidden_size(input, cell=True),
                               "Expected hidden[1] size {}, got {}")
        output, h_n, c_n = self._run(input, h0, c0)
        if not is_batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._unbatch(output, is_batched), (h_n, c_n)
