# Logistic regression: sigmoid and binary cross-entropy.
# The graph computes p = sigmoid(x @ w + b) for four points and the loss F.binary_cross_entropy(p, y).
# In the backward animation the gradient reaching the logits is simply (p - y) / 4: the sigmoid and
# the log in the loss cancel out. Watch the loss fall over a few steps of gradient descent.
import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 2.0],
                  [2.0, 1.0],
                  [-1.0, -1.5],
                  [-2.0, -0.5]])
y = torch.tensor([1.0, 1.0, 0.0, 0.0])
w = torch.tensor([0.1, -0.1], requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
for i in range(4):
    p = torch.sigmoid(x @ w + b)
    loss = F.binary_cross_entropy(p, y)
    loss.backward()
    print(f"step {i}: loss {loss.item():.4f}")
    with torch.no_grad():
        w -= 1.0 * w.grad
        b -= 1.0 * b.grad
    w.grad.zero_()
    b.grad.zero_()
print(p)
