"""Course §8, 正则化: 批量归一化.
Batch normalisation: f(x) = λ·(x - E[x]) / √(Var[x] + ε) + β per channel, with learnable λ (weight)
and β (bias), and running statistics for evaluation.

    python examples/11_batch_normalization.py
"""
import glasstorch as torch
import glasstorch.nn as nn
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

torch.manual_seed(0)
m = nn.BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True)   # affine: learnable weight and bias
input = torch.randn(1, 2, 3, 4)
print("input-->", input)
output = m(input)
print("output-->", output)
print(output.size())
print(m.weight)
print(m.bias)
print(t("ex11.mean_std", mean=[round(v, 4) + 0.0 for v in output.mean(dim=(0, 2, 3)).tolist()],
        std=[round(v, 4) for v in output.std(dim=(0, 2, 3), unbiased=False).tolist()]))
print("running_mean", m.running_mean, "running_var", m.running_var)
