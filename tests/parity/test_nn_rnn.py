"""Parity with torch of the recurrent layers: nn.RNN / nn.LSTM / nn.GRU over a grid of options (num_layers,
bidirectional, batch_first, bias, given or zero initial states, unbatched input, LSTM proj_size) and the cells
nn.RNNCell / nn.LSTMCell / nn.GRUCell (batched and unbatched): outputs, final states, gradients of every parameter,
of the input and of the initial states. Also initialisation (bounds, torch's parameter order through glasstorch's
random stream), reprs, state_dict keys, constructor and forward errors, dropout between layers."""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare  # noqa: E402

# float32's usual tolerances hold: the short sequences here keep the per-step rounding from compounding. A gradient
# element is a sum over time steps and batch rows of terms as large as the tensor's largest elements, so its absolute
# rounding error follows those (an element of 0.0024 beside ones of 4 was 1.06e-6 off): gradients get ATOL times
# their largest magnitude when that exceeds 1.
RTOL, ATOL = 1e-5, 1e-6


def _grad_atol(reference) -> float:
    return ATOL * max(1.0, float(reference.detach().abs().max()) if reference.numel() else 0.0)


def build(name: str, *args, **kwargs):
    """The same layer in both libraries, glasstorch's loaded with torch's initial weights."""
    theirs = getattr(torch.nn, name)(*args, **kwargs)
    ours = getattr(glasstorch.nn, name)(*args, **kwargs)
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _record(what: str, ours, theirs) -> None:
    """Besides the rtol/atol comparison: no element more than 1e-5 (times the tensor's scale when above 1) away."""
    diff = float(np.max(np.abs(np.asarray(ours.detach()._data, np.float64) - theirs.detach().numpy()), initial=0))
    assert diff < 1e-5 * max(1.0, float(theirs.detach().abs().max()) if theirs.numel() else 0.0), (what, diff)


def _flatten(out) -> tuple:
    """(output, h_n), (output, (h_n, c_n)), (h, c) or h, as a flat tuple of tensors."""
    return (out,) if not isinstance(out, tuple) else tuple(t for part in out for t in _flatten(part))


def run_both(ours, theirs, x: np.ndarray, states: list[np.ndarray] | None):
    """Forward both (states: [h0] or LSTM's [h0, c0]), backward Σ cotangent ⊙ (each output), compare the outputs
    and every gradient."""
    results = []
    for lib, module in ((torch, theirs), (glasstorch, ours)):
        xt = lib.tensor(x, requires_grad=True)
        st = None if states is None else [lib.tensor(s, requires_grad=True) for s in states]
        out = module(xt) if st is None else module(xt, tuple(st) if len(st) == 2 else st[0])
        results.append((xt, st, _flatten(out)))
    (tx, ts, tflat), (ox, os_, oflat) = results
    assert len(oflat) == len(tflat)
    cotangents = [arr(*t.shape) for t in tflat]
    sum(((t * torch.tensor(c)).sum() for t, c in zip(tflat, cotangents))).backward()
    sum(((o * glasstorch.tensor(c)).sum() for o, c in zip(oflat, cotangents))).backward()
    for i, (o, t) in enumerate(zip(oflat, tflat)):
        compare(o, t, RTOL, ATOL, f"output {i}")
        _record("outputs", o, t)
    compare(ox._grad, tx.grad, RTOL, _grad_atol(tx.grad), "input grad")
    _record("input/state grads", ox._grad, tx.grad)
    for i, (o, t) in enumerate(zip(os_ or [], ts or [])):
        compare(o._grad, t.grad, RTOL, _grad_atol(t.grad), f"state {i} grad")
        _record("input/state grads", o._grad, t.grad)
    ours_params = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        compare(ours_params[name]._grad, p.grad, RTOL, _grad_atol(p.grad), f"{name} grad")
        _record("parameter grads", ours_params[name]._grad, p.grad)


GRID = list(itertools.product(("RNN", "LSTM", "GRU"), (1, 2), (False, True), (False, True), (True, False),
                              (False, True), (False, True)))


@pytest.mark.parametrize("name,num_layers,bidirectional,batch_first,bias,with_state,unbatched", GRID)
def test_recurrent_layer_grid(name, num_layers, bidirectional, batch_first, bias, with_state, unbatched):
    ours, theirs = build(name, 3, 5, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first,
                         bias=bias)
    L, N, directions = 4, 2, 2 if bidirectional else 1
    x = arr(L, 3) if unbatched else arr(N, L, 3) if batch_first else arr(L, N, 3)
    state_shape = (num_layers * directions, 5) if unbatched else (num_layers * directions, N, 5)
    states = None if not with_state else [arr(*state_shape) for _ in range(2 if name == "LSTM" else 1)]
    run_both(ours, theirs, x, states)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_relu_and_tanh(nonlinearity):
    ours, theirs = build("RNN", 3, 4, 2, nonlinearity=nonlinearity)
    assert ours.nonlinearity == nonlinearity and repr(ours) == repr(theirs)
    run_both(ours, theirs, arr(5, 2, 3), [arr(2, 2, 4)])


