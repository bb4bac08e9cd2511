# An error on purpose: calling backward() twice on the same graph.
# After the first backward pass PyTorch frees the values the graph saved for it (here x, for the
# multiplication), so the second call fails with "Trying to backward through the graph a second time".
# The first pass still ran: watch x.grad become 4. Pass retain_graph=True to the first call to allow a second.
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * x
y.backward()
print(x.grad)
y.backward()
