"""Course §7 (learning-rate decay): StepLR, MultiStepLR and ExponentialLR as the course runs them."""
import torch
from torch import optim


def run(make_scheduler, label):
    LR, iteration, max_epoch = 0.1, 10, 200
    y_true = torch.tensor([0])
    x = torch.tensor([1.0])
    w = torch.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=LR, momentum=0.9)
    scheduler_lr = make_scheduler(optimizer)
    lr_list, epoch_list = list(), list()
    for epoch in range(max_epoch):
        lr_list.append(scheduler_lr.get_last_lr())
        epoch_list.append(epoch)
        for i in range(iteration):
            loss = ((w * x - y_true) ** 2) / 2.0
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler_lr.step()
    for epoch in (0, 49, 50, 99, 100, 124, 125, 159, 160, 199):
        print(label, "epoch", epoch, "lr %.10g" % lr_list[epoch][0])
    print(label, "w after training %.6g" % w.item(), "last_epoch", scheduler_lr.last_epoch)


run(lambda o: optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5), "StepLR")
run(lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[50, 125, 160], gamma=0.5), "MultiStepLR")
run(lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.95), "ExponentialLR")
w = torch.tensor([1.0], requires_grad=True)
optimizer = optim.SGD([w], lr=0.1)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.1)
state = scheduler.state_dict()
print({key: state[key] for key in ("step_size", "gamma", "base_lrs", "last_epoch")})
optimizer.step()
scheduler.step()
scheduler.step()
print(scheduler.get_last_lr(), optimizer.param_groups[0]["lr"])
