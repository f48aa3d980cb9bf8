"""Course §2, 激活函数. Activation functions: sigmoid, tanh, ReLU and their derivatives by autograd, softmax.

    python examples/02_activations.py [--save DIR]     (--save: write the course's function/derivative plots as PNG)
"""
import sys

import glasstorch as torch
import glasstorch.nn.functional as F
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

for name, f, derivative in [("sigmoid", torch.sigmoid, "f(1 - f)"), ("tanh", torch.tanh, "1 - f²"),
                            ("relu", torch.relu, t("ex02.or", left="0", right="1")),
                            ("leaky_relu", F.leaky_relu, t("ex02.or", left="0.01", right="1")),
                            ("elu", F.elu, t("ex02.or", left="f + 1", right="1"))]:
    x = torch.tensor([-6.0, -1.0, 0.0, 1.0, 6.0], requires_grad=True)
    y = f(x)
    y.sum().backward()              # the course's trick: x.grad holds f'(x) for every element
    print(f"{name:10s} f  = {y.detach().tolist()}")
    print(f"{name:10s} f' = {x.grad.tolist()}   " + t("ex02.formula", formula=derivative))

scores = torch.tensor([0.2, 0.02, 0.15, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75])
probabilities = torch.softmax(scores, dim=0)
print(probabilities)                # the course: tensor([0.0212, 0.0177, ..., 0.7392])

if "--save" in sys.argv:
    from glasstorch.companion import plots

    folder = sys.argv[sys.argv.index("--save") + 1]
    plots.activations(f"{folder}/activations.png")
    print(t("ex.saved", path=f"{folder}/activations.png"))
