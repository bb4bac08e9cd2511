# A linear layer by hand: y = x @ W.T + b.
# The graph shows the weight transposed (PermuteBackward0), the matrix product (MmBackward0)
# and the broadcast bias add. In the backward animation W receives dL/dy.T @ x and b the batch sum of dL/dy.
# The loss is a plain sum, so dL/dy is all ones: every row of W.grad is the sum of the rows of x, [4, 6],
# and each entry of b.grad counts the 2 samples.
import torch

x = torch.tensor([[1., 2.],
                  [3., 4.]])
W = torch.tensor([[0.5, -1.0],
                  [2.0, 0.0],
                  [1.0, 1.0]], requires_grad=True)
b = torch.tensor([0.0, 0.1, -0.1], requires_grad=True)
y = x @ W.T + b
print(y)
loss = y.sum()
loss.backward()
print(W.grad)
print(b.grad)
