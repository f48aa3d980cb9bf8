"""Course §1, neurons and layers: a neuron computes z = W·x + b (its internal state) and a = f(z) (its activation).
Without activations, stacked layers collapse into one linear model: f_out = k0·x0 + k1·x1 + c.

    python examples/01_neurons_and_layers.py
"""
import glasstorch as torch
import glasstorch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)                      # 2 neurons, each with 3 weights and a bias
x = torch.tensor([[0.5, -1.0, 2.0]])         # one sample, 3 features: data is [batch, features]
z = layer(x)                                 # internal state z = x·Wᵀ + b
a = torch.sigmoid(z)                         # activation a = f(z)
print("W =", layer.weight.data, "\nb =", layer.bias.data)
print("z = W·x + b =", z, "\nby hand     =", x @ layer.weight.T + layer.bias)
print("a = sigmoid(z) =", a)

# two layers without an activation are one linear map
c = nn.Linear(2, 2)
out = nn.Linear(2, 1)
x = torch.tensor([[0.3, 0.7]])
with torch.no_grad():
    k = out.weight @ c.weight
    bias = out.weight @ c.bias + out.bias
    print(f"two layers: {out(c(x)).item():.6f}   one layer k·x + c: {(x @ k.T + bias).item():.6f}")
    print(f"k0 = {k[0, 0].item():.4f}, k1 = {k[0, 1].item():.4f}, c = {bias.item():.4f}")
    print(f"with ReLU between them: {out(torch.relu(c(x))).item():.6f} (no longer k·x + c in general)")
