"""Course §6 (backpropagation): the 2-2-2 sigmoid network, its gradients by autograd and one gradient step."""
import torch

w = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in
     zip(["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"],
         [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60])}
i1, i2 = torch.tensor(0.05, dtype=torch.float64), torch.tensor(0.10, dtype=torch.float64)
out_h1 = torch.sigmoid(w["w1"] * i1 + w["w2"] * i2 + w["b1"])
out_h2 = torch.sigmoid(w["w3"] * i1 + w["w4"] * i2 + w["b1"])
out_o1 = torch.sigmoid(w["w5"] * out_h1 + w["w6"] * out_h2 + w["b2"])
out_o2 = torch.sigmoid(w["w7"] * out_h1 + w["w8"] * out_h2 + w["b2"])
E = 0.5 * (0.01 - out_o1) ** 2 + 0.5 * (0.99 - out_o2) ** 2
print("out_h1 %.9f out_h2 %.9f out_o1 %.9f out_o2 %.9f" % (out_h1.item(), out_h2.item(), out_o1.item(), out_o2.item()))
print("E_total %.9f" % E.item())
E.backward()
with torch.no_grad():
    for name, p in w.items():
        print("dE/d%s = %.9f  %s+ = %.9f" % (name, p.grad.item(), name, (p - 0.5 * p.grad).item()))

# the same network trained for 200 steps of SGD
params = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, 0.35, 0.60]]
optimizer = torch.optim.SGD(params, lr=0.5)
for step in range(200):
    w1, w2, w3, w4, w5, w6, w7, w8, b1, b2 = params
    h1 = torch.sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = torch.sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = torch.sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = torch.sigmoid(w7 * h1 + w8 * h2 + b2)
    loss = 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step in (0, 9, 99, 199):
        print("step %d E %.9f" % (step + 1, loss.item()))
