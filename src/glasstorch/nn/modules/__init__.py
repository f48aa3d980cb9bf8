"""The layers of glasstorch.nn, one idea per file (as torch.nn.modules)."""
from .activation import (CELU, ELU, GELU, GLU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax,
                         Mish, PReLU, ReLU, ReLU6, RReLU, SELU, Sigmoid, SiLU, Softmax, Softmax2d, Softmin, Softplus,
                         Softsign, Tanh, Tanhshrink, Threshold)
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .container import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .dropout import AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss)
from .loss_more import (CosineEmbeddingLoss, CosineSimilarity, GaussianNLLLoss, HingeEmbeddingLoss, KLDivLoss,
                        MarginRankingLoss, MultiLabelSoftMarginLoss, PairwiseDistance, PoissonNLLLoss, SoftMarginLoss,
                        TripletMarginLoss)
from .module import Module
from ..._lazy import lazy_attributes, table
from .normalization import LayerNorm
from .normalization import GroupNorm, LocalResponseNorm
from .parameter_container import ParameterDict, ParameterList
from .sparse import Embedding

# beyond the course: loaded on first use (see glasstorch._lazy)
_LAZY = {**table(".conv", "Conv1d Conv2d"),
         **table(".pooling", "AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveMaxPool1d AdaptiveMaxPool2d AvgPool1d AvgPool2d "
                             "MaxPool1d MaxPool2d"),
         **table(".padding", "CircularPad1d CircularPad2d ConstantPad1d ConstantPad2d ReflectionPad1d ReflectionPad2d "
                             "ReplicationPad1d ReplicationPad2d ZeroPad1d ZeroPad2d"),
         **table(".instancenorm", "InstanceNorm1d InstanceNorm2d InstanceNorm3d"),
         **table(".upsampling", "PixelShuffle PixelUnshuffle Upsample UpsamplingBilinear2d UpsamplingNearest2d"),
         **table(".fold", "Fold Unfold"),
         **table(".rnn", "GRU LSTM RNN RNNBase"),
         **table(".rnn_cell", "GRUCell LSTMCell RNNCell RNNCellBase"),
         **table(".attention", "MultiheadAttention"),
         **table(".transformer", "TransformerEncoder TransformerEncoderLayer")}
__getattr__, __dir__ = lazy_attributes(globals(), _LAZY)

__all__ = ["Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Linear",
           "Identity", "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm",
           "Embedding", "Sigmoid", "Tanh", "ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "GELU", "SiLU",
           "Softplus", "Hardtanh", "Softmax", "LogSoftmax", "Softmin", "SELU", "CELU", "Softsign", "Mish",
           "Hardswish", "Hardsigmoid", "LogSigmoid", "Tanhshrink", "Threshold", "GLU", "Softmax2d",
           "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "L1Loss", "MSELoss", "SmoothL1Loss",
           "HuberLoss",
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
__all__ += ["MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder"]
