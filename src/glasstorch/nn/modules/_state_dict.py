"""The state half of ``nn.Module``: ``state_dict()`` and ``load_state_dict()``, with torch's keys, metadata and error
messages."""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from ...autograd import no_grad
from ...autograd.tensor_base import TensorBase
from ..parameter import Parameter


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it missed and the keys it did not expect."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class StateDictMixin:
    """``state_dict`` / ``load_state_dict`` over the registries of ``nn.Module`` (``_parameters``, ``_buffers``,
    ``_modules``); subclasses adapt old layouts in ``_load_from_state_dict`` (BatchNorm does)."""

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, *, destination: dict | None = None, prefix: str = "", keep_vars: bool = False) -> dict:
        """An OrderedDict ``name -> tensor`` of every parameter and persistent buffer (``"linear1.weight"``...).

        The tensors share memory with the module (detached unless ``keep_vars=True``). As in torch, the dict carries
        ``_metadata`` (each module's ``_version``), which ``load_state_dict`` uses for older layouts.
        """
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        metadata = getattr(destination, "_metadata", None)
        if metadata is not None:
            metadata[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        return destination

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                              missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        """Copies this module's own entries of ``state_dict`` (keys starting with ``prefix``) in place."""
        own = {name: value for name, value in self._parameters.items() if value is not None}
        own.update((name, value) for name, value in self._buffers.items()
                   if value is not None and name not in self._non_persistent_buffers_set)
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, current in own.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            incoming = state_dict[key]
            if not isinstance(incoming, TensorBase):
                error_msgs.append(f'While copying the parameter named "{key}", expected torch.Tensor or Tensor-like '
                                  f"object from checkpoint but received {type(incoming)}")
                continue
            if current.dim() == 0 and incoming.dim() == 1 and incoming.shape[0] == 1:
                incoming = incoming[0]  # checkpoints from before 0-dim tensors stored scalars as shape [1]
            if incoming.shape != current.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape {incoming.shape} from "
                                  f"checkpoint, the shape in current model is {current.shape}.")
                continue
            try:
                with no_grad():
                    if assign:
                        if isinstance(current, Parameter) and not isinstance(incoming, Parameter):
                            incoming = Parameter(incoming, requires_grad=current.requires_grad)
                        setattr(self, name, incoming)
                    else:
                        current.copy_(incoming)
            except Exception as error:  # noqa: BLE001 - reported with the others, as torch does
                error_msgs.append(f'While copying the parameter named "{key}", whose dimensions in the model are '
                                  f"{current.size()} and whose dimensions in the checkpoint are {incoming.size()}, "
                                  f"an exception occurred : {error.args}.")
        if strict:
            for key in state_dict:
                if not key.startswith(prefix):
                    continue
                head, dot, _ = key[len(prefix):].partition(".")
                if (dot and head not in self._modules) or (not dot and head not in own):
                    unexpected_keys.append(key)

    def load_state_dict(self, state_dict: Mapping, strict: bool = True, assign: bool = False) -> _IncompatibleKeys:
        """Copies parameters and buffers from ``state_dict`` into this module (in place, under no_grad).

        ``strict=True``: missing and unexpected keys raise RuntimeError, worded as torch's
        (``Error(s) in loading state_dict for Model:\\n\\tMissing key(s) in state_dict: "w". ``); a shape mismatch
        raises whatever ``strict`` says. Returns ``(missing_keys, unexpected_keys)``.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        missing_keys: list = []
        unexpected_keys: list = []
        error_msgs: list = []

        def load(module: StateDictMixin, local: dict, prefix: str) -> None:
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = True
            module._load_from_state_dict(local, prefix, local_metadata, True, missing_keys, unexpected_keys,
                                         error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local.items() if k.startswith(child_prefix)}, child_prefix)

        load(self, state_dict, "")
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)
