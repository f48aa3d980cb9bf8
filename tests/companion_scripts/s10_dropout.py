"""Course §8 (Dropout): zeroed with probability p in training, survivors scaled by 1/(1 − p), identity in eval."""
import torch
import torch.nn as nn

torch.manual_seed(0)
dropout = nn.Dropout(p=0.4)
inputs = torch.arange(1.0, 2001.0).reshape(1, 2000)
y = dropout(inputs)
kept = y != 0
print("training:", dropout.training)
print("survivors scaled by 1/(1-p):", torch.allclose(y[kept], inputs[kept] / 0.6))
print("fraction zeroed near 0.4:", abs(1 - kept.float().mean().item() - 0.4) < 0.05)
dropout.eval()
print("eval is identity:", torch.equal(dropout(inputs), inputs))
print(nn.Dropout(p=0.0)(torch.ones(3)), nn.Dropout(p=1.0)(torch.ones(3)))
print(dropout)
x = torch.ones(1, 1000, requires_grad=True)
drop = nn.Dropout(0.5)
out = drop(x)
out.sum().backward()
print("gradient equals the mask scaled by 2:", torch.equal(x.grad, (out != 0).float() * 2))
try:
    nn.Dropout(p=1.5)
except ValueError as error:
    print("ValueError:", error)
print(torch.nn.functional.dropout(torch.ones(4), p=0.5, training=False))
