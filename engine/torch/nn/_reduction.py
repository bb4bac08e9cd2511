"""torch.nn._reduction: the legacy size_average/reduce arguments of the losses."""

from engine.ops.l1_loss import legacy_get_string

__all__ = ["legacy_get_string"]
