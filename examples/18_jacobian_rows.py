# Non-scalar backward: the gradient argument picks a vector-Jacobian product.
# y = x ** 2 * w is a vector, so y.backward() needs a gradient v of y's shape and gives x.grad = v @ J.
# The loop passes one-hot vectors, so each backward pass recovers one row of the Jacobian dy/dx
# (here diagonal, 2 * x * w); retain_graph=True keeps the graph for the next pass and x.grad is zeroed between rows.
# Watch the same graph animate four times, each time with a different gradient entering at y.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([1.0, 0.5, 2.0])
y = x ** 2 * w
print(y)
for i in range(3):
    v = torch.zeros(3)
    v[i] = 1.0
    y.backward(gradient=v, retain_graph=True)
    print(f"row {i} of dy/dx:", x.grad)
    x.grad.zero_()
y.backward(gradient=torch.tensor([1.0, 1.0, 1.0]))
print("v = ones gives the column sums:", x.grad)
