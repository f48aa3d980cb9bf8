"""``glasstorch.utils.tensorboard``: torch's SummaryWriter, writing TensorBoard event files through the
``tensorboard`` package (its protocol buffers and event-file writer), as torch does.

Without the package the import fails as torch's does: ``ModuleNotFoundError: No module named 'tensorboard'``
(``pip install tensorboard`` provides it); glasstorch itself never needs it.
"""
import tensorboard

from .writer import FileWriter, SummaryWriter

del tensorboard

__all__ = ["FileWriter", "SummaryWriter"]
