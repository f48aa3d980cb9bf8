"""Course §6, 网络优化方法: 指数加权平均.
Exponentially weighted averages: S_t = β·S_(t-1) + (1 - β)·Y_t over 30 days of temperatures.

glasstorch.manual_seed(0) gives glasstorch's own random numbers (not torch's), so the temperatures differ from the
course's; the smoothing does not.

    python examples/08_exponentially_weighted_average.py [--save DIR]
"""
import sys

import glasstorch as torch
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

ELEMENT_NUMBER = 30
torch.manual_seed(0)
temperature = torch.randn(ELEMENT_NUMBER) * 10          # the course writes randn(size=[30])
print(temperature)
for beta in (0.5, 0.9):
    exp_weight_avg = []
    for idx, temp in enumerate(temperature, 1):
        if idx == 1:                            # the first average is the first value
            exp_weight_avg.append(temp)
            continue
        exp_weight_avg.append(exp_weight_avg[idx - 2] * beta + (1 - beta) * temp)
    averages = torch.stack(exp_weight_avg)
    change = (averages[1:] - averages[:-1]).abs().mean().item()
    print(f"beta = {beta}: {[round(v, 2) for v in averages.tolist()]}\n  " + t("ex08.change", change=f"{change:.3f}"))

if "--save" in sys.argv:
    from glasstorch.companion import plots

    folder = sys.argv[sys.argv.index("--save") + 1]
    plots.ewa(f"{folder}/ewa.png", temperatures=temperature)
    print(t("ex.saved", path=f"{folder}/ewa.png"))
