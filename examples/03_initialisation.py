"""Course §3, 参数初始化. Parameter initialisation: nn.init on a Linear(5, 3) as the course's test01..test07 do.

    python examples/03_initialisation.py
"""
import math

import glasstorch as torch
import glasstorch.nn as nn
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

torch.manual_seed(0)
linear = nn.Linear(5, 3)
for title, init in [(t("ex03.uniform"), nn.init.uniform_),
                    (t("ex03.constant"), lambda w: nn.init.constant_(w, 5)),
                    (t("ex03.zeros"), nn.init.zeros_),
                    (t("ex03.ones"), nn.init.ones_),
                    (t("ex03.normal"), lambda w: nn.init.normal_(w, mean=0, std=1)),
                    (t("ex03.kaiming_normal"), nn.init.kaiming_normal_),
                    (t("ex03.kaiming_uniform"), nn.init.kaiming_uniform_),
                    (t("ex03.xavier_normal"), nn.init.xavier_normal_),
                    (t("ex03.xavier_uniform"), nn.init.xavier_uniform_)]:
    init(linear.weight)
    print(title)
    print(linear.weight.data)

fan_in, fan_out = 5, 3
print(t("ex03.kaiming", std=f"{math.sqrt(2 / fan_in):.4f}", limit=f"{math.sqrt(6 / fan_in):.4f}"))
print(t("ex03.xavier", std=f"{math.sqrt(2 / (fan_in + fan_out)):.4f}",
        limit=f"{math.sqrt(6 / (fan_in + fan_out)):.4f}"))
