"""glasstorch.optim.lr_scheduler: the course's three examples, 200-epoch sequences against torch, closed forms, resume.

Learning rates are Python floats computed by the same recursions as torch, so sequences are compared for exact
equality with torch's; the closed forms (lr₀·γ^(epoch//step) ...) are independent checks, compared to 1e-12.
"""
from __future__ import annotations

import math
import warnings

import pytest

import glasstorch
import glasstorch.optim as optim
from glasstorch.optim import lr_scheduler

EPOCHS = 200


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def _optimizer(lib, lrs=(0.1,)):
    """SGD with momentum 0.9 (as the course) over one parameter per learning rate, each in its own group."""
    groups = [{"params": [lib.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs]
    return lib.optim.SGD(groups, lr=lrs[0], momentum=0.9)


# ---- the course's three examples, run as the course writes them -------------------------------------------------
def _course_loop(lib, make_scheduler, step_inside_batches: bool, seeded_weights: bool = False) -> list:
    """The course's loop: 200 epochs of 10 batches, recording get_last_lr() at the start of each epoch.

    The course's StepLR listing calls ``scheduler_lr.step()`` inside the batch loop (10 scheduler steps per
    epoch); the other two call it once per epoch. Both placements are run.
    """
    iteration = 10
    y_true, x = lib.tensor([0]), lib.tensor([1.0])
    if seeded_weights:
        lib.manual_seed(1)
        w = lib.randn((1), requires_grad=True)
    else:
        w = lib.tensor([1.0], requires_grad=True)
    optimizer = lib.optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = make_scheduler(lib, optimizer)
    lr_list = []
    for _epoch in range(EPOCHS):
        lr_list.append(scheduler.get_last_lr())
        for _ in range(iteration):
            loss = ((w * x - y_true) ** 2) / 2.0
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step_inside_batches:
                scheduler.step()
        if not step_inside_batches:
            scheduler.step()
    return lr_list


COURSE = {
    "StepLR": (lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5),
               lambda epoch, steps: 0.1 * 0.5 ** (epoch * steps // 50)),
    "MultiStepLR": (lambda lib, o: lib.optim.lr_scheduler.MultiStepLR(o, milestones=[50, 125, 160], gamma=0.5),
                    lambda epoch, steps: 0.1 * 0.5 ** sum(epoch * steps >= m for m in (50, 125, 160))),
    "ExponentialLR": (lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.95),
                      lambda epoch, steps: 0.1 * 0.95 ** (epoch * steps)),
}


@pytest.mark.parametrize("inside", [False, True], ids=["once-per-epoch", "inside-the-batch-loop"])
@pytest.mark.parametrize("name", list(COURSE))
def test_the_courses_examples_follow_the_closed_form(name, inside):
    make, closed_form = COURSE[name]
    lrs = _course_loop(glasstorch, make, inside, seeded_weights=name == "MultiStepLR")
    steps = 10 if inside else 1
    assert all(len(lr) == 1 for lr in lrs)
    for epoch, (lr,) in enumerate(lrs):
        assert lr == pytest.approx(closed_form(epoch, steps), rel=1e-12, abs=1e-300), epoch


@pytest.mark.parametrize("inside", [False, True], ids=["once-per-epoch", "inside-the-batch-loop"])
@pytest.mark.parametrize("name", list(COURSE))
def test_the_courses_examples_match_torch(name, inside, torch):
    make, _ = COURSE[name]
    seeded = name == "MultiStepLR"
    assert _course_loop(glasstorch, make, inside, seeded) == _course_loop(torch, make, inside, seeded)


# ---- every scheduler against torch, 200 epochs, two param groups -------------------------------------------------
class Warmup:
    """A picklable-style callable lr_lambda: state_dict keeps its attributes (torch's rule)."""

    def __init__(self, warmup: int) -> None:
        self.warmup = warmup

    def __call__(self, epoch: int) -> float:
        return min(1.0, (epoch + 1) / self.warmup) * 0.98 ** epoch


SCHEDULERS = {
    "StepLR": lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=30),
    "StepLR-gamma": lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.8),
    "MultiStepLR": lambda lib, o: lib.optim.lr_scheduler.MultiStepLR(o, milestones=[30, 80, 80, 150], gamma=0.3),
    "ExponentialLR": lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.97),
    "LambdaLR": lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 1.0 / (1 + epoch // 10)),
    "LambdaLR-per-group": lambda lib, o: lib.optim.lr_scheduler.LambdaLR(
        o, lr_lambda=[Warmup(5), lambda epoch: 0.95 ** epoch]),
    "CosineAnnealingLR": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=50),
    "CosineAnnealingLR-eta_min": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=37, eta_min=1e-3),
}


