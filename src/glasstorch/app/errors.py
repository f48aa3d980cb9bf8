"""The trainer's one error for bad input."""
from __future__ import annotations


class InputError(Exception):
    """Input the trainer cannot use (a missing file, a bad cell, a wrong column...): the CLI prints it and exits 2."""