@pytest.mark.filterwarnings("ignore:LSTM with projections")
@pytest.mark.parametrize("bidirectional,with_state,unbatched", list(itertools.product((False, True), repeat=3)))
def test_lstm_projection(bidirectional, with_state, unbatched):
    ours, theirs = build("LSTM", 3, 5, 2, proj_size=2, bidirectional=bidirectional)
    d = 2 if bidirectional else 1
    lead = (2 * d,) if unbatched else (2 * d, 3)
    states = [arr(*lead, 2), arr(*lead, 5)] if with_state else None
    run_both(ours, theirs, arr(4, 3) if unbatched else arr(4, 3, 3), states)


@pytest.mark.parametrize("name,bias,with_state,unbatched", list(itertools.product(("RNNCell", "LSTMCell", "GRUCell"),
                                                                                  (True, False), (False, True),
                                                                                  (False, True))))
def test_cells(name, bias, with_state, unbatched):
    ours, theirs = build(name, 3, 4, bias=bias)
    shape = (4,) if unbatched else (2, 4)
    states = None if not with_state else [arr(*shape) for _ in range(2 if name == "LSTMCell" else 1)]
    x = arr(3) if unbatched else arr(2, 3)
    run_both(ours, theirs, x, states)


def test_rnn_relu_cell():
    ours, theirs = build("RNNCell", 3, 4, nonlinearity="relu")
    run_both(ours, theirs, arr(5, 3), [arr(5, 4)])
    assert repr(ours) == repr(theirs) == "RNNCell(3, 4, nonlinearity=relu)"


def test_dropout_between_layers():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours, theirs = build("LSTM", 3, 5, 3, dropout=0.5)
    x = arr(4, 2, 3)
    ours.eval(), theirs.eval()
    run_both(ours, theirs, x, None)  # eval: no dropout, the outputs agree
    ours.train()
    glasstorch.manual_seed(0)
    trained = ours(glasstorch.tensor(x))[0]
    ours.eval()
    plain = ours(glasstorch.tensor(x))[0]
    assert not np.allclose(trained._data, plain._data)  # train mode drops between the layers
    ours.train()
    ours.dropout = 0.0
    np.testing.assert_allclose(ours(glasstorch.tensor(x))[0]._data, plain._data, rtol=1e-6)


def test_dropout_warning_with_one_layer():
    for lib in (torch, glasstorch):
        with pytest.warns(UserWarning) as record:
            lib.nn.GRU(3, 4, dropout=0.25)
        assert str(record[0].message) == ("dropout option adds dropout after all but last recurrent layer, so non-zero "
                                          "dropout expects num_layers greater than 1, but got dropout=0.25 and "
                                          "num_layers=1")
        assert record[0].filename.endswith("rnn.py")  # torch's stacklevel points into its own rnn.py


CONSTRUCTIONS = [
    ("RNN", (3, 4)), ("RNN", (3, 4, 2)), ("LSTM", (3, 4)), ("GRU", (3, 4, 2)), ("RNNCell", (3, 4)),
    ("LSTMCell", (3, 4)), ("GRUCell", (3, 4)),
]
OPTIONS = [dict(), dict(bias=False), dict(batch_first=True, bidirectional=True), dict(num_layers=3, dropout=0.5)]


