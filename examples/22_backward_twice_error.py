# An error on purpose: calling backward() twice on the same graph.
# After the first backward pass PyTorch frees the values the graph saved for it (here x, for the
# multiplication x * x), so the second call fails with "Trying to backward through the graph a second time".
# The first pass still ran: watch x.grad become dz/dx = 3 * 2x = 12.
# Passing retain_graph=True to the first call keeps the saved values and allows a second pass.
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * x
z = y * 3
z.backward()
print(x.grad)
z.backward()
