# A linear layer by hand: y = x @ W.T + b.
# The graph shows the weight transposed (PermuteBackward0), the matrix product (MmBackward0)
# and the broadcast bias add. In the backward animation W receives dL/dy.T @ x and b receives the
# batch sum of dL/dy. Compare W.grad with the inputs x: each row is a sum of input rows.
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
