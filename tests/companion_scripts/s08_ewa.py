"""Course §7 (exponentially weighted averages): S_t = β·S_{t−1} + (1 − β)·Y_t over 30 days (fixed temperatures)."""
import torch

ELEMENT_NUMBER = 30
temperature = torch.sin(torch.arange(1, ELEMENT_NUMBER + 1, 1) * 0.7) * 10 + torch.arange(ELEMENT_NUMBER) * 0.2
print(temperature)
for beta in (0.5, 0.9):
    exp_weight_avg = []
    for idx, temp in enumerate(temperature, 1):
        if idx == 1:
            exp_weight_avg.append(temp)
            continue
        new_temp = exp_weight_avg[idx - 2] * beta + (1 - beta) * temp
        exp_weight_avg.append(new_temp)
    values = torch.stack(exp_weight_avg)
    print("beta", beta, values)
    print("beta", beta, "roughness %.5f" % (values[1:] - values[:-1]).abs().mean().item())
days = torch.arange(1, ELEMENT_NUMBER + 1, 1)
print(days.dtype, days[:5])