@pytest.mark.parametrize("name,args", CONSTRUCTIONS)
def test_reprs_state_dict_and_initialisation(name, args):
    options = OPTIONS if not name.endswith("Cell") else [dict(), dict(bias=False)]
    if name == "RNNCell":
        options = options + [dict(nonlinearity="relu", bias=False)]
    for kwargs in options:
        if len(args) > 2 and "num_layers" in kwargs:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = getattr(torch.nn, name)(*args, **kwargs)
            glasstorch.manual_seed(7)
            ours = getattr(glasstorch.nn, name)(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
        bound = 1 / math.sqrt(args[1])
        # the same random stream, drawn parameter by parameter in torch's order
        glasstorch.manual_seed(7)
        for p in ours.parameters():
            expected = glasstorch.empty(*p.shape)
            glasstorch.nn.init.uniform_(expected, -bound, bound)
            np.testing.assert_array_equal(p._data, expected._data)
            assert np.abs(p._data).max() <= bound


def test_lstm_projection_repr_and_shapes():
    ours, theirs = build("LSTM", 3, 5, proj_size=2, bidirectional=True)
    assert repr(ours) == repr(theirs) == "LSTM(3, 5, proj_size=2, bidirectional=True)"
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
           [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert [[tuple(p.shape) for p in group] for group in ours.all_weights] == \
           [[tuple(p.shape) for p in group] for group in theirs.all_weights]
    assert ours.flatten_parameters() is None


def _error(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            return type(exc).__name__, str(exc).replace("glasstorch.", "torch.")
    return None


CONSTRUCTOR_ERRORS = [
    ("LSTM", (3, 4), dict(dropout=1.5)), ("LSTM", (3, 4), dict(dropout=True)), ("GRU", (3, 4), dict(num_layers=0)),
    ("RNN", (3, 0), {}), ("RNN", (0, 3), {}), ("LSTM", (3, 4), dict(proj_size=-1)), ("LSTM", (3, 4), dict(proj_size=4)),
    ("RNN", (3, 4), dict(nonlinearity="sigmoid")), ("GRU", (3, 4), dict(proj_size=2)), ("RNN", (3, 4), dict(bias=1)),
    ("LSTM", (3, 4), dict(batch_first=None)), ("GRU", (3.0, 4), {}), ("GRU", (3, "4"), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CONSTRUCTOR_ERRORS)
def test_constructor_errors(name, args, kwargs):
    theirs = _error(lambda: getattr(torch.nn, name)(*args, **kwargs))
    assert theirs is not None
    assert _error(lambda: getattr(glasstorch.nn, name)(*args, **kwargs)) == theirs


FORWARD_ERRORS = [
    ("GRU", lambda lib: (lib.randn(5, 2, 6),)), ("LSTM", lambda lib: (lib.randn(5, 2, 6),)),
    ("RNN", lambda lib: (lib.randn(5, 2, 3, 1),)), ("LSTM", lambda lib: (lib.randn(5, 2, 3, 1),)),
    ("GRU", lambda lib: (lib.randn(5, 2, 3, 1),)), ("GRU", lambda lib: (lib.randn(5, 2, 3), lib.randn(1, 3, 4))),
    ("RNN", lambda lib: (lib.randn(5, 2, 3), lib.randn(3, 4))),
    ("GRU", lambda lib: (lib.randn(5, 3), lib.randn(1, 1, 4))),
    ("RNN", lambda lib: (lib.randn(5, 3), lib.randn(2, 4))),
    ("LSTM", lambda lib: (lib.randn(5, 2, 3), (lib.randn(1, 3, 4), lib.randn(1, 2, 4)))),
    ("LSTM", lambda lib: (lib.randn(5, 2, 3), (lib.randn(1, 2, 4), lib.randn(1, 2, 5)))),
    ("LSTM", lambda lib: (lib.randn(5, 2, 3), (lib.randn(2, 4), lib.randn(1, 2, 5)))),
    ("LSTM", lambda lib: (lib.randn(5, 3), (lib.randn(1, 2, 4), lib.randn(1, 2, 5)))),
    ("LSTM", lambda lib: (lib.randn(5, 2, 3, dtype=lib.float64),)),
    ("RNNCell", lambda lib: (lib.randn(2, 5),)), ("RNNCell", lambda lib: (lib.randn(2, 3), lib.randn(3, 4))),
    ("RNNCell", lambda lib: (lib.randn(2, 3), lib.randn(2, 5))), ("LSTMCell", lambda lib: (lib.randn(2, 5),)),
    ("LSTMCell", lambda lib: (lib.randn(2, 3), (lib.randn(2, 5), lib.randn(2, 4)))),
    ("LSTMCell", lambda lib: (lib.randn(2, 3), (lib.randn(2, 4), lib.randn(3, 4)))),
    ("GRUCell", lambda lib: (lib.randn(2, 5),)), ("GRUCell", lambda lib: (lib.randn(2, 3), lib.randn(3, 4))),
    ("GRUCell", lambda lib: (lib.randn(2, 3, 1),)), ("GRUCell", lambda lib: (lib.randn(2, 3), lib.randn(2, 3, 1))),
    ("LSTMCell", lambda lib: (lib.randn(2, 3), (lib.randn(2, 3, 1), lib.randn(2, 4)))),
    ("RNNCell", lambda lib: (lib.randn(3), lib.randn(1, 4))), ("RNNCell", lambda lib: (lib.randn(1, 2, 3),)),
]


@pytest.mark.parametrize("case", range(len(FORWARD_ERRORS)))
def test_forward_errors(case):
    name, make = FORWARD_ERRORS[case]
    theirs = _error(lambda: getattr(torch.nn, name)(3, 4)(*make(torch)))
    assert theirs is not None
    assert _error(lambda: getattr(glasstorch.nn, name)(3, 4)(*make(glasstorch))) == theirs


def test_unknown_cell_nonlinearity_fails_at_forward():
    for lib in (torch, glasstorch):
        cell = lib.nn.RNNCell(3, 4, nonlinearity="sig")
        with pytest.raises(RuntimeError, match="Unknown nonlinearity: sig"):
            cell(lib.zeros(3))


def test_summary_of_an_lstm_model_fails_as_torchsummary_does():
    """torchsummary records each layer's output with ``.size()``: an LSTM's (output, (h_n, c_n)) tuple has none."""
    torchsummary = pytest.importorskip("torchsummary")
    from glasstorch.summary import summary

    errors = []
    for lib, run in ((torch, lambda m, s: torchsummary.summary(m, s, device="cpu")), (glasstorch, summary)):
        class Model(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm, self.head = lib.nn.LSTM(3, 8, batch_first=True), lib.nn.Linear(8, 2)

            def forward(self, x):
                return self.head(self.lstm(x)[0][:, -1])

        errors.append(_error(lambda: run(Model(), (5, 3))))
    assert errors[0] is not None and errors[0] == errors[1]
