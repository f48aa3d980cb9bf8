"""The tour and the plots: every chapter prints its results and writes PNG files with drawn content."""
from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path

import numpy as np
import pytest

import glasstorch
from glasstorch.companion import plots
from glasstorch.companion.tour import CHAPTERS, run_tour

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_drawn_png(path: Path) -> None:
    """A valid PNG whose pixels are not one flat colour: a good share differs from the background."""
    import matplotlib.image

    assert path.is_file(), path
    assert path.read_bytes()[:8] == PNG_SIGNATURE, path
    pixels = matplotlib.image.imread(path)[..., :3]
    assert pixels.shape[0] > 200 and pixels.shape[1] > 300, (path, pixels.shape)
    background = np.median(pixels.reshape(-1, 3), axis=0)
    drawn = np.abs(pixels - background).sum(axis=-1) > 0.1
    assert pixels.std() > 0.05 and drawn.mean() > 0.02, (path, pixels.std(), drawn.mean())


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    """Chapters 1-8 once (the case study, chapter 9, is tested on its own)."""
    out = tmp_path_factory.mktemp("tour")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = run_tour(out=out, chapters=list(range(1, 9)))
    return out, printed.getvalue(), code


def test_the_tour_runs_every_chapter(tour):
    out, text, code = tour
    assert code == 0, text
    for chapter in CHAPTERS[:8]:
        assert f"Chapter {chapter.number}. {chapter.title}" in text


@pytest.mark.parametrize("chapter", range(1, 9))
def test_each_chapter_writes_drawn_figures(tour, chapter):
    out, text, _ = tour
    files = sorted(out.glob(f"{chapter:02d}-*.png"))
    assert files, f"chapter {chapter} wrote no figure"
    for path in files:
        assert_drawn_png(path)
        assert str(path) in text  # listed in the closing index


def test_the_index_lists_every_figure(tour):
    out, text, _ = tour
    index = (out / "index.md").read_text(encoding="utf-8")
    for path in out.glob("*.png"):
        assert f"({path.name})" in index
    assert text.rstrip().endswith(f"index: {out / 'index.md'}")


def test_chapters_print_the_course_s_numbers(tour):
    _, text, _ = tour
    assert "Total params: 26" in text and "Total params: 36,740" in text
    assert "E_total = E_o1 + E_o2 = 0.274811083 + 0.023560026 = 0.298371109" in text
    assert "w5⁺ = 0.40000000 - 0.5 × 0.08216704 = 0.35891648" in text
    for line in ["step 2: grad 0.990000, weight 0.971100", "step 2: grad 0.990000, weight 0.982965",
                 "step 2: grad 0.968377, weight 0.945788", "step 2: grad 0.990000, weight 0.980003"]:
        assert line in text
    assert "196 iterations per epoch, 1960 in 10 epochs" in text
    assert "tensor([0.0212, 0.0177, 0.0202, 0.0202, 0.0638, 0.0287, 0.0185, 0.0522, 0.0183,\n        0.7392])" in text


def test_unknown_chapter_is_a_usage_error(tmp_path):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert run_tour(out=tmp_path, chapters=[42]) == 2
    assert "no chapter 42" in err.getvalue()


