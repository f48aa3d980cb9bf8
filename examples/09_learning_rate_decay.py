"""Course §7, 学习率衰减. Learning-rate decay: StepLR, MultiStepLR and ExponentialLR on the course's loop (200 epochs).

    python examples/09_learning_rate_decay.py
"""
import glasstorch as torch
from glasstorch import optim
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

for label, make in [("StepLR", lambda o: optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5)),
                    ("MultiStepLR", lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[50, 125, 160], gamma=0.5)),
                    ("ExponentialLR", lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.95))]:
    y_true, x = torch.tensor([0]), torch.tensor([1.0])
    w = torch.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler_lr = make(optimizer)
    lr_list = []
    for epoch in range(200):
        lr_list.append(scheduler_lr.get_last_lr()[0])
        for i in range(10):                     # ten batches per epoch
            loss = ((w * x - y_true) ** 2) / 2.0
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler_lr.step()                     # the learning rate of the next epoch
    print(label, {epoch: round(lr_list[epoch], 8) for epoch in (0, 49, 50, 125, 160, 199)})
