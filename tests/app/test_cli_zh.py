"""The trainer CLI in Chinese (issue 17): --help of every command, argparse's own words, progress and result lines,
error messages; machine-readable output (metrics.json, exit codes, file names) the same in both languages."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from glasstorch import i18n
from glasstorch.app import cli
from glasstorch.i18n.argparse_words import argparse_in_language

from cli_run import run

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
COMMANDS = ["train", "evaluate", "predict", "summary", "run", "explain", "tour"]


def _commands(parser: argparse.ArgumentParser) -> dict:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def _helps(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    return [(action.dest, action.help) for action in parser._actions
            if action.help and action.help is not argparse.SUPPRESS and not isinstance(action, argparse._SubParsersAction)]


def test_every_option_of_every_command_has_chinese_help():
    i18n.set_language("zh")
    with argparse_in_language():
        parser = cli.build_parser()
        commands = _commands(parser)
        assert sorted(commands) == sorted(COMMANDS)
        for name, sub in [("glasstorch", parser), *commands.items()]:
            helps = _helps(sub)
            assert len(helps) >= 2, name
            untranslated = [(dest, text) for dest, text in helps if not CHINESE.search(text)]
            assert not untranslated, (name, untranslated)
            text = sub.format_help()
            assert text.startswith("用法：") and "显示本帮助信息后退出" in text, name
            assert "usage:" not in text and "options:" not in text and "show this help" not in text, name
        assert "示例：" in commands["train"].format_help() and "学习率" in commands["train"].format_help()


def test_every_option_has_help_in_english_too_and_english_words_stay():
    i18n.set_language("en")
    with argparse_in_language():
        parser = cli.build_parser()
        for name, sub in _commands(parser).items():
            assert all(not CHINESE.search(text) for _, text in _helps(sub)), name
            text = sub.format_help()
            assert text.startswith("usage: glasstorch " + name) and "show this help message and exit" in text
        text = _commands(parser)["train"].format_help()
        assert "examples:\n  glasstorch train  " in text and "\n  glasstorch train --recipe course --out" in text


@pytest.mark.parametrize("command", [[], *[[name] for name in COMMANDS]])
def test_chinese_help_of_each_command_through_main(capsys, command):
    with pytest.raises(SystemExit) as info:
        cli.main(["--lang", "zh", *command, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert out.startswith("用法：glasstorch") and CHINESE.search(out.split("\n", 3)[-1]), out[:300]


def test_argparse_errors_are_chinese_and_keep_exit_code_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--lang", "zh", "evaluate"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "错误：缺少以下必需参数：--model" in err and "用法：" in err
    with pytest.raises(SystemExit) as info:
        cli.main(["--lang", "zh", "train", "--epochs", "x"])
    assert info.value.code == 2 and "参数 --epochs：应为整数，实际是 'x'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "evaluate"])
    assert "error: the following arguments are required: --model" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "  # the stand-in is gone after the command


def test_chinese_help_on_a_gbk_console():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "gbk", "GLASSTORCH_LANG": "zh"}
    for command in COMMANDS:
        done = subprocess.run([sys.executable, "-m", "glasstorch.app.cli", command, "--help"], capture_output=True,
                              env=env, timeout=120, cwd=ROOT)
        assert done.returncode == 0 and b"Traceback" not in done.stderr, (command, done.stderr[-2000:])
        assert done.stdout.decode("gbk").startswith("用法："), command
