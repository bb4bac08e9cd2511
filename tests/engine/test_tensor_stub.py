"""engine/tensor.pyi lists the Tensor API exactly as the bound class has it (ops attach at import)."""

import ast
import sys
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
import make_tensor_stub  # noqa: E402

from engine.tensor import Tensor  # noqa: E402


def test_committed_stub_is_the_bound_class():
    assert make_tensor_stub.STUB.read_text() == make_tensor_stub.render(), (
        "engine/tensor.pyi is stale: run `python tests/engine/make_tensor_stub.py` and commit it"
    )


def test_stub_names_every_public_attribute():
    tree = ast.parse(make_tensor_stub.STUB.read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    listed = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    listed |= {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign)}
    public = {n for n in dir(Tensor) if not n.startswith("_")}
    assert public <= listed
