# An error on purpose: a matrix product whose shapes do not fit.
# h has shape (2, 3) and W has shape (2, 3), so h @ W cannot be computed: the inner sizes 3 and 2 differ.
# The graph stops at the last op that worked, and the message names both shapes.
# The fix is h @ W.T, which multiplies (2, 3) by (3, 2).
import torch

x = torch.tensor([[1., 2., 3.],
                  [4., 5., 6.]])
W = torch.tensor([[0.1, 0.2, 0.3],
                  [0.4, 0.5, 0.6]], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
h = torch.relu(x - 2)
print(h.shape, W.shape)
y = h @ W + b
print(y)
