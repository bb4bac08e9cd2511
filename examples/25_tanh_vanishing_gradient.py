# Vanishing gradients: a stack of tanh layers.
# Each layer is h = tanh(2 * previous); once tanh saturates near 1 its local derivative 2 * (1 - h**2) is far below 1.
# In the backward animation watch the gradient shrink at every TanhBackward0 it crosses: the printed
# gradient of each intermediate h gets smaller the further it is from the loss, so early layers learn slowly.
import torch

x = torch.tensor(1.5, requires_grad=True)
h1 = torch.tanh(2 * x)
h2 = torch.tanh(2 * h1)
h3 = torch.tanh(2 * h2)
h4 = torch.tanh(2 * h3)
h1.retain_grad()
h2.retain_grad()
h3.retain_grad()
h4.backward()
print(f"dh4/dh3 = {h3.grad.item():.6f}")
print(f"dh4/dh2 = {h2.grad.item():.6f}")
print(f"dh4/dh1 = {h1.grad.item():.6f}")
print(f"dh4/dx  = {x.grad.item():.6f}")
