"""torch.optim: SGD, Adam, AdamW, RMSprop and Adagrad with param groups, state and lr_scheduler.

Each step follows PyTorch 2.13's single-tensor implementation (what it runs on CPU) operation by
operation in the parameter's dtype, so the numbers are PyTorch's. State tensors are kept where
PyTorch keeps them (`optimizer.state[p]["exp_avg"]` ...); a parameter's update is one in-place write,
recorded like any in-place op (its version goes up, the timeline shows it).
"""

from engine.torch.optim import lr_scheduler
from engine.torch.optim.optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
