"""Course §7 (optimizers): the course's two-step outputs of SGD with momentum, AdaGrad, RMSProp and Adam, and more."""
import torch


def two_steps(name, make_optimizer):
    w = torch.tensor([1.0], requires_grad=True, dtype=torch.float32)
    optimizer = make_optimizer([w])
    for step in (1, 2):
        loss = ((w ** 2) / 2.0).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print('%s step %d: grad w.grad: %.6f, updated weight: %.6f' % (name, step, w.grad.item(), w.detach().item()))


two_steps("SGD", lambda p: torch.optim.SGD(p, lr=0.01))
two_steps("Momentum", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9))
two_steps("Nesterov", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True))
two_steps("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.01))
two_steps("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9))
two_steps("Adam", lambda p: torch.optim.Adam(p, lr=0.01, betas=[0.9, 0.99]))
two_steps("AdamW", lambda p: torch.optim.AdamW(p, lr=0.01))
two_steps("SGD wd", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.5, momentum=0.5, dampening=0.1))

# twenty steps on a 2-D ravine f = x²/20 + y², from (-7, 2)
for name, make in [("SGD", lambda p: torch.optim.SGD(p, lr=0.4)),
                   ("Momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
                   ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=1.0)),
                   ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.2)),
                   ("Adam", lambda p: torch.optim.Adam(p, lr=0.5))]:
    xy = torch.tensor([-7.0, 2.0], requires_grad=True)
    optimizer = make([xy])
    for _ in range(20):
        optimizer.zero_grad()
        loss = xy[0] ** 2 / 20 + xy[1] ** 2
        loss.backward()
        optimizer.step()
    print(name, "after 20 steps: x %.5f y %.5f f %.6f" % (xy[0].item(), xy[1].item(), (xy[0] ** 2 / 20 + xy[1] ** 2).item()))

w = torch.tensor([1.0, -2.0], requires_grad=True)
optimizer = torch.optim.Adam([w], lr=0.1)
(w ** 2).sum().backward()
optimizer.step()
state = optimizer.state_dict()
print("state keys", sorted(state.keys()), "param_groups lr", state["param_groups"][0]["lr"], "step", float(state["state"][0]["step"]))
