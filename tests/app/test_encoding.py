"""Categorical columns and missing cells: reading them (data.py) and encoding them (encoding.py), checked against
one-hot matrices and means computed by hand with NumPy."""
import csv
import io

import numpy as np
import pytest

from glasstorch.app import TabularClassifier, make_config
from glasstorch.app.data import NA_SPELLINGS, InputError, read_csv, read_features
from glasstorch.app.encoding import ColumnEncoder


def _write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PEOPLE = ("age,sex,port,y\n"
          "22,male,S,0\n"
          "38,female,C,1\n"
          "26,female,S,1\n"
          "35,male,Q,0\n")


def _one_hot(values, categories):
    return np.array([[1.0 if v == c else 0.0 for c in categories] for v in values])


def test_columns_without_numbers_are_categorical_and_one_hot_in_sorted_order(tmp_path):
    table = read_csv(_write(tmp_path, PEOPLE))
    assert table.categorical == ["sex", "port"] and table.categorical_columns == [1, 2]
    assert table.features.dtype == object and table.n_missing == 0
    assert table.features[:, 1].tolist() == ["male", "female", "female", "male"]
    assert table.features[:, 0].tolist() == [22.0, 38.0, 26.0, 35.0]
    encoder = ColumnEncoder(table.feature_names, table.categorical_columns).fit(table.features)
    assert encoder.input_names_ == ["age", "sex=female", "sex=male", "port=C", "port=Q", "port=S"]
    sex, port = table.features[:, 1], table.features[:, 2]
    expected = np.column_stack([[22, 38, 26, 35], _one_hot(sex, ["female", "male"]), _one_hot(port, ["C", "Q", "S"])])
    np.testing.assert_array_equal(encoder.transform(table.features), expected)
    assert not encoder.trivial and "6 inputs (2 categorical, one-hot)" in encoder.describe()


def test_categories_come_from_the_fitted_rows_only_and_unseen_ones_are_all_zeros(tmp_path):
    table = read_csv(_write(tmp_path, PEOPLE))
    encoder = ColumnEncoder(table.feature_names, [1, 2]).fit(table.features[:2])  # ports S and C only
    assert encoder.categories_ == {1: ["female", "male"], 2: ["C", "S"]}
    encoded = encoder.transform(table.features)
    np.testing.assert_array_equal(encoded[3], [35, 0, 1, 0, 0])  # port Q: never seen → no port input set
    assert encoder.unseen(table.features) == [("port", "Q", 1)]


def test_the_categorical_flag_forces_numeric_codes_and_keeps_their_text(tmp_path):
    path = _write(tmp_path, "zip,rooms,y\n02139,3,1\n10001,2,0\n02139,4,1\n94105,1,0\n")
    assert read_csv(path).categorical == []
    assert read_csv(path).features[:, 0].tolist() == [2139, 10001, 2139, 94105]
    table = read_csv(path, categorical=["zip"])
    assert table.categorical == ["zip"] and table.features[:, 0].tolist() == ["02139", "10001", "02139", "94105"]
    encoder = ColumnEncoder(table.feature_names, table.categorical_columns).fit(table.features)
    assert encoder.input_names_ == ["zip=02139", "zip=10001", "zip=94105", "rooms"]
    with pytest.raises(InputError, match="--categorical colour: .* has no column 'colour'"):
        read_csv(path, categorical=["colour"])
    with pytest.raises(InputError, match="'y' is the target column"):
        read_csv(path, categorical=["y"])


def test_a_column_mixing_numbers_and_words_is_refused_with_what_to_do(tmp_path):
    path = _write(tmp_path, "a,b,y\n1,2,0\n3,4,1\n5,thirty,0\n")
    with pytest.raises(InputError) as info:
        read_csv(path)
    message = str(info.value)
    assert "row 3 (line 4), column 'b': 'thirty' is not a number" in message
    assert "row 1: '2'" in message and "--categorical b" in message
    assert read_csv(path, categorical=["b"]).features[:, 1].tolist() == ["2", "4", "thirty"]


def test_an_empty_cell_is_an_error_that_suggests_the_flag(tmp_path):
    with pytest.raises(InputError, match=r"row 2 \(line 3\), column 'sex': the cell is empty.*--missing impute"):
        read_csv(_write(tmp_path, "age,sex,y\n1,male,0\n2,,1\n"))


@pytest.mark.parametrize("spelling", ["", "NA", "na", "N/A", "n/a", "nan", "NaN", "null", "NULL", "None", "none", "?",
                                      " NA "])
def test_na_spellings_are_missing_only_under_impute(tmp_path, spelling):
    path = _write(tmp_path, f"a,b,y\n1,{spelling},0\n3,4,1\n5,6,0\n")
    with pytest.raises(InputError, match=r"row 1 \(line 2\), column 'b'"):
        read_csv(path)
    table = read_csv(path, missing="impute")
    assert np.isnan(table.features[0, 1]) and table.n_missing == 1 and table.categorical == []
    categorical = _write(tmp_path, f"a,b,y\n1,{spelling},0\n3,red,1\n5,blue,0\n", "c.csv")
    table = read_csv(categorical, missing="impute")
    assert table.categorical == ["b"] and table.features[:, 1].tolist() == [None, "red", "blue"]


def test_na_spellings_without_the_flag_stay_what_they_were(tmp_path):
    with pytest.raises(InputError, match=r"'nan' is not a number; if it marks a missing value, --missing impute"):
        read_csv(_write(tmp_path, "a,b,y\n1,nan,0\n"))
    # in a column of words, 'None' is an ordinary category unless --missing impute says it means "no value"
    table = read_csv(_write(tmp_path, "a,discount,y\n1,None,0\n2,coupon,1\n", "w.csv"))
    assert table.features[:, 1].tolist() == ["None", "coupon"] and table.n_missing == 0
    assert sorted(NA_SPELLINGS) == sorted(["", "na", "n/a", "nan", "null", "none", "?"])


