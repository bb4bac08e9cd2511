# Tensor.register_hook: a function that runs when the gradient for a tensor is computed.
# The hook on h prints the gradient arriving at h, then returns it doubled, so everything upstream
# of h (here x.grad) receives the doubled gradient. Watch the hook fire as an event in the timeline
# during the backward pass, and compare x.grad with 3 * x**2 = [3, 12], what it would be without the hook.
import torch


def double_and_show(grad):
    print("grad arriving at h:", grad)
    return grad * 2


x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x ** 3
h.register_hook(double_and_show)
y = h.sum()
y.backward()
print(x.grad)
