"""The schedules beyond the course's (MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR, CosineAnnealingWarmRestarts,
CyclicLR, OneCycleLR, SequentialLR, ChainedScheduler) against torch 2.13.

Each case runs the same schedule in both libraries over two param groups with different lrs, for more steps than the
schedule lasts, and records after every step ``get_last_lr()``, each group's lr and momentum/betas, and any error
(OneCycleLR raises when stepped past ``total_steps``). Learning rates are Python floats computed by the same formulas
in the same order as torch's, so the records are compared for exact equality, as are the warnings, the state_dicts,
the errors for bad arguments (class and message) and a run that is saved half-way and resumed in fresh objects.
"""
from __future__ import annotations

import copy
import re
import warnings

import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.optim  # noqa: E402,F401

LRS = (0.1, 0.03)
OPTIMIZERS = {
    "SGD": lambda lib, groups: lib.optim.SGD(groups, lr=LRS[0], momentum=0.9),
    "Adam": lambda lib, groups: lib.optim.Adam(groups, lr=LRS[0]),
    "AdamW": lambda lib, groups: lib.optim.AdamW(groups, lr=LRS[0], betas=(0.8, 0.99)),
    "Adagrad": lambda lib, groups: lib.optim.Adagrad(groups, lr=LRS[0]),
    "RMSprop": lambda lib, groups: lib.optim.RMSprop(groups, lr=LRS[0], momentum=0.5),
}
# torch's other optimizers, where glasstorch has them: those with betas get β1 cycled, the rest cannot cycle momentum
OPTIMIZERS.update({name: (lambda name: lambda lib, groups: getattr(lib.optim, name)(groups, lr=LRS[0]))(name)
                   for name in ("NAdam", "RAdam", "Adamax", "Adadelta", "ASGD", "Rprop")
                   if hasattr(glasstorch.optim, name)})


def _optimizer(lib, kind: str = "SGD", lrs=LRS):
    """One parameter per learning rate, each in its own group; a gradient so that ``optimizer.step()`` does work."""
    params = [lib.tensor([1.0, -2.0], requires_grad=True) for _ in lrs]
    for p in params:
        p.grad = lib.tensor([0.5, 0.25])
    return OPTIMIZERS[kind](lib, [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)])


def _s(lib):
    return lib.optim.lr_scheduler


