"""Parity with a CPU-only torch of what scripts ask about the machine (torch.cuda, torch.backends, torch.accelerator,
default device and dtype) and of the legacy typed tensors (torch.FloatTensor...): the same answers, the same errors,
so ``device = "cuda" if torch.cuda.is_available() else "cpu"`` and older tutorials run unchanged."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402


def outcome(fn):
    """(value's repr, None) or (None, (error class name, message)) for a call."""
    try:
        value = fn()
    except Exception as error:  # noqa: BLE001 - the error is the answer compared
        return None, (type(error).__name__, str(error).split("\n")[0])
    return repr(value).replace("glasstorch.", "torch."), None


MACHINE = [
    "cuda.is_available()", "cuda.device_count()", "cuda.is_initialized()", "cuda.manual_seed(0)",
    "cuda.manual_seed_all(0)", "cuda.seed()", "cuda.seed_all()", "cuda.empty_cache()", "cuda.memory_allocated()",
    "cuda.max_memory_allocated()", "cuda.memory_reserved()", "cuda.is_bf16_supported()", "cuda.get_rng_state_all()",
    "cuda.current_device()", "cuda.get_device_name()", "cuda.get_device_name(0)", "cuda.get_device_properties(0)",
    "cuda.get_device_capability()", "cuda.synchronize()", "cuda.get_rng_state()", "cuda.mem_get_info()",
    "backends.mps.is_available()", "backends.mps.is_built()", "backends.cudnn.is_available()",
    "backends.cudnn.version()", "backends.cudnn.enabled", "backends.cudnn.deterministic", "backends.cudnn.benchmark",
    "backends.cuda.is_built()", "backends.cuda.matmul.allow_tf32",
    "accelerator.is_available()", "accelerator.current_accelerator()", "accelerator.device_count()",
    "accelerator.current_device_index()", "accelerator.synchronize()", "accelerator.empty_cache()",
    "get_default_device()", "ones(2).cuda()", "ones(2).to('cuda')", "ones(2).to(device('cuda:0'))",
    "ones(2).to(device='cuda')", "ones(2).to('mps')", "ones(2).to('xpu')", "zeros(2, device='cuda')",
    "tensor([1.0], device=device('cuda'))", "nn.Linear(2, 2).cuda()", "nn.Linear(2, 2).to('cuda')",
    "ones(2).is_cuda", "ones(2).to('cpu').shape", "ones(2, device='cpu').device",
]


@pytest.mark.parametrize("expression", MACHINE)
def test_machine_questions_answer_as_a_cpu_only_torch(expression):
    ours = outcome(lambda: eval(f"glasstorch.{expression}", {"glasstorch": glasstorch}))
    theirs = outcome(lambda: eval(f"torch.{expression}", {"torch": torch}))
    assert ours == theirs


def test_the_device_lines_of_tutorials_pick_the_cpu():
    for library in (glasstorch, torch):
        picked = library.device("cuda" if library.cuda.is_available() else "cpu")
        accelerator = (library.accelerator.current_accelerator().type if library.accelerator.is_available()
                       else "cpu")
        mps = "mps" if library.backends.mps.is_available() else "cpu"
        model = library.nn.Linear(3, 2).to(picked)
        x = library.ones(4, 3).to(accelerator).to(mps)
        assert str(picked) == accelerator == mps == "cpu" and tuple(model(x).shape) == (4, 2)


def test_cudnn_flags_are_settable_and_default_device_round_trips():
    saved = glasstorch.backends.cudnn.deterministic, glasstorch.backends.cudnn.benchmark
    try:
        glasstorch.backends.cudnn.deterministic, glasstorch.backends.cudnn.benchmark = True, False
        glasstorch.backends.cuda.matmul.allow_tf32 = True
        assert glasstorch.backends.cudnn.deterministic is True
    finally:
        glasstorch.backends.cudnn.deterministic, glasstorch.backends.cudnn.benchmark = saved
        glasstorch.backends.cuda.matmul.allow_tf32 = False
    try:
        for value in ("cpu", glasstorch.device("cpu"), "cuda:1"):
            glasstorch.set_default_device(value)
            torch.set_default_device(str(value))
            assert repr(glasstorch.get_default_device()) == repr(torch.get_default_device())
    finally:
        glasstorch.set_default_device(None)
        torch.set_default_device(None)
    assert repr(glasstorch.get_default_device()) == repr(torch.get_default_device()) == "device(type='cpu')"


@pytest.fixture
def float64_default():
    glasstorch.set_default_dtype(glasstorch.float64)
    torch.set_default_dtype(torch.float64)
    yield
    glasstorch.set_default_dtype(glasstorch.float32)
    torch.set_default_dtype(torch.float32)


DEFAULT_DTYPE_MAKERS = ["tensor([1.5]).dtype", "tensor([1, 2]).dtype", "zeros(2).dtype", "ones(2, 2).dtype",
                        "rand(3).dtype", "randn(3).dtype", "full((2,), 1.5).dtype", "arange(0.0, 2.0).dtype",
                        "linspace(0, 1, 3).dtype", "Tensor(2, 3).dtype", "FloatTensor(2).dtype",
                        "nn.Linear(2, 3).weight.dtype", "nn.Linear(2, 3).bias.dtype", "(tensor([1, 2]) / 2).dtype",
                        "(tensor([1, 2]) * 0.5).dtype", "get_default_dtype()", "empty(2).dtype"]


@pytest.mark.parametrize("expression", DEFAULT_DTYPE_MAKERS)
def test_float64_default_reaches_factories_and_layers(float64_default, expression):
    ours = outcome(lambda: eval(f"glasstorch.{expression}", {"glasstorch": glasstorch}))
    theirs = outcome(lambda: eval(f"torch.{expression}", {"torch": torch}))
    assert ours == theirs


def test_set_default_tensor_type(float64_default):
    with pytest.warns(UserWarning, match=r"^torch.set_default_tensor_type\(\) is deprecated as of PyTorch 2.1"):
        glasstorch.set_default_tensor_type(glasstorch.FloatTensor)  # (torch warns once per process)
    for library in (glasstorch, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            library.set_default_tensor_type(library.FloatTensor)
        assert repr(library.get_default_dtype()).endswith("float32")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            library.set_default_tensor_type("torch.DoubleTensor")
        assert repr(library.tensor([1.5]).dtype).endswith("float64")
        for bad in ("torch.LongTensor", library.float64, library.LongTensor):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
                    library.set_default_tensor_type(bad)


LEGACY = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor",
          "BoolTensor", "HalfTensor"]
MADE = ["{T}([1, 0, 2])", "{T}([[1.7, 2.0], [0.0, 3.5]])", "{T}((2, 3))", "{T}()", "{T}(np.array([1.25, 0.0]))",
        "{T}(np.array([3, 0]))", "{T}([True, False])", "{T}(2.5)", "{T}([[1, 2], [3]])", "{T}(-1)",
        "{T}(tensor([1, 2]))", "{T}([1, 2], device='cpu')", "{T}([1, 2], device='cuda')"]
SHAPED = ["{T}(2, 3)", "{T}(4)", "{T}(Size([2, 1, 3]))", "{T}(0)", "{T}(size=(2, 2))"]


def both(template: str, name: str):
    expression = template.format(T=name)
    return (outcome(lambda: eval(f"g.{expression}".replace("tensor(", "g.tensor(").replace("Size(", "g.Size("),
                                 {"g": glasstorch, "np": np})),
            outcome(lambda: eval(f"g.{expression}".replace("tensor(", "g.tensor(").replace("Size(", "g.Size("),
                                 {"g": torch, "np": np})))


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("template", MADE)
def test_legacy_constructors_from_data(name, template):
    ours, theirs = both(template, name)
    if theirs[1] is not None and ours[1] is not None:  # both refuse: the class of error is torch's
        assert ours[1][0] == theirs[1][0], (ours, theirs)
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("template", SHAPED)
def test_legacy_constructors_from_sizes_are_uninitialised(name, template):
    """torch leaves the memory as it was: shape and dtype are compared, not values."""
    expression = template.format(T=name)
    ours = eval(f"g.{expression}".replace("Size(", "g.Size("), {"g": glasstorch})
    theirs = eval(f"g.{expression}".replace("Size(", "g.Size("), {"g": torch})
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype)[11:] == str(theirs.dtype)[6:]


