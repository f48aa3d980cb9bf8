"""glasstorch.load against hostile safetensors files, generated here: header values of the wrong JSON type, Infinity
and NaN, deep nesting, lying offsets, shapes NumPy cannot make, a flipped data byte (the SHA-256 digest)."""
from __future__ import annotations

import io
import struct

import numpy as np
import pytest

import glasstorch
from glasstorch.serialization import UnsupportedFileError


def _refused(data: bytes, match: str | None = None) -> str:
    with pytest.raises(UnsupportedFileError, match=match) as info:
        glasstorch.load(io.BytesIO(data))
    return str(info.value)


def _safetensors(header: str, body: bytes = b"\x00" * 8) -> bytes:
    raw = header.encode()
    return struct.pack("<Q", len(raw)) + raw + body


@pytest.mark.parametrize("header, where", [
    ('{"w": {"dtype": ["F32"], "shape": [2], "data_offsets": [0, 8]}}', "dtype"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [408, Infinity]}}', "data_offsets"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": {"begin": 0, "end": 8}}}', "data_offsets"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8.0]}}', "data_offsets"),
    ('{"w": {"dtype": "F32", "shape": [NaN], "data_offsets": [0, 8]}}', "NaN"),
    ('{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}', "shape"),
    ('{"w": {"dtype": "F32", "shape": [true, 2], "data_offsets": [0, 8]}}', "shape"),
    ('{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}', "needs"),
    ('{"w": {"dtype": "F32", "shape": "2", "data_offsets": [0, 8]}}', "shape"),
    ('{"w": {"dtype": "F32", "shape": [2]}}', "data_offsets"),
    ('{"w": [1, 2]}', "tensor 'w'"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"size": Infinity}}', "Infinity"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"glasstorch": 7}}', "metadata"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"glasstorch": '
     '"{\\"root\\": {\\"size\\": [1e400]}}"}}', "structure"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"glasstorch": '
     '"{\\"root\\": {\\"tensor\\": [\\"w\\"]}}"}}', "structure"),
    ('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "v": {"dtype": "F32", "shape": [1], '
     '"data_offsets": [0, 4]}}', "overlap"),
    ("[" * 5_000 + "]" * 5_000, "nested too deeply"),
    ("[" * 500 + "]" * 500, "not an object"),
    ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {"glasstorch": "'
     + "[" * 50_000 + "]" * 50_000 + '"}}', "nested too deeply"),
])
def test_a_hostile_safetensors_header_is_a_clear_error(header, where):
    message = _refused(_safetensors(header))
    assert "not a valid model file" in message and where in message


def test_a_flipped_byte_in_safetensors_data_is_reported():
    buffer = io.BytesIO()
    glasstorch.save({"w": glasstorch.arange(6.0)}, buffer, format="safetensors")
    data = bytearray(buffer.getvalue())
    data[-5] ^= 0x01
    _refused(bytes(data), "SHA-256")


def test_safetensors_files_without_a_digest_still_load():
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    data = safetensors_numpy.save({"w": np.arange(3, dtype=np.float32)})
    assert glasstorch.load(io.BytesIO(data))["w"].tolist() == [0.0, 1.0, 2.0]


def test_a_shape_numpy_cannot_make_is_a_clear_error():
    header = '{"w": {"dtype": "F32", "shape": [0, 4611686018427387904, 8], "data_offsets": [0, 0]}}'
    assert "not a valid model file" in _refused(_safetensors(header, b""))
