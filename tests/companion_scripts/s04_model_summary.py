"""Course §4 (building a model, counting parameters): the course's 3-3-2-2 model and the phone-price model."""
import torch
import torch.nn as nn
from torchsummary import summary


class Model(nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = nn.Linear(3, 3)
        nn.init.xavier_normal_(self.linear1.weight)
        nn.init.zeros_(self.linear1.bias)
        self.linear2 = nn.Linear(3, 2)
        nn.init.kaiming_normal_(self.linear2.weight, nonlinearity='relu')
        nn.init.zeros_(self.linear2.bias)
        self.out = nn.Linear(2, 2)

    def forward(self, x):
        x = torch.sigmoid(self.linear1(x))
        x = torch.relu(self.linear2(x))
        return torch.softmax(self.out(x), dim=-1)


class PhonePriceModel(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(PhonePriceModel, self).__init__()
        self.linear1 = nn.Linear(input_dim, 128)
        self.linear2 = nn.Linear(128, 256)
        self.linear3 = nn.Linear(256, output_dim)

    def forward(self, x):
        x = torch.relu(self.linear1(x))
        x = torch.relu(self.linear2(x))
        return self.linear3(x)


if __name__ == "__main__":
    my_model = Model()
    my_data = torch.randn(5, 3)
    print("mydata shape", my_data.shape)
    output = my_model(my_data)
    print("output shape-->", output.shape)
    print("rows sum to 1:", torch.allclose(output.sum(dim=-1), torch.ones(5)))
    summary(my_model, input_size=(3,), batch_size=5)
    for name, parameter in my_model.named_parameters():
        print(name, tuple(parameter.shape), parameter.requires_grad)
    print("zero biases:", my_model.linear1.bias.tolist(), my_model.linear2.bias.tolist())
    print(my_model)
    print("parameters:", sum(p.numel() for p in my_model.parameters()))

    model = PhonePriceModel(20, 4)
    summary(model, input_size=(20,), batch_size=16)
    print("parameters:", sum(p.numel() for p in model.parameters()))
    print(list(model.state_dict().keys()))
    sequential = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 4))
    print(sequential)
    print(len(sequential), sequential[0], sequential[-1].out_features)
    print(sequential(torch.zeros(2, 20)).shape)
