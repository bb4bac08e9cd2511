"""Each Node holds its backward twice, side by side: on arrays (`backward`) and on Tensors
(`graph_backward`, create_graph=True). Both must give the same gradient; the second derivatives
themselves are checked against PyTorch by the create_graph_* conformance programs."""

import numpy as np
import pytest

import engine.torch as torch
import engine.torch.nn.functional as F
from engine.autograd.function import Node
from engine.ops.arithmetic import BinaryNode, _NoDerivative
from engine.ops.einsum import _EinsumBackward
from engine.ops.pointwise import UnaryNode, _BackwardOp
from engine.ops.random import _ZeroGradients
from engine.ops.shape import ShapeNode

ABSTRACT = {
    Node,
    BinaryNode,
    UnaryNode,
    ShapeNode,
    _BackwardOp,
    _NoDerivative,
    _ZeroGradients,
    _EinsumBackward,
}  # bases, never a grad_fn


def node_classes(cls=Node):
    for sub in cls.__subclasses__():
        yield sub
        yield from node_classes(sub)


@pytest.mark.parametrize(
    "cls",
    sorted(set(node_classes()) - ABSTRACT, key=lambda c: c.__qualname__),
    ids=lambda c: c.__qualname__,
)
def test_every_node_has_a_graph_formula(cls):
    assert cls.graph_backward is not Node.graph_backward


X = [[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]]
FUNCTIONS = {
    "pointwise": lambda x: (
        x.exp() + x.abs().sqrt() + x.sin() * x.cos() + x.tanh() + x.sigmoid() + x.relu()
    ).sum(),
    "arithmetic": lambda x: (x * x / (x + 3) - 2**x + x**3 + x.reciprocal() + (x % 0.75)).sum(),
    "reductions": lambda x: (
        x.prod() + x.max() + x.min(1).values.sum() + x.var() + x.std(0).sum() + x.norm()
    ),
    "shape": lambda x: (
        (x.t()[1:] ** 2).sum() + (x[[0, 1, 1]] ** 3).sum() + torch.cat([x, x]).unbind(0)[3].sum()
    ),
    "matrix": lambda x: (x @ x.t()).softmax(1).sum() + (x.t() @ x).log_softmax(0).sum(),
    "in_place": lambda x: _written(x),
    "scans_and_extrema": lambda x: (
        (x.cumsum(1) ** 2).sum()
        + (x.cumprod(1) ** 2).sum()
        + x.logsumexp(1).sum()
        + (x.amax(1) ** 2).sum()
        + (x.topk(2, dim=1).values ** 3).sum()
    ),
    "indexing_and_pieces": lambda x: (
        (x.gather(1, torch.tensor([[2, 0], [1, 1]])) ** 2).sum()
        + (x.index_select(1, torch.tensor([0, 2, 2])) ** 3).sum()
        + (x.masked_fill(x > 1, 0.5) ** 2).sum()
        + (x.split([1, 2], 1)[1] ** 3).sum()
        + (x.flip(0) * x).sum()
        + (x.tril() ** 2).sum()
        + (x.triu(1) ** 3).sum()
    ),
    "activations": lambda x: (
        (F.softplus(x, beta=2.0) ** 2).sum()
        + (F.elu(x) ** 2).sum()
        + (F.silu(x) ** 2).sum()
        + (x.sign() * x**2).sum()
        + (x.clamp(_like(x, [0.0]), _like(x, [[1.9]])) ** 2).sum()
        + (torch.einsum("ij,kj->ik", x, x) ** 2).sum()
        + (x.div(0.7, rounding_mode="floor") * x).sum()
    ),
    "losses": lambda x: (
        F.binary_cross_entropy(
            x.sigmoid(), _like(x, [[0.0, 1, 1], [1, 0, 0.5]]), weight=_like(x, [1, 2, 3])
        )
        + F.binary_cross_entropy_with_logits(
            x, _like(x, [[0.2, 1, 0], [1, 0.5, 0.5]]), pos_weight=_like(x, [1, 2, 3])
        )
        + F.nll_loss(x.log_softmax(1), torch.tensor([2, 0]), weight=_like(x, [1, 2, 3]))
        + F.cross_entropy(x, torch.tensor([1, 2]), label_smoothing=0.1)
        + F.huber_loss(x, _like(x, [[1.0]]).expand(2, 3), delta=0.6)
    ),
}


def _like(x, values):
    return torch.tensor(values, dtype=x.dtype)


def _written(x):
    y = x * 1.0
    y[0] = x[1] ** 2
    y.mul_(x)
    return (y**2).sum()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_graph_formulas_give_the_gradient_backward_gives(name):
    x = torch.tensor(X, requires_grad=True)
    (plain,) = torch.autograd.grad(FUNCTIONS[name](x), x)
    (graph,) = torch.autograd.grad(FUNCTIONS[name](x), x, create_graph=True)
    assert graph.requires_grad
    np.testing.assert_allclose(graph.detach().numpy(), plain.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_second_derivative_matches_finite_differences_of_the_gradient(name):
    """d/dx <grad f(x), v> against a central difference of grad f in float64."""
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    v = np.linspace(-1, 1, 6).reshape(2, 3)
    (g,) = torch.autograd.grad(FUNCTIONS[name](x), x, create_graph=True)
    (hv,) = torch.autograd.grad((g * torch.tensor(v.tolist(), dtype=torch.float64)).sum(), x)
    eps = 1e-6
    plus = torch.tensor((np.array(X) + eps * v).tolist(), dtype=torch.float64, requires_grad=True)
    minus = torch.tensor((np.array(X) - eps * v).tolist(), dtype=torch.float64, requires_grad=True)
    (gp,) = torch.autograd.grad(FUNCTIONS[name](plus), plus)
    (gm,) = torch.autograd.grad(FUNCTIONS[name](minus), minus)
    np.testing.assert_allclose(
        hv.numpy(), (gp.numpy() - gm.numpy()) / (2 * eps), rtol=1e-4, atol=1e-5
    )


def test_the_create_graph_conformance_programs_go_through_every_graph_formula(monkeypatch):
    """Second (and third) derivatives checked against PyTorch reach every node's graph_backward."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import conformance_programs
    import torch_harness

    from engine.ops.linear import no_graph_formula

    refusing = {
        cls for cls in node_classes() if vars(cls).get("graph_backward") is no_graph_formula
    }  # nn layers
    reached = set()
    for cls in set(node_classes()) | ABSTRACT:
        if "graph_backward" in vars(cls):

            def formula(self, grad, _formula=vars(cls)["graph_backward"]):  # noqa: B008 (bound per class)
                reached.add(type(self))
                return _formula(self, grad)

            monkeypatch.setattr(cls, "graph_backward", formula)
    for name, source in conformance_programs.PROGRAMS:
        if "create_graph=True" in source:
            torch_harness.run_in_engine(source, name)
    raises_by_design = {
        cls for cls in node_classes() if cls.__name__.startswith("NotImplemented")
    } | refusing
    assert set(node_classes()) - ABSTRACT - raises_by_design - reached == set()
