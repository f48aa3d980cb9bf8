"""glasstorch.i18n: the catalogues agree, the language is chosen as documented, nothing crashes on a GBK or ASCII
console, and plots draw Chinese with a CJK font (or fall back to English labels, never to boxes)."""
from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from glasstorch import i18n
from glasstorch.i18n import fields_of, t

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("[0-9]*.py"))


# ---- the catalogues ---------------------------------------------------------------------------------------------
def test_every_catalogue_has_english_s_keys_and_fields():
    english = i18n.catalogue("en")
    assert set(i18n.languages()) >= {"en", "zh"}
    for code in i18n.languages():
        messages = i18n.catalogue(code)
        assert set(messages) == set(english), (code, set(messages) ^ set(english))
        for key, text in english.items():
            assert fields_of(messages[key]) == fields_of(text), (code, key)


def _keys_used_in_code() -> set[str]:
    namespaces = {key.split(".")[0] for key in i18n.catalogue("en")}
    literal = re.compile(r"""["']((?:%s)\.[A-Za-z0-9_.]+)["']""" % "|".join(map(re.escape, sorted(namespaces))))
    called = re.compile(r"""\b(?:t|pt|i18n\.t)\(\s*["']([^"']+)["']""")
    used = set()
    for path in [*(ROOT / "src" / "glasstorch").rglob("*.py"), *EXAMPLES]:
        if "locales" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(called.findall(text)) | set(literal.findall(text))
    return used


def test_every_key_used_in_the_code_is_in_every_catalogue():
    used = _keys_used_in_code()
    assert len(used) > 150  # the grep finds the calls (tour, explain, plots, examples...)
    for code in i18n.languages():
        missing = used - set(i18n.catalogue(code))
        assert not missing, (code, sorted(missing))


def test_chinese_messages_are_chinese():
    chinese = i18n.catalogue("zh")
    for key in ("tour.title.neurons", "tour.title.optimisation", "explain.backward", "plots.learning_rate"):
        assert re.search(r"[\u4e00-\u9fff]", chinese[key]), key


# ---- choosing the language --------------------------------------------------------------------------------------
@pytest.mark.parametrize("environment, expected", [
    ({"GLASSTORCH_LANG": "zh"}, "zh"), ({"GLASSTORCH_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.Big5"}, "zh"), ({"LC_ALL": "zh_CN.GBK", "LANG": "en_US"}, "zh"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "en")])
