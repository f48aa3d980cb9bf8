"""Course §8, Dropout: in training each value is zeroed with probability p and survivors are scaled by 1/(1 - p);
in evaluation Dropout does nothing.

    python examples/10_dropout.py
"""
import glasstorch as torch
import glasstorch.nn as nn

torch.manual_seed(0)
dropout = nn.Dropout(p=0.4)
inputs = torch.randint(0, 10, size=[1, 4]).float()
layer = nn.Linear(4, 5)
y = torch.relu(layer(inputs))
print("FC output before dropout:\n", y)
y_dropped = dropout(y)
print("after dropout (zeros, survivors × 1/(1-0.4) = 1.6667):\n", y_dropped)
dropout.eval()
print("in eval mode:\n", dropout(y))
