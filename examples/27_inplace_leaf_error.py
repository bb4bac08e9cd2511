# An error on purpose: updating a weight in place outside torch.no_grad().
# w is a leaf that requires grad, so PyTorch refuses to record "w -= lr * w.grad" as part of the graph
# and raises "a leaf Variable that requires grad is being used in an in-place operation".
# The backward pass before it ran normally: watch w.grad become 6. Wrap the update in
# "with torch.no_grad():" to fix it, as the training-loop example does.
import torch

w = torch.tensor(3.0, requires_grad=True)
loss = w ** 2
loss.backward()
print(w.grad)
lr = 0.1
w -= lr * w.grad
print(w)
