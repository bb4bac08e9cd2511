# A helper function: the graph records what happens inside a def, just as if it were written inline.
# mse(pred, target) is called once: its subtraction, square and mean are the sub, pow and mean nodes
# below add. Watch the backward pass flow back out of the function into w and b:
# the gradients do not care where the operations were written.
import torch


def mse(pred, target):
    return ((pred - target) ** 2).mean()


x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(1.5, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
loss = mse(w * x + b, y)
loss.backward()
print(loss)
print(w.grad, b.grad)