class _ClosedAfter(io.StringIO):
    """A stdout whose reader goes away after ``lines`` writes, as `glasstorch tour | head`'s does."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.left = lines

    def write(self, text: str) -> int:
        self.left -= 1
        if self.left < 0:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize("lines", [0, 3])  # before the first heading, and inside chapter 1
@pytest.mark.parametrize("which", ["glasstorch", "companion"])
def test_a_closed_pipe_ends_the_tour_quietly(tmp_path, monkeypatch, lines, which):
    """`glasstorch tour | head -3`: the reader leaving ends the tour with exit code 0, not a traceback per chapter
    and 'chapter 1 failed' (a chapter's failure is caught so that the others run; a closed pipe is no failure)."""
    from glasstorch.app.cli import main as glasstorch_main
    from glasstorch.companion.cli import main as companion_main

    main = glasstorch_main if which == "glasstorch" else companion_main
    err = io.StringIO()
    monkeypatch.setattr("sys.stdout", _ClosedAfter(lines))
    with contextlib.redirect_stderr(err):
        assert main(["tour", "--chapter", "1", "--chapter", "2", "--out", str(tmp_path)]) == 0
    assert err.getvalue() == ""


# ---- the plots' numbers ----------------------------------------------------------------------------------------
def test_activation_derivatives_are_autograd_s_and_the_course_s_formulas():
    x = glasstorch.linspace(-5, 5, 41)
    y, dy = plots.derivative(glasstorch.sigmoid, x)
    np.testing.assert_allclose(dy, y * (1 - y), rtol=1e-5, atol=1e-7)
    y, dy = plots.derivative(glasstorch.tanh, x)
    np.testing.assert_allclose(dy, 1 - y ** 2, rtol=1e-5, atol=1e-6)
    _, dy = plots.derivative(plots.ACTIVATIONS["leaky_relu"][0], x)
    np.testing.assert_allclose(dy, np.where(x.numpy() > 0, 1.0, 0.01), rtol=1e-6)
    y, dy = plots.derivative(plots.ACTIVATIONS["elu"][0], x)
    np.testing.assert_allclose(dy, np.where(x.numpy() > 0, 1.0, y + 1), rtol=1e-5, atol=1e-6)


def test_exponentially_weighted_average_follows_the_recurrence():
    values = glasstorch.tensor([10.0, 20.0, 0.0, 5.0])
    expected, s = [], None
    for v in [10.0, 20.0, 0.0, 5.0]:
        s = v if s is None else 0.9 * s + 0.1 * v
        expected.append(s)
    assert plots.exponentially_weighted(values, 0.9) == pytest.approx(expected, rel=1e-6)


def test_schedules_are_the_course_s_formulas():
    step = plots.schedule(plots.COURSE_SCHEDULES["StepLR(step_size=50, gamma=0.5)"])
    assert step == pytest.approx([0.1 * 0.5 ** (e // 50) for e in range(200)], rel=1e-12)
    multi = plots.schedule(plots.COURSE_SCHEDULES["MultiStepLR(milestones=[50, 125, 160], gamma=0.5)"])
    assert multi == pytest.approx([0.1 * 0.5 ** sum(e >= m for m in (50, 125, 160)) for e in range(200)], rel=1e-12)
    exponential = plots.schedule(plots.COURSE_SCHEDULES["ExponentialLR(gamma=0.95)"])
    assert exponential == pytest.approx([0.1 * 0.95 ** e for e in range(200)], rel=1e-9)


def test_optimizer_path_of_plain_sgd_is_gradient_descent_by_hand():
    points = plots.path_of(plots.OPTIMIZERS["SGD"], plots.ravine, (-7.0, 2.0), lr=0.1, steps=5)
    x, y, expected = -7.0, 2.0, [(-7.0, 2.0)]
    for _ in range(5):
        x, y = x - 0.1 * x / 10, y - 0.1 * 2 * y
        expected.append((x, y))
    np.testing.assert_allclose(points, expected, rtol=1e-12)
    adam = plots.path_of(plots.OPTIMIZERS["Adam"], plots.saddle, (-2.0, 0.02), lr=0.05, steps=60)
    assert abs(adam[-1, 1]) > 0.5  # Adam leaves the saddle towards a minimum at y = ±1


def test_training_curves_and_every_plot_write_drawn_pngs(tmp_path):
    history = {"train_loss": [1.2, 0.8, 0.5, 0.4], "test_loss": [1.3, 0.9, 0.7, 0.65],
               "train_accuracy": [0.4, 0.6, 0.75, 0.8], "test_accuracy": [0.35, 0.55, 0.7, 0.72]}
    figure = plots.training_curves(history, tmp_path / "curves.png")
    loss_axis, accuracy_axis = figure.axes
    assert [line.get_label() for line in loss_axis.lines] == ["train loss", "held-out loss"]  # as the trainer's
    assert [line.get_label() for line in accuracy_axis.lines] == ["train accuracy", "held-out accuracy"]
    assert_drawn_png(tmp_path / "curves.png")
    plots.ewa(tmp_path / "sub" / "ewa.png", temperatures=glasstorch.tensor([math.sin(d) * 10 for d in range(30)]))
    assert_drawn_png(tmp_path / "sub" / "ewa.png")


# ---- chapter 9, the case study ------------------------------------------------------------------------------------
def test_case_study_trains_both_recipes_and_draws_their_curves(tmp_path, phone_csv):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = run_tour(out=tmp_path, chapters=[9], epochs=2, data=str(phone_csv))
    text = printed.getvalue()
    assert code == 0, text
    assert "2000 rows, 20 features, target 'price_range'" in text and "1600 training rows, 400 held out" in text
    for recipe in ("course", "tuned"):
        line = next(line for line in text.splitlines() if line.startswith(f"recipe {recipe}: accuracy"))
        accuracy = float(line.split("accuracy ")[1].split()[0])
        assert 0.0 <= accuracy <= 1.0 and "after 2 epochs" in line
        assert_drawn_png(tmp_path / f"09-{recipe}-recipe-curves.png")


def test_case_study_without_data_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GLASSTORCH_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    printed, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        code = run_tour(out=tmp_path / "tour", chapters=[9])
    text = errors.getvalue()
    assert code == 2  # missing input, as the trainer's exit code for it
    assert "was not found" in text and "GLASSTORCH_DATA" in text and "glasstorch tour --chapter 9" in text
    assert not list((tmp_path / "tour").glob("*.png"))
