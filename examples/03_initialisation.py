"""Course §3, parameter initialisation: nn.init on a Linear(5, 3) as the course's test01..test07 do.

    python examples/03_initialisation.py
"""
import math

import glasstorch as torch
import glasstorch.nn as nn

torch.manual_seed(0)
linear = nn.Linear(5, 3)
for title, init in [("1. uniform (0, 1)", nn.init.uniform_),
                    ("2. constant 5", lambda w: nn.init.constant_(w, 5)),
                    ("3. zeros", nn.init.zeros_),
                    ("4. ones", nn.init.ones_),
                    ("5. normal (0, 1)", lambda w: nn.init.normal_(w, mean=0, std=1)),
                    ("6. kaiming normal", nn.init.kaiming_normal_),
                    ("6. kaiming uniform", nn.init.kaiming_uniform_),
                    ("7. xavier normal", nn.init.xavier_normal_),
                    ("7. xavier uniform", nn.init.xavier_uniform_)]:
    init(linear.weight)
    print(title)
    print(linear.weight.data)

fan_in, fan_out = 5, 3
print(f"kaiming: std √(2/fan_in) = {math.sqrt(2 / fan_in):.4f}, limit √(6/fan_in) = {math.sqrt(6 / fan_in):.4f}")
print(f"xavier:  std √(2/(fan_in+fan_out)) = {math.sqrt(2 / (fan_in + fan_out)):.4f}, "
      f"limit √(6/(fan_in+fan_out)) = {math.sqrt(6 / (fan_in + fan_out)):.4f}")
