"""Course §9, 案例: 手机价格分类.
The case study: phone price classification, the course's code with glasstorch standing in for torch.

20 features → 128 → 256 → 4 classes with ReLU, CrossEntropyLoss, SGD lr 1e-3, batch 8, 50 epochs, seed 0, the split
train_test_split(train_size=0.8, random_state=88) (the course reports Acc 0.64250). Needs pandas and scikit-learn,
as the course does, and the course's CSV (Kaggle's "Mobile Price Classification" train.csv):

    python examples/12_phone_price_case_study.py [CSV] [--epochs N]

CSV defaults to $GLASSTORCH_DATA, then data/mobile_price_train.csv, then the course's data/手机价格预测.csv.
For the tuned recipe (≥ 0.97), see `glasstorch train`.
"""
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

import glasstorch as torch
import glasstorch.nn as nn
import glasstorch.optim as optim
from glasstorch.utils.data import DataLoader, TensorDataset
from glasstorch.i18n import setup_cli, t

setup_cli(None)  # the language (--lang, $GLASSTORCH_LANG, the locale); a GBK or ASCII console prints w^2 for w²


def find_csv():
    candidates = [a for a in sys.argv[1:] if a.endswith(".csv")] + [os.environ.get("GLASSTORCH_DATA", ""),
                  "data/mobile_price_train.csv", "data/手机价格预测.csv"]
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    sys.exit("phone-price CSV not found: pass its path, or set GLASSTORCH_DATA (Kaggle: 'Mobile Price Classification', "
             "train.csv, 2000 rows, 21 columns)")


def create_dataset(path):
    data = pd.read_csv(path)
    x, y = data.iloc[:, :-1], data.iloc[:, -1]
    x = x.astype(np.float32)
    y = y.astype(np.int64)
    x_train, x_valid, y_train, y_valid = train_test_split(x, y, train_size=0.8, random_state=88)
    train_dataset = TensorDataset(torch.from_numpy(x_train.values), torch.tensor(y_train.values))
    valid_dataset = TensorDataset(torch.from_numpy(x_valid.values), torch.tensor(y_valid.values))
    return train_dataset, valid_dataset, x_train.shape[1], len(np.unique(y))


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


def train(train_dataset, input_dim, class_num, num_epoch, path):
    torch.manual_seed(0)
    dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
    model = PhonePriceModel(input_dim, class_num)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=1e-3)
    for epoch_idx in range(num_epoch):
        start, total_loss, total_num = time.time(), 0.0, 0
        for x, y in dataloader:
            output = model(x)
            loss = criterion(output, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_num += 1
            total_loss += loss.item()
        print(t("ex12.epoch", epoch=f"{epoch_idx + 1:4d}", loss=f"{total_loss / total_num:.2f}",
                seconds=f"{time.time() - start:.2f}"))
    torch.save(model.state_dict(), path)


def test(valid_dataset, input_dim, class_num, path):
    model = PhonePriceModel(input_dim, class_num)
    model.load_state_dict(torch.load(path))
    dataloader = DataLoader(valid_dataset, batch_size=8, shuffle=False)
    correct = 0
    for x, y in dataloader:
        y_pred = torch.argmax(model(x), dim=1)
        correct += (y_pred == y).sum()
    print('Acc: %.5f' % (correct.item() / len(valid_dataset)))


if __name__ == '__main__':
    epochs = int(sys.argv[sys.argv.index("--epochs") + 1]) if "--epochs" in sys.argv else 50
    train_dataset, valid_dataset, input_dim, class_num = create_dataset(find_csv())
    print(t("ex12.shape", features=input_dim, classes=class_num))
    model_path = os.path.join(tempfile.mkdtemp(), "phone.pth")
    train(train_dataset, input_dim, class_num, epochs, model_path)
    test(valid_dataset, input_dim, class_num, model_path)
