"""Course §1 (neurons and layers): z = W·x + b, a = f(z); without activations two layers collapse to one."""
import torch
import torch.nn as nn

x = torch.tensor([[0.5, -1.0], [2.0, 0.25]])
layer = nn.Linear(2, 3)
with torch.no_grad():
    layer.weight.copy_(torch.tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]))
    layer.bias.copy_(torch.tensor([0.01, -0.02, 0.03]))
z = layer(x)
print("z =", z)
print("z by hand =", x @ layer.weight.T + layer.bias)
print("a = sigmoid(z) =", torch.sigmoid(z))
print("weight", tuple(layer.weight.shape), "bias", tuple(layer.bias.shape), "in", layer.in_features, "out", layer.out_features)

# f_out = w_out·(W1·x + b1) + b_out = k·x + c: the course's k0, k1, c
hidden = nn.Linear(2, 2)
out = nn.Linear(2, 1)
with torch.no_grad():
    hidden.weight.copy_(torch.tensor([[0.2, -0.4], [0.7, 0.1]]))
    hidden.bias.copy_(torch.tensor([0.3, -0.5]))
    out.weight.copy_(torch.tensor([[1.5, -2.0]]))
    out.bias.copy_(torch.tensor([0.25]))
k = out.weight @ hidden.weight
c = out.weight @ hidden.bias + out.bias
print("k0, k1 =", k.tolist(), "c =", c.tolist())
print("two layers:", out(hidden(x)).detach().flatten().tolist())
print("one layer: ", (x @ k.T + c).detach().flatten().tolist())
print("with relu: ", out(torch.relu(hidden(x))).detach().flatten().tolist())
print(layer)