def test_impute_fills_numbers_with_the_fitted_rows_mean_and_learns_a_missing_category(tmp_path):
    text = "age,port,y\n20,S,0\n,C,1\n40,,1\n1000,Q,0\n,,0\n"
    table = read_csv(_write(tmp_path, text), missing="impute")
    assert table.n_missing == 4
    fit_rows = [0, 1, 2]  # the 1000 in row 4 must not reach the mean
    encoder = ColumnEncoder(table.feature_names, [1], "impute").fit(table.features[fit_rows])
    ages = np.array([20.0, np.nan, 40.0])
    assert encoder.fill_[0] == pytest.approx(np.nanmean(ages)) == pytest.approx(30.0)
    assert encoder.fill_[0] != pytest.approx(np.nanmean([20.0, np.nan, 40.0, 1000.0, np.nan]))
    assert encoder.input_names_ == ["age", "port=C", "port=S", "port=<missing>"]
    np.testing.assert_array_equal(encoder.transform(table.features), [
        [20, 0, 1, 0], [30, 1, 0, 0], [40, 0, 0, 1], [1000, 0, 0, 0], [30, 0, 0, 1]])
    assert encoder.unseen(table.features) == [("port", "Q", 1)]
    # fitted on rows without a missing port, a missing port has no input of its own: all zeros, and reported
    encoder = ColumnEncoder(table.feature_names, [1], "impute").fit(table.features[[0, 1]])
    np.testing.assert_array_equal(encoder.transform(table.features[[2]]), [[40, 0, 0]])
    assert encoder.unseen(table.features[[2]]) == [("port", None, 1)]


def test_missing_cells_without_impute_are_refused_by_the_encoder_too():
    x = np.array([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(ValueError, match="row 1, column 'b' is missing"):
        ColumnEncoder(["a", "b"]).fit(x)
    with pytest.raises(ValueError, match="missing='impute'"):
        TabularClassifier(make_config("tuned", {"epochs": 1})).fit(x, np.array([0, 1]))


def test_encoder_round_trips_through_its_dict(tmp_path):
    table = read_csv(_write(tmp_path, "age,port,y\n20,S,0\n,C,1\n40,,1\n"), missing="impute")
    encoder = ColumnEncoder(table.feature_names, [1], "impute").fit(table.features)
    again = ColumnEncoder.from_dict(encoder.to_dict())
    assert again.input_names_ == encoder.input_names_
    np.testing.assert_array_equal(again.transform(table.features), encoder.transform(table.features))


def test_read_features_uses_the_models_columns_for_csv_and_json():
    names, categorical = ["age", "port"], ["port"]
    x = read_features("in.csv", "port,age\nS,3\n,NA\n", names, "y", categorical, "impute")
    assert x.dtype == object and x[0].tolist() == [3.0, "S"] and x[1, 1] is None and np.isnan(x[1, 0])
    x = read_features("in.json", '[{"age": null, "port": "C"}, {"age": 5, "port": null}]', names, "y",
                      categorical, "impute")
    assert np.isnan(x[0, 0]) and x[0, 1] == "C" and x[1].tolist() == [5.0, None]
    with pytest.raises(InputError, match=r"row 2 \(line 3\), column 'age': the cell is empty"):
        read_features("in.csv", "port,age\nS,3\nC,\n", names, "y", categorical, "error")
    with pytest.raises(InputError, match="row 1, column 'port': the value is missing"):
        read_features("in.json", '[{"age": 1, "port": null}]', names, "y", categorical, "error")
    with pytest.raises(InputError, match="row 1, column 'age': 'old' is not a number"):
        read_features("in.json", '[{"age": "old", "port": "S"}]', names, "y", categorical, "impute")


def test_the_estimator_encodes_object_rows_in_python(tmp_path):
    rng = np.random.RandomState(0)
    sex = rng.choice(["female", "male"], 200)
    age = rng.uniform(1, 80, 200)
    y = (sex == "female").astype(int)
    x = np.empty((200, 2), dtype=object)
    x[:, 0], x[:, 1] = age, sex
    model = TabularClassifier(make_config("tuned", {"epochs": 50})).fit(x, y, feature_names=["age", "sex"])
    assert model.columns_.input_names_ == ["age", "sex=female", "sex=male"]
    assert model.score(x, y) == 1.0
    assert model.predict(np.array([[30.0, "female"], [30.0, "male"]], dtype=object)).tolist() == [1, 0]


def test_the_phone_data_reads_as_before(phone_csv):
    """All-numeric data: the same float64 matrix and names as a plain NumPy read, and an identity encoding."""
    table = read_csv(phone_csv)
    header = next(csv.reader(io.StringIO(phone_csv.read_text())))
    expected = np.loadtxt(phone_csv, delimiter=",", skiprows=1)[:, :-1]
    assert table.features.dtype == np.float64 and table.feature_names == header[:-1]
    np.testing.assert_array_equal(table.features, expected)
    assert table.categorical == [] and table.n_missing == 0
    assert read_csv(phone_csv, missing="impute").features.dtype == np.float64
    encoder = ColumnEncoder(table.feature_names).fit(table.features)
    assert encoder.trivial and encoder.input_names_ == table.feature_names
    np.testing.assert_array_equal(encoder.transform(table.features), expected)
