"""Primitive differentiable operations: one Function class per primitive, forward and backward on arrays.

Each docstring gives the derivative the backward implements.
"""
