"""A bounded, seeded fuzz of the command line's inputs: mutated model files (bytes, and fields of the JSON document),
mutated training CSVs and mutated predict JSON, each run in-process through ``main``. Every case must end in exit
code 0 or 2 (with one ``error:`` line), never an exception escaping ``main`` and never a hang (each case runs under
an alarm). Run with ``-s`` to see how many cases of each family were tried and how they ended."""
import io
import json
import math
import random
import signal
import sys
import traceback
from collections import Counter

import numpy as np
import pytest

import glasstorch as torch
from glasstorch.serialization import load_safetensors, save_safetensors
from glasstorch.app.cli import main

SEED = 20261204
CASE_LIMIT_S = 60  # a case still running after this is a hang (cases take milliseconds to a second)
COUNTS: dict[str, Counter] = {}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def attempt(family, capsys, argv, stdin=None):
    """Runs one case; records its outcome; fails the test on anything but exit 0 or a clean exit 2."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_LIMIT_S)
    saved_stdin = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        code = main(argv)
    except Hang:
        pytest.fail(f"{family}: {argv} still running after {CASE_LIMIT_S} s")
    except BaseException:  # noqa: BLE001 (the point: nothing may escape main)
        pytest.fail(f"{family}: {argv} raised\n{traceback.format_exc()}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin = saved_stdin
    out, err = capsys.readouterr()
    assert code in (0, 2), (family, argv, code, err)
    if code == 2:
        assert err.startswith("error: ") and "Traceback" not in err, (family, err)
    COUNTS.setdefault(family, Counter())["exit 0" if code == 0 else "exit 2"] += 1
    return code


def _rows(rng, n=40):
    lines = ["colour,size,weight,label"]
    for _ in range(n):
        colour = rng.choice(["red", "blue", "green"])
        size, weight = rng.uniform(0, 10), rng.uniform(0, 5)
        lines.append(f"{colour},{size:.3f},{weight:.3f},{'big' if size > 5 else 'small'}")
    return lines


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    rng = random.Random(SEED)
    (base / "d.csv").write_text("\n".join(_rows(rng)) + "\n")
    assert main(["train", "--data", str(base / "d.csv"), "--out", str(base / "m"), "--hidden", "3", "--batchnorm",
                 "--epochs", "2", "--quiet"]) == 0
    (base / "in.csv").write_text("colour,size,weight\nred,1,2\nblue,7,1\n")
    return base


VALUES = [None, True, False, 0, -1, 1, 2 ** 31, 2 ** 70, -(10 ** 30), 1e308, -1e-308, math.nan, math.inf, 0.5, "",
          "x", "tabular", "classification", "regression", "relu", [], [0], [-1], [10 ** 9], ["a", "a"], [[[]]], {},
          {"kind": "csv"}, {"tensor": "0.weight"}, "0" * 500]


def _paths(node, prefix=()):
    """Every (path, value) in the document's nested dicts and lists."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _mutated_value(rng, old):
    choice = rng.random()
    if isinstance(old, torch.Tensor) and choice < 0.4:
        shape = [max(0, s + rng.choice([-1, 0, 1, 5])) for s in old.shape] or [rng.choice([0, 1, 3])]
        dtype = rng.choice([torch.float32, torch.float64, torch.int64])
        fill = rng.choice([0.0, math.nan, math.inf, 1e30] if dtype.is_floating_point else [0, -1, 2 ** 40])
        return torch.full(shape, fill, dtype=dtype)
    if isinstance(old, np.ndarray) and choice < 0.4:
        return rng.choice([old[:-1], np.append(old, old[:1]), old * -1, old.astype(np.float64) * math.nan,
                           np.zeros((2, 2))])
    return rng.choice(VALUES)


def test_fuzz_model_documents(trained, capsys, tmp_path):
    rng = random.Random(SEED)
    model = trained / "m" / "model.safetensors"
    for case in range(120):
        document = load_safetensors(str(model))
        for _ in range(rng.choice([1, 1, 2, 3])):
            paths = [p for p, _ in _paths(document) if p]
            path = rng.choice(paths)
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            if rng.random() < 0.15 and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = _mutated_value(rng, parent[path[-1]])
        target = tmp_path / f"f{case}.safetensors"
        try:
            save_safetensors(document, str(target))
        except (TypeError, ValueError):
            continue  # not representable in the file format at all
        command = rng.choice([["summary"], ["predict", "--input", str(trained / "in.csv")],
                              ["evaluate", "--out", str(tmp_path / "e.json"), "--quiet"]])
        attempt("model document fields", capsys, [*command, "--model", str(target)])
    assert COUNTS["model document fields"]["exit 2"] >= 60