def _run(lib, make, epochs=EPOCHS, lrs=(0.1, 0.03), optimizer=None, scheduler=None):
    optimizer = optimizer or _optimizer(lib, lrs)
    scheduler = scheduler or make(lib, optimizer)
    history = []
    for _ in range(epochs):
        history.append(list(scheduler.get_last_lr()))
        assert [g["lr"] for g in optimizer.param_groups] == history[-1]
        optimizer.step()
        scheduler.step()
    return history, optimizer, scheduler


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_200_epochs_match_torch(name, torch):
    ours, our_opt, our_sched = _run(glasstorch, SCHEDULERS[name])
    theirs, their_opt, their_sched = _run(torch, SCHEDULERS[name])
    assert ours == theirs
    assert len({tuple(h) for h in ours}) > 3, "the schedule should change the lr"
    assert our_sched.last_epoch == their_sched.last_epoch == EPOCHS
    assert our_sched.base_lrs == their_sched.base_lrs == [0.1, 0.03]
    assert [g["initial_lr"] for g in our_opt.param_groups] == [0.1, 0.03]
    assert our_sched.state_dict() == their_sched.state_dict()  # same keys and values, lambdas saved as torch does


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR"])
def test_closed_forms_follow_the_formulas(name):
    history, _, _ = _run(glasstorch, SCHEDULERS[name], lrs=(0.1,))
    formula = {
        "StepLR": lambda e: 0.1 * 0.1 ** (e // 30),
        "MultiStepLR": lambda e: 0.1 * 0.3 ** sum(e >= m for m in (30, 80, 80, 150)),
        "ExponentialLR": lambda e: 0.1 * 0.97 ** e,
        "CosineAnnealingLR": lambda e: 0.1 * (1 + math.cos(math.pi * e / 50)) / 2,
    }[name]
    for epoch, (lr,) in enumerate(history):
        assert lr == pytest.approx(formula(epoch), rel=1e-9, abs=1e-15), epoch


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_resume_from_state_dicts_continues_the_same_sequence(name):
    """100 epochs, save optimizer and scheduler state, rebuild both (scheduler first, as torch advises), load,
    100 more: the same 200 learning rates as a straight run."""
    make = SCHEDULERS[name]
    straight, _, _ = _run(glasstorch, make)
    first, opt, sched = _run(glasstorch, make, epochs=100)
    opt_state, sched_state = opt.state_dict(), sched.state_dict()
    new_opt = _optimizer(glasstorch, (0.5, 0.5))
    new_sched = make(glasstorch, new_opt)
    new_opt.load_state_dict(opt_state)
    new_sched.load_state_dict(sched_state)
    second, _, _ = _run(glasstorch, make, epochs=100, optimizer=new_opt, scheduler=new_sched)
    assert first + second == straight


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_scheduler_state_survives_glasstorch_save(name):
    import io

    first, opt, sched = _run(glasstorch, SCHEDULERS[name], epochs=60)
    buffer = io.BytesIO()
    glasstorch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, buffer)
    buffer.seek(0)
    saved = glasstorch.load(buffer)
    new_opt = _optimizer(glasstorch, (0.5, 0.5))
    new_sched = SCHEDULERS[name](glasstorch, new_opt)
    new_opt.load_state_dict(saved["optimizer"])
    new_sched.load_state_dict(saved["scheduler"])
    second, _, _ = _run(glasstorch, None, epochs=60, optimizer=new_opt, scheduler=new_sched)
    assert first + second == _run(glasstorch, SCHEDULERS[name], epochs=120)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new_sched.step(150)  # the closed form (MultiStepLR's needs its milestones as a Counter again)
    assert new_sched.last_epoch == 150


