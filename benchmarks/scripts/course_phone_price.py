"""The course's phone-price case study as the course writes it (PyTorch code, run unchanged under torch or under
`glasstorch run`). Prints seconds and mean loss per epoch and the held-out accuracy as one JSON line at the end.

Usage: python course_phone_price.py CSV [EPOCHS]
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


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
        output = self.linear3(x)
        return output


def train(train_dataset, input_dim, class_num, num_epoch):
    torch.manual_seed(0)
    dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
    model = PhonePriceModel(input_dim, class_num)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=1e-3)
    epoch_seconds, epoch_losses = [], []
    for epoch_idx in range(num_epoch):
        start = time.time()
        total_loss = 0.0
        total_num = 0
        for x, y in dataloader:
            output = model(x)
            loss = criterion(output, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_num += 1
            total_loss += loss.item()
        epoch_seconds.append(time.time() - start)
        epoch_losses.append(total_loss / total_num)
    train.epoch_losses = epoch_losses
    return model, epoch_seconds


def test(model, valid_dataset):
    dataloader = DataLoader(valid_dataset, batch_size=8, shuffle=False)
    correct = 0
    for x, y in dataloader:
        output = model(x)
        y_pred = torch.argmax(output, dim=1)
        correct += (y_pred == y).sum()
    return correct.item() / len(valid_dataset)


if __name__ == "__main__":
    torch.set_num_threads(2) if hasattr(torch, "set_num_threads") else None
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    train_dataset, valid_dataset, input_dim, class_num = create_dataset(sys.argv[1])
    model, seconds = train(train_dataset, input_dim, class_num, epochs)
    print(json.dumps({"epoch_seconds": seconds, "epoch_losses": train.epoch_losses,
                      "accuracy": test(model, valid_dataset)}))
