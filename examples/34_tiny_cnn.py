# A tiny convolutional network on one 8x8 image: conv -> relu -> max-pool -> flatten -> linear.
# The 3x3 convolution makes two 6x6 feature maps, max-pooling halves them to 3x3, and a linear layer
# turns the 18 numbers into 2 class scores. Watch the backward pass: max-pooling sends each gradient
# only to the largest value in its window, and conv.weight.grad sums over every position of the image.
import torch
import torch.nn as nn

torch.manual_seed(0)
conv = nn.Conv2d(1, 2, kernel_size=3)
pool = nn.MaxPool2d(2)
fc = nn.Linear(18, 2)
image = torch.randn(1, 1, 8, 8)
features = pool(torch.relu(conv(image)))
scores = fc(features.flatten(1))
loss = nn.functional.cross_entropy(scores, torch.tensor([1]))
loss.backward()
print(features.shape)
print(scores)
print(fc.bias.grad)
