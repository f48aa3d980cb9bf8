"""``glasstorch.summary(model, input_size, batch_size=-1)``: the layer table of the ``torchsummary`` package.

Like torchsummary, it runs one forward pass on a random batch of 2 (``rand(2, *input_size)``), records each layer
through a forward hook (every module except the model itself, Sequential and ModuleList), and counts for each
layer the elements of its ``weight`` and ``bias`` attributes (so buffers and other parameters are not counted,
exactly as torchsummary does). Sizes in MB assume 4 bytes per number; "Forward/backward pass size" is twice the
layer outputs (values and gradients). The table is printed with torchsummary's layout, and the figures are
returned as a ``ModelSummary`` for programs.

The course's phone-price model (20 → 128 → 256 → 4, batch 16) gives 2,688 / 33,024 / 1,028 parameters, total
36,740; its 3-3-2-2 model gives 26. Unlike torchsummary, the model's buffers (BatchNorm running statistics) are left
as they were before the call.
"""
from __future__ import annotations

import dataclasses

from ._creation import rand
from ._html import table
from .autograd import no_grad
from .nn import Module, ModuleList, Sequential

__all__ = ["summary", "ModelSummary", "LayerSummary"]

_RULE = "-" * 64
_DOUBLE_RULE = "=" * 64
_MB = 1024.0 ** 2
_HEADERS = ("Layer (type)", "Output Shape", "Param #")


@dataclasses.dataclass
class LayerSummary:
    """One row: ``name`` is "Linear-1" (class name and call order), shapes have the batch dimension replaced by
    ``batch_size`` (−1 by default), ``params`` counts weight and bias, ``trainable`` is the weight's requires_grad
    (None for layers without a weight)."""

    name: str
    layer_type: str
    input_shape: list
    output_shape: list
    params: int
    trainable: bool | None


@dataclasses.dataclass(repr=False)
class ModelSummary:
    """The rows and the totals of a summary; iterating yields the rows, ``str()`` gives the printed table (and the
    repr stays one line, so a notebook does not echo the table twice)."""

    rows: list
    total_params: int
    trainable_params: int
    non_trainable_params: int
    input_size_mb: float
    forward_backward_size_mb: float
    params_size_mb: float
    total_size_mb: float

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def _totals(self) -> tuple[list[str], list[str]]:
        """The lines under the table: parameter counts, then sizes (shared by the text and the HTML)."""
        counts = [f"Total params: {self.total_params:,}",
                  f"Trainable params: {self.trainable_params:,}",
                  f"Non-trainable params: {self.non_trainable_params:,}"]
        sizes = ["Input size (MB): %0.2f" % self.input_size_mb,
                 "Forward/backward pass size (MB): %0.2f" % self.forward_backward_size_mb,
                 "Params size (MB): %0.2f" % self.params_size_mb,
                 "Estimated Total Size (MB): %0.2f" % self.total_size_mb]
        return counts, sizes

    def _repr_html_(self) -> str:
        """The table for a notebook (the printed text is unchanged)."""
        rows = [[row.name, str(row.output_shape), f"{row.params:,}"] for row in self.rows]
        counts, sizes = self._totals()
        footer = counts + sizes
        return table(list(_HEADERS), rows, footer=footer)

    def __repr__(self) -> str:
        return f"ModelSummary({len(self.rows)} layers, {self.total_params:,} params)"

    def __str__(self) -> str:
        lines = [_RULE, "{:>20}  {:>25} {:>15}".format(*_HEADERS), _DOUBLE_RULE]
        for row in self.rows:
            lines.append("{:>20}  {:>25} {:>15}".format(row.name, str(row.output_shape), f"{row.params:,}"))
        counts, sizes = self._totals()
        lines += [_DOUBLE_RULE, *counts, _RULE, *sizes, _RULE]
        return "\n".join(lines)


def _product(values) -> int:
    """The product of every number in a (possibly nested) list, as ``np.prod`` of a shape list."""
    result = 1
    for v in values:
        result *= _product(v) if isinstance(v, (list, tuple)) else int(v)
    return result


def _numel(value) -> int | None:
    """Elements of a weight/bias attribute, or None when it is absent (torchsummary: ``hasattr(x, "size")``)."""
    return _product(value.size()) if hasattr(value, "size") and callable(value.size) else None


def _record(rows: list, batch_size: int):
    def hook(module: Module, args: tuple, output) -> None:
        input_shape = list(args[0].size()) if args and hasattr(args[0], "size") else []
        if input_shape:
            input_shape[0] = batch_size
        if isinstance(output, (list, tuple)):
            output_shape = [[-1] + list(o.size())[1:] for o in output]
        else:
            output_shape = list(output.size())
            if output_shape:
                output_shape[0] = batch_size
        params, trainable = 0, None
        weight_count = _numel(getattr(module, "weight", None))
        if weight_count is not None:
            params += weight_count
            trainable = bool(module.weight.requires_grad)
        bias_count = _numel(getattr(module, "bias", None))
        if bias_count is not None:
            params += bias_count
        name = type(module).__name__
        rows.append(LayerSummary(f"{name}-{len(rows) + 1}", name, input_shape, output_shape, params, trainable))

    return hook


def summary(model: Module, input_size, batch_size: int = -1, device: str = "cpu") -> ModelSummary:
    """Prints the torchsummary table of ``model`` for inputs of shape ``input_size`` (one tuple, or a list of tuples
    for several inputs) and returns it as a ``ModelSummary``. ``device`` ("cpu" or "cuda", torchsummary's argument)
    is accepted for compatibility; glasstorch runs on the CPU."""
    if str(device).lower() not in ("cuda", "cpu"):
        raise ValueError("Input device is not valid, please specify 'cuda' or 'cpu'")
    sizes = [input_size] if isinstance(input_size, tuple) else list(input_size)
    inputs = [rand(2, *size) for size in sizes]
    rows: list = []
    hook = _record(rows, batch_size)
    handles: list = []

    def register(module: Module) -> None:  # visited as torchsummary does, through model.apply
        if module is not model and not isinstance(module, (Sequential, ModuleList)):
            handles.append(module.register_forward_hook(hook))

    model.apply(register)
    saved = [(buf, buf._data.copy()) for buf in model.buffers()]
    try:
        with no_grad():
            model(*inputs)
    finally:
        for handle in handles:
            handle.remove()
        for buf, data in saved:
            buf._data[...] = data
    total = sum(row.params for row in rows)
    trainable = sum(row.params for row in rows if row.trainable)
    outputs = sum(_product(row.output_shape) for row in rows)
    input_mb = abs(_product(sizes) * batch_size * 4.0 / _MB)
    output_mb = abs(2.0 * outputs * 4.0 / _MB)
    params_mb = abs(total * 4.0 / _MB)
    result = ModelSummary(rows, total, trainable, total - trainable, input_mb, output_mb, params_mb,
                          params_mb + output_mb + input_mb)
    print(result)
    return result

