"""Beyond the course: a tiny LSTM reads short sequences and a Linear head classifies each one from the last hidden
state, trained for a few Adam steps; then a GRU and an RNNCell on the same data. The sequences and weights come from
sin/cos formulas, not a random generator, so both libraries start from the same numbers."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

sequences = (torch.arange(6 * 5 * 3, dtype=torch.float32).reshape(6, 5, 3) * 0.29).sin()  # (batch, time, features)
labels = torch.tensor([0, 1, 0, 1, 1, 0])


class SequenceClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 8, num_layers=2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * 8, 2)

    def forward(self, x):
        output, (h_n, c_n) = self.lstm(x)
        return self.head(output[:, -1])


model = SequenceClassifier()
with torch.no_grad():
    for p in model.parameters():
        p.copy_((torch.arange(p.numel(), dtype=torch.float32) * 0.61).cos().reshape(p.shape) * 0.3)
print(model)
print([(name, tuple(p.shape)) for name, p in model.named_parameters()][:5])

optimizer = optim.Adam(model.parameters(), lr=0.05)
for step in range(6):
    loss = F.cross_entropy(model(sequences), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("step", step, "loss %.5f" % loss.item(), "w_hh grad norm %.5f" % model.lstm.weight_hh_l0.grad.norm().item())

print("predictions", model(sequences).argmax(dim=1).tolist())
output, (h_n, c_n) = model.lstm(sequences[0])  # one unbatched sequence (time, features)
print("unbatched", tuple(output.shape), tuple(h_n.shape), tuple(c_n.shape))
print("last hidden", h_n[-1, :4].detach())

gru = nn.GRU(3, 4)
rnn_cell = nn.RNNCell(3, 4, nonlinearity="relu")
with torch.no_grad():
    for p in [*gru.parameters(), *rnn_cell.parameters()]:
        p.copy_((torch.arange(p.numel(), dtype=torch.float32) * 0.37).sin().reshape(p.shape) * 0.5)
print(gru, rnn_cell)
out, h = gru(sequences.transpose(0, 1), torch.full((1, 6, 4), 0.1))
print("gru", tuple(out.shape), h[0, :2].detach())
h = torch.zeros(6, 4)
for t in range(sequences.shape[1]):
    h = rnn_cell(sequences[:, t], h)
print("rnn cell %.5f" % h.sum().item())
