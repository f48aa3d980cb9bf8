"""The words drawn inside a picture: torch's attribute names (shape, data, grad) and the formulas' symbols (net, out,
∂E/∂w), the same in every language: the pictures' monospaced font has no CJK glyphs and box widths are counted in
characters. Sentences (errors, titles) come from the message catalogue (``glasstorch.i18n``, keys ``viz.*``)."""

SHAPE = "shape {shape}"
DATA_PREFIX = "data "  # before a tensor's values (its continuation lines are indented as wide)
GRAD_PREFIX = "grad "
UNNAMED_LEAF = "leaf"
SHARED = "(drawn again: used {count} times)"

# the course's network (explain --draw)
NEURON_NET = "net {value}"
NEURON_OUT = "out {value}"
INPUT_VALUE = "{value}"
WEIGHT = "{name} = {value}"
WEIGHT_GRAD = "∂E/∂{name} = {value}"
BIAS = "{name} = {value}"
TARGET = "target {value}"
ERROR = "E_{name} = {value}"
TOTAL = "E_total = {value}"
NAMED_VALUE = "= {value}"
NAMED_GRADIENT = "∂{output}/∂{name} = {value}"
