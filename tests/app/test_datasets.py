"""Finding, verifying and downloading the phone-price CSV (the download from a server on 127.0.0.1), and the
synthetic rows."""
import hashlib
import numpy as np
import pytest

from glasstorch import datasets
from glasstorch.datasets import DataNotFoundError, make_phone_prices, phone_prices


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No GLASSTORCH_DATA, an empty working folder and an empty cache."""
    monkeypatch.delenv("GLASSTORCH_DATA", raising=False)
    monkeypatch.delenv("GLASSTORCH_OFFLINE", raising=False)
    monkeypatch.delenv("GLASSTORCH_DATA_MIRRORS", raising=False)
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # the test server is on 127.0.0.1
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def test_path_argument_and_environment_come_first(isolated, phone_csv, monkeypatch):
    assert phone_prices(phone_csv) == phone_csv
    with pytest.raises(DataNotFoundError, match="no such file"):
        phone_prices(isolated / "missing.csv")
    monkeypatch.setenv("GLASSTORCH_DATA", str(phone_csv))
    assert phone_prices() == phone_csv
    monkeypatch.setenv("GLASSTORCH_DATA", str(isolated / "nope.csv"))
    with pytest.raises(DataNotFoundError, match="GLASSTORCH_DATA=.*names no file"):
        phone_prices()


@pytest.mark.parametrize("name", ["mobile_price_train.csv", "手机价格预测.csv"])
def test_local_data_folder(isolated, name):
    (isolated / "work" / "data").mkdir()
    (isolated / "work" / "data" / name).write_text("a,b\n1,2\n", encoding="utf-8")
    assert phone_prices(download=False).name == name


def test_download_verifies_and_caches(isolated, server, phone_csv):
    files, base = server
    good = phone_csv.read_bytes()
    files["/bad.csv"] = good.replace(b"842", b"843", 1)
    files["/good.csv"] = good
    notes = []
    path = phone_prices(mirrors=[f"{base}/missing.csv", f"{base}/bad.csv", f"{base}/good.csv"], log=notes.append)
    assert path == isolated / "cache" / "glasstorch" / "mobile_price_train.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == datasets.SHA256
    assert "sha256 verified" in notes[0]
    # the cache is used next time, without a network
    assert phone_prices(download=False) == path


def test_a_mirror_serving_other_bytes_is_rejected(isolated, server, phone_csv):
    files, base = server
    files["/bad.csv"] = phone_csv.read_bytes() + b"1,2,3\n"
    with pytest.raises(DataNotFoundError, match="served other bytes .*rejected"):
        phone_prices(mirrors=[f"{base}/bad.csv"])
    assert not (isolated / "cache" / "glasstorch" / "mobile_price_train.csv").exists()


def test_a_corrupt_cache_is_ignored(isolated, monkeypatch):
    cached = isolated / "cache" / "glasstorch" / "mobile_price_train.csv"
    cached.parent.mkdir(parents=True)
    cached.write_text("not the file")
    monkeypatch.setenv("GLASSTORCH_OFFLINE", "1")
    with pytest.raises(DataNotFoundError, match="checksum mismatch"):
        phone_prices()


def test_offline_message_says_where_to_put_the_file(isolated, monkeypatch):
    monkeypatch.setenv("GLASSTORCH_DATA_MIRRORS", "http://127.0.0.1:9/unreachable.csv")
    with pytest.raises(DataNotFoundError) as info:
        phone_prices()
    message = str(info.value)
    assert "./data/mobile_price_train.csv" in message and "GLASSTORCH_DATA" in message
    assert datasets.SHA256 in message and "127.0.0.1:9" in message


def test_mirror_list_names_the_public_copies():
    assert all(url.startswith("https://raw.githubusercontent.com/") for url in datasets.MIRRORS)
    assert any("pranaybathini/Mobile-Price-Classification/master/1_copy/train.csv" in u for u in datasets.MIRRORS)


def test_make_phone_prices_is_seeded_and_shaped_like_the_real_file(tmp_path, phone_csv):
    a, b, c = make_phone_prices(400, 1), make_phone_prices(400, 1), make_phone_prices(400, 2)
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.target, b.target)
    assert not np.array_equal(a.data, c.data)
    assert a.data.shape == (400, 20) and a.data.dtype == np.float32 and a.target.dtype == np.int64
    assert np.bincount(a.target).tolist() == [100, 100, 100, 100]
    assert a.synthetic
    real = np.loadtxt(phone_csv, delimiter=",", skiprows=1)
    assert (a.data.min(axis=0) >= real[:, :-1].min(axis=0)).all()
    assert (a.data.max(axis=0) <= real[:, :-1].max(axis=0)).all()
    a.to_csv(tmp_path / "s.csv")
    header = (tmp_path / "s.csv").read_text().splitlines()[0]
    assert header == phone_csv.read_text().splitlines()[0]
