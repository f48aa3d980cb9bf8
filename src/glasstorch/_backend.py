"""The one place glasstorch imports its array library.

Every other module takes ``np`` from here, so that another NumPy-compatible array library could stand in later.
"""
import numpy as np

__all__ = ["np"]