# Each factory builds the schedule (and any inner schedules) for an optimizer of either library.
CASES = {
    "MultiplicativeLR": lambda lib, o: _s(lib).MultiplicativeLR(o, lambda epoch: 0.95),
    "MultiplicativeLR-per-group": lambda lib, o: _s(lib).MultiplicativeLR(
        o, [lambda epoch: 0.9, lambda epoch: 1.0 if epoch % 3 else 0.5]),
    "ConstantLR-default": lambda lib, o: _s(lib).ConstantLR(o),
    "ConstantLR": lambda lib, o: _s(lib).ConstantLR(o, factor=0.5, total_iters=4),
    "ConstantLR-zero-iters": lambda lib, o: _s(lib).ConstantLR(o, factor=0.7, total_iters=0),
    "LinearLR-default": lambda lib, o: _s(lib).LinearLR(o),
    "LinearLR-warmup": lambda lib, o: _s(lib).LinearLR(o, start_factor=0.05, total_iters=12),
    "LinearLR-decay": lambda lib, o: _s(lib).LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=7),
    "LinearLR-to-zero": lambda lib, o: _s(lib).LinearLR(o, start_factor=0.5, end_factor=0.0, total_iters=6),
    "PolynomialLR-default": lambda lib, o: _s(lib).PolynomialLR(o),
    "PolynomialLR-square": lambda lib, o: _s(lib).PolynomialLR(o, total_iters=10, power=2.0),
    "PolynomialLR-root": lambda lib, o: _s(lib).PolynomialLR(o, total_iters=9, power=0.5),
    "CosineAnnealingWarmRestarts": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=5),
    "CosineAnnealingWarmRestarts-mult": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.001),
    "CyclicLR-triangular": lambda lib, o: _s(lib).CyclicLR(o, base_lr=[0.01, 0.002], max_lr=[0.1, 0.02],
                                                           step_size_up=4),
    "CyclicLR-triangular2": lambda lib, o: _s(lib).CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3,
                                                            step_size_down=5, mode="triangular2"),
    "CyclicLR-exp_range": lambda lib, o: _s(lib).CyclicLR(o, base_lr=0.001, max_lr=[0.1, 0.05], step_size_up=5,
                                                          mode="exp_range", gamma=0.9, base_momentum=0.7,
                                                          max_momentum=[0.95, 0.9]),
    "CyclicLR-scale_fn-cycle": lambda lib, o: _s(lib).CyclicLR(o, 0.01, 0.1, step_size_up=2,
                                                               scale_fn=lambda x: 1 / (1.0 + x)),
    "CyclicLR-scale_fn-iterations": lambda lib, o: _s(lib).CyclicLR(o, 0.01, 0.1, step_size_up=3, step_size_down=2,
                                                                    scale_fn=lambda x: 0.97 ** x,
                                                                    scale_mode="iterations"),
    "CyclicLR-no-momentum": lambda lib, o: _s(lib).CyclicLR(o, 0.01, 0.1, step_size_up=4, cycle_momentum=False),
    "OneCycleLR-cos": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=0.5, total_steps=20),
    "OneCycleLR-linear": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=17,
                                                           anneal_strategy="linear"),
    "OneCycleLR-three-phase": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=0.5, total_steps=25, three_phase=True),
    "OneCycleLR-epochs": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=0.3, epochs=4, steps_per_epoch=6,
                                                           pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    "OneCycleLR-momentum-lists": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=0.3, total_steps=15,
                                                                   base_momentum=[0.8, 0.7], max_momentum=[0.9, 0.99]),
    "OneCycleLR-no-momentum": lambda lib, o: _s(lib).OneCycleLR(o, max_lr=0.3, total_steps=12, cycle_momentum=False,
                                                                three_phase=True, anneal_strategy="linear"),
    "SequentialLR-warmup-cosine": lambda lib, o: _s(lib).SequentialLR(
        o, [_s(lib).LinearLR(o, start_factor=0.1, total_iters=5), _s(lib).CosineAnnealingLR(o, T_max=10)], [5]),
    "SequentialLR-constant-exponential": lambda lib, o: _s(lib).SequentialLR(
        o, [_s(lib).ConstantLR(o, factor=0.1, total_iters=4), _s(lib).ExponentialLR(o, gamma=0.9)], milestones=[4]),
    "SequentialLR-three": lambda lib, o: _s(lib).SequentialLR(
        o, [_s(lib).LinearLR(o, total_iters=3), _s(lib).StepLR(o, step_size=2, gamma=0.5),
            _s(lib).PolynomialLR(o, total_iters=6, power=2.0)], milestones=[3, 9]),
    "SequentialLR-lambda-multistep": lambda lib, o: _s(lib).SequentialLR(
        o, [_s(lib).MultiStepLR(o, milestones=[1, 2], gamma=0.5), _s(lib).LambdaLR(o, lambda e: 1 / (1 + e)),
            _s(lib).CosineAnnealingWarmRestarts(o, T_0=4)], milestones=[3, 8]),
    "SequentialLR-one": lambda lib, o: _s(lib).SequentialLR(o, [_s(lib).ExponentialLR(o, gamma=0.8)], milestones=[]),
    "ChainedScheduler": lambda lib, o: _s(lib).ChainedScheduler(
        [_s(lib).ConstantLR(o, factor=0.1, total_iters=5), _s(lib).ExponentialLR(o, gamma=0.9)]),
    "ChainedScheduler-three": lambda lib, o: _s(lib).ChainedScheduler(
        [_s(lib).LinearLR(o, start_factor=0.2, total_iters=4), _s(lib).StepLR(o, step_size=3, gamma=0.5),
         _s(lib).MultiplicativeLR(o, lambda e: 0.99)], optimizer=o),
}
STEPS = 30


