# Broadcasting: one bias vector added to every row of a batch.
# The bias b has shape (3,) but is added to a (4, 3) batch, so PyTorch repeats it for each of the 4 rows.
# In the backward animation the gradient arriving at the add has shape (4, 3); on its way to b it is
# summed over the batch: watch b.grad become 4 for each entry, one contribution per row that used it.
import torch

x = torch.tensor([[1., 2., 3.],
                  [4., 5., 6.],
                  [7., 8., 9.],
                  [0., 1., 0.]])
b = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
out = x + b
print(out.shape)
loss = out.sum()
loss.backward()
print(b.grad)
