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
from .._lazy import lazy_attributes
from .modules import _LAZY

__getattr__, __dir__ = lazy_attributes(globals(), dict.fromkeys(_LAZY, ".modules"))  # beyond the course: on first use

__all__ = ["Parameter", "functional", "init", "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
           "ParameterDict", "Linear", "Identity", "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d",
           "BatchNorm3d", "LayerNorm", "Embedding", "Sigmoid", "Tanh", "ReLU", "ReLU6", "LeakyReLU", "PReLU",
           "RReLU", "ELU", "GELU", "SiLU", "Softplus", "Hardtanh", "Softmax", "LogSoftmax", "Softmin", "SELU",
           "CELU", "Softsign", "Mish", "Hardswish", "Hardsigmoid", "LogSigmoid", "Tanhshrink", "Threshold", "GLU",
           "Softmax2d", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "L1Loss", "MSELoss",
           "SmoothL1Loss", "HuberLoss",
           "KLDivLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
           "CosineEmbeddingLoss", "PoissonNLLLoss", "GaussianNLLLoss", "TripletMarginLoss", "CosineSimilarity",
           "PairwiseDistance",
           "Conv1d", "Conv2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "ZeroPad1d", "ZeroPad2d", "ConstantPad1d",
           "ConstantPad2d", "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d",
           "CircularPad1d", "CircularPad2d"]
__all__ += ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]
__all__ += ["GroupNorm", "LocalResponseNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "Dropout1d",
            "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "Upsample", "UpsamplingNearest2d",
            "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle", "Fold", "Unfold"]
