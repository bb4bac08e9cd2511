# An error on purpose: a matrix product whose shapes do not fit.
# x has shape (2, 3) and W has shape (2, 3), so x @ W cannot be computed: the inner sizes 3 and 2 differ.
# The graph stops at the last op that worked; the message names both shapes.
# The fix is x @ W.T, which multiplies (2, 3) by (3, 2).
import torch

x = torch.tensor([[1., 2., 3.],
                  [4., 5., 6.]])
W = torch.tensor([[0.1, 0.2, 0.3],
                  [0.4, 0.5, 0.6]], requires_grad=True)
h = x * 2
y = h @ W
print(y)