def test_lambda_state_dict_keeps_callable_objects_not_functions(torch):
    for lib in (glasstorch, torch):
        sched = SCHEDULERS["LambdaLR-per-group"](lib, _optimizer(lib, (0.1, 0.2)))
        assert sched.state_dict()["lr_lambdas"] == [{"warmup": 5}, None]
        sched.load_state_dict({**sched.state_dict(), "lr_lambdas": [{"warmup": 9}, None]})
        assert sched.lr_lambdas[0].warmup == 9


RESUMABLE = {
    "StepLR": lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5, last_epoch=40),
    "ExponentialLR": lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9, last_epoch=40),
    "CosineAnnealingLR": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30, last_epoch=10),
    "LambdaLR": lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, lambda e: 0.9 ** e, last_epoch=12),
}


@pytest.mark.parametrize("name", list(RESUMABLE))
def test_resuming_with_last_epoch_matches_torch(name, torch):
    """A scheduler built with last_epoch ≥ 0 over groups that carry initial_lr (as after loading a checkpoint)."""
    def resumed(lib):
        optimizer = _optimizer(lib, (0.1, 0.03))
        for group in optimizer.param_groups:
            group["initial_lr"] = group["lr"]
            group["lr"] *= 0.1
        return _run(lib, None, epochs=40, optimizer=optimizer, scheduler=RESUMABLE[name](lib, optimizer))[0]

    assert resumed(glasstorch) == resumed(torch)


def test_resuming_without_initial_lr_is_a_key_error():
    with pytest.raises(KeyError, match=r"param 'initial_lr' is not specified in param_groups\[0\]"):
        lr_scheduler.StepLR(_optimizer(glasstorch), step_size=3, last_epoch=5)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR"])
def test_step_with_an_epoch_uses_the_closed_form_and_warns_as_torch(name, torch):
    results = []
    for lib in (glasstorch, torch):
        optimizer = _optimizer(lib, (0.1, 0.03))
        scheduler = SCHEDULERS[name](lib, optimizer)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lrs = []
            for epoch in (3, 31, 90, 17, 151):
                optimizer.step()
                scheduler.step(epoch)
                lrs.append(scheduler.get_last_lr())
        results.append((lrs, [str(c.message) for c in caught if "epoch parameter" in str(c.message)]))
    assert results[0] == results[1]
    assert len(results[0][1]) == 5


