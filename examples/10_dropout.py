"""Course §8, 正则化: 随机失活.
Dropout: in training each value is zeroed with probability p and survivors are scaled by 1/(1 - p);
in evaluation Dropout does nothing.

    python examples/10_dropout.py
"""
import glasstorch as torch
import glasstorch.nn as nn
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

torch.manual_seed(0)
dropout = nn.Dropout(p=0.4)
inputs = torch.randint(0, 10, size=[1, 4]).float()
layer = nn.Linear(4, 5)
y = torch.relu(layer(inputs))
print(t("ex10.before") + "\n", y)
y_dropped = dropout(y)
print(t("ex10.after") + "\n", y_dropped)
dropout.eval()
print(t("ex10.eval") + "\n", dropout(y))
