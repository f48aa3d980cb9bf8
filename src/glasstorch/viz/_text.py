"""Every sentence of glasstorch.viz that a person reads, in one place (for the message catalogue to come)."""

NO_GRAPH = ("draw needs a tensor computed from tensors that require grad (it has no grad_fn); "
            "create the inputs with requires_grad=True")
NOT_A_TENSOR = "draw: expected a tensor, got {kind}"
BAD_PARAMS = "draw: params must be a dict of tensors or a module's named_parameters(), got {kind}"
TOO_LARGE = ("draw: the graph has {count} nodes, more than max_nodes={limit}; a drawing that large cannot be read. "
             "Draw a smaller piece (a single layer or block), or pass max_nodes={count} to draw it anyway")
BAD_SUFFIX = "save: {path} should end in .svg or .png"
BAD_RENDERER = "draw: renderer must be 'builtin', 'dot' or 'auto', got {renderer!r}"
NO_DOT = ("renderer='dot' needs Graphviz's dot program, which is not on the PATH; "
          "use the built-in renderer (renderer='builtin') or install Graphviz")
DOT_FAILED = "Graphviz's dot failed: {error}"
SHAPE = "shape {shape}"
DATA_PREFIX = "data "  # before a tensor's values (its continuation lines are indented as wide)
GRAD_PREFIX = "grad "
UNNAMED_LEAF = "leaf"
SHARED = "(drawn again: used {count} times)"

# the course's network (explain --draw)
NETWORK_TITLE = "The course's network: forward values on the neurons, dE/dw on the weights"
NEURON_NET = "net {value}"
NEURON_OUT = "out {value}"
INPUT_VALUE = "{value}"
WEIGHT = "{name} = {value}"
WEIGHT_GRAD = "∂E/∂{name} = {value}"
BIAS = "{name} = {value}"
TARGET = "target {value}"
ERROR = "E_{name} = {value}"
TOTAL = "E_total = {value}"
EXPLANATION_TITLE = "explain: the named quantities, ∂child/∂parent on each edge"
NAMED_VALUE = "= {value}"
NAMED_GRADIENT = "∂{output}/∂{name} = {value}"
