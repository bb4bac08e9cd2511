"""Write tests/app/fixtures/gradcheck_torch.json: for every seed example, gallery example and program
below, the gradient real PyTorch's first backward call that reaches each named leaf adds to its .grad.

That is what POST /api/gradcheck estimates numerically (app/gradcheck.py), so
test_gradcheck_api.py compares the estimate with these numbers. Run with the pinned torch==2.13.0:
`python tests/app/make_gradcheck_fixtures.py`. Each program starts from the seed a gradtrace run
starts from (tests/engine/make_torch_fixtures.py).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_PATH = Path(__file__).parent / "fixtures" / "gradcheck_torch.json"

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "engine"))
import make_torch_fixtures  # noqa: E402
import torch_harness  # noqa: E402

from app.examples import GALLERY_DIR, SEED_DIR  # noqa: E402

# Programs beyond the gallery: shapes, broadcasting, reductions, randomness, leaves made in a loop.
PROGRAMS = {
    "vector_jacobian_product": """import torch
x = torch.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
y = x.exp() * x.sin()
y.backward(gradient=torch.tensor([[1.0, 2.0], [-1.0, 0.5]]))
""",
    "random_mlp_tanh_mse": """import torch
torch.manual_seed(3)
x = torch.randn(5, 3)
t = torch.randn(5, 2)
W1 = torch.randn(3, 4, requires_grad=True)
b1 = torch.zeros(4, requires_grad=True)
W2 = torch.randn(4, 2, requires_grad=True)
h = torch.tanh(x @ W1 + b1)
loss = ((h @ W2 - t) ** 2).mean()
loss.backward()
""",
    "randomness_without_a_seed": """import torch
w = torch.randn(3, requires_grad=True)
noise = torch.rand(3)
loss = (w * noise + w ** 2).sum() / (w ** 2).sum().sqrt()
loss.backward()
""",
    "log_softmax_nll": """import torch
import torch.nn.functional as F
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]], requires_grad=True)
target = torch.tensor([1, 2])
loss = F.nll_loss(F.log_softmax(logits, dim=1), target)
loss.backward()
""",
    "reductions_and_division": """import torch
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]], requires_grad=True)
b = torch.tensor([0.5, 1.5, -2.0], requires_grad=True)
s = (a / b).sum(dim=0)
m = a.max(dim=1).values
loss = s.pow(2).sum() + m.mean() + ((a * b).abs() + 1).log().sum()
loss.backward()
""",
    "indexing_cat_stack": """import torch
p = torch.tensor([0.3, -0.7, 1.2, 2.0], requires_grad=True)
q = torch.tensor([1.5, 0.25], requires_grad=True)
z = torch.cat([p[1:3] * q, q.sigmoid()])
u = torch.stack([z, z ** 2]).sum(dim=1)
loss = u[0] * u[1]
loss.backward()
""",
    "leaves_made_in_a_loop": """import torch
for k in range(3):
    v = torch.full((2,), float(k + 1), requires_grad=True)
    loss = (v ** 3).sum() * (k + 1)
    loss.backward()
""",
    "training_loop_with_optimizer": """import torch
x = torch.tensor([[0.0], [1.0], [2.0]])
y = torch.tensor([[1.0], [2.5], [5.0]])
w = torch.tensor([[0.2]], requires_grad=True)
c = torch.tensor([0.1], requires_grad=True)
opt = torch.optim.SGD([w, c], lr=0.05)
for step in range(3):
    opt.zero_grad()
    loss = ((x @ w + c - y) ** 2).mean()
    loss.backward()
    opt.step()
""",
}


def programs() -> dict[str, str]:
    """name -> source: seed examples, gallery examples, then PROGRAMS."""
    found = {}
    for directory in (SEED_DIR, GALLERY_DIR):
        for path in sorted(directory.glob("*.py")):
            found.setdefault(path.stem, path.read_text(encoding="utf-8"))
    found.update(PROGRAMS)
    return found


@contextlib.contextmanager
def recording_backward_calls(torch, calls: list):
    """Wrap backward() so each call first records, with torch.autograd.grad, what it is about to add
    to every leaf its graph reaches: calls[k] = [(leaf, gradient), ...]."""
    original_tensor_backward = torch.Tensor.backward
    original_backward = torch.autograd.backward
    depth = [0]

    def record(roots, gradients):
        roots = [roots] if isinstance(roots, torch.Tensor) else list(roots)
        if gradients is None or isinstance(gradients, torch.Tensor):
            gradients = [gradients] * len(roots) if gradients is None else [gradients]
        leaves, seen, stack = [], set(), [r.grad_fn for r in roots if r.grad_fn is not None]
        leaves += [r for r in roots if r.grad_fn is None and r.requires_grad]
        while stack:
            node = stack.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            if hasattr(node, "variable"):
                leaves.append(node.variable)
            stack.extend(n for n, _ in node.next_functions)
        grads = (
            torch.autograd.grad(
                roots, leaves, grad_outputs=gradients, retain_graph=True, allow_unused=True
            )
            if leaves
            else ()
        )
        calls.append([(leaf, g) for leaf, g in zip(leaves, grads) if g is not None])

    def recorded(original):
        """Tensor.backward(self, gradient, ...) or autograd.backward(tensors, grad_tensors, ...)."""

        def backward(roots, gradient=None, *args, **kwargs):
            gradient = kwargs.pop("grad_tensors", gradient)
            if depth[0] == 0:  # Tensor.backward calls autograd.backward: record the call once
                record(roots, gradient)
            depth[0] += 1
            try:
                return original(roots, gradient, *args, **kwargs)
            finally:
                depth[0] -= 1

        return backward

    torch.Tensor.backward = recorded(original_tensor_backward)
    torch.autograd.backward = recorded(original_backward)
    try:
        yield
    finally:
        torch.Tensor.backward, torch.autograd.backward = original_tensor_backward, original_backward


def first_call_gradients(name: str, source: str) -> dict:
    """variable -> {call, grad, dtype} for every named leaf some backward call reached, in real torch."""
    import torch

    namespace = torch_harness.fresh_globals()
    calls: list = []
    with make_torch_fixtures.initial_seed(torch), recording_backward_calls(torch, calls):
        torch_harness.run_program(source, name, namespace)
    leaves = {}
    for variable, value in namespace.items():
        if variable.startswith("__") or not isinstance(value, torch.Tensor):
            continue
        for index, reached in enumerate(calls):
            grad = next((g for leaf, g in reached if leaf is value), None)
            if grad is not None:
                leaves[variable] = {
                    "call": index,
                    "dtype": str(value.dtype).replace("torch.", ""),
                    "grad": torch_harness.encode_array(grad.detach().numpy()),
                }
                break
    return leaves


def main() -> None:
    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        sys.exit(f"fixtures must come from torch==2.13.0, not {torch.__version__}")
    entries = {
        name: {
            "source_digest": make_torch_fixtures.source_digest(source),
            "leaves": first_call_gradients(name, source),
        }
        for name, source in programs().items()
    }
    FIXTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE_PATH.write_text(
        json.dumps({"torch_version": torch.__version__, "programs": entries}, indent=1) + "\n"
    )
    leaves = sum(len(e["leaves"]) for e in entries.values())
    print(
        f"wrote {leaves} leaf gradients of {len(entries)} programs to {FIXTURE_PATH} "
        f"with torch {torch.__version__}"
    )


if __name__ == "__main__":
    main()
