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
COMMANDS = ["train", "evaluate", "predict", "summary", "export", "run", "explain", "tour"]


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


# ---- progress and result lines ------------------------------------------------------------------------------------
def _metrics(folder: Path) -> dict:
    import json

    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    metrics.pop("train_seconds")
    return metrics


def test_a_chinese_run_prints_chinese_lines_and_writes_the_same_files(env, capsys):
    code, out, err = run(capsys, "--lang", "zh", "train", "--epochs", "3", "--cv", "2", "--out", "zh")
    assert code == 0, err
    assert out.strip() == re.sub(r"\s+", " ", out.strip()) and out.startswith("准确率 0.") and "（测试集 400 行）" in out
    for line in ("数据：", "（2000 行，20 个特征，目标列 'price_range'）", "任务：分类（自动推断；可用 --task 修改）",
                 "训练集 1600 行，测试集 400 行", "模型：", "学习率", "批量大小", "第 1/2 折：准确率 0.",
                 "类别       精确率     召回率  F1      样本数", "在训练集上做 2 折交叉验证：准确率",
                 "训练用时", "已写入 zh/model.safetensors, metrics.json"):
        assert line in err, (line, err[-2000:])
    words = re.sub(r"[\w./-]*\.(csv|json|png|safetensors)", "", err)  # file names stay as they are
    assert not re.search(r"(?<![-\w])(data|task|model|trained in|accuracy|held-out)\b", words), words
    code, out_en, err_en = run(capsys, "--lang", "en", "train", "--epochs", "3", "--cv", "2", "--out", "en")
    assert code == 0 and out_en.startswith("accuracy ") and "trained in " in err_en
    assert re.findall(r"0\.\d{4}", out) == re.findall(r"0\.\d{4}", out_en)  # the same accuracy
    assert _metrics(env / "zh") == _metrics(env / "en")  # metrics.json does not change with the language
    assert sorted(p.name for p in (env / "zh").iterdir()) == sorted(p.name for p in (env / "en").iterdir())
    code, out, err = run(capsys, "--lang", "zh", "evaluate", "--model", "zh/model.safetensors", "--out", "ev.json")
    assert code == 0 and out.splitlines()[-1].startswith("准确率 ") and "已在测试集 400 行上评估" in err and "混淆矩阵" in out
    import json
    assert json.loads((env / "ev.json").read_text())["evaluated_on"] == "held-out rows"


def test_describe_config_in_chinese():
    from glasstorch.app.config import TrainConfig
    from glasstorch.app.train import describe_config

    i18n.set_language("zh")
    line = describe_config(TrainConfig(hidden=(4,), activation="tanh", dropout=0.2))
    assert line.startswith("模型：隐藏层 4，激活函数 tanh · 优化器 sgd，学习率") and "随机失活 0.2" in line
    i18n.set_language("en")
    assert describe_config(TrainConfig(hidden=())).startswith("model: hidden none (linear) · sgd")


# ---- bad input ----------------------------------------------------------------------------------------------------
def test_a_bad_cell_is_named_by_row_and_column_in_chinese(env, capsys):
    (env / "bad.csv").write_text("a,b,y\n1,2,0\n3,x,1\n5,6,0\n", encoding="utf-8")
    code, out, err = run(capsys, "--lang", "zh", "train", "--data", "bad.csv", "--out", "zh")
    assert code == 2 and not out and not (env / "zh").exists()
    assert err.startswith("错误：第 2 行（文件第 3 行），'b' 列：'x' 不是数字") and "--categorical b" in err, err
    code, _, err_en = run(capsys, "--lang", "en", "train", "--data", "bad.csv", "--out", "en")
    assert code == 2 and err_en.startswith("error: row 2 (line 3), column 'b': 'x' is not a number, but other cells")
    (env / "empty.csv").write_text("a,b,y\n1,2,0\n3,,1\n5,6,0\n", encoding="utf-8")
    code, _, err = run(capsys, "--lang", "zh", "train", "--data", "empty.csv")
    assert code == 2 and "第 2 行（文件第 3 行），'b' 列：单元格是空的" in err and "--missing impute" in err


@pytest.mark.parametrize("args, expected", [
    (["train", "--data", "nope.csv"], "错误：文件不存在：nope.csv"),
    (["train", "--data", "bad.csv", "--target", "z"], "错误：bad.csv 中没有 'z' 列；它的列有：a, b, y"),
    (["train", "--data", "bad.csv", "--drop", "q"], "错误：--drop q：bad.csv 中没有 'q' 列"),
    (["train", "--data", "bad.csv", "--features", "y", "--target", "y"], "错误：--features y：'y' 是目标列，不是特征"),
    (["train", "--data", ".", "--epochs", "1"], "是文件夹，不是CSV 文件"),
])
def test_common_input_errors_in_chinese(env, capsys, args, expected):
    (env / "bad.csv").write_text("a,b,y\n1,2,0\n3,4,1\n5,6,0\n", encoding="utf-8")
    code, out, err = run(capsys, "--lang", "zh", *args)
    assert code == 2 and expected in err and "Traceback" not in err, err


def test_a_target_that_is_not_a_number_in_chinese(env, capsys):
    rows = "".join(f"{i},{i % 3}.5\n" for i in range(30)) + "7,abc\n"
    (env / "target.csv").write_text("a,y\n" + rows, encoding="utf-8")
    code, _, err = run(capsys, "--lang", "zh", "train", "--data", "target.csv", "--task", "regression")
    assert code == 2 and "错误：第 31 行，'y' 列：'abc' 不是数字；回归的目标值必须是数值" in err, err
    code, _, err = run(capsys, "--lang", "zh", "train", "--data", "target.csv")
    assert code == 2 and "第 31 行，'y' 列：'abc' 不是数字" in err and "--task classification" in err, err


@pytest.mark.parametrize("args, expected, english", [
    (["--lr", "0"], "错误：lr 必须 > 0，实际是 0.0", "error: lr must be > 0, got 0.0"),
    (["--dropout", "1.5"], "错误：dropout 必须在 [0, 1) 之间，实际是 1.5", "error: dropout must be in [0, 1), got 1.5"),
    (["--features", "a", "--drop", "b"], "错误：--features 和 --drop 不能同时使用",
     "error: --features and --drop cannot be combined: name the columns to keep or those to leave out"),
])
def test_flag_validation_in_chinese(env, capsys, args, expected, english):
    code, out, err = run(capsys, "--lang", "zh", "train", *args)
    assert code == 2 and not out and err.startswith(expected), err
    code, out, err = run(capsys, "--lang", "en", "train", *args)
    assert code == 2 and err.startswith(english), err


def test_summary_and_predict_lines_in_chinese(env, capsys):
    assert run(capsys, "train", "--epochs", "2", "--quiet", "--out", "run")[0] == 0
    code, out, _ = run(capsys, "--lang", "zh", "summary", "--model", "run/model.safetensors")
    assert code == 0 and out.startswith("模型：run/model.safetensors\n任务：分类 · 训练方案：tuned · 目标列：price_range")
    assert "预处理：已标准化" in out
    phones = os.environ["GLASSTORCH_DATA"]
    code, out, _ = run(capsys, "--lang", "zh", "predict", "--model", "run/model.safetensors", "--input", phones,
                       "--output", "p.csv")
    assert code == 0 and out.strip() == "已写入 p.csv：2000 行及其预测值"
    assert (env / "p.csv").read_text().splitlines()[0].endswith(",prediction")  # column names never change
