# Asking for a gradient directly with torch.autograd.grad.
# Instead of storing gradients in .grad, torch.autograd.grad(y, [a, b]) runs the same backward pass
# and returns dy/da and dy/db as new tensors. Watch the backward animation reach both leaves while
# a.grad and b.grad stay None: nothing is accumulated.
import torch

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(-1.0, requires_grad=True)
y = a ** 3 + a * b
da, db = torch.autograd.grad(y, [a, b])
print(da, db)
print(a.grad, b.grad)
