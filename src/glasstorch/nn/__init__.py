"""``glasstorch.nn``: modules, parameters, layers, activations, losses, ``functional`` and ``init``, with torch's
API (``import glasstorch.nn as nn``)."""
from . import functional, init, utils
from .modules import (BCELoss, BCEWithLogitsLoss, BatchNorm1d, BatchNorm2d, BatchNorm3d, CrossEntropyLoss, Dropout,
                      ELU, Flatten, GELU, Hardtanh, HuberLoss, Identity, L1Loss, LeakyReLU, Linear, LogSoftmax,
                      Module, ModuleDict, ModuleList, MSELoss, NLLLoss, ParameterDict, ParameterList, PReLU, ReLU,
                      ReLU6, RReLU, Sequential, Sigmoid, SiLU, SmoothL1Loss, Softmax, Softmin, Softplus, Tanh,
                      Unflatten)
from .modules import (CELU, GLU, Hardsigmoid, Hardswish, LogSigmoid, Mish, SELU, Softmax2d, Softsign, Tanhshrink,
                      Threshold)
from .modules import Embedding, LayerNorm
from .modules import (AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout, GroupNorm,
                      LocalResponseNorm)
from .modules import (CosineEmbeddingLoss, CosineSimilarity, GaussianNLLLoss, HingeEmbeddingLoss, KLDivLoss,
                      MarginRankingLoss, MultiLabelSoftMarginLoss, PairwiseDistance, PoissonNLLLoss, SoftMarginLoss,
                      TripletMarginLoss)
from .parameter import Parameter
from . import parallel  # noqa: E402 - torch.nn.parallel.DataParallel as an attribute path
from .._lazy import lazy_attributes
from .modules import _LAZY
from .modules import __all__ as _modules_all

__getattr__, __dir__ = lazy_attributes(globals(), dict.fromkeys(_LAZY, ".modules"))  # beyond the course: on first use

__all__ = ["Parameter", "functional", "init", *_modules_all]
