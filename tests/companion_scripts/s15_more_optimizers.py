"""Beyond the course's optimizers: NAdam (and RAdam, Adamax, Adadelta) training a small network, fixed weights."""
import torch
import torch.nn as nn

X = torch.linspace(-1, 1, 24).reshape(8, 3)
y = (X[:, :1] * 2 - X[:, 1:2] + 0.5 * X[:, 2:] ** 2).detach()


def make_model():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape).sin() * (0.5 + 0.1 * i))
    return model


for name, make in [("NAdam", lambda p: torch.optim.NAdam(p, lr=0.05, momentum_decay=0.01)),
                   ("NAdamW", lambda p: torch.optim.NAdam(p, lr=0.05, weight_decay=0.01, decoupled_weight_decay=True)),
                   ("RAdam", lambda p: torch.optim.RAdam(p, lr=0.05)),
                   ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.05)),
                   ("Adadelta", lambda p: torch.optim.Adadelta(p))]:
    model = make_model()
    optimizer = make(model.parameters())
    loss_fn = nn.MSELoss()
    for epoch in range(15):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        if epoch % 5 == 4:
            print(name, "epoch", epoch + 1, "loss %.6f" % loss.item())
    print(name, "weights", model[2].weight.detach())
    print(name, "state keys", list(optimizer.state_dict()["state"][0]))
print(torch.optim.NAdam(make_model().parameters()))