@pytest.mark.parametrize("name", LEGACY)
def test_isinstance_and_type(name):
    for dtype in ("float32", "float64", "int64", "int32", "uint8", "bool", "float16"):
        ours = glasstorch.zeros(2, dtype=getattr(glasstorch, dtype))
        theirs = torch.zeros(2, dtype=getattr(torch, dtype))
        assert isinstance(ours, getattr(glasstorch, name)) == isinstance(theirs, getattr(torch, name))
        assert ours.type().replace("glasstorch.", "torch.") == theirs.type()
        for target in (getattr(glasstorch, name), f"torch.{name}"):
            other = target if isinstance(target, str) else getattr(torch, name)
            assert str(ours.type(target).dtype)[11:] == str(theirs.type(other).dtype)[6:]
    assert isinstance(glasstorch.nn.Parameter(glasstorch.ones(2)), glasstorch.FloatTensor)
    assert issubclass(getattr(glasstorch, name), glasstorch.Tensor) == issubclass(getattr(torch, name), torch.Tensor)
    assert repr(getattr(glasstorch, name)).replace("glasstorch.", "torch.") == repr(getattr(torch, name))


@pytest.mark.parametrize("target", ["float", "torch.cuda.FloatTensor", "int", "float64", "torch.float64"])
def test_type_refuses_what_torch_refuses(target):
    argument = {"int": int, "float64": None}.get(target, target)
    ours = outcome(lambda: glasstorch.ones(2).type(argument if argument else glasstorch.float64))
    theirs = outcome(lambda: torch.ones(2).type(argument if argument else torch.float64))
    assert (ours[1] or ("", ""))[0] == (theirs[1] or ("", ""))[0]
    if theirs[1] is None:
        assert ours == theirs


