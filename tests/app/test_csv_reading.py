"""Real-world CSVs through pandas (app/csvread.py, app/columns.py): the quirks keep their behaviour and messages,
decimal commas and thousands separators are detected, ID-like columns are left out, --features/--drop choose the
inputs, and a file too large for memory is refused before it is read."""
import csv
import io
import subprocess
import sys

import numpy as np
import pytest

from cli_run import run

from glasstorch.app import csvread
from glasstorch.app.data import InputError, read_csv


def _write(tmp_path, text, name="d.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _by_hand(text, separator=","):
    """Features and target read with the csv module and float(), the reference the reader must match."""
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if any(c.strip() for c in r)]
    return np.array([[float(c) for c in r[:-1]] for r in rows[1:]]), [float(r[-1]) for r in rows[1:]]


def test_the_library_core_does_not_import_pandas():
    code = ("import sys, glasstorch, glasstorch.nn, glasstorch.optim, glasstorch.utils.data; "
            "print('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_quirks_read_as_the_csv_module_reads_them(tmp_path, separator):
    """BOM, CRLF, blank lines (also before the header), spaces around numbers, Chinese names, a quoted separator."""
    text = ("\r\n价格,\"重量, 克\",内存,y\r\n1, 2.5 ,3e2,0\r\n\r\n-4,5.,.5,1\r\n7,+8,9,0\r\n").replace(",", separator) \
        .replace(f'"重量{separator} 克"', f'"重量{separator} 克"')
    table = read_csv(_write(tmp_path, "\ufeff" + text))
    features, target = _by_hand(text, separator)
    assert table.feature_names == ["价格", f"重量{separator} 克", "内存"] and table.target_name == "y"
    np.testing.assert_array_equal(table.features, features)
    np.testing.assert_array_equal(table.target, target)
    assert table.features.dtype == np.float64 and table.categorical == []


@pytest.mark.parametrize("text, message", [
    ("a,b,y\n1,2,0\n\n3,x,1\n", r"row 2 \(line 4\), column 'b': 'x' is not a number, but other cells of 'b' are "
                                r"\(row 1: '2'\)"),
    ("a,b,y\n1,2,0\n3,inf,1\n", r"row 2 \(line 3\), column 'b': 'inf' is not a number, but other"),
    ("a,b,y\n1,2,0\n3,4\n", r"line 3 has 2 values but the header has 3 columns"),
    ("a,b,y\n1,2,0\n3,4,1,5\n", r"line 3 has 4 values but the header has 3 columns"),
    ("a,b,y\n\"1\n2\",x,0\n3,4,1\n", r"row 1 \(line 2\), column 'a'"),
    ("a,b,y\n1,2,0\n3,4,1\n5,6,\n", r"row 3 \(line 4\), column 'y': the target cell is empty"),
    (",,\n\na,b,y\n ,  ,\n1,,0\n", r"row 1 \(line 5\), column 'b': the cell is empty"),
])
def test_messages_name_the_row_and_line(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        read_csv(_write(tmp_path, text))


def test_an_empty_last_cell_is_not_a_short_row(tmp_path):
    table = read_csv(_write(tmp_path, "a,b,y\n1,2,\n2,3,1\n"), target="a", missing="impute")
    assert table.n_missing == 1 and np.isnan(table.features[0, 1])


def test_words_keep_their_spelling(tmp_path):
    """pandas would read TRUE/false as booleans and 0123 as 123; a category keeps the file's text."""
    table = read_csv(_write(tmp_path, "flag,zip,y\nTRUE,0123,0\nfalse,0456,1\nTRUE,0123,1\n"), categorical=["zip"])
    assert table.features[:, 0].tolist() == ["TRUE", "false", "TRUE"]
    assert table.features[:, 1].tolist() == ["0123", "0456", "0123"]


def test_a_file_too_large_for_memory_is_refused_before_reading(tmp_path, monkeypatch):
    path = _write(tmp_path, "a,y\n" + "1,0\n" * 2000)
    monkeypatch.setattr(csvread, "available_memory", lambda: 10_000)
    with pytest.raises(InputError, match=r"d.csv is 8.0 KB; reading it and training on it takes about 6x its size "
                                         r"in memory \(48.0 KB\) and 10.0 KB is available.*does not stream it"):
        read_csv(path)
    monkeypatch.setattr(csvread, "available_memory", lambda: 10 ** 12)
    assert read_csv(path).n_rows == 2000


# ---- numbers written with a decimal comma or thousands separators --------------------------------------------------
def _signal_rows(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)) * [1.5, 300]
    return x, (x[:, 0] + x[:, 1] / 200 > 0).astype(int)


def test_decimal_commas_are_detected_and_read_as_numbers(env, capsys):
    x, y = _signal_rows()
    comma = "a;b;y\n" + "".join(f"{a:.3f};{b:.3f};{t}\n".replace(".", ",") for (a, b), t in zip(x, y))
    point = "a;b;y\n" + "".join(f"{a:.3f};{b:.3f};{t}\n" for (a, b), t in zip(x, y))
    (env / "comma.csv").write_text(comma)
    (env / "point.csv").write_text(point)
    table = read_csv(env / "comma.csv")
    np.testing.assert_array_equal(table.features, read_csv(env / "point.csv").features)
    assert table.categorical == [] and table.number_format.decimal == ","
    code, out, err = run(capsys, "train", "--data", "comma.csv", "--out", "c", "--epochs", "200")
    assert code == 0 and "numbers: decimal comma (detected: column 'b' has '-" in err and "--decimal ." in err
    assert out.strip().splitlines()[-1] == run(capsys, "train", "--data", "point.csv", "--out", "p", "--epochs", "200",
                                               "--quiet")[1].strip()
    assert float(out.split("accuracy ")[1].split()[0]) > 0.9
    # forced to a decimal point, the cells are words again, all distinct: refused, no longer a silent bad model
    with pytest.raises(InputError, match="every feature column looks like an ID or free text"):
        read_csv(env / "comma.csv", decimal=".")


@pytest.mark.parametrize("text, expected, decimal, thousands", [
    ("a;y\n-1,332;0\n2,5;1\n", [-1.332, 2.5], ",", None),  # the file
    ("a;y\n1.234,5;0\n-2,25;1\n3;0\n", [1234.5, -2.25, 3.0], ",", "."),
    ("a;y\n1,234;0\n-2,5;1\n", [1.234, -2.5], ",", None),
    ('a,y\n"1,234,567",0\n12,1\n"2,000.5",0\n', [1234567.0, 12.0, 2000.5], ".", ","),
    ('a,y\n"1,5",0\n"-0,25",1\n', [1.5, -0.25], ",", None),
    ("a\tb\ty\n1.5\tx\t0\n2\tz\t1\n", [1.5, 2.0], ".", None),
])
def test_number_formats(tmp_path, text, expected, decimal, thousands):
    table = read_csv(_write(tmp_path, text))
    assert table.features[:, 0].astype(float).tolist() == expected
    assert (table.number_format.decimal, table.number_format.thousands) == (decimal, thousands)


def test_two_number_formats_in_one_file_ask_for_decimal(tmp_path):
    with pytest.raises(InputError, match=r"numbers are written two ways.*--decimal , or --decimal \."):
        read_csv(_write(tmp_path, 'a,b,y\n"1,5","1,234,567",0\n"2,25","7,000,000",1\n'))
    table = read_csv(_write(tmp_path, 'a,b,y\n"1,5","1,234,567",0\n"2,25","7,000,000",1\n', "e.csv"), decimal=",")
    assert table.features[:, 0].tolist() == [1.5, 2.25]


# ---- ID-like and free-text columns; --features and --drop ---------------------------------------------------------
def _people(n=60, seed=1):
    rng = np.random.default_rng(seed)
    lines = ["name,sex,age,y"]
    for i in range(n):
        sex = "female" if rng.random() < 0.5 else "male"
        lines.append(f"Person {i:03d},{sex},{rng.integers(1, 80)},{int(sex == 'female')}")
    return "\n".join(lines) + "\n"


def test_an_all_distinct_categorical_column_is_left_out_with_a_note(env, capsys):
    (env / "people.csv").write_text(_people())
    table = read_csv(env / "people.csv")
    assert table.feature_names == ["sex", "age"] and table.dropped == [("name", 60, 60)]
    assert read_csv(env / "people.csv", categorical=["name"]).feature_names == ["name", "sex", "age"]
    code, out, err = run(capsys, "train", "--data", "people.csv", "--out", "run", "--epochs", "30")
    assert code == 0 and "note: left out 1 column whose values are (nearly) all distinct" in err
    assert "'name' (60 distinct values in 60 rows); --categorical name keeps it" in err
    code, out, err = run(capsys, "train", "--data", "people.csv", "--out", "kept", "--epochs", "5", "--quiet",
                         "--categorical", "name", "--feature-alpha", "1")
    assert code == 0
    code, out, _ = run(capsys, "summary", "--model", "kept/model.safetensors")
    assert code == 0 and "name: one-hot over Person 000, Person 001" in out and " and 36 more" in out
    assert max(len(line) for line in out.splitlines()) < 400


def test_features_and_drop_choose_the_inputs(env, capsys):
    (env / "people.csv").write_text(_people())
    assert read_csv(env / "people.csv", drop=["name", "age"]).feature_names == ["sex"]
    assert read_csv(env / "people.csv", features=["age", "sex"]).feature_names == ["age", "sex"]
    code, _, err = run(capsys, "train", "--data", "people.csv", "--out", "run", "--epochs", "5", "--quiet",
                       "--drop", "name,age")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "evaluate", "--model", "run/model.safetensors", "--quiet")
    assert code == 0
    for flags, message in [(["--drop", "nope"], "--drop nope: people.csv has no column 'nope'; its columns are: "
                                                "name, sex, age, y"),
                           (["--features", "y"], "--features y: 'y' is the target column, not a feature"),
                           (["--features", "sex", "--drop", "age"], "--features and --drop cannot be combined"),
                           (["--drop", "name,sex,age"], "--features/--drop leave no feature column"),
                           (["--drop", "sex", "--categorical", "sex"], "--categorical sex: 'sex' is left out")]:
        code, out, err = run(capsys, "train", "--data", "people.csv", "--out", "bad", "--quiet", *flags)
        assert code == 2 and message in err, (flags, err)


def test_number_format_shown_only_after_the_first_rows(tmp_path, monkeypatch):
    """The format is guessed from the first rows, then checked on every row: a decimal comma that appears late is
    still found."""
    monkeypatch.setattr(csvread, "SAMPLE_ROWS", 3)
    text = "a;b;y\n1;7;0\n2;8;1\n3;9;0\n4;10;1\n-2,5;11;0\n"
    table = read_csv(_write(tmp_path, text))
    assert table.features[:, 0].tolist() == [1, 2, 3, 4, -2.5] and table.number_format.decimal == ","