def test_fuzz_model_bytes(trained, capsys, tmp_path):
    rng = random.Random(SEED + 1)
    data = (trained / "m" / "model.safetensors").read_bytes()
    header_end = 8 + int.from_bytes(data[:8], "little")
    for case in range(150):
        mutated = bytearray(data)
        kind = rng.choice(["flip", "flip-header", "truncate", "insert", "length"])
        if kind == "flip":
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        elif kind == "flip-header":
            for _ in range(rng.randint(1, 4)):
                mutated[rng.randrange(8, header_end)] = rng.choice(b'{}[]":,0123456789-eE.ntfalsru\\ ')
        elif kind == "truncate":
            del mutated[rng.randrange(len(mutated)):]
        elif kind == "insert":
            at = rng.randrange(len(mutated))
            mutated[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            mutated[:8] = rng.choice([0, 1, header_end + 5, 2 ** 63, 2 ** 64 - 1]).to_bytes(8, "little")
        target = tmp_path / f"b{case}.safetensors"
        target.write_bytes(bytes(mutated))
        command = rng.choice([["summary"], ["predict", "--input", str(trained / "in.csv"), "--json"]])
        attempt("model file bytes", capsys, [*command, "--model", str(target)])
    assert COUNTS["model file bytes"]["exit 2"] >= 50


CELLS = ["", " ", "nan", "NA", "?", "inf", "-inf", "1e39", "-1e309", "1e200", "abc", "1,5", '"', '""', "0x10",
         "\x00", "ünïcödé", "9" * 400, "-0", "1_000", "True", "red", "  7  "]


def test_fuzz_training_csv(trained, capsys, tmp_path, monkeypatch):
    rng = random.Random(SEED + 2)
    monkeypatch.chdir(tmp_path)
    base = _rows(random.Random(SEED), 40)
    for case in range(20):
        lines = [line.split(",") for line in base]
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            r = rng.randrange(len(lines))
            if kind < 0.6:
                lines[r][rng.randrange(len(lines[r]))] = rng.choice(CELLS)
            elif kind < 0.7 and len(lines[r]) > 1:
                del lines[r][rng.randrange(len(lines[r]))]
            elif kind < 0.8:
                lines[r].append(rng.choice(CELLS))
            elif kind < 0.9:
                lines.insert(r, [""])
            else:
                lines[0][rng.randrange(len(lines[0]))] = rng.choice(["", "label", "size", "x"])
        text = "\n".join(",".join(cells) for cells in lines) + "\n"
        (tmp_path / "t.csv").write_bytes(rng.choice([b"", b"\xef\xbb\xbf"]) + text.encode("utf-8"))
        flags = rng.choice([[], ["--task", "regression"], ["--missing", "impute"], ["--categorical", "size"]])
        attempt("training CSV", capsys, ["train", "--data", "t.csv", "--out", f"o{case}", "--epochs", "2",
                                         "--quiet", *flags])
    assert COUNTS["training CSV"]["exit 2"] >= 8


def _random_json(rng, depth=0):
    kind = rng.random()
    if depth > 3 or kind < 0.4:
        return rng.choice([None, True, 0, -5, 1.5, 10 ** 30, "red", "", "x" * 50])
    if kind < 0.7:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["colour", "size", "weight", "label", "rows", "z"]): _random_json(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


def test_fuzz_predict_json(trained, capsys):
    rng = random.Random(SEED + 3)
    model = str(trained / "m" / "model.safetensors")
    good = {"colour": "red", "size": 1.0, "weight": 2.0}
    for case in range(80):
        if rng.random() < 0.5:
            row = dict(good)
            row[rng.choice(list(good))] = _random_json(rng, 3)
            text = json.dumps([row, good] if rng.random() < 0.5 else row)
        elif rng.random() < 0.8:
            text = json.dumps(_random_json(rng))
        else:
            text = rng.choice(["[" * 5000, '{"rows": [' * 3000, '[{"size": 1' + "0" * 5000 + "}]", "{", "[]", "null",
                               '[{"colour": "red", "size": 1e999, "weight": 0}]', "\ufeff[]"])
        attempt("predict JSON", capsys, ["predict", "--model", model, "--input", "-", "--json"], stdin=text)
    assert COUNTS["predict JSON"]["exit 2"] >= 30


def teardown_module(module):
    for family, counts in COUNTS.items():
        print(f"\nfuzz {family}: {sum(counts.values())} cases, {dict(counts)}")
