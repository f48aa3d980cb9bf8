"""The fused Functions of glasstorch.nn (forward and backward on ndarrays), one class per operation.

Each is fused rather than composed from core primitives for a stated reason: torch's derivative at a kink that a
composition would not give (LeakyReLU, Hardtanh), numerical stability (cross entropy, BCE with logits, softplus),
or speed on the training hot path (cross entropy, MSE, batch norm: one graph node instead of five to ten).
"""
