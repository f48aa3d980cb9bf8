"""Course §5, 损失函数. Loss functions: the course's CrossEntropyLoss, BCELoss, L1Loss, MSELoss and SmoothL1Loss examples.

    python examples/05_losses.py
"""
import glasstorch as torch
import glasstorch.nn as nn
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²

# multi-class: CrossEntropyLoss = softmax + negative log-likelihood; targets are int64 class indices
y_true = torch.tensor([1, 2], dtype=torch.int64)
y_pred = torch.tensor([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1]], requires_grad=True, dtype=torch.float32)
print("CrossEntropyLoss:", nn.CrossEntropyLoss()(y_pred, y_true).detach().numpy())

# binary: BCELoss on probabilities (the output of a sigmoid)
y_pred = torch.tensor([0.6901, 0.5459, 0.2469], requires_grad=True)
y_true = torch.tensor([0, 1, 0], dtype=torch.float32)
print("BCELoss:", nn.BCELoss()(y_pred, y_true).detach().numpy())

# regression: MAE (L1), MSE (L2) and smooth L1
y_pred = torch.tensor([1.0, 1.0, 1.9], requires_grad=True)
y_true = torch.tensor([2.0, 2.0, 2.0], dtype=torch.float32)
print("L1Loss:", nn.L1Loss()(y_pred, y_true).detach().numpy())
print("MSELoss:", nn.MSELoss()(y_pred, y_true).detach().numpy())
y_true = torch.tensor([0, 3])
y_pred = torch.tensor([0.6, 0.4], requires_grad=True)
loss = nn.SmoothL1Loss()(y_pred, y_true)
loss.backward()
print("SmoothL1Loss:", loss.detach().numpy(), t("ex05.gradient"), y_pred.grad)