def test_get_lr_outside_step_warns_as_torch(torch):
    messages = []
    for lib in (glasstorch, torch):
        scheduler = lib.optim.lr_scheduler.StepLR(_optimizer(lib), step_size=2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scheduler.get_lr()
        messages.append([str(c.message) for c in caught])
    assert messages[0] == messages[1] and messages[0]


def test_a_scheduler_needs_an_optimizer():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([], step_size=3)
    with pytest.raises(TypeError, match="dict is not an Optimizer"):
        lr_scheduler.ReduceLROnPlateau({})
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        lr_scheduler.LambdaLR(_optimizer(glasstorch, (0.1, 0.2)), [lambda e: 1.0])


# ---- ReduceLROnPlateau -------------------------------------------------------------------------------------------
def _metrics(mode: str) -> list[float]:
    """A validation curve: improves, plateaus with noise, jumps, improves a little, plateaus (mirrored for max)."""
    values = []
    for epoch in range(EPOCHS):
        if epoch < 30:
            v = 1.0 / (1 + epoch)
        elif epoch < 90:
            v = 0.033 + 0.0005 * math.sin(epoch)
        elif epoch < 120:
            v = 0.05 - 0.0005 * (epoch - 90)
        else:
            v = 0.035 + 0.0001 * math.cos(3 * epoch)
        values.append(v if mode == "min" else -v)
    return values


PLATEAU = [
    {},
    {"patience": 3},
    {"patience": 2, "factor": 0.5, "cooldown": 4},
    {"patience": 0, "factor": 0.5, "min_lr": 1e-3},
    {"patience": 1, "factor": 0.7, "min_lr": [1e-3, 1e-4]},
    {"patience": 2, "threshold": 0.05},
    {"patience": 2, "threshold": 1e-3, "threshold_mode": "abs"},
    {"patience": 2, "factor": 0.9, "eps": 1e-3},
]


@pytest.mark.parametrize("mode", ["min", "max"])
@pytest.mark.parametrize("kwargs", PLATEAU, ids=[str(k) or "defaults" for k in PLATEAU])
def test_reduce_on_plateau_matches_torch(mode, kwargs, torch):
    histories = []
    for lib in (glasstorch, torch):
        optimizer = _optimizer(lib, (0.1, 0.03))
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode=mode, **kwargs)
        history = []
        for metric in _metrics(mode):
            optimizer.step()
            scheduler.step(lib.tensor(metric))  # a 0-d float32 tensor, as a loss would be
            history.append((scheduler.get_last_lr(), scheduler.num_bad_epochs, scheduler.cooldown_counter,
                            scheduler.best, scheduler.last_epoch))
        histories.append((history, scheduler.state_dict()))
    assert histories[0] == histories[1]
    assert len({tuple(h[0]) for h in histories[0][0]}) > 1, "the metrics should trigger a reduction"


def test_reduce_on_plateau_by_hand():
    """patience=2: the third epoch without improvement reduces lr by factor; cooldown=1 ignores the next bad epoch."""
    optimizer = _optimizer(glasstorch, (1.0,))
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, patience=2, factor=0.5, cooldown=1)
    lrs = []
    for metric in [5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.0]:
        scheduler.step(metric)
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert scheduler.num_bad_epochs == 0 and scheduler.best == 3.0


def test_reduce_on_plateau_resumes_from_its_state_dict():
    def run(metrics, optimizer=None, scheduler=None):
        optimizer = optimizer or _optimizer(glasstorch, (0.1, 0.03))
        scheduler = scheduler or lr_scheduler.ReduceLROnPlateau(optimizer, patience=2, factor=0.5, cooldown=3)
        out = []
        for m in metrics:
            scheduler.step(m)
            out.append(scheduler.get_last_lr())
        return out, optimizer, scheduler

    metrics = _metrics("min")
    straight, _, _ = run(metrics)
    first, opt, sched = run(metrics[:95])
    new_opt = _optimizer(glasstorch, (0.1, 0.03))
    new_sched = lr_scheduler.ReduceLROnPlateau(new_opt)
    new_opt.load_state_dict(opt.state_dict())
    new_sched.load_state_dict(sched.state_dict())
    assert first + run(metrics[95:], new_opt, new_sched)[0] == straight


@pytest.mark.parametrize("kwargs,error,message", [
    ({"factor": 1.0}, ValueError, "Factor should be < 1.0."),
    ({"mode": "avg"}, ValueError, "mode avg is unknown!"),
    ({"threshold_mode": "pct"}, ValueError, "threshold mode pct is unknown!"),
    ({"min_lr": [0.0, 0.0, 0.0]}, ValueError, "expected 1 min_lrs, got 3"),
])
def test_reduce_on_plateau_errors(kwargs, error, message, torch):
    for lib in (glasstorch, torch):
        with pytest.raises(error) as raised:
            lib.optim.lr_scheduler.ReduceLROnPlateau(_optimizer(lib), **kwargs)
        assert str(raised.value) == message


def test_schedules_are_reachable_as_torch_spells_them():
    assert optim.lr_scheduler.StepLR is lr_scheduler.StepLR
    assert issubclass(lr_scheduler.ReduceLROnPlateau, lr_scheduler.LRScheduler)
    assert issubclass(lr_scheduler._LRScheduler, lr_scheduler.LRScheduler)