def _momentum(group) -> tuple:
    return group.get("momentum"), tuple(float(b) for b in group["betas"]) if "betas" in group else None


def _record(scheduler, optimizer) -> tuple:
    return (list(scheduler.get_last_lr()), [g["lr"] for g in optimizer.param_groups],
            [_momentum(g) for g in optimizer.param_groups])


def _steps(scheduler, optimizer, count: int, steps: list, step_args=None) -> list:
    """``count`` × (optimizer.step(), scheduler.step()), recording after each; an error ends the run (and is kept)."""
    for i in range(count):
        try:
            optimizer.step()
            if step_args is None:
                scheduler.step()
            else:
                scheduler.step(step_args[i])
        except Exception as error:  # noqa: BLE001 - the error itself is what is compared
            steps.append(("error", type(error).__name__, str(error)))
            return steps
        steps.append(_record(scheduler, optimizer))
    return steps


def _outcome(lib, make, kind: str = "SGD", steps: int = STEPS, step_args=None, lrs=LRS):
    """Everything a run shows: the records per step (or the constructor's error), warnings, the final state_dict."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer = _optimizer(lib, kind, lrs)
        try:
            scheduler = make(lib, optimizer)
        except Exception as error:  # noqa: BLE001
            return ("error", type(error).__name__, str(error))
        records = _steps(scheduler, optimizer, steps, [_record(scheduler, optimizer)], step_args)
    said = [(w.category.__name__, str(w.message)) for w in caught]
    return records, said, _comparable(scheduler.state_dict())


def _comparable(state):
    """A state_dict with its values made comparable across libraries (Counters as dicts, tuples as lists)."""
    if isinstance(state, dict):
        return {key: _comparable(value) for key, value in state.items()}
    if isinstance(state, (list, tuple)):
        return [_comparable(value) for value in state]
    return state


def _assert_same(ours, theirs) -> None:
    if isinstance(theirs, tuple) and theirs[0] == "error":
        assert ours == theirs
        return
    (our_records, our_warnings, our_state), (their_records, their_warnings, their_state) = ours, theirs
    assert len(our_records) == len(their_records)
    for step, (a, b) in enumerate(zip(our_records, their_records)):
        assert a == b, f"step {step}: glasstorch {a} != torch {b}"
    assert our_warnings == their_warnings
    assert our_state == their_state


@pytest.mark.parametrize("case", list(CASES))
def test_schedule_matches_torch_with_sgd(case):
    _assert_same(_outcome(glasstorch, CASES[case]), _outcome(torch, CASES[case]))


ACROSS_OPTIMIZERS = ["LinearLR-warmup", "CosineAnnealingWarmRestarts-mult", "CyclicLR-triangular",
                     "CyclicLR-no-momentum", "OneCycleLR-cos", "OneCycleLR-three-phase", "SequentialLR-warmup-cosine",
                     "ChainedScheduler"]


@pytest.mark.parametrize("kind", [kind for kind in OPTIMIZERS if kind != "SGD"])
@pytest.mark.parametrize("case", ACROSS_OPTIMIZERS)
def test_schedule_matches_torch_with_every_optimizer(case, kind):
    """Adam's β1 is cycled instead of a momentum; Adagrad has neither, so cycling momentum is an error in both."""
    _assert_same(_outcome(glasstorch, CASES[case], kind), _outcome(torch, CASES[case], kind))


def test_three_param_groups():
    def three(lib, o):
        return _s(lib).OneCycleLR(o, max_lr=[0.3, 0.2, 0.1], total_steps=15, three_phase=True)

    lrs = (0.1, 0.03, 0.5)
    _assert_same(_outcome(glasstorch, three, "Adam", lrs=lrs), _outcome(torch, three, "Adam", lrs=lrs))
    two_momentums = CASES["OneCycleLR-momentum-lists"]  # two momentums for three groups: an error in both
    ours = _outcome(glasstorch, two_momentums, lrs=lrs)
    assert ours[0] == "error" and ours == _outcome(torch, two_momentums, lrs=lrs)


