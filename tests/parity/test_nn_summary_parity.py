"""glasstorch.summary against the torchsummary package: the same models built in both libraries must print the same
table, character for character (layer names, output shapes, parameter counts, totals and sizes in MB)."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
torchsummary = pytest.importorskip("torchsummary")

import glasstorch  # noqa: E402


def phone_model(lib):
    nn = lib.nn

    class PhonePriceModel(nn.Module):
        def __init__(self, input_dim, output_dim):
            super(PhonePriceModel, self).__init__()
            self.linear1 = nn.Linear(input_dim, 128)
            self.linear2 = nn.Linear(128, 256)
            self.linear3 = nn.Linear(256, output_dim)

        def forward(self, x):
            x = lib.relu(self.linear1(x))
            x = lib.relu(self.linear2(x))
            return self.linear3(x)

    return PhonePriceModel(20, 4)


def course_model(lib):
    nn = lib.nn

    class Model(nn.Module):
        def __init__(self):
            super(Model, self).__init__()
            self.linear1 = nn.Linear(3, 3)
            nn.init.xavier_normal_(self.linear1.weight)
            nn.init.zeros_(self.linear1.bias)
            self.linear2 = nn.Linear(3, 2)
            nn.init.kaiming_normal_(self.linear2.weight, nonlinearity="relu")
            nn.init.zeros_(self.linear2.bias)
            self.out = nn.Linear(2, 2)

        def forward(self, x):
            x = lib.sigmoid(self.linear1(x))
            x = lib.relu(self.linear2(x))
            return lib.softmax(self.out(x), dim=-1)

    return Model()


def layered_model(lib):
    nn = lib.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
                         nn.Sequential(nn.Linear(32, 16), nn.PReLU(), nn.BatchNorm1d(16, affine=False)),
                         nn.Linear(16, 3), nn.LogSoftmax(dim=1))


def nested_model(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width, width)
            self.act = nn.Tanh()

        def forward(self, x):
            return self.act(self.fc(x)) + x

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Linear(5, 8)
            self.blocks = nn.ModuleList([Block(8), Block(8)])
            self.head = nn.Linear(8, 1, bias=False)
            self.head.requires_grad_(False)  # frozen: counted as non-trainable

        def forward(self, x):
            x = self.stem(x)
            for block in self.blocks:
                x = block(x)
            return self.head(x)

    return Net()


def two_output_model(lib):
    nn = lib.nn

    class Split(nn.Module):
        def forward(self, x):
            return x[:, :2], x[:, 2:]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(6, 6)
            self.split = Split()

        def forward(self, x):
            a, b = self.split(self.fc(x))
            return a.sum() + b.sum()

    return Net()


def two_input_model(lib):
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(3, 4)
            self.b = nn.Linear(3, 4)

        def forward(self, x, y):
            return self.a(x) * self.b(y)

    return Net()


CASES = {
    "phone_batch16": (phone_model, (20,), 16),
    "phone_default_batch": (phone_model, (20,), -1),
    "course_3_3_2_2": (course_model, (3,), 5),
    "layered": (layered_model, (3, 4), 64),
    "nested_frozen": (nested_model, (5,), 1000),
    "tuple_output": (two_output_model, (6,), 7),
    "two_inputs": (two_input_model, [(3,), (3,)], 2),
}


@pytest.mark.parametrize("case", CASES)
def test_table_matches_torchsummary(case, capsys):
    build, input_size, batch_size = CASES[case]
    torchsummary.summary(build(torch), input_size, batch_size=batch_size, device="cpu")
    theirs = capsys.readouterr().out
    result = glasstorch.summary(build(glasstorch), input_size, batch_size=batch_size)
    ours = capsys.readouterr().out
    assert ours == theirs
    assert str(result) + "\n" == ours
