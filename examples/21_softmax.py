# Softmax turns scores into probabilities that sum to 1.
# The graph has one SoftmaxBackward0 node; the loss picks out the probability of class 0.
# In the backward animation watch the gradient spread to every score: raising score 0 raises p[0],
# raising any other score lowers it, so z.grad is positive for class 0 and negative for the others,
# and its entries sum to zero (up to float32 rounding, about 1e-8).
import torch

z = torch.tensor([2.0, 1.0, 0.1], requires_grad=True)
p = torch.softmax(z, dim=0)
print(p, p.sum())
loss = p[0]
loss.backward()
print(z.grad)
print(z.grad.sum())