# ---- step(epoch): fractional epochs of the warm restarts, and the deprecated closed forms --------------------------
WARM_RESTART_EPOCHS = {
    "fractional": [epoch + batch / 4 for epoch in range(12) for batch in range(4)],
    "jumps": [0.5, 3, 7.25, 2, 26, 26.5, 13, 0],
}


@pytest.mark.parametrize("epochs", list(WARM_RESTART_EPOCHS))
@pytest.mark.parametrize("t_mult", [1, 2, 3])
def test_warm_restarts_step_with_an_epoch(epochs, t_mult):
    def make(lib, o):
        return _s(lib).CosineAnnealingWarmRestarts(o, T_0=3, T_mult=t_mult, eta_min=0.002)

    args = WARM_RESTART_EPOCHS[epochs]
    _assert_same(_outcome(glasstorch, make, steps=len(args), step_args=args),
                 _outcome(torch, make, steps=len(args), step_args=args))


def test_warm_restarts_interleave_plain_steps_and_epochs():
    """torch's docstring example: 20 plain steps, step(26), then a plain step continues from 27."""
    def run(lib):
        optimizer = _optimizer(lib)
        scheduler = _s(lib).CosineAnnealingWarmRestarts(optimizer, T_0=4, T_mult=2)
        out = []
        for _ in range(20):
            scheduler.step()
        scheduler.step(26)
        out.append((scheduler.get_last_lr(), scheduler.T_cur, scheduler.T_i, scheduler.last_epoch))
        for _ in range(3):
            scheduler.step()
            out.append((scheduler.get_last_lr(), scheduler.T_cur, scheduler.T_i, scheduler.last_epoch))
        return out

    assert run(glasstorch) == run(torch)


CLOSED_FORM = ["ConstantLR", "LinearLR-warmup", "LinearLR-decay", "PolynomialLR-square"]


@pytest.mark.parametrize("case", CLOSED_FORM)
def test_step_with_an_epoch_uses_the_closed_form_and_warns(case):
    args = [3, 1, 7, 12, 0, 4, 20]
    ours = _outcome(glasstorch, CASES[case], steps=len(args), step_args=args)
    _assert_same(ours, _outcome(torch, CASES[case], steps=len(args), step_args=args))
    assert len(ours[1]) == len(args) and all("epoch parameter" in message for _, message in ours[1])


