# cross_entropy's weight= and label_smoothing= options change the loss, and the graph shows how.
# weight= scales each sample's loss by the weight of its true class and divides by the sum of those
# weights, not by the batch size. label_smoothing=0.1 mixes the one-hot target with a uniform one,
# so the loss ends in an addition of two parts (AddBackward0). Watch the gradients of the logits:
# the weighted class gets pushed harder.
import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3]], requires_grad=True)
target = torch.tensor([0, 2])
weight = torch.tensor([1.0, 1.0, 3.0])
weighted = F.cross_entropy(logits, target, weight=weight)
smoothed = F.cross_entropy(logits, target, label_smoothing=0.1)
print(weighted, smoothed)
(weighted + smoothed).backward()
print(logits.grad)
