"""Course §9 (the case study's loop): Dataset, DataLoader, model, CrossEntropyLoss, SGD/Adam, save and load."""
import os
import tempfile

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

# deterministic data and weights: four classes of points around four centres
n = 64
t = torch.arange(n, dtype=torch.float32)
labels = (torch.arange(n) % 4).long()
centres = torch.tensor([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
features = centres[labels] + 0.3 * torch.stack([torch.sin(t * 1.3), torch.cos(t * 0.7)], dim=1)
dataset = TensorDataset(features, labels)
print(len(dataset), dataset[3])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(2, 8)
        self.linear2 = nn.Linear(8, 4)

    def forward(self, x):
        return self.linear2(torch.relu(self.linear1(x)))


def fixed_init(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (1 + 0.1 * i) + 0.05 * i)


for name, make in [("SGD", lambda p: optim.SGD(p, lr=0.1)), ("Adam", lambda p: optim.Adam(p, lr=0.01))]:
    model = Net()
    fixed_init(model)
    criterion = nn.CrossEntropyLoss()
    optimizer = make(model.parameters())
    loader = DataLoader(dataset, batch_size=8, shuffle=False)
    for epoch in range(10):
        total_loss, total_num = 0.0, 0
        for x, y in loader:
            output = model(x)
            loss = criterion(output, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_num += 1
            total_loss += loss.item()
        if epoch in (0, 4, 9):
            print(name, 'epoch: %4s loss: %.5f' % (epoch + 1, total_loss / total_num))
    model.eval()
    with torch.no_grad():
        correct = 0
        for x, y in DataLoader(dataset, batch_size=16):
            correct += (torch.argmax(model(x), dim=1) == y).sum()
    print(name, 'Acc: %.5f' % (correct.item() / len(dataset)))

    path = os.path.join(tempfile.mkdtemp(), "model.pth")
    torch.save(model.state_dict(), path)
    restored = Net()
    restored.load_state_dict(torch.load(path))
    print(name, "restored model agrees:", torch.equal(restored(features), model(features)))

loader = DataLoader(dataset, batch_size=10, shuffle=True, drop_last=True)
print("batches", len(loader), [tuple(b[0].shape) for b in loader][:2])
