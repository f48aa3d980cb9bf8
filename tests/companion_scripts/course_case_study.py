"""The course's case study as the course writes it (torch, pandas, scikit-learn, torchsummary, relative paths
data/手机价格预测.csv and model/phone.pth); only the epoch count comes from sys.argv[1] to keep tests short.
glasstorch draws torch's random numbers (tests/parity/test_random_case_study.py checks the initial weights and the
batches); this test checks that the script runs unchanged."""
# 导入相关模块
import sys

import torch
from torch.utils.data import TensorDataset
from torch.utils.data import DataLoader
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import make_regression  # noqa: F401 - imported by the course
from sklearn.model_selection import train_test_split
import matplotlib.pyplot as plt  # noqa: F401 - imported by the course
import numpy as np
import pandas as pd
import time
from torchsummary import summary


# 构建数据集
def create_dataset():
    data = pd.read_csv('data/手机价格预测.csv')
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


def train(train_dataset, input_dim, class_num,):
    torch.manual_seed(0)
    dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
    model = PhonePriceModel(input_dim, class_num)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=1e-3)
    num_epoch = int(sys.argv[1]) if len(sys.argv) > 1 else 50
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
        print('epoch: %4s loss: %.2f, time: %.2fs' % (epoch_idx + 1, total_loss / total_num, time.time() - start))
    torch.save(model.state_dict(), 'model/phone.pth')


def test(valid_dataset, input_dim, class_num):
    model = PhonePriceModel(input_dim, class_num)
    model.load_state_dict(torch.load('model/phone.pth'))
    dataloader = DataLoader(valid_dataset, batch_size=8, shuffle=False)
    correct = 0
    for x, y in dataloader:
        output = model(x)
        y_pred = torch.argmax(output, dim=1)
        correct += (y_pred == y).sum()
    print('Acc: %.5f' % (correct.item() / len(valid_dataset)))


if __name__ == '__main__':
    train_dataset, valid_dataset, input_dim, class_num = create_dataset()
    print("输入特征数: ", input_dim)
    print("分类个数: ", class_num)
    model = PhonePriceModel(input_dim, class_num)
    summary(model, input_size=(input_dim,), batch_size=16)
    train(train_dataset, input_dim, class_num)
    test(valid_dataset, input_dim, class_num)
