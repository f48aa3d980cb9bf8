"""CSV and JSON reading: every bad input is an InputError that names the row and column."""
import numpy as np
import pytest

from glasstorch.app.data import InputError, check_classes, infer_task, read_csv, read_features


def _write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_features_and_last_column_as_target(tmp_path):
    table = read_csv(_write(tmp_path, "a,b,label\n1,2.5,x\n3,4,y\n"))
    assert table.feature_names == ["a", "b"] and table.target_name == "label"
    np.testing.assert_array_equal(table.features, [[1, 2.5], [3, 4]])
    assert table.target.tolist() == ["x", "y"]


def test_named_target_column_may_be_anywhere_and_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffy,a,b\n1,2,3\n4,5,6\n".encode("utf-8"))
    table = read_csv(path, "y")
    assert table.feature_names == ["a", "b"]
    np.testing.assert_array_equal(table.target, [1.0, 4.0])


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_the_header_names_the_separator(tmp_path, separator):
    """Semicolon CSVs (Excel where the decimal mark is a comma), TSV and bar-separated files read as commas do."""
    text = "a,b,label\n1,2.5,x\n3,4,y\n".replace(",", separator)
    table = read_csv(_write(tmp_path, text))
    assert table.feature_names == ["a", "b"] and table.target_name == "label"
    np.testing.assert_array_equal(table.features, [[1, 2.5], [3, 4]])


def test_a_quoted_comma_keeps_the_comma_separator(tmp_path):
    table = read_csv(_write(tmp_path, 'a,"b; c",label\n1,2,x\n3,4,y\n'))
    assert table.feature_names == ["a", "b; c"]


def test_phone_csv(phone_csv):
    table = read_csv(phone_csv)
    assert table.features.shape == (2000, 20) and table.target_name == "price_range"
    assert sorted(set(table.target.tolist())) == [0, 1, 2, 3]
    np.testing.assert_array_equal(table.features[0, :3], [842, 0, 2.2])


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("   \n\n", "is empty"),
    ("a,b,y\n", "no data rows"),
    ("a,b,y\n1,2\n", "line 2 has 2 values but the header has 3"),
    ("a,b,y\n1,2,0\n3,,1\n", r"row 2 \(line 3\), column 'b': the cell is empty"),
    ("a,b,y\n1,2,0\n3,4,1\n5,abc,0\n", r"row 3 \(line 4\), column 'b': 'abc' is not a number"),
    ("a,b,y\n1,nan,0\n", r"row 1 \(line 2\), column 'b': 'nan' is not a number"),
    ("a,a,y\n1,2,0\n", "repeats column names: a"),
    ("a,,y\n1,2,0\n", "column 2 of the header has no name"),
    ("a,b,y\n1,2,\n", r"row 1 \(line 2\), column 'y': the target cell is empty"),
])
def test_bad_csv(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        read_csv(_write(tmp_path, text))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_csv(tmp_path)


def test_missing_target_column_lists_the_columns(tmp_path):
    with pytest.raises(InputError, match="has no column 'price'; its columns are: a, b, y"):
        read_csv(_write(tmp_path, "a,b,y\n1,2,3\n"), "price")


def test_not_utf8(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(InputError, match="not UTF-8"):
        read_csv(path)


def test_task_inference():
    assert infer_task(np.array([0.0, 1.0, 2.0, 3.0] * 10)) == "classification"
    assert infer_task(np.array(["a", "b"], dtype=object)) == "classification"
    assert infer_task(np.linspace(0, 1, 40)) == "regression"
    assert infer_task(np.arange(100, dtype=float)) == "regression"  # many distinct integers: a quantity


def test_one_class_is_refused():
    with pytest.raises(InputError, match="single class \\(3\\)"):
        check_classes(np.array([3.0, 3.0, 3.0]), "y")


def test_read_features_reorders_and_ignores_the_target():
    x = read_features("in.csv", "b,y,a\n2,9,1\n4,9,3\n", ["a", "b"], "y")
    np.testing.assert_array_equal(x, [[1, 2], [3, 4]])


def test_read_features_json_forms():
    for text in ('{"a": 1, "b": 2}', '[{"a": 1, "b": 2}]', '{"rows": [{"b": 2, "a": 1}]}'):
        np.testing.assert_array_equal(read_features("in.json", text, ["a", "b"], "y"), [[1, 2]])


@pytest.mark.parametrize("text, message", [
    ("a\n1\n", "missing column: b"),
    ("a,b,c\n1,2,3\n", "unexpected column: c"),
    ("a,c\n1,2\n", "missing column: b; unexpected column: c"),
    ("a,b\n1,x\n", r"row 1 \(line 2\), column 'b': 'x' is not a number"),
    ('[{"a": 1, "b": "x"}]', "row 1, column 'b': 'x' is not a number"),
    ('[{"a": 1, "b": 2}, {"a": 1}]', "JSON row 2 has columns"),
    ('{"a": 1, "b": ', "not valid JSON"),
    ("[]", "non-empty list"),
])
def test_read_features_errors(text, message):
    with pytest.raises(InputError, match=message):
        read_features("in", text, ["a", "b"], "y")
