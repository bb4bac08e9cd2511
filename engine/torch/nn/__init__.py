"""torch.nn: Module and the layers, Parameter, functional, init and utils."""

from engine.torch.nn import functional, init, utils
from engine.torch.nn.modules import *  # noqa: F401,F403
from engine.torch.nn.modules import __all__ as _modules
from engine.torch.nn.parameter import Parameter

__all__ = ["functional", "init", "utils", "Parameter", *_modules]
