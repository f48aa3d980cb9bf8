"""Course §3 (initialisation): the deterministic initialisers exactly, the random ones by their bounds and spread."""
import math

import torch
import torch.nn as nn

linear = nn.Linear(5, 3)
nn.init.constant_(linear.weight, 5)
print(linear.weight.data)
nn.init.zeros_(linear.weight)
print(linear.weight.data)
nn.init.ones_(linear.weight)
print(linear.weight.data)
print(nn.init.eye_(torch.empty(3, 5)))

for nonlinearity in ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]:
    print(nonlinearity, "gain %.6f" % nn.init.calculate_gain(nonlinearity))
print("leaky_relu(0.2) gain %.6f" % nn.init.calculate_gain("leaky_relu", 0.2))

# bounds and spreads on a big layer (fan_in 400, fan_out 300): statistics, never the random numbers themselves
fan_in, fan_out = 400, 300
w = torch.empty(fan_out, fan_in)
checks = {
    "uniform_(0, 1)": (nn.init.uniform_, {}, 0.0, 1.0, 1 / math.sqrt(12)),
    "normal_(0, 1)": (nn.init.normal_, {"mean": 0, "std": 1}, None, None, 1.0),
    "kaiming_uniform_": (nn.init.kaiming_uniform_, {}, -math.sqrt(6 / fan_in), math.sqrt(6 / fan_in), math.sqrt(2 / fan_in)),
    "kaiming_uniform_ a=sqrt(5)": (nn.init.kaiming_uniform_, {"a": math.sqrt(5)}, -math.sqrt(1 / fan_in), math.sqrt(1 / fan_in), None),
    "kaiming_normal_ relu": (nn.init.kaiming_normal_, {"nonlinearity": "relu"}, None, None, math.sqrt(2 / fan_in)),
    "xavier_uniform_": (nn.init.xavier_uniform_, {}, -math.sqrt(6 / (fan_in + fan_out)), math.sqrt(6 / (fan_in + fan_out)),
                        math.sqrt(2 / (fan_in + fan_out))),
    "xavier_normal_": (nn.init.xavier_normal_, {}, None, None, math.sqrt(2 / (fan_in + fan_out))),
}
for name, (init, kwargs, low, high, std) in checks.items():
    out = init(w, **kwargs)
    line = [name, "returns its tensor:", out is w, "shape", tuple(w.shape)]
    if low is not None:
        line += ["min >= %.4f:" % low, bool(w.min() >= low)]
    if high is not None:
        line += ["max <= %.4f:" % high, bool(w.max() <= high)]
    if std is not None:
        line += ["std within 3%% of %.4f:" % std, abs(w.std().item() - std) < 0.03 * std]
    print(*line)
t = nn.init.trunc_normal_(torch.empty(1000), std=1.0, a=-0.5, b=0.5)
print("trunc_normal_ inside [-0.5, 0.5]:", bool(t.min() >= -0.5 and t.max() <= 0.5))
print("requires_grad kept:", linear.weight.requires_grad, "leaf:", linear.weight.is_leaf)
