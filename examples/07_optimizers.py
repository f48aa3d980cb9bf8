"""Course §6, 网络优化方法: 梯度下降的优化方法.
Optimizers: two steps of SGD with momentum, AdaGrad, RMSProp and Adam on loss = w²/2 from w = 1.

The course prints: momentum 0.990000 → 0.971100, AdaGrad 0.990000 → 0.982965, RMSProp 0.968377 → 0.945788,
Adam 0.990000 → 0.980003.

    python examples/07_optimizers.py
"""
import glasstorch as torch
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

for name, make in [("SGD momentum=0.9", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)),
                   ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.01)),
                   ("RMSprop alpha=0.9", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9)),
                   ("Adam betas=(0.9, 0.99)", lambda p: torch.optim.Adam(p, lr=0.01, betas=[0.9, 0.99]))]:
    w = torch.tensor([1.0], requires_grad=True, dtype=torch.float32)
    optimizer = make([w])
    for step in (1, 2):
        loss = ((w ** 2) / 2.0).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(t("ex07.step", name=f"{name:22s}", step=step, grad=f"{w.grad.item():f}", weight=f"{w.detach().item():f}"))