# ---- save half-way, load into fresh objects, continue ---------------------------------------------------------------
def _resumed(lib, make, kind: str, first: int, then: int):
    optimizer = _optimizer(lib, kind)
    scheduler = make(lib, optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        records = _steps(scheduler, optimizer, first, [])
        saved_optimizer = copy.deepcopy(optimizer.state_dict())
        saved = copy.deepcopy(scheduler.state_dict())
        fresh_optimizer = _optimizer(lib, kind)
        fresh = make(lib, fresh_optimizer)
        fresh_optimizer.load_state_dict(saved_optimizer)
        fresh.load_state_dict(saved)
        return _steps(fresh, fresh_optimizer, then, records)


ROUND_TRIPS = [(case, "SGD") for case in CASES] + [(case, "Adam") for case in ACROSS_OPTIMIZERS]


@pytest.mark.parametrize("case,kind", ROUND_TRIPS, ids=[f"{case}-{kind}" for case, kind in ROUND_TRIPS])
def test_state_dict_round_trip_continues_the_same_schedule(case, kind):
    ours = _resumed(glasstorch, CASES[case], kind, 9, STEPS - 9)
    straight = _outcome(glasstorch, CASES[case], kind)[0][1:]
    assert ours == straight
    assert ours == _resumed(torch, CASES[case], kind, 9, STEPS - 9)


RESUMABLE = {
    "MultiplicativeLR": lambda lib, o, e: _s(lib).MultiplicativeLR(o, lambda epoch: 0.95, last_epoch=e),
    "ConstantLR": lambda lib, o, e: _s(lib).ConstantLR(o, factor=0.5, total_iters=10, last_epoch=e),
    "LinearLR": lambda lib, o, e: _s(lib).LinearLR(o, start_factor=0.05, total_iters=12, last_epoch=e),
    "PolynomialLR": lambda lib, o, e: _s(lib).PolynomialLR(o, total_iters=10, power=2.0, last_epoch=e),
    "CosineAnnealingWarmRestarts": lambda lib, o, e: _s(lib).CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.001, last_epoch=e),
    "CyclicLR": lambda lib, o, e: _s(lib).CyclicLR(o, base_lr=[0.01, 0.002], max_lr=[0.1, 0.02], step_size_up=4,
                                                   last_epoch=e),
    "OneCycleLR": lambda lib, o, e: _s(lib).OneCycleLR(o, max_lr=0.5, total_steps=20, last_epoch=e),
}


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("case", list(RESUMABLE))
def test_resuming_with_last_epoch(case, kind):
    """A second schedule built over the same optimizer with ``last_epoch=7`` (its groups already hold initial_lr,
    max_lr, base_momentum...) takes over where the first stopped, as torch's does (not always seamlessly)."""
    def run(lib):
        optimizer = _optimizer(lib, kind)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            records = _steps(RESUMABLE[case](lib, optimizer, -1), optimizer, 7, [])
            scheduler = RESUMABLE[case](lib, optimizer, 7)
            return _steps(scheduler, optimizer, 12, records + [_record(scheduler, optimizer)])

    assert run(glasstorch) == run(torch)


def test_load_state_dict_leaves_the_given_dict_alone():
    for make in (CASES["SequentialLR-three"], CASES["CyclicLR-triangular"], CASES["MultiplicativeLR"]):
        scheduler = make(glasstorch, _optimizer(glasstorch))
        state = scheduler.state_dict()
        keys = set(state)
        make(glasstorch, _optimizer(glasstorch)).load_state_dict(state)
        assert set(state) == keys


class Halving:
    """A callable object: state_dict keeps its attributes (a lambda would be dropped)."""

    def __init__(self) -> None:
        self.base = 0.5

    def __call__(self, x: float) -> float:
        return self.base ** x


def test_a_callable_scale_fn_object_is_saved():
    def make(lib, o):
        return _s(lib).CyclicLR(o, 0.01, 0.1, step_size_up=2, scale_fn=Halving())

    states = []
    for lib in (glasstorch, torch):
        scheduler = make(lib, _optimizer(lib))
        scheduler._scale_fn_custom.base = 0.25
        states.append(scheduler.state_dict()["_scale_fn_custom"])
        fresh = make(lib, _optimizer(lib))
        fresh.load_state_dict(scheduler.state_dict())
        assert fresh._scale_fn_custom.base == 0.25
    assert states[0] == states[1] == {"base": 0.25}


# ---- errors for bad arguments ------------------------------------------------------------------------------------
def _other_optimizer_schedule(lib, o):
    return _s(lib).ExponentialLR(_optimizer(lib), gamma=0.5)


