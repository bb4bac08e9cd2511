# torch.manual_seed makes random numbers reproducible: the same seed gives the same tensors.
# gradtrace uses PyTorch's own random generator, so these numbers are exactly the ones your notebook
# prints. Seeding twice with 0 gives a and b equal, and the gradient of the random weights is the
# same on every run. Watch w.grad: it is x, because d(w * x).sum() / dw = x.
import torch

torch.manual_seed(0)
a = torch.randn(3)
torch.manual_seed(0)
b = torch.randn(3)
print(a)
print(torch.equal(a, b))
w = torch.rand(3, requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
(w * x).sum().backward()
print(w)
print(w.grad)
