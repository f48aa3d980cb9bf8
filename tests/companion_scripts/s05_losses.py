"""Course §5 (losses): the course's five loss examples, their gradients, and the reductions."""
import torch
import torch.nn as nn



def show(name, loss, *inputs):
    loss.backward()
    print(name, "loss: %.6f" % loss.item(), *["grad %s" % t.grad for t in inputs])


y_true = torch.tensor([1, 2], dtype=torch.int64)
y_pred = torch.tensor([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1]], requires_grad=True, dtype=torch.float32)
show("CrossEntropyLoss", nn.CrossEntropyLoss()(y_pred, y_true), y_pred)
y_pred.grad = None
one_hot = torch.tensor([[0, 1, 0], [0, 0, 1]], dtype=torch.float32)
show("CrossEntropyLoss one-hot", nn.CrossEntropyLoss()(y_pred, one_hot), y_pred)
print("CE(-log 0.7) = %.6f" % -torch.log(torch.tensor(0.7)).item())

y_pred = torch.tensor([0.6901, 0.5459, 0.2469], requires_grad=True)
y_true = torch.tensor([0, 1, 0], dtype=torch.float32)
show("BCELoss", nn.BCELoss()(y_pred, y_true), y_pred)

y_pred = torch.tensor([1.0, 1.0, 1.9], requires_grad=True)
y_true = torch.tensor([2.0, 2.0, 2.0], dtype=torch.float32)
show("L1Loss", nn.L1Loss()(y_pred, y_true), y_pred)
y_pred.grad = None
show("MSELoss", nn.MSELoss()(y_pred, y_true), y_pred)

y_true = torch.tensor([0, 3])
y_pred = torch.tensor([0.6, 0.4], requires_grad=True)
show("SmoothL1Loss", nn.SmoothL1Loss()(y_pred, y_true), y_pred)

logits = torch.tensor([[1.5, -0.5, 0.25, 2.0], [0.1, 0.2, 0.3, -1.0], [-2.0, 1.0, 0.5, 0.0]])
labels = torch.tensor([3, 0, 1])
for reduction in ["mean", "sum", "none"]:
    print(reduction, nn.CrossEntropyLoss(reduction=reduction)(logits, labels))
print("label smoothing", nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels))
print("NLL of log_softmax", nn.NLLLoss()(torch.log_softmax(logits, dim=1), labels))
print("BCEWithLogits", nn.BCEWithLogitsLoss()(torch.tensor([0.5, -1.0, 3.0]), torch.tensor([1.0, 0.0, 1.0])))
print("Huber", nn.HuberLoss(delta=0.5)(torch.tensor([0.0, 2.0, -1.0]), torch.tensor([0.1, 0.0, 0.0])))