def test_type_returns_self_when_the_dtype_is_already_there():
    x = glasstorch.ones(2)
    assert x.type(glasstorch.FloatTensor) is x and x.type(glasstorch.float32) is x and x.type(dtype="torch.FloatTensor") is x


CUDA_TYPES = ["cuda.FloatTensor", "cuda.LongTensor", "cuda.DoubleTensor", "cuda.ByteTensor"]


@pytest.mark.parametrize("name", CUDA_TYPES)
def test_legacy_cuda_types_exist_and_refuse_as_a_cpu_only_torch(name):
    ours, theirs = eval(f"glasstorch.{name}"), eval(f"torch.{name}")
    assert repr(ours).replace("glasstorch.", "torch.") == repr(theirs)
    assert isinstance(glasstorch.ones(2), ours) == isinstance(torch.ones(2), theirs) is False
    for make in (lambda t: t(2), lambda t: t([1, 2])):
        assert outcome(lambda: make(ours))[1][0] == outcome(lambda: make(theirs))[1][0] == "TypeError"
        assert outcome(lambda: make(ours))[1][1] == outcome(lambda: make(theirs))[1][1].replace("torch.", "glasstorch.")
    assert outcome(lambda: glasstorch.ones(2).type(ours)) == outcome(lambda: torch.ones(2).type(theirs))


def test_variable_is_every_tensor_and_makes_leaves():
    from glasstorch.autograd import Variable

    base = glasstorch.ones(2) * glasstorch.ones(2, requires_grad=True)
    for library, variable, data in ((glasstorch, Variable, base),
                                    (torch, torch.autograd.Variable, torch.ones(2) * torch.ones(2, requires_grad=True))):
        assert isinstance(library.ones(2), variable) and not isinstance([1.0], variable)
        made = variable(data, requires_grad=True)
        assert made is not data and made.is_leaf and made.requires_grad and made.grad_fn is None
        assert not variable(data).requires_grad and variable(data).grad_fn is None
        (made * 3).sum().backward()
        assert made.grad.tolist() == [3.0, 3.0]
        with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
            variable([1, 2])
        with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
            variable(data, volatile=True)
        assert tuple(variable().shape) == (0,)
    made = Variable(base)
    made.add_(1)  # shares the data, as torch's
    assert base.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("expression", ["tensor([1.0], dtype=float).dtype", "tensor([1], dtype=int).dtype",
                                        "tensor([1], dtype=bool).dtype", "zeros(2, dtype=float).dtype",
                                        "ones(2).to(float).dtype", "ones(2).to(int).dtype", "ones(2).to(bool).dtype",
                                        "ones(2).to(dtype=float).dtype", "full((2,), 1, dtype=float).dtype"])
