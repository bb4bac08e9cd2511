# Gradients accumulate across backward() calls.
# Two separate losses are built from the same weight w and backward() is called on each in turn.
# Watch w.grad after the first pass (2.0) and after the second (2.0 + 3.0 = 5.0): the second pass adds
# to .grad instead of replacing it. That is why training loops call w.grad.zero_() every step.
import torch

w = torch.tensor(1.0, requires_grad=True)
loss1 = 2 * w
loss1.backward()
print("after the first backward: ", w.grad)
loss2 = 3 * w
loss2.backward()
print("after the second backward:", w.grad)
w.grad.zero_()
print("after zero_():            ", w.grad)
