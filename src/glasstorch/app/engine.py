"""Which engine computes a run: glasstorch (NumPy on the CPU, the default) or PyTorch itself (``--engine torch``: the
CPU, a CUDA GPU or Apple's MPS, and several processes under ``torchrun``).

The trainer is written once, on the torch API. This module is the one place that chooses which ``torch`` it gets:
:func:`select` returns an :class:`Engine` holding the namespace (``glasstorch`` or ``torch``) and the device, and the
estimator builds its network, optimizer and DataLoader from ``engine.torch`` exactly as a PyTorch script would.

Several processes (data parallelism): ``torchrun --nproc_per_node N -m glasstorch train --engine torch ...`` starts N
copies of the command with ``WORLD_SIZE``, ``RANK`` and ``LOCAL_RANK`` set. :meth:`Engine.processes` joins them into one
process group (gloo on the CPU, NCCL on GPUs); each process then trains on its share of the rows (DistributedSampler)
with the network wrapped in DistributedDataParallel, which averages the gradients, so every process holds the same
weights after each step. ``--batch-size`` is per process, as in PyTorch: N processes take N batches per step.
"""
from __future__ import annotations

import contextlib
import functools
import os
from types import ModuleType
from typing import Any, Iterator, Optional

import numpy as np

import glasstorch

from ..i18n import t
from .errors import InputError


def launched_processes() -> int:
    """How many processes torchrun (or another launcher setting WORLD_SIZE) started for this run; 1 when none."""
    try:
        return max(int(os.environ.get("WORLD_SIZE", "1")), 1)
    except ValueError:
        return 1


class Engine:
    """The torch-like namespace a run computes with, and its device."""

    def __init__(self, name: str, module: ModuleType, device: Any) -> None:
        self.name, self.torch, self.device = name, module, device
        utils = module.utils.data
        self.nn, self.optim = module.nn, module.optim
        self.DataLoader, self.TensorDataset = utils.DataLoader, utils.TensorDataset
        if module is not glasstorch:  # PyTorch gathers a batch row by row; fetch it as one indexed slice instead
            self.TensorDataset = type("TensorDataset", (utils.TensorDataset,), {"__getitems__": _rows})
            self.DataLoader = functools.partial(utils.DataLoader, collate_fn=_fetched)
        self.DistributedSampler = getattr(utils, "DistributedSampler", None)

    @property
    def version(self) -> str:
        return self.torch.__version__

    def record(self) -> dict[str, Any]:
        """What metrics.json and the model file say about the engine that trained."""
        return {"engine": self.name, "engine_version": self.version, "device": str(self.device),
                "processes": self.world_size}

    @property
    def world_size(self) -> int:
        """The number of processes training together (1 outside a process group)."""
        return self._dist().get_world_size() if self._joined() else 1

    @property
    def rank(self) -> int:
        """This process's number; 0 writes the outputs."""
        return self._dist().get_rank() if self._joined() else 0

    def _dist(self) -> ModuleType:
        return self.torch.distributed

    def _joined(self) -> bool:
        dist = self._dist()
        return dist.is_available() and dist.is_initialized()

    # ---- tensors in and out -----------------------------------------------------------------------------------
    def from_numpy(self, array: np.ndarray):
        """A CPU tensor of this engine holding ``array`` (the DataLoader's rows stay on the CPU; batches move)."""
        return self.torch.from_numpy(np.ascontiguousarray(array))

    @staticmethod
    def numpy(tensor) -> np.ndarray:
        """A tensor of either engine, on any device, as a NumPy array."""
        return tensor.detach().cpu().numpy()

    # ---- several processes ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def processes(self) -> Iterator["Engine"]:
        """Joins the process group a launcher such as torchrun started (WORLD_SIZE > 1) for the block, and leaves it
        at the end; outside one, does nothing. InputError when the engine cannot train in several processes."""
        n = launched_processes()
        if n == 1:
            yield self
            return
        if self.name != "torch":
            raise InputError(t("app.engine.glasstorch_processes", n=n))
        if self.device.type == "mps":
            raise InputError(t("app.engine.mps_processes", n=n))
        dist = self._dist()
        if self.device.type == "cuda":
            self.torch.cuda.set_device(self.device)
        dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")
        try:
            yield self
        finally:
            dist.destroy_process_group()

    @contextlib.contextmanager
    def together(self) -> Iterator[None]:
        """Runs a block of checks in every process; when one process fails them, every process stops (the failing
        one with its own error, the others with InputError), so that no process waits forever for one that left."""
        try:
            yield
        except BaseException:
            self._all_ok(False)
            raise
        if not self._all_ok(True):
            raise InputError(t("app.engine.peer_failed"))

    def _all_ok(self, ok: bool) -> bool:
        if self.world_size == 1:
            return ok
        return bool(self.all_sum([0.0 if ok else 1.0])[0] == 0)

    def all_sum(self, values: list[float]) -> list[float]:
        """The sums over every process of ``values`` (the same list in every process); ``values`` alone with one."""
        if self.world_size == 1:
            return list(values)
        sums = self.torch.tensor(values, dtype=self.torch.float64, device=self.device)
        self._dist().all_reduce(sums)
        return sums.cpu().tolist()

    def parallel(self, network):
        """The module that trains: ``network`` itself, or wrapped in DistributedDataParallel in a process group."""
        if self.world_size == 1:
            return network
        ids = [self.device.index] if self.device.type == "cuda" else None
        return self.nn.parallel.DistributedDataParallel(network, device_ids=ids)

    def sampler(self, dataset, seed: int):
        """Each process's share of the rows, reshuffled each epoch (``set_epoch``), or None (the DataLoader's own
        shuffle) with one process."""
        if self.world_size == 1:
            return None
        return self.DistributedSampler(dataset, shuffle=True, seed=seed % 2 ** 62)


