"""The trainer's bad-input messages in Chinese (issue 17): files and limits (validate), CSV reading (csvread), the
table and the columns a model needs (data), number formats (numbers), damaged model files (schema, modelfile) and a
model's training rows found again (sources). Each case runs the command with --lang zh and expects the catalogue's
Chinese entry with the case's own fields, and the same exit code as in English; on a GBK or ASCII console nothing
crashes."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glasstorch import i18n
from glasstorch.app.validate import FLOAT32_MAX, write_error
from glasstorch.serialization import load_safetensors, save_safetensors

from cli_run import run

ROOT = Path(__file__).resolve().parents[2]
ROWS = "a,b,y\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n2,2,x\n"


def zh(key: str, **fields) -> str:
    return i18n.t_in("zh", key, **fields)


def refused(capsys, *argv) -> str:
    """stderr of a command that must fail with exit code 2 in Chinese and in English (the same code in both)."""
    code_en, _, err_en = run(capsys, "--lang", "en", *argv)
    code, out, err = run(capsys, "--lang", "zh", *argv)
    assert code == code_en == 2 and not out and "Traceback" not in err, (code, code_en, err)
    last, last_en = err.splitlines()[-1], err_en.splitlines()[-1]
    assert last.startswith(zh("app.error", message="")) and last_en.startswith("error: "), (err, err_en)
    return err


@pytest.fixture
def model(env, capsys):
    """A model trained on t.csv (columns a, b; target y) in ./m."""
    (env / "t.csv").write_text(ROWS, encoding="utf-8")
    assert run(capsys, "train", "--data", "t.csv", "--epochs", "1", "--out", "m", "--quiet")[0] == 0
    return env / "m" / "model.safetensors"


# ---- validate.py ----------------------------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_in_chinese(env, capsys):
    os.mkfifo(env / "pipe.csv")
    err = refused(capsys, "train", "--data", "pipe.csv")
    assert zh("validate.not_regular", path="pipe.csv", kind=zh("validate.kind.fifo"),
              what=zh("app.err.what.csv")) in err, err


def test_a_split_without_training_rows_and_a_cell_beyond_float32_in_chinese(env, capsys):
    (env / "t.csv").write_text(ROWS, encoding="utf-8")
    err = refused(capsys, "train", "--data", "t.csv", "--train-size", "0.1")
    assert zh("validate.split", train_size="0.1", rows=zh("app.count.rows", n=5), n_train=0, n_test=5,
              regression="") in err, err
    (env / "big.csv").write_text("a,b,y\n1,1e39,x\n3,4,y\n", encoding="utf-8")
    err = refused(capsys, "train", "--data", "big.csv")
    assert zh("validate.out_of_range", where=zh("app.err.where", row=1, column="b"), value=repr(1e39),
              largest=f"{FLOAT32_MAX:.7g}", what=zh("validate.what.feature")) in err, err


def test_a_write_error_in_chinese():
    error = OSError(errno.ENOSPC, "No space left on device")
    i18n.set_language("zh")
    assert write_error("runs/a", error) == zh("validate.cannot_write", path="runs/a", reason=error.strerror,
                                              hint=zh("validate.hint.disk_full"))
    i18n.set_language("en")
    assert write_error("runs/a", error) == "cannot write into runs/a: No space left on device (the disk is full)"


# ---- csvread.py -----------------------------------------------------------------------------------------------------
def test_a_file_that_is_not_utf8_in_chinese(env, capsys):
    (env / "latin.csv").write_bytes(b"a,b,y\n1,\xe9,0\n")
    err = refused(capsys, "train", "--data", "latin.csv")
    assert zh("csv.not_utf8", path="latin.csv", offset=8) in err, err


# ---- data.py --------------------------------------------------------------------------------------------------------
def test_rows_without_the_model_s_columns_and_bad_json_in_chinese(model, capsys):
    (model.parent.parent / "in.csv").write_text("a\n1\n", encoding="utf-8")
    err = refused(capsys, "predict", "--model", str(model), "--input", "in.csv")
    assert zh("table.columns_mismatch", source="in.csv", problems=zh("table.missing_column", names="b"),
              expects=zh("table.model_uses", names="a, b")) in err, err
    (model.parent.parent / "in.json").write_text("[1, 2]", encoding="utf-8")
    err = refused(capsys, "predict", "--model", str(model), "--input", "in.json")
    assert zh("table.json_shape", source="in.json") in err, err


def test_columns_that_all_look_like_ids_in_chinese(env, capsys):
    rows = "".join(f"name{i},{i % 2}\n" for i in range(30))
    (env / "ids.csv").write_text("who,y\n" + rows, encoding="utf-8")
    err = refused(capsys, "train", "--data", "ids.csv")
    why = zh("table.distinct", distinct=30, present=30)
    assert zh("table.all_ids", path="ids.csv", columns=zh("table.id_column", name="who", why=why)) in err, err


# ---- numbers.py -----------------------------------------------------------------------------------------------------
def test_number_formats_in_chinese(env, capsys):
    rows = "".join(f'"{i},5","{i},234,567",{i % 2}\n' for i in range(1, 9))
    (env / "two.csv").write_text("a,b,y\n" + rows, encoding="utf-8")
    err = refused(capsys, "train", "--data", "two.csv")
    assert zh("numbers.two_ways", comma_column="a", comma="'1,5'", thousands_column="b",
              thousands="'1,234,567'") in err, err
    rows = "".join(f"{i};{i},25;{i % 2}\n" for i in range(1, 21))
    (env / "semi.csv").write_text("a;b;y\n" + rows, encoding="utf-8")
    code, _, err = run(capsys, "--lang", "zh", "train", "--data", "semi.csv", "--epochs", "1", "--out", "s")
    assert code == 0, err
    assert zh("numbers.line", marks=zh("numbers.decimal_comma"),
              how=zh("numbers.detected_in", column="b", cell="'1,25'"), other=".") in err, err


# ---- schema.py and modelfile.py -------------------------------------------------------------------------------------
def test_a_damaged_and_a_missing_model_file_in_chinese(model, capsys):
    document = load_safetensors(str(model))
    document["config"]["hidden"] = [-5]
    save_safetensors(document, "damaged.safetensors")
    err = refused(capsys, "summary", "--model", "damaged.safetensors")
    field = zh("schema.expected", where="config.hidden[0]", expected=zh("schema.integer_at_least", low=1), value="-5")
    assert zh("model_file.damaged", path="damaged.safetensors", error=field) in err, err
    document["format_version"] = 99
    save_safetensors(document, "newer.safetensors")
    err = refused(capsys, "evaluate", "--model", "newer.safetensors")
    assert zh("model_file.newer", path="newer.safetensors", version=99) in err, err
    err = refused(capsys, "summary", "--model", "nope.safetensors")
    assert zh("model_file.no_file", path="nope.safetensors") in err, err


# ---- sources.py -----------------------------------------------------------------------------------------------------
def test_the_training_csv_gone_or_changed_in_chinese(model, capsys):
    csv = model.parent.parent / "t.csv"
    csv.write_text(ROWS + "9,9,y\n", encoding="utf-8")
    err = refused(capsys, "evaluate", "--model", str(model))
    assert zh("sources.changed", path="t.csv") in err, err
    csv.unlink()
    err = refused(capsys, "evaluate", "--model", str(model))
    assert zh("sources.gone", path="t.csv") in err, err  # (in any language: not 'cannot be read now')


# ---- consoles that cannot write every character ---------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_bad_input_in_chinese_on_a_gbk_or_ascii_console(env, capsys, encoding):
    (env / "latin.csv").write_bytes(b"a,b,y\n1,\xe9,0\n")
    (env / "t.csv").write_text(ROWS, encoding="utf-8")
    cases = [(["train", "--data", "latin.csv"], zh("csv.not_utf8", path="latin.csv", offset=8)),
             (["train", "--data", "t.csv", "--train-size", "0.1"], zh("validate.split", train_size="0.1",
              rows=zh("app.count.rows", n=5), n_train=0, n_test=5, regression="")),
             (["summary", "--model", "nope.safetensors"], zh("model_file.no_file", path="nope.safetensors"))]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": encoding,
                   "GLASSTORCH_LANG": "zh"}
    for argv, message in cases:
        done = subprocess.run([sys.executable, "-m", "glasstorch.app.cli", *argv], capture_output=True,
                              env=environment, timeout=300, cwd=env)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, (argv, done.stderr[-2000:])
        expected = zh("app.error", message=message).encode(encoding, errors=i18n.console.ERRORS)
        assert expected in done.stderr, (argv, done.stderr.decode(encoding), expected)
