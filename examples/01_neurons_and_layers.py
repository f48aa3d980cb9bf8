"""Course §1, 神经元.
Neurons and layers: a neuron computes z = W·x + b (its internal state) and a = f(z) (its activation).
Without activations, stacked layers collapse into one linear model: f_out = k0·x0 + k1·x1 + c.

    python examples/01_neurons_and_layers.py
"""
import glasstorch as torch
import glasstorch.nn as nn
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

torch.manual_seed(0)
layer = nn.Linear(3, 2)                      # 2 neurons, each with 3 weights and a bias
x = torch.tensor([[0.5, -1.0, 2.0]])         # one sample, 3 features: data is [batch, features]
z = layer(x)                                 # internal state z = x·Wᵀ + b
a = torch.sigmoid(z)                         # activation a = f(z)
print("W =", layer.weight.data, "\nb =", layer.bias.data)
print("z = W·x + b =", z, "\n" + t("ex01.by_hand"), x @ layer.weight.T + layer.bias)
print("a = sigmoid(z) =", a)

# two layers without an activation are one linear map
c = nn.Linear(2, 2)
out = nn.Linear(2, 1)
x = torch.tensor([[0.3, 0.7]])
with torch.no_grad():
    k = out.weight @ c.weight
    bias = out.weight @ c.bias + out.bias
    print(t("ex01.two_layers", two=f"{out(c(x)).item():.6f}", one=f"{(x @ k.T + bias).item():.6f}"))
    print(f"k0 = {k[0, 0].item():.4f}, k1 = {k[0, 1].item():.4f}, c = {bias.item():.4f}")
    print(t("ex01.with_relu", value=f"{out(torch.relu(c(x))).item():.6f}"))