def test_python_types_as_dtypes(expression):
    """torch reads Python's float as float64 (``dtype=float`` in older Chinese tutorials), int as int64."""
    ours = outcome(lambda: eval(f"glasstorch.{expression}", {"glasstorch": glasstorch}))
    theirs = outcome(lambda: eval(f"torch.{expression}", {"torch": torch}))
    assert ours == theirs


def _warned(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call()
    return value, [(w.category.__name__, str(w.message)) for w in caught]


def test_mixed_precision_tools_without_a_gpu_behave_as_torchs():
    """nanoGPT's train.py: torch.cuda.amp.GradScaler(enabled=True) and autocast("cuda") disable themselves."""
    for make in (lambda L: L.cuda.amp.GradScaler(enabled=True), lambda L: L.amp.GradScaler("cuda"),
                 lambda L: L.cuda.amp.GradScaler(enabled=False)):
        (ours, ours_warnings), (theirs, theirs_warnings) = _warned(lambda: make(glasstorch)), _warned(lambda: make(torch))
        assert ours_warnings == theirs_warnings
        assert (ours.is_enabled(), ours.get_scale(), ours.state_dict()) == (
            theirs.is_enabled(), theirs.get_scale(), theirs.state_dict())
        loss = glasstorch.ones(1, requires_grad=True) * 2
        assert ours.scale(loss) is loss
    for make in (lambda L: L.autocast("cuda"), lambda L: L.amp.autocast(device_type="cuda", dtype=L.float16),
                 lambda L: L.cuda.amp.autocast()):
        assert _warned(lambda: make(glasstorch).__enter__())[1] == _warned(lambda: make(torch).__enter__())[1]


def test_cpu_grad_scaler_scales_unscales_and_skips_as_torchs():
    results = []
    for library in (glasstorch, torch):
        weight = library.nn.Parameter(library.tensor([1.0, -2.0]))
        optimizer = library.optim.SGD([weight], lr=0.5)
        scaler = library.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
        trace = []
        for step, factor in enumerate((1.0, float("inf"), 1.0, 1.0)):
            optimizer.zero_grad()
            scaler.scale((weight * weight).sum() * factor).backward()
            scaler.step(optimizer)
            scaler.update()
            trace.append((weight.detach().tolist(), scaler.get_scale()))
        results.append(trace)
    assert results[0] == results[1]


def test_one_process_distributed_and_named_only_bfloat16():
    from glasstorch.nn.parallel import DataParallel, DistributedDataParallel

    assert glasstorch.distributed.is_initialized() is torch.distributed.is_initialized() is False
    for ours, theirs in ((lambda: glasstorch.distributed.get_rank(), lambda: torch.distributed.get_rank()),
                         (lambda: DistributedDataParallel(glasstorch.nn.Linear(1, 1)),
                          lambda: torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(1, 1)))):
        assert outcome(ours) == outcome(theirs)
    model = glasstorch.nn.Linear(2, 1)
    wrapped = DataParallel(model)
    assert wrapped.module is model and wrapped(glasstorch.ones(3, 2)).tolist() == model(glasstorch.ones(3, 2)).tolist()
    assert repr(glasstorch.bfloat16) == "glasstorch.bfloat16" and glasstorch.bfloat16.is_floating_point
    with pytest.raises(NotImplementedError, match="bfloat16"):
        glasstorch.zeros(2, dtype=glasstorch.bfloat16)
