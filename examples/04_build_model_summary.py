"""Course §4, 搭建神经网络.
Building a model and counting its parameters: nn.Module with __init__ and forward, glasstorch.summary.

    python examples/04_build_model_summary.py
"""
import glasstorch as torch
import glasstorch.nn as nn
from glasstorch import summary
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(3, 3)                          # hidden layer 1: xavier init, sigmoid
        nn.init.xavier_normal_(self.linear1.weight)
        nn.init.zeros_(self.linear1.bias)
        self.linear2 = nn.Linear(3, 2)                          # hidden layer 2: kaiming init, relu
        nn.init.kaiming_normal_(self.linear2.weight, nonlinearity="relu")
        nn.init.zeros_(self.linear2.bias)
        self.out = nn.Linear(2, 2)                              # output layer: softmax

    def forward(self, x):
        x = torch.sigmoid(self.linear1(x))
        x = torch.relu(self.linear2(x))
        return torch.softmax(self.out(x), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    my_model = Model()
    my_data = torch.randn(5, 3)
    print("mydata shape", my_data.shape)
    output = my_model(my_data)
    print("output shape-->", output.shape)
    summary(my_model, input_size=(3,), batch_size=5)            # Total params: 26
    print(t("ex04.parameters"))
    for name, parameter in my_model.named_parameters():
        print(name, parameter)
    # by hand: each layer has in × out weights and out biases
    print("12 + 8 + 6 =", sum(p.numel() for p in my_model.parameters()))
