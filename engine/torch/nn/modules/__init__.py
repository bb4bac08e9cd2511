"""The layers of torch.nn, one file per family as in PyTorch."""

from engine.torch.nn.modules.activation import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from engine.torch.nn.modules.batchnorm import BatchNorm1d
from engine.torch.nn.modules.container import ModuleList, Sequential
from engine.torch.nn.modules.conv import Conv2d
from engine.torch.nn.modules.dropout import Dropout
from engine.torch.nn.modules.flatten import Flatten
from engine.torch.nn.modules.linear import Identity, Linear
from engine.torch.nn.modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from engine.torch.nn.modules.module import Module
from engine.torch.nn.modules.normalization import LayerNorm
from engine.torch.nn.modules.pooling import MaxPool2d
from engine.torch.nn.modules.sparse import Embedding

__all__ = [
    "Module",
    "Sequential",
    "ModuleList",
    "Linear",
    "Identity",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Sigmoid",
    "GELU",
    "Softmax",
    "LogSoftmax",
    "Dropout",
    "Embedding",
    "LayerNorm",
    "BatchNorm1d",
    "Conv2d",
    "MaxPool2d",
    "Flatten",
    "MSELoss",
    "L1Loss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
]
