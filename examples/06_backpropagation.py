"""Course §6, 网络优化方法: 反向传播.
Gradient descent and backpropagation: the course's 2-2-2 sigmoid network explained in numbers.

explain() prints every value, every local derivative and the chain rule for each weight, summed over every path
(E_total = 0.298371109, ∂E/∂w5 = 0.74136507 × 0.18681560 × 0.59326999 = 0.08216704, w5⁺ = 0.35891648); then a
tensor hook prints the gradient that backward delivers to out_o1, and autograd's w5.grad and w1.grad.

    python examples/06_backpropagation.py
"""
import glasstorch as torch
from glasstorch.companion import explain
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

w1, w2, w3, w4 = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.15, 0.20, 0.25, 0.30))
w5, w6, w7, w8 = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.40, 0.45, 0.50, 0.55))
b1, b2 = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.35, 0.60))
i1, i2 = 0.05, 0.10

net_h1 = w1 * i1 + w2 * i2 + b1
out_h1 = torch.sigmoid(net_h1)
net_h2 = w3 * i1 + w4 * i2 + b1
out_h2 = torch.sigmoid(net_h2)
net_o1 = w5 * out_h1 + w6 * out_h2 + b2
out_o1 = torch.sigmoid(net_o1)
net_o2 = w7 * out_h1 + w8 * out_h2 + b2
out_o2 = torch.sigmoid(net_o2)
E = 0.5 * (0.01 - out_o1) ** 2 + 0.5 * (0.99 - out_o2) ** 2

# names come from the variables above; lr adds the gradient-descent update of each weight
explain(E, [w1, w2, w3, w4, w5, w6, w7, w8, b1, b2], lr=0.5)

# a hook shows the gradient arriving at any tensor while backward runs (the course's ∂E/∂out_o1 = 0.74136507)
out_o1.register_hook(lambda grad: print("\n" + t("ex06.hook", grad=f"{grad.item():.8f}")))
E.backward()                       # autograd agrees
print("\n" + t("ex06.autograd", w5=w5.grad.item(), w1=w1.grad.item()))
