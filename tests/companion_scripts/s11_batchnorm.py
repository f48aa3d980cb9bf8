"""Course §8 (batch normalisation): f(x) = λ·(x − E[x])/√(Var[x] + ε) + β, running statistics, eval mode."""
import torch
import torch.nn as nn

m = nn.BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True)
input = (torch.arange(24.0).reshape(1, 2, 3, 4) * 0.37).sin()
print("input-->", input)
output = m(input)
print("output-->", output)
print(output.size())
print(m.weight)
print(m.bias)
print("running_mean", m.running_mean, "running_var", m.running_var, "batches", m.num_batches_tracked)
(output * torch.arange(24.0).reshape(1, 2, 3, 4)).sum().backward()
print("weight.grad", m.weight.grad, "bias.grad", m.bias.grad)

bn = nn.BatchNorm1d(3)
x = torch.tensor([[1.0, 2.0, -1.0], [3.0, -2.0, 0.5], [0.0, 0.0, 2.0], [2.0, 1.0, 1.0]])
for _ in range(3):
    y = bn(x * 1.5 + 0.25)
print(y)
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
bn.eval()
print(bn(x))
print(bn)
cumulative = nn.BatchNorm1d(3, momentum=None)
cumulative(x)
cumulative(x * 2)
print(cumulative.running_mean, cumulative.running_var)
print(list(bn.state_dict().keys()))
