# A diamond: one intermediate tensor feeds two branches that meet again.
# r = relu(x) is used by both s = r * 3 and t = r * r, and the result adds them: z = s + t.
# In the backward animation r's node waits until both branches have sent their gradient before it
# passes the sum on; then ReLU lets the gradient through where x > 0 and blocks it where x <= 0.
# Watch x.grad be (3 + 2r) for the positive entries and 0 for the others.
import torch

x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
r = torch.relu(x)
s = r * 3
t = r * r
z = (s + t).sum()
z.backward()
print(r)
print(x.grad)
