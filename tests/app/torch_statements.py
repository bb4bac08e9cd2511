"""Real PyTorch as the oracle for what a program holds after each of its top-level statements, and
the same read from a run document: shared by tests/app and tests/browser (straight-line programs)."""

from __future__ import annotations

import ast

# Each resets or rewrites a gradient or a value in its own way (issue 14: the page must show the truth).
PROGRAMS = {
    "grad_zero_": """import torch
w = torch.tensor(1.0, requires_grad=True)
loss1 = 2 * w
loss1.backward()
loss2 = 3 * w
loss2.backward()
w.grad.zero_()
loss3 = w * w
loss3.backward()
""",
    "grad_none": """import torch
w = torch.tensor([2.0, -1.0], requires_grad=True)
loss = (3 * w).sum()
loss.backward()
w.grad = None
out = (w * w).sum()
out.backward()
""",
    "optimizer_zero_grad": """import torch
w = torch.tensor([1.0, -1.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
loss = (w * w).sum()
loss.backward()
opt.step()
opt.zero_grad()
loss = (w * w * w).sum()
loss.backward()
opt.step()
""",
    "zero_grad_keep": """import torch
w = torch.tensor(0.5, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.5)
(w * 4).backward()
opt.zero_grad(set_to_none=False)
(w * w).backward()
""",
    "data_writes": """import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w * 2).sum().backward()
w.data = torch.tensor([5.0, 6.0])
w.data.mul_(2)
w.grad.data.zero_()
with torch.no_grad():
    w -= 0.5 * w
(w * w).sum().backward()
""",
}


def torch_states(code: str, names: tuple[str, ...] = ("w",)) -> list[tuple[int, dict]]:
    """(line, {name: (data, grad)}) after each top-level statement, run by real torch."""
    env: dict = {}
    out = []
    for statement in ast.parse(code).body:
        exec(compile(ast.Module([statement], []), "<program>", "exec"), env)  # noqa: S102 - the test's own programs
        held = {}
        for name in names:
            if name in env:
                t = env[name]
                held[name] = (t.detach().tolist(), None if t.grad is None else t.grad.tolist())
        out.append((statement.end_lineno, held))  # a with block: its last line
    return out


def step_after_line(document: dict, line: int) -> int:
    """The page's step once every event of lines up to `line` has happened."""
    return sum(1 for e in document["timeline"] if e["line"] is not None and e["line"] <= line)


def document_state(document: dict, step: int) -> tuple[dict, dict]:
    """(data, grad) by tensor id after `step` events, read the way static/js/timeline.js reads them."""
    data, grad = {}, {}
    for e in document["timeline"][:step]:
        if e["type"] in ("create", "modify"):
            data[e["tensor"]] = e["data"]
        elif e["type"] == "accumulate":
            grad[e["tensor"]] = e["after"]
        elif e["type"] == "grad":
            grad[e["tensor"]] = e["grad"]
    return data, grad
