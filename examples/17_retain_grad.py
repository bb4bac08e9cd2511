# Keeping the gradient of an intermediate tensor with retain_grad().
# Only leaves keep their .grad after backward; h is a non-leaf, so normally h.grad stays None.
# Calling h.retain_grad() before backward asks PyTorch to keep it: watch h receive dL/dh in the
# backward animation, then x receive dL/dh * dh/dx. g has no retain_grad, so g.grad stays None.
import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 2
h.retain_grad()
g = h + 1
L = (g ** 2).sum()
L.backward()
print(h.is_leaf, h.grad)
print(g.is_leaf, g.grad)
print(x.grad)
