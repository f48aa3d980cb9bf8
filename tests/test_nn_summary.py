"""glasstorch.summary without torch: the course's printed figures, the returned data, and no side effects.
(The character-for-character comparison with the torchsummary package is in tests/parity/test_nn_summary.py.)"""
from __future__ import annotations

import pytest

import glasstorch
import glasstorch.nn as nn


class PhonePriceModel(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(PhonePriceModel, self).__init__()
        self.linear1 = nn.Linear(input_dim, 128)
        self.linear2 = nn.Linear(128, 256)
        self.linear3 = nn.Linear(256, output_dim)

    def forward(self, x):
        x = glasstorch.relu(self.linear1(x))
        x = glasstorch.relu(self.linear2(x))
        return self.linear3(x)


class Model(nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = nn.Linear(3, 3)
        self.linear2 = nn.Linear(3, 2)
        self.out = nn.Linear(2, 2)

    def forward(self, x):
        x = glasstorch.sigmoid(self.linear1(x))
        x = glasstorch.relu(self.linear2(x))
        return glasstorch.softmax(self.out(x), dim=-1)


def layered_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
                         nn.Sequential(nn.Linear(32, 16), nn.PReLU()), nn.Linear(16, 3))


def test_course_figures(capsys):
    """The course's printed numbers: 2,688 / 33,024 / 1,028, total 36,740; and 26 for the 3-3-2-2 model."""
    result = glasstorch.summary(PhonePriceModel(20, 4), input_size=(20,), batch_size=16)
    printed = capsys.readouterr().out
    for text in ("Linear-1", "[16, 128]", "2,688", "33,024", "1,028", "Total params: 36,740",
                 "Trainable params: 36,740", "Non-trainable params: 0", "Forward/backward pass size (MB): 0.05",
                 "Params size (MB): 0.14", "Estimated Total Size (MB): 0.19"):
        assert text in printed
    assert [row.params for row in result] == [2688, 33024, 1028]
    assert [row.output_shape for row in result] == [[16, 128], [16, 256], [16, 4]]
    assert (result.total_params, result.trainable_params, result.non_trainable_params) == (36740, 36740, 0)
    assert [round(v, 2) for v in (result.input_size_mb, result.forward_backward_size_mb, result.params_size_mb,
                                  result.total_size_mb)] == [0.0, 0.05, 0.14, 0.19]
    small = glasstorch.summary(Model(), input_size=(3,), batch_size=5)
    assert [(row.name, row.output_shape, row.params) for row in small] == [
        ("Linear-1", [5, 3], 12), ("Linear-2", [5, 2], 8), ("Linear-3", [5, 2], 6)]
    assert small.total_params == 26
    assert repr(small) == "ModelSummary(3 layers, 26 params)"


def test_rows_cover_every_leaf_layer_in_call_order():
    result = glasstorch.summary(layered_model(), (3, 4))
    assert [row.layer_type for row in result] == ["Flatten", "Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear",
                                                  "PReLU", "Linear"]
    assert [row.params for row in result] == [0, 416, 64, 0, 0, 528, 1, 51]
    assert result[0].input_shape == [-1, 3, 4] and result[0].output_shape == [-1, 12]


def test_frozen_layers_are_non_trainable():
    model = PhonePriceModel(20, 4)
    model.linear3.requires_grad_(False)
    result = glasstorch.summary(model, (20,))
    assert result.non_trainable_params == 1028 and result.trainable_params == 36740 - 1028


def test_summary_leaves_running_statistics_mode_and_hooks_alone():
    model = layered_model()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    glasstorch.summary(model, (3, 4))
    after = model.state_dict()
    assert all((before[k] == after[k].numpy()).all() for k in before)
    assert model.training
    assert not any(m._forward_hooks for m in model.modules())


def test_unknown_device_is_refused():
    with pytest.raises(ValueError, match="please specify 'cuda' or 'cpu'"):
        glasstorch.summary(PhonePriceModel(20, 4), (20,), device="tpu")
