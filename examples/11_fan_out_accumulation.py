# Fan-out: one tensor used twice, y = x*x + x.
# In the graph x feeds three edges: both inputs of the multiplication and the addition.
# In the backward animation watch x's AccumulateGrad node receive three gradients, 1 from the add and then
# 3 and 3 from the multiplication, summed into x.grad = 7 = dy/dx = 2x + 1 at x = 3.
# Gradients accumulate, they never overwrite.
import torch

x = torch.tensor(3.0, requires_grad=True)
y = x * x + x
print(y)
y.backward()
print(x.grad)
