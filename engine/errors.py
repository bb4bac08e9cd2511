"""The engine's errors in PyTorch's words: the bottom layer, importing nothing of the engine.

Messages that several layers raise live here so each says it exactly as PyTorch does.
"""


class BadArgument(TypeError):
    """An op was given an argument of a type its PyTorch signature does not take (engine/ops/arguments.py
    turns it into PyTorch's argument-parser message)."""


SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
REQUIRES_GRAD_NOT_FLOAT = "Only Tensors of floating point and complex dtype can require gradients"
NO_GRAD_FN = "element 0 of tensors does not require grad and does not have a grad_fn"
