"""No option is silently ignored: every parameter of every supported torch function, nn.functional
function, optimizer and Tensor method is read by its implementation, and every keyword PyTorch 2.13
accepts that gradtrace lacks is refused with an error naming it."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

import pytest

import engine.torch as engine_torch
from engine.tensor import Tensor
from engine.torch import optim
from engine.torch.nn import functional as F

# Parameters an implementation may leave unread, and why (each is PyTorch's no-op on CPU or a
# default-only flag whose other values are refused elsewhere).
NO_OP = {
    "device": "CPU is the only device; any other is refused where tensors are made",
    "pin_memory": "CPU memory pinning changes no value",
    "memory_format": "strides are not modelled; values are the same",
    "_stacklevel": "where Python's warning points; PyTorch's own internal argument",
    "non_blocking": "a CPU copy is always blocking",
    "foreach": "PyTorch's foreach and single-tensor paths compute the same values",
    "vectorize": "jacobian's vectorized and row-by-row paths compute the same values",
    "volatile": "the removed Variable flag PyTorch ignores too",
    "flush": "print flushes at once anyway",
    "generator": "refused by the random ops when given (branch rng owns them)",
    "stable": "gradtrace's sort is always stable; PyTorch's stable=False order of ties is its kernel's "
    "(the values are the same) -- a known difference, not an ignored choice of result",
}


def _unwrap(fn):
    while hasattr(fn, "__wrapped__"):
        fn = fn.__wrapped__
    return fn


def _functions():
    """(qualified name, function) for everything a program can call."""
    out = []
    for module, prefix in (
        (engine_torch, "torch"),
        (F, "torch.nn.functional"),
        (engine_torch.autograd, "torch.autograd"),
        (engine_torch.autograd.functional, "torch.autograd.functional"),
    ):
        for name in module.__all__:
            value = getattr(module, name, None)
            if inspect.isfunction(value):
                out.append((f"{prefix}.{name}", _unwrap(value)))
    for cls_name in optim.__all__:
        cls = getattr(optim, cls_name)
        if inspect.isclass(cls) and "__init__" in vars(cls):
            out.append((f"torch.optim.{cls_name}", cls.__init__))
    for name, value in vars(Tensor).items():
        if not name.startswith("_") and inspect.isfunction(value):
            out.append((f"Tensor.{name}", _unwrap(value)))
    return out


def _unread_parameters(fn):
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return []
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda)))
    params = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
    params += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
    read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return [p for p in params if p not in read and p not in ("self", "cls") and p not in NO_OP]


FUNCTIONS = _functions()


@pytest.mark.parametrize("name, fn", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_every_parameter_is_read(name, fn):
    assert _unread_parameters(fn) == [], f"{name} accepts and ignores {_unread_parameters(fn)}"


# ---------------------------------------------------------------- against PyTorch's signatures

_SIGNATURE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+)\((.*?)\)\s*->", re.M)


def _torch_keywords(qualified: str) -> set[str]:
    """The keyword names PyTorch 2.13 accepts for `qualified` (its signature, or its docstring's)."""
    import importlib

    torch = importlib.import_module("torch")
    if qualified.startswith("Tensor."):
        target = getattr(torch.Tensor, qualified[len("Tensor.") :], None)
    else:
        parts = qualified.split(".")
        target = importlib.import_module(".".join(parts[:-1]))
        target = getattr(target, parts[-1], None)
    if target is None:
        return set()
    try:
        signature = inspect.signature(target.__init__ if inspect.isclass(target) else target)
        return {
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
        }
    except (TypeError, ValueError):
        pass
    names = set()
    for _, params in _SIGNATURE.findall(target.__doc__ or ""):
        for part in params.split(","):
            word = part.strip().split("=")[0].strip()
            if (
                word
                and word not in ("*", "self")
                and not word.startswith("*")
                and word.isidentifier()
            ):
                names.add(word)
    return names


@pytest.mark.parametrize("name, fn", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_a_keyword_pytorch_accepts_and_gradtrace_lacks_is_refused_by_name(name, fn):
    pytest.importorskip("torch")
    ours = inspect.signature(fn).parameters
    if any(p.kind == p.VAR_KEYWORD for p in ours.values()):
        return  # **kwargs: the implementation names what it refuses itself
    missing = (
        _torch_keywords(name) - set(ours) - {"out"} - {"input"}
    )  # out=: accepting_out; input: positional
    for keyword in sorted(missing):
        callable_ = _exported(name)
        with pytest.raises(TypeError, match=re.escape(keyword)):
            callable_(*_dummy_positionals(fn, name.startswith("Tensor.")), **{keyword: None})


def _exported(name):
    if name.startswith("Tensor."):
        return getattr(engine_torch.ones(2), name[len("Tensor.") :])
    if name.startswith("torch.optim."):
        return getattr(optim, name.rsplit(".", 1)[1])
    module = {
        "torch": engine_torch,
        "torch.nn.functional": F,
        "torch.autograd": engine_torch.autograd,
        "torch.autograd.functional": engine_torch.autograd.functional,
    }[name.rsplit(".", 1)[0]]
    return getattr(module, name.rsplit(".", 1)[1])


def _dummy_positionals(fn, bound):
    params = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if bound:  # a bound Tensor method: self is given
        params = params[1:]
    return [engine_torch.ones(2) for _ in params]


def test_pytorch_s_keywords_are_read_from_its_signatures_and_docstrings():
    pytest.importorskip("torch")
    assert {"alpha", "other"} <= _torch_keywords("torch.add")
    assert {"weight", "ignore_index", "label_smoothing"} <= _torch_keywords(
        "torch.nn.functional.cross_entropy"
    )
    assert {"amsgrad", "foreach", "fused"} <= _torch_keywords("torch.optim.Adam")
    assert {"memory_format"} <= _torch_keywords("Tensor.float")


def test_an_unknown_keyword_is_named_in_the_error():
    with pytest.raises(
        TypeError, match="float\\(\\) got an unexpected keyword argument 'memory_format'"
    ):
        engine_torch.ones(2).float(memory_format=None)
