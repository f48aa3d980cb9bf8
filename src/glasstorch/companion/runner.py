"""``glasstorch run SCRIPT.py [ARGS...]``: runs a PyTorch script with glasstorch standing in for torch.

While the script runs, and only then, ``import torch`` (and ``torch.nn``, ``torch.nn.functional``, ``torch.optim``,
``torch.utils.data``... any ``torch.X`` that glasstorch has as ``glasstorch.X``) and ``import torchsummary`` give
glasstorch's modules, through a finder placed first on ``sys.meta_path``. The script sees ``sys.argv``,
``__name__ == "__main__"``, ``__file__``, ``sys.path[0]`` and relative paths as under ``python SCRIPT.py`` (the file runs in a fresh ``__main__``
module, as Python runs a script; runpy's ``run_path`` would change ``sys.argv[0]``).

Every module the script gets is a proxy: an attribute that glasstorch lacks raises ``UnsupportedTorchFeature``
("glasstorch does not implement torch.xyz"), a NotImplementedError that is also an AttributeError (so ``hasattr`` and
``getattr(torch, name, default)`` keep working), and an unknown module (``torch.distributed``, ``torchvision``) raises
``UnsupportedTorchModule``, a NotImplementedError that is also a ModuleNotFoundError (so ``try: import torchvision
except ImportError`` keeps working). Printed names read as under torch (``torch.Size([5, 3])``, ``torch.float32``,
``x.type() == 'torch.FloatTensor'``) while the script runs, so its output can be diffed against torch's.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import builtins
import importlib.machinery
import io
import sys
import traceback
import types
from collections.abc import Sequence
from pathlib import Path

from .. import _names
from ..i18n import fonts, safe_stdio, t

__all__ = ["UnsupportedTorchFeature", "UnsupportedTorchModule", "torch_alias", "run_script"]

STAND_INS = {"torch": "glasstorch", "torchsummary": "glasstorch.summary"}


class UnsupportedTorchFeature(NotImplementedError, AttributeError):
    """A torch attribute that glasstorch does not implement."""


class UnsupportedTorchModule(NotImplementedError, ModuleNotFoundError):
    """A torch module (or a torch add-on package) that glasstorch does not implement."""


def _unsupported_module(name: str, detail: str = "") -> UnsupportedTorchModule:
    error = UnsupportedTorchModule(f"glasstorch does not implement {name}{detail}")
    error.name = name
    return error


def _is_torch_name(name: str) -> bool:
    return name.split(".", 1)[0].startswith("torch")


# ---- proxies ------------------------------------------------------------------------------------------------------
def torch_module_proxy(torch_name: str, target: types.ModuleType, alias: "torch_alias") -> types.ModuleType:
    """``torch.X`` seen by a script: glasstorch's module ``glasstorch.X`` behind a clear error for what is missing.

    A plain module with a module-level ``__getattr__`` (PEP 562) rather than a ModuleType subclass: names already
    resolved are then ordinary module attributes, which Python looks up fast (``torch.relu`` in every forward:
    ~20 ns instead of ~170 ns through a subclass's ``__getattr__`` hook).
    """
    module = types.ModuleType(torch_name, getattr(target, "__doc__", None))
    attributes = module.__dict__

    def __getattr__(name: str):
        if name.startswith("__") and name.endswith("__"):
            return getattr(target, name)
        try:
            value = getattr(target, name)
        except AttributeError:
            value = alias.submodule(f"{torch_name}.{name}", missing_ok=True)
            if value is None:
                raise UnsupportedTorchFeature(f"glasstorch does not implement {torch_name}.{name}") from None
            return value
        if isinstance(value, types.ModuleType) and value.__name__.startswith("glasstorch"):
            return alias.submodule(f"{torch_name}.{name}")
        if callable(value):  # functions and classes never change: later lookups are plain attribute hits
            attributes[name] = value
        return value

    def __dir__():
        return sorted(set(dir(target)))

    loader = _ReadyLoader(module, f"glasstorch stand-in for {target.__name__}")
    attributes.update(__getattr__=__getattr__, __dir__=__dir__, __path__=[], __loader__=loader,
                      __spec__=importlib.util.spec_from_loader(torch_name, loader, is_package=True))
    return module


# ---- the import hook ----------------------------------------------------------------------------------------------
class _ReadyLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType, description: str | None = None):
        self.module, self.description = module, description

    def __repr__(self) -> str:  # a module's repr shows its loader: <module 'torch' (glasstorch stand-in for glasstorch)>
        return self.description or super().__repr__()

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        return None


class _TorchFinder(importlib.abc.MetaPathFinder):
    def __init__(self, alias: "torch_alias"):
        self.alias = alias

    def find_spec(self, fullname: str, path=None, target=None):
        if not _is_torch_name(fullname):
            return None
        module = self.alias.submodule(fullname)
        # (a stand-in's own spec, kept: the import system sets __spec__, whose loader names what stands in)
        return module.__spec__ or importlib.util.spec_from_loader(fullname, _ReadyLoader(module), is_package=True)


class torch_alias:
    """Context manager: while active, ``torch`` and ``torchsummary`` imports give glasstorch (then all is restored)."""

    def __init__(self):
        self._modules: dict[str, types.ModuleType] = {}
        self._saved: dict[str, types.ModuleType] = {}
        self._finder = _TorchFinder(self)
        self._printed_name = None

    def submodule(self, torch_name: str, missing_ok: bool = False) -> types.ModuleType | None:
        """The stand-in for ``torch_name`` (created once, and registered in sys.modules)."""
        if torch_name in self._modules:
            return self._modules[torch_name]
        target = self._target(torch_name)
        if target is None:
            if missing_ok:
                return None
            top = torch_name.split(".", 1)[0]
            detail = "" if top in STAND_INS else " (glasstorch stands in for torch and torchsummary only)"
            raise _unsupported_module(torch_name, detail)
        module = torch_module_proxy(torch_name, target, self)
        self._modules[torch_name] = module
        sys.modules[torch_name] = module
        parent, _, child = torch_name.rpartition(".")
        if parent and parent in self._modules:
            self._modules[parent].__dict__.setdefault(child, module)
        return module

    @staticmethod
    def _target(torch_name: str) -> types.ModuleType | None:
        top, _, rest = torch_name.partition(".")
        if top not in STAND_INS:
            return None
        name = STAND_INS[top] + ("." + rest if rest else "")
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and (name == error.name or name.startswith(error.name + ".")):
                return None
            raise

    def __enter__(self) -> "torch_alias":
        for name in [n for n in sys.modules if _is_torch_name(n)]:
            self._saved[name] = sys.modules.pop(name)
        sys.meta_path.insert(0, self._finder)
        self._printed_name = _names.set_prefix("torch")  # torch.Size([5, 3]), torch.float32, 'torch.FloatTensor'
        return self

    def __exit__(self, *exc) -> None:
        if self._printed_name is not None:
            _names.set_prefix(self._printed_name)
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        for name in [n for n in sys.modules if _is_torch_name(n)]:
            del sys.modules[name]
        sys.modules.update(self._saved)
        self._saved.clear()
        self._modules.clear()


# ---- running a script -------------------------------------------------------------------------------------------
def run_script(script: str | os.PathLike, args: Sequence[str] = (), *, figures: str | os.PathLike | None = None) -> int:
    """Runs ``script`` as ``python script args...`` would, with glasstorch as torch; returns the exit code.

    figures: a folder where ``plt.show()`` saves the open figures as PNG (``<script>-<n>.png``) instead of showing them.
    """
    safe_stdio()  # a script printing ² or 中 to a GBK or ASCII console writes what the console can carry
    path = Path(script)
    if not path.is_file():
        print(t("run.no_file", script=repr(str(script))), file=sys.stderr)
        return 2
    file = str(path) if path.is_absolute() else os.path.join(os.getcwd(), str(path))
    script_dir = os.path.dirname(os.path.realpath(file))
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    own_modules = {name: m for name, m in list(sys.modules.items()) if _inside(m, script_dir)}
    for name in own_modules:  # a fresh interpreter would import the script's own modules afresh
        del sys.modules[name]
    before = set(sys.modules)
    sys.argv = [str(script), *args]
    sys.path[0:1] = [script_dir] if sys.path else [script_dir]
    restore_show = _save_figures_on_show(path.stem, Path(figures)) if figures is not None else None
    try:
        with torch_alias():
            _exec_as_main(file)
        return 0
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    except KeyboardInterrupt:
        print(t("run.interrupted"), file=sys.stderr)
        return 130
    except BaseException as error:  # noqa: BLE001 - reported as Python reports an uncaught exception
        _report(error)
        return 1
    finally:
        if restore_show is not None:
            restore_show()
        sys.argv, sys.path[:] = saved_argv, saved_path
        for name in set(sys.modules) - before:  # the script's own modules were bound to the stand-in
            if _inside(sys.modules[name], script_dir):
                del sys.modules[name]
        sys.modules.update(own_modules)


def _inside(module, folder: str) -> bool:
    module_file = getattr(module, "__file__", None)
    return bool(module_file) and os.path.realpath(module_file).startswith(folder + os.sep)


def _exec_as_main(file: str) -> None:
    """Executes the file as Python executes a script: a fresh ``__main__`` module, ``__file__`` absolute."""
    with io.open_code(file) as handle:
        source = handle.read()
    code = compile(source, file, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": file, "__cached__": None, "__builtins__": builtins, "__package__": None,
                          "__spec__": None, "__loader__": importlib.machinery.SourceFileLoader("__main__", file)})
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main


def _exit_code(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _report(error: BaseException) -> None:
    """The traceback as Python prints it (without the runner's frames), and what glasstorch lacks, when that is why."""
    report = traceback.TracebackException(type(error), error, error.__traceback__)
    report.stack[:] = [frame for frame in report.stack
                       if frame.filename != __file__ and not frame.filename.startswith("<frozen importlib")]
    print("".join(report.format()), end="", file=sys.stderr)
    missing = _missing_method(error)
    if missing:
        print(t("run.not_implemented", name=missing), file=sys.stderr)


def _missing_method(error: BaseException) -> str | None:
    """``Tensor.cuda`` for ``AttributeError: 'Tensor' object has no attribute 'cuda'`` raised on a glasstorch object."""
    if not isinstance(error, AttributeError) or isinstance(error, NotImplementedError):
        return None
    obj, name = getattr(error, "obj", None), getattr(error, "name", None)
    if obj is None or name is None or not type(obj).__module__.startswith("glasstorch"):
        return None
    return f"torch.{type(obj).__name__}.{name}" if type(obj).__name__ == "Tensor" else f"{type(obj).__name__}.{name}"


def _save_figures_on_show(stem: str, folder: Path):
    """Replaces ``matplotlib.pyplot.show`` by saving every open figure; returns the function that undoes it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fonts.setup()  # the course's own titles ('Tanh 函数图像') need a CJK font
    folder.mkdir(parents=True, exist_ok=True)
    original = plt.show
    count = [0]

    def show(*args, **kwargs) -> None:
        for number in plt.get_fignums():
            count[0] += 1
            target = folder / f"{stem}-{count[0]}.png"
            plt.figure(number).savefig(target, dpi=100)
            print(t("run.saved", path=target), file=sys.stderr)
        plt.close("all")

    plt.show = show

    def restore() -> None:
        plt.show = original

    return restore
