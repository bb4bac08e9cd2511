# A training loop: fitting y = 2x + 1 with plain stochastic gradient descent.
# Each pass of the loop builds a fresh graph, runs backward, updates w and b under torch.no_grad(),
# and zeroes the gradients so they do not accumulate into the next step.
# Watch the printed loss fall step by step; pick any iteration to see its graph.
import torch

x = torch.tensor([0., 1., 2., 3.])
y = torch.tensor([1., 3., 5., 7.])
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.06
for i in range(4):
    y_pred = w * x + b
    loss = ((y_pred - y) ** 2).mean()
    loss.backward()
    print(f"step {i}: loss {loss.item():.4f}")
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
print(f"w = {w.item():.4f}, b = {b.item():.4f}")
