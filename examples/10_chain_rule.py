# The chain rule: a chain of four ops.
# Each op in the forward pass adds one node to the graph: x -> a -> b -> c -> y.
# In the backward animation the gradient starts as 1 at y and flows back one node at a time; every
# node multiplies what it receives by its own local derivative and passes the product on.
# Watch x's .grad arrive as dy/dc * dc/db * db/da * da/dx = 2c * 1 * cos(a) * 3.
import torch

x = torch.tensor(0.5, requires_grad=True)
a = 3 * x
b = torch.sin(a)
c = b + 1
y = c ** 2
print(f"a = {a.item():.4f}, b = {b.item():.4f}, c = {c.item():.4f}, y = {y.item():.4f}")
y.backward()
print("dy/dx from backward:", x.grad)
print("dy/dx by hand:      ", 2 * c.detach() * torch.cos(a.detach()) * 3)