ERRORS = {
    "ConstantLR-factor-big": lambda lib, o: _s(lib).ConstantLR(o, factor=1.5),
    "ConstantLR-factor-negative": lambda lib, o: _s(lib).ConstantLR(o, factor=-0.1),
    "ConstantLR-factor-zero": lambda lib, o: _s(lib).ConstantLR(o, factor=0.0, total_iters=2),
    "LinearLR-start-zero": lambda lib, o: _s(lib).LinearLR(o, start_factor=0.0),
    "LinearLR-start-big": lambda lib, o: _s(lib).LinearLR(o, start_factor=1.5),
    "LinearLR-end-big": lambda lib, o: _s(lib).LinearLR(o, end_factor=1.5),
    "LinearLR-end-negative": lambda lib, o: _s(lib).LinearLR(o, end_factor=-0.5),
    "MultiplicativeLR-not-callable": lambda lib, o: _s(lib).MultiplicativeLR(o, 0.95),
    "MultiplicativeLR-count": lambda lib, o: _s(lib).MultiplicativeLR(o, [lambda e: 1.0]),
    "WarmRestarts-T_0-zero": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=0),
    "WarmRestarts-T_0-float": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=2.5),
    "WarmRestarts-T_mult-zero": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    "WarmRestarts-T_mult-float": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=2, T_mult=1.5),
    "WarmRestarts-eta_min-str": lambda lib, o: _s(lib).CosineAnnealingWarmRestarts(o, T_0=2, eta_min="0"),
    "CyclicLR-mode": lambda lib, o: _s(lib).CyclicLR(o, 0.01, 0.1, mode="sawtooth"),
    "CyclicLR-base_lr-count": lambda lib, o: _s(lib).CyclicLR(o, [0.01], 0.1),
    "CyclicLR-max_lr-count": lambda lib, o: _s(lib).CyclicLR(o, 0.01, (0.1, 0.2, 0.3)),
    "CyclicLR-momentum-count": lambda lib, o: _s(lib).CyclicLR(o, 0.01, 0.1, base_momentum=[0.8, 0.8, 0.8]),
    "CyclicLR-not-an-optimizer": lambda lib, o: _s(lib).CyclicLR("sgd", 0.01, 0.1),
    "OneCycleLR-total-zero": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, total_steps=0),
    "OneCycleLR-total-float": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, total_steps=10.0),
    "OneCycleLR-no-length": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, epochs=3),
    "OneCycleLR-epochs-zero": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, epochs=0, steps_per_epoch=3),
    "OneCycleLR-steps-negative": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=-3),
    "OneCycleLR-pct-int": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, total_steps=10, pct_start=1),
    "OneCycleLR-pct-big": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, total_steps=10, pct_start=1.5),
    "OneCycleLR-anneal": lambda lib, o: _s(lib).OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="exp"),
    "OneCycleLR-max_lr-count": lambda lib, o: _s(lib).OneCycleLR(o, [0.1], total_steps=10),
    "OneCycleLR-not-an-optimizer": lambda lib, o: _s(lib).OneCycleLR(None, 0.1, total_steps=10),
    "SequentialLR-empty": lambda lib, o: _s(lib).SequentialLR(o, [], milestones=[]),
    "SequentialLR-milestones": lambda lib, o: _s(lib).SequentialLR(o, [_s(lib).ExponentialLR(o, 0.9)], [3]),
    "SequentialLR-plateau": lambda lib, o: _s(lib).SequentialLR(
        o, [_s(lib).ExponentialLR(o, 0.9), _s(lib).ReduceLROnPlateau(o)], [3]),
    "SequentialLR-not-a-schedule": lambda lib, o: _s(lib).SequentialLR(o, [_s(lib).ExponentialLR(o, 0.9), 3], [2]),
    "SequentialLR-other-optimizer": lambda lib, o: _s(lib).SequentialLR(o, [_other_optimizer_schedule(lib, o)], []),
    "ChainedScheduler-empty": lambda lib, o: _s(lib).ChainedScheduler([]),
    "ChainedScheduler-plateau": lambda lib, o: _s(lib).ChainedScheduler([_s(lib).ReduceLROnPlateau(o)]),
    "ChainedScheduler-other-optimizer": lambda lib, o: _s(lib).ChainedScheduler(
        [_s(lib).ExponentialLR(o, 0.9), _other_optimizer_schedule(lib, o)]),
}


def _error(lib, make, steps: int = 6):
    """The class and message of the error the construction or the first ``steps`` steps raise."""
    outcome = _outcome(lib, make, steps=steps)
    if outcome[0] == "error":
        return outcome
    last = outcome[0][-1]
    return last if last[0] == "error" else None


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_arguments_raise_torchs_error(case):
    theirs = _error(torch, ERRORS[case])
    assert theirs is not None
    ours = _error(glasstorch, ERRORS[case])
    assert ours is not None and ours[:2] == theirs[:2]
    assert ours[2].replace("glasstorch", "torch") == theirs[2]


