"""Beyond the course: a tiny convolutional network (Conv2d → ReLU → MaxPool2d → Conv2d → AdaptiveAvgPool2d →
Flatten → Linear) trained for a few SGD steps. The images and weights come from sin formulas, not a random
generator, so both libraries start from the same numbers."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

images = (torch.arange(8 * 1 * 8 * 8, dtype=torch.float32).reshape(8, 1, 8, 8) * 0.37).sin()
labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])

model = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(4, 6, kernel_size=3, padding="same", groups=2),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d((2, 2)),
    nn.Flatten(),
    nn.Linear(6 * 2 * 2, 3),
)
with torch.no_grad():
    for p in model.parameters():
        p.copy_((torch.arange(p.numel(), dtype=torch.float32) * 0.7).sin().reshape(p.shape) * 0.4)
print(model)
print([(name, tuple(p.shape)) for name, p in model.named_parameters()])

optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(6):
    loss = F.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("step", step, "loss %.5f" % loss.item(), "conv grad norm %.5f" % model[0].weight.grad.norm().item())

print("first conv weight", model[0].weight[0].detach())
print("predictions", model(images).argmax(dim=1).tolist())
features = model[:3](images[:1])
print("feature map", tuple(features.shape), features.grad_fn.name())
pooled, where = F.max_pool2d(images[:1, :1, :4, :4], 2, return_indices=True)
print("pooled", pooled.flatten().tolist(), "indices", where.flatten().tolist())
print("avg", F.avg_pool2d(images[:1], 3, stride=2, padding=1, count_include_pad=False).flatten()[:4])
print("padded", F.pad(images[0, 0, :2, :3], (1, 1), mode="reflect"))
