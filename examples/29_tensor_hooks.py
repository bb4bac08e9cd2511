# Tensor.register_hook: a function that runs when the gradient for a tensor is computed.
# h is not a leaf, so PyTorch does not keep h.grad; a hook is how you look at the gradient flowing
# through it during backward. Watch the hook fire as an event in the timeline, printing dy/dh = 1,
# before the backward pass reaches x and x.grad becomes 3 * x**2 = [3, 12].
import torch


def show(grad):
    print("grad arriving at h:", grad)


x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x ** 3
h.register_hook(show)
y = h.sum()
y.backward()
print(x.grad)
