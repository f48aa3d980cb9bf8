"""Course §2 (activations): values and autograd derivatives of sigmoid, tanh, ReLU, softmax and the others."""
import torch
import torch.nn as nn
import torch.nn.functional as F

points = [-20.0, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0]
for name, f in [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu),
                ("leaky_relu", F.leaky_relu), ("elu", F.elu), ("identity", nn.Identity()),
                ("softplus", F.softplus), ("gelu", F.gelu), ("silu", F.silu), ("hardtanh", F.hardtanh)]:
    x = torch.tensor(points, requires_grad=True)
    y = f(x)
    y.sum().backward()
    print(name, "f  =", y.detach())
    print(name, "f' =", x.grad)

# the course's plots use 1000 points on [-20, 20]: largest derivative and where it is
x = torch.linspace(-20, 20, 1000, requires_grad=True)
torch.sigmoid(x).sum().backward()
print("sigmoid' max %.6f" % x.grad.max().item(), "range (0, 0.25]:", bool((x.grad > 0).all() and (x.grad <= 0.25).all()))
x = torch.linspace(-20, 20, 1000, requires_grad=True)
torch.tanh(x).sum().backward()
print("tanh' max %.6f" % x.grad.max().item())

for module in [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.2), nn.ELU(alpha=0.5), nn.Softmax(dim=0)]:
    print(module, module(torch.tensor([-1.0, 0.0, 2.0])))

scores = torch.tensor([0.2, 0.02, 0.15, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75])
probabilities = torch.softmax(scores, dim=0)
print(probabilities)
print("sum = %.6f" % probabilities.sum().item(), "argmax =", probabilities.argmax().item())
print(torch.softmax(torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]), dim=-1))

prelu = nn.PReLU()
x = torch.tensor([-2.0, 3.0], requires_grad=True)
prelu(x).sum().backward()
print("prelu", prelu.weight.data, x.grad, prelu.weight.grad)
rrelu = nn.RReLU()
rrelu.eval()
print("rrelu eval", rrelu(torch.tensor([-3.0, 3.0])))
print("binary step", torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor(1.0)))