def test_stepping_one_cycle_past_its_end():
    """total_steps=10: steps 1 … 10 are fine (step 10 extrapolates the last phase), step 11 raises."""
    make = CASES["OneCycleLR-no-momentum"]
    ours, theirs = _outcome(glasstorch, make, steps=14), _outcome(torch, make, steps=14)
    _assert_same(ours, theirs)
    assert ours[0][-1] == ("error", "ValueError", "Tried to step 13 times. The specified number of total steps is 12")
    assert len(ours[0]) == 14


def test_warm_restarts_negative_epoch():
    for lib in (glasstorch, torch):
        scheduler = _s(lib).CosineAnnealingWarmRestarts(_optimizer(lib), T_0=3)
        with pytest.raises(ValueError, match=r"^Expected non-negative epoch, but got -1$"):
            scheduler.step(-1)


# ---- names, classes, reprs ------------------------------------------------------------------------------------------
def test_module_exports_what_torch_exports():
    assert glasstorch.optim.lr_scheduler.__all__ == torch.optim.lr_scheduler.__all__
    for name in torch.optim.lr_scheduler.__all__:
        ours, theirs = getattr(_s(glasstorch), name), getattr(_s(torch), name)
        assert ours.__module__ == "glasstorch.optim.lr_scheduler"
        assert [c.__name__ for c in ours.__mro__ if c.__name__ in ("LRScheduler", "ReduceLROnPlateau")] == \
               [c.__name__ for c in theirs.__mro__ if c.__name__ in ("LRScheduler", "ReduceLROnPlateau")]


@pytest.mark.parametrize("case", ["OneCycleLR-cos", "SequentialLR-warmup-cosine", "ChainedScheduler", "ConstantLR"])
def test_repr_is_torchs_default_object_repr(case):
    def shown(lib):
        text = repr(CASES[case](lib, _optimizer(lib)))
        return re.sub(r"0x[0-9a-f]+", "0x", text).replace("glasstorch.", "torch.")

    assert shown(glasstorch) == shown(torch)


def test_get_lr_outside_step_warns_as_torch():
    for lib in (glasstorch, torch):
        scheduler = CASES["LinearLR-warmup"](lib, _optimizer(lib))
        with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
            scheduler.get_lr()


STEP_ORDER_SCHEDULES = {
    "StepLR": lambda S, o: S.StepLR(o, 2),
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.9 ** e),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, 10),
    "OneCycleLR": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=10),
    "CyclicLR": lambda S, o: S.CyclicLR(o, 0.01, 0.1),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, 3),
    "SequentialLR": lambda S, o: S.SequentialLR(o, [S.LinearLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.9)],
                                                milestones=[2]),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler([S.LinearLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.9)]),
    "ReduceLROnPlateau": lambda S, o: S.ReduceLROnPlateau(o),
}


@pytest.mark.parametrize("order", ["scheduler first", "optimizer first", "optimizer.step replaced"])
@pytest.mark.parametrize("name", STEP_ORDER_SCHEDULES)
def test_stepping_the_schedule_before_the_optimizer_warns_as_torch(name, order):
    """The classic loop mistake: torch warns once, at the schedule's first step, that its first lr is skipped."""
    said = []
    for lib in (torch, glasstorch):
        optimizer = lib.optim.SGD([lib.zeros(2, requires_grad=True)], lr=0.1, momentum=0.9)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scheduler = STEP_ORDER_SCHEDULES[name](lib.optim.lr_scheduler, optimizer)
            if order == "optimizer.step replaced":
                optimizer.step = lambda *args, **kwargs: None
            for _ in range(3):
                if order != "scheduler first":
                    optimizer.step()
                scheduler.step(1.0) if name == "ReduceLROnPlateau" else scheduler.step()
                if order == "scheduler first":
                    optimizer.step()
        said.append([(w.category.__name__, str(w.message)) for w in caught])
    assert said[1] == said[0]
