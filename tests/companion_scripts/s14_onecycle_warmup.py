"""Schedules stepped per batch: OneCycleLR (with momentum cycling) and a warmup via SequentialLR (LinearLR, then
CosineAnnealingLR), as a training script writes them."""
import torch
from torch import optim
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, OneCycleLR, SequentialLR

x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
y = torch.tensor([[1.0], [0.0], [0.5], [-1.0]])


def train(optimizer, scheduler, epochs, batches, label):
    w = optimizer.param_groups[0]["params"][0]
    for epoch in range(epochs):
        for batch in range(batches):
            loss = ((x @ w - y) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        group = optimizer.param_groups[0]
        momentum = group["momentum"] if "momentum" in group else group["betas"][0]
        print(label, "epoch", epoch, "lr %.10g" % scheduler.get_last_lr()[0], "momentum %.10g" % momentum,
              "loss %.5f" % loss.item())
    print(label, "w", [round(v, 4) for v in w.detach().flatten().tolist()])


w = torch.zeros(2, 1, requires_grad=True)
sgd = optim.SGD([w], lr=0.01, momentum=0.9)
one_cycle = OneCycleLR(sgd, max_lr=0.1, epochs=5, steps_per_epoch=4)
train(sgd, one_cycle, 5, 4, "OneCycleLR")
try:
    one_cycle.step()
except ValueError as error:
    print("one step too many:", error)

v = torch.zeros(2, 1, requires_grad=True)
adam = optim.Adam([v], lr=0.05)
warmup = LinearLR(adam, start_factor=0.1, total_iters=6)
cosine = CosineAnnealingLR(adam, T_max=14, eta_min=0.001)
schedule = SequentialLR(adam, schedulers=[warmup, cosine], milestones=[6])
train(adam, schedule, 5, 4, "SequentialLR")
print("state", sorted(schedule.state_dict()), schedule.state_dict()["_milestones"])
