# Cutting the graph: detach() and torch.no_grad().
# c = x.detach() * 2 and the product made under torch.no_grad() are not connected to x in the graph,
# so they have no grad_fn. In the backward animation only the path through y reaches x:
# watch x.grad be 3 (from y = 3x), not 5, because the detached branch contributes nothing.
import torch

x = torch.tensor(4.0, requires_grad=True)
y = 3 * x
c = x.detach() * 2
with torch.no_grad():
    d = x * 10
print(y.requires_grad, c.requires_grad, d.requires_grad)
print(y.grad_fn, c.grad_fn, d.grad_fn)
total = y + c + d
total.backward()
print(total, x.grad)
