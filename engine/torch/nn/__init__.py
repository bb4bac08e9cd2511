"""torch.nn: only the functional part."""
from engine.torch.nn import functional

__all__ = ["functional"]