def test_the_language_comes_from_the_environment(monkeypatch, environment, expected):
    for name in ("GLASSTORCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_set_language_wins_and_unknown_languages_are_refused(monkeypatch):
    i18n.set_language("zh_CN")
    assert i18n.language() == "zh" and t("tour.title.losses") == "损失函数"
    i18n.set_language(None)
    assert t("tour.title.losses") == "Loss functions"
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        i18n.set_language("xx")


@pytest.mark.parametrize("argv, expected", [
    (["--lang", "zh", "tour"], "zh"), (["tour", "--list", "--lang=zh"], "zh"), (["train", "--lang", "en"], "en"),
    (["run", "script.py", "--lang", "zh"], None), (["run", "--lang", "zh", "script.py"], "zh"),
    (["run", "--figures", "out", "script.py", "--lang", "zh"], None), (["explain"], None)])
def test_lang_is_read_from_the_command_s_own_options(argv, expected):
    assert i18n.language_from_argv(argv) == expected


def test_every_command_takes_lang(capsys):
    from glasstorch.app import cli

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    for name, sub in commands.items():
        assert any("--lang" in action.option_strings for action in sub._actions), name
    assert cli.main(["tour", "--list", "--lang", "zh"]) == 0
    assert "1. 神经元" in capsys.readouterr().out
    assert cli.main(["--lang", "en", "tour", "--list"]) == 0
    assert "1. Neurons and layers" in capsys.readouterr().out


def test_a_locale_the_console_cannot_write_falls_back_to_english(monkeypatch):
    import io

    monkeypatch.delenv("GLASSTORCH_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    ascii_console = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert i18n.console_language(ascii_console) == "en"
    assert i18n.console_language(io.TextIOWrapper(io.BytesIO(), encoding="gbk")) == "zh"
    monkeypatch.setenv("GLASSTORCH_LANG", "zh")  # asked for explicitly: kept, and escaped where it must be
    assert i18n.console_language(ascii_console) == "zh"


# ---- no encoding crash ----------------------------------------------------------------------------------------------
def _run(args: list[str], **environment: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg", **environment}
    env.pop("GLASSTORCH_LANG", None)
    env.update(environment)
    return subprocess.run([sys.executable, *args], capture_output=True, env=env, timeout=300, cwd=ROOT)


CONSOLES = [{"PYTHONIOENCODING": "gbk", "GLASSTORCH_LANG": "zh"},
            {"PYTHONIOENCODING": "ascii", "GLASSTORCH_LANG": "zh"},
            {"PYTHONIOENCODING": "ascii", "LANG": "zh_CN.UTF-8"}, {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}]


@pytest.mark.parametrize("console", CONSOLES, ids=["gbk-zh", "ascii-zh", "ascii-zh-locale", "LANG=C"])
def test_explain_and_help_never_raise_unicode_errors(console):
    done = _run(["-m", "glasstorch.app.cli", "explain"], **console)
    assert done.returncode == 0, done.stderr.decode("latin-1")
    encoding = console.get("PYTHONIOENCODING") or "utf-8"
    text = done.stdout.decode(encoding)
    assert "w5" in text and "0.35891648" in text
    if encoding == "gbk":
        assert "反向传播" in text and "链式法则" in text  # GBK carries Chinese; ∂, ½ and ² are spelled d, 1/2, ^2
        assert "1/2(target - out)^2" in text and "dE/dw5 = dE/dout_o1 × dout_o1/dnet_o1 × dnet_o1/dw5" in text
    if encoding == "ascii" and console.get("GLASSTORCH_LANG") != "zh":
        assert "Backward pass" in text and "dE/dw5 = dE/dout_o1 x dout_o1/dnet_o1 x dnet_o1/dw5" in text
    for command in (["train", "--help"], ["tour", "--list"], ["run", "--help"], ["evaluate", "--help"]):
        done = _run(["-m", "glasstorch.app.cli", *command], **console)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, (command, done.stderr)


TOUR_FILES = ["01-layers-collapse.png", "02-activations.png", "03-initialisations.png", "04-parameters.png",
              "05-losses.png", "06-backprop-network.png", "06-ewa.png", "06-gradient-descent.png",
              "06-mlp-loss-graph.png", "06-optimizer-paths.png", "07-lr-schedules.png",
              "08-regularisation.png", "09-course-recipe-curves.png", "09-tuned-recipe-curves.png"]


@pytest.mark.parametrize("console", CONSOLES[:2] + CONSOLES[3:], ids=["gbk-zh", "ascii-zh", "LANG=C"])
def test_the_whole_tour_runs_on_any_console(console, tmp_path, phone_csv):
    done = _run(["-m", "glasstorch.app.cli", "tour", "--out", str(tmp_path), "--epochs", "1", "--data",
                 str(phone_csv)], **console)
    assert done.returncode == 0, done.stderr.decode("latin-1")[-3000:]
    assert b"Traceback" not in done.stderr
    assert sorted(path.name for path in tmp_path.glob("*.png")) == TOUR_FILES  # file names never change language


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_runs_on_gbk_and_ascii_consoles(example, phone_csv):
    args = [str(phone_csv), "--epochs", "1"] if example.name.startswith("12_") else []
    if example.name.startswith("12_"):
        pytest.importorskip("pandas")
        pytest.importorskip("sklearn")
    for console in (CONSOLES[0], CONSOLES[1]):
        done = _run([str(example), *args], **console)
        assert done.returncode == 0, (console, done.stderr.decode("latin-1")[-2000:])
    assert done.stdout.isascii()


def test_glasstorch_run_makes_a_script_s_prints_safe(tmp_path):
    script = tmp_path / "course.py"
    script.write_text("import torch\nx = torch.tensor([2.0], requires_grad=True)\n(x ** 2).sum().backward()\n"
                      "print('∂(x²)/∂x =', x.grad.item(), '梯度')\n", encoding="utf-8")
    done = _run(["-m", "glasstorch.app.cli", "run", str(script)], PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("ascii").strip() == "d(x^2)/dx = 4.0 \\u68af\\u5ea6"


# ---- plots in Chinese -------------------------------------------------------------------------------------------
def _text_pixels(figure) -> int:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    return int((pixels.min(axis=-1) < 128).sum())


def test_a_chinese_plot_has_every_glyph():
    _require_cjk_font()
    from glasstorch.companion import plots

    i18n.set_language("zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = plots.lr_schedules()
        assert "学习率衰减" in figure._suptitle.get_text()
        _text_pixels(figure)
        title_only = plots.new_figure(figsize=(3, 1))
        title_only.text(0.1, 0.3, "低 中 高 激活函数", fontsize=20)
        drawn = _text_pixels(title_only)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    boxes = plots.new_figure(figsize=(3, 1))
    boxes.text(0.1, 0.3, "□ □ □ □□□□", fontsize=20)
    assert drawn > 200 and drawn != _text_pixels(boxes)  # glyphs, not empty boxes


def test_without_a_cjk_font_labels_fall_back_to_english(monkeypatch, capsys):
    from glasstorch.i18n import fonts

    monkeypatch.setattr(fonts, "_state", {"font": None})
    i18n.set_language("zh")
    assert fonts.plot_language() == "en" and fonts.pt("plots.learning_rate") == "Learning rate"
    fonts.pt("plots.epoch")
    err = capsys.readouterr().err
    assert err.count("pip install 'glasstorch[zh]'") == 1 and "fonts-wqy-microhei" in err


# ---- the data download ------------------------------------------------------------------------------------------
@pytest.fixture
def no_data(tmp_path, monkeypatch):
    for name in ("GLASSTORCH_DATA", "GLASSTORCH_OFFLINE", "GLASSTORCH_DATA_MIRRORS", "GLASSTORCH_DATA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_glasstorch_data_url_points_the_download_at_a_mirror_with_a_short_timeout(no_data, monkeypatch, phone_csv):
    module = importlib.import_module("glasstorch.datasets.phone_prices")  # the module: the package exports a function of that name

    asked = []

    def fetch(url, timeout):
        asked.append((url, timeout))
        return phone_csv.read_bytes() if url.endswith("good.csv") else b"not the file"

    monkeypatch.setattr(module, "_fetch", fetch)
    monkeypatch.setenv("GLASSTORCH_DATA_URL", "https://mirror.example/bad.csv https://mirror.example/good.csv")
    path = module.phone_prices()
    assert asked == [("https://mirror.example/bad.csv", module.CONNECT_TIMEOUT),
                     ("https://mirror.example/good.csv", module.CONNECT_TIMEOUT)]
    assert module.CONNECT_TIMEOUT <= 5 and path.read_bytes() == phone_csv.read_bytes()  # the sha256 check stays


def test_the_not_found_message_is_in_the_user_s_language(no_data, monkeypatch):
    from glasstorch.datasets import DataNotFoundError, phone_prices

    monkeypatch.setenv("GLASSTORCH_OFFLINE", "1")
    i18n.set_language("zh")
    with pytest.raises(DataNotFoundError) as info:
        phone_prices()
    message = str(info.value)
    assert "没有找到" in message and "./data/mobile_price_train.csv" in message and "GLASSTORCH_DATA_URL" in message
    i18n.set_language("en")
    with pytest.raises(DataNotFoundError, match="was not found"):
        phone_prices()


def _require_cjk_font():
    from glasstorch.i18n import fonts

    if fonts.cjk_font() is None:
        if os.environ.get("GLASSTORCH_REQUIRE_CJK_FONT") == "1":
            pytest.fail("no CJK font: apt-get install fonts-wqy-microhei (or pip install 'glasstorch[zh]')")
        pytest.skip("no CJK font on this machine (apt-get install fonts-wqy-microhei)")
    return fonts


def test_chinese_class_labels_in_the_trainer_s_confusion_matrix(tmp_path):
    _require_cjk_font()
    from glasstorch.app import plots as app_plots

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app_plots.confusion([[5, 1, 0], [1, 6, 2], [0, 1, 7]], ["低", "中", "高"], tmp_path / "confusion.png", "tuned")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert (tmp_path / "confusion.png").read_bytes()[:4] == b"\x89PNG"


def test_the_zh_extra_s_font_is_found_when_the_system_has_none(monkeypatch):
    """``pip install 'glasstorch[zh]'`` installs noto_cjk_sans_otc, whose FONT_PATH the font search adds; here a
    stand-in module points at the CJK font file this machine has, hidden from matplotlib's list first."""
    import types

    from matplotlib import font_manager

    fonts = _require_cjk_font()
    name = fonts.cjk_font()
    path = next(entry.fname for entry in font_manager.fontManager.ttflist if entry.name == name)
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [entry for entry in font_manager.fontManager.ttflist if entry.fname != path])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    monkeypatch.setattr(fonts, "_state", {})
    monkeypatch.delitem(sys.modules, "noto_cjk_sans_otc", raising=False)
    assert fonts.cjk_font() is None
    monkeypatch.setattr(fonts, "_state", {})
    monkeypatch.setitem(sys.modules, "noto_cjk_sans_otc", types.SimpleNamespace(FONT_PATH=Path(path)))
    assert fonts.cjk_font() in fonts.CJK_FONTS


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_training_on_chinese_labels_on_a_gbk_or_ascii_console(encoding, tmp_path):
    """The issue's setup: class labels 低/中/高 in a CSV, a console that cannot write them all; the run completes,
    its table is written as the console can, and its plots draw the labels (no glyph missing)."""
    _require_cjk_font()
    rng = np.random.default_rng(0)
    area = rng.uniform(20, 200, 90)
    rows = [f"{a:.1f},{int(f)},{'低' if a < 80 else '中' if a < 140 else '高'}"
            for a, f in zip(area, rng.integers(1, 30, 90))]
    (tmp_path / "房价.csv").write_text("面积,楼层,价格档次\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = _run(["-m", "glasstorch.app.cli", "train", "--data", str(tmp_path / "房价.csv"), "--epochs", "3",
                 "--out", str(tmp_path / "run")], PYTHONIOENCODING=encoding, PYTHONWARNINGS="always")
    assert done.returncode == 0, done.stderr.decode("latin-1")[-2000:]
    assert b"missing from font" not in done.stderr and b"Traceback" not in done.stderr
    assert done.stdout.decode(encoding).strip().splitlines()[-1].startswith("accuracy ")
    assert (tmp_path / "run" / "confusion.png").is_file()
    model = str(tmp_path / "run" / "model.safetensors")
    for command in (["evaluate", "--model", model], ["predict", "--model", model, "--input", str(tmp_path / "房价.csv")],
                    ["predict", "--model", model, "--input", str(tmp_path / "房价.csv"), "--json"],
                    ["summary", "--model", model]):
        done = _run(["-m", "glasstorch.app.cli", *command], PYTHONIOENCODING=encoding)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, (command, done.stderr[-2000:])
        assert done.stdout.strip(), command
