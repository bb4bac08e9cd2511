# One step of a 2-layer MLP trained with cross-entropy.
# The forward graph is linear -> ReLU -> linear -> cross_entropy on a batch of 4 samples with 3 classes.
# In the backward animation the gradient enters at the loss, crosses LogSoftmax and NLL, then the second
# layer, is cut to zero by ReLU where the hidden unit was negative, and finally reaches W1 and b1.
# After the step the printed loss on the same batch is lower.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(4, 2)
target = torch.tensor([0, 2, 1, 0])
W1 = torch.randn(5, 2, requires_grad=True)
b1 = torch.zeros(5, requires_grad=True)
W2 = torch.randn(3, 5, requires_grad=True)
b2 = torch.zeros(3, requires_grad=True)

h = F.relu(x @ W1.T + b1)
logits = h @ W2.T + b2
loss = F.cross_entropy(logits, target)
print(f"loss before: {loss.item():.4f}")
loss.backward()
print(W2.grad)
lr = 0.5
with torch.no_grad():
    W1 -= lr * W1.grad
    b1 -= lr * b1.grad
    W2 -= lr * W2.grad
    b2 -= lr * b2.grad
    h_after = F.relu(x @ W1.T + b1)
    loss_after = F.cross_entropy(h_after @ W2.T + b2, target)
print(f"loss after:  {loss_after.item():.4f}")