GLASSTORCH = Engine("glasstorch", glasstorch, glasstorch.device("cpu"))


def _rows(dataset, indices: list[int]) -> tuple:
    """A batch of a TensorDataset as one slice of each tensor: PyTorch's DataLoader calls ``__getitems__`` with the
    batch's indices (in the sampler's order) where the dataset has one, so the batches are those of the row-by-row
    gather and collate, without a Python step per row (7x faster to load on 200,000 rows)."""
    import torch  # only the torch engine's datasets have this method

    index = torch.as_tensor(indices)
    return tuple(tensor[index] for tensor in dataset.tensors)


def _fetched(batch):
    """The collate_fn for batches :func:`_rows` has already put together."""
    return batch


def select(name: str = "glasstorch", device: str = "auto") -> Engine:
    """The engine ``name`` on ``device`` (``auto``: CUDA, else MPS, else the CPU); InputError when it cannot run here:
    torch not installed, no such device, or a GPU asked of glasstorch."""
    if name == "glasstorch":
        if device not in ("auto", "cpu"):
            raise InputError(t("app.engine.glasstorch_cpu", device=device))
        return GLASSTORCH
    torch = _import_torch()
    return Engine("torch", torch, _torch_device(torch, device))


def _import_torch() -> ModuleType:
    try:
        import torch
    except ImportError:
        raise InputError(t("app.engine.no_torch")) from None
    return torch


def _torch_device(torch: ModuleType, device: str) -> Any:
    cuda = torch.cuda.is_available()
    mps = _mps_available(torch)
    if device == "auto":
        device = "cuda" if cuda else "mps" if mps else "cpu"
    elif (device == "cuda" and not cuda) or (device == "mps" and not mps):
        raise InputError(t("app.engine.no_device", device=device, version=torch.__version__))
    if device == "cuda" and launched_processes() > 1:
        return torch.device("cuda", _local_rank() % torch.cuda.device_count())
    return torch.device(device)


def _mps_available(torch: ModuleType) -> bool:
    mps: Optional[Any] = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def _local_rank() -> int:
    try:
        return int(os.environ.get("LOCAL_RANK", "0"))
    except ValueError:
        return 0
