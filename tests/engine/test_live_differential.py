"""Random small programs run live in real PyTorch and in engine.torch: same values, grads, grad_fn names, errors.

Hypothesis writes each program as source text (shown on failure, runnable as is) from op templates
over random shapes (broadcasting included); both runs go through torch_harness like the fixtures.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
import torch_harness  # noqa: E402

torch = pytest.importorskip("torch")
F = torch.nn.functional

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Templates: {0}, {1} are operands; {d} a dim; {i} an index; {n} the operand's numel.
UNARY = [
    "-{0}",
    "torch.exp({0})",
    "{0}.exp()",
    "torch.log({0} * {0} + 1)",
    "({0} * {0} + 1).sqrt()",
    "torch.sin({0})",
    "{0}.cos()",
    "torch.tanh({0})",
    "{0}.tanh()",
    "torch.sigmoid({0})",
    "{0}.sigmoid()",
    "torch.relu({0})",
    "{0}.relu()",
    "F.relu({0})",
    "F.sigmoid({0})",
    "F.tanh({0})",
    "torch.abs({0})",
    "{0}.abs()",
    "{0}.clamp(-1, 1)",
    "torch.clamp({0}, min=0.5)",
    "{0}.clamp(max=0.25)",
    "{0} ** 2",
    "{0}.pow(3)",
    "torch.pow({0}, 2)",
    "2 ** {0}",
    "2 - {0}",
    "1 + {0}",
    "{0} * 1.5",
    "3 * {0}",
    "{0} / 2",
    "3 / ({0} * {0} + 1)",
    "{0} - 0.5",
    "{0}.clone()",
]
BINARY = [
    "{0} + {1}",
    "{0} - {1}",
    "{0} * {1}",
    "{0} / ({1} * {1} + 1)",
    "torch.add({0}, {1})",
    "torch.mul({0}, {1})",
    "torch.sub({0}, {1})",
    "torch.maximum({0}, {1})",
    "torch.minimum({0}, {1})",
    "torch.where({0} > {1}, {0}, {1})",
    "torch.where({0} > 0, {0}, {1})",
]
KEEPDIM = [
    "{0}.sum(dim={d}, keepdim=True)",
    "torch.sum({0}, {d}, keepdim=True)",
    "{0}.mean({d}, keepdim=True)",
    "torch.softmax({0}, dim={d})",
    "{0}.softmax({d})",
    "F.log_softmax({0}, dim={d})",
    "torch.log_softmax({0}, {d})",
    "{0}.max(dim={d}, keepdim=True).values",
    "torch.min({0}, {d}, keepdim=True)[0]",
    "{0}.prod(dim={d}, keepdim=True)",
]
EXACT = [  # exact in float32 for quarters, so printed digits cannot differ by rounding
    "-{0}",
    "{0} + {1}",
    "{0} - {1}",
    "{0} * {1}",
    "{0} * 2",
    "{0} / 4",
    "2 - {0}",
    "{0} ** 2",
    "torch.relu({0})",
    "{0}.abs()",
    "{0}.clamp(-1, 1)",
    "torch.maximum({0}, {1})",
    "torch.minimum({0}, {1})",
    "torch.where({0} > {1}, {0}, {1})",
    "{0}.sum()",
    "{0}.sum(dim={d}, keepdim=True)",
    "{0}.max()",
    "{0}.max(dim={d}, keepdim=True).values",
    "{0} * 1024",
    "{0} / 1024",
    "{0}.t()",
    "{0}.reshape(-1)",
]
FULL_REDUCTIONS = [
    "{0}.sum()",
    "{0}.mean()",
    "torch.sum({0})",
    "{0}.max()",
    "torch.min({0})",
    "{0}.prod()",
]
MATMUL = [
    "{0} @ {1}",
    "torch.matmul({0}, {1})",
    "torch.mm({0}, {1})",
    "{0}.mm({1})",
    "torch.mv({0}, {1})",
    "{0}.mv({1})",
    "torch.dot({0}, {1})",
    "{0}.dot({1})",
]
SHAPE = [
    "{0}.reshape(-1)",
    "{0}.view({n})",
    "torch.reshape({0}, (-1, 1))",
    "{0}.flatten()",
    "torch.flatten({0})",
    "{0}.unsqueeze({d})",
    "torch.unsqueeze({0}, {d})",
    "{0}.squeeze()",
    "{0}.squeeze({d})",
    "{0}.t()",
    "torch.t({0})",
    "{0}.transpose({d}, 0)",
    "torch.transpose({0}, 0, {d})",
    "{0}.T",
    "{0}[{i}]",
    "{0}[{i}:]",
    "{0}[:{i}]",
    "{0}[::2]",
    "{0}[:, {i}]",
    "{0}[None]",
    "{0}[:, None]",
    "{0}[{i}, {i}]",
    "{0}.sum({d})",
    "{0}.mean(dim={d})",
    "{0}.max({d})[0]",
    "torch.cat([{0}, {1}], dim={d})",
    "torch.cat(({0}, {0} * 2))",
    "torch.stack([{0}, {1}], dim={d})",
    "torch.stack(({0}, {0}))",
]
# In-place statements: on fresh non-leaves, on inputs (leaf errors), and updates under no_grad that
# bump the version of tensors saved for backward.
IN_PLACE = [
    "({0} * 1).add_({1})",
    "({0} + 0).mul_({1})",
    "({0} - 0).sub_(0.5)",
    "({0} * 1).div_({1} * {1} + 1)",
    "{0}.mul_(2)",
    "{0}.add_({1})",
]
STATEMENTS = [
    "with torch.no_grad():\n    {0} -= 0.1 * {1}",
    "with torch.no_grad():\n    {0}.mul_(0.5)",
    "{0} += 1",
    "{0} *= {1}",
    "{0}[0] = 0.5",
    "{0}[..., :1] *= 2",
    "{0}.zero_()",
]
FINISH = [
    "{0}.sum().backward()",
    "{0}.mean().backward()",
    "({0} * {0}).sum().backward()",
    "{0}.backward(torch.ones_like({0}))",
    "{0}.backward()",
    "{0}.sum().backward(retain_graph=True)\n{0}.sum().backward()",
    "{0}.sum().backward()\n{0}.sum().backward()",
    "{0}.sum().backward()\n(x0 * 2).sum().backward()",
]


@st.composite
def shapes_that_broadcast(draw, n):
    base = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    shapes = []
    for _ in range(n):
        dropped = draw(st.integers(0, len(base)))
        shapes.append(tuple(1 if draw(st.booleans()) else side for side in base[dropped:]))
    return shapes


@st.composite
def any_shapes(draw, n):
    return [tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))) for _ in range(n)]


@st.composite
def matmul_friendly_shapes(draw, n):
    """Shapes from a pool where most pairs multiply: (b,), (a, b), (b, c), (B, a, b), (B, b, c), (1, b, c), (c,)."""
    a, b, c, batch = (draw(st.integers(1, 4)) for _ in range(4))
    pool = [(b,), (a, b), (b, c), (batch, a, b), (batch, b, c), (1, b, c), (c,)]
    return [draw(st.sampled_from(pool)) for _ in range(n)]


@st.composite
def matmul_shapes(draw, n):
    """Mostly shapes that multiply, sometimes any shapes (for the shape errors)."""
    return draw(any_shapes(n) if draw(st.integers(0, 3)) == 0 else matmul_friendly_shapes(n))


def literal(values: np.ndarray) -> str:
    return repr(values.tolist())


@st.composite
def programs(
    draw,
    shape_strategy,
    templates,
    steps,
    statements=(),
    int_inputs=False,
    finish=FINISH,
    exact=False,
):
    """Source text of a program: inputs, up to `steps` lines from `templates`/`statements`, a backward.

    exact: inputs are quarters in [-2, 2] scaled by a power of two and every value and gradient is
    printed; EXACT templates keep all arithmetic exact in float32, so printing must match to the digit.

    Each line is first run on zero "probe" tensors of the same shapes, dtypes and requires_grad in real
    torch, to know result shapes; a line that raises there ends the program (both runs must raise alike).
    """
    n_inputs = draw(st.integers(1, 3))
    shapes = draw(shape_strategy(n_inputs))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lines = ["import torch", "import torch.nn.functional as F"]
    probes = {}  # name -> zeros like that name's tensor, to learn each line's result shape
    for k, shape in enumerate(shapes):
        kind = draw(
            st.sampled_from(
                ["float32", "float32", "float64"] + (["int64"] if int_inputs and k else [])
            )
        )
        if kind == "int64":
            lines.append(f"x{k} = torch.tensor({literal(rng.integers(-3, 4, shape))})")
            probes[f"x{k}"] = torch.zeros(shape, dtype=torch.int64)
            continue
        requires_grad = k == 0 or draw(st.booleans())
        dtype = ", dtype=torch.float64" if kind == "float64" else ""
        flag = ", requires_grad=True" if requires_grad else ""
        if exact:
            values = (
                rng.integers(-8, 9, shape) / 4 * 2.0 ** draw(st.sampled_from([0, 0, -12, 12, 24]))
            )
        else:
            values = np.round(rng.uniform(-2, 2, shape), 2)
        lines.append(f"x{k} = torch.tensor({literal(values)}{dtype}{flag})")
        probes[f"x{k}"] = torch.zeros(
            shape, dtype=getattr(torch, kind), requires_grad=requires_grad
        )
    last = "x0"
    for s in range(draw(st.integers(1, steps))):
        is_statement = statements and draw(st.integers(0, 4)) == 0
        template = draw(st.sampled_from(statements if is_statement else templates))
        operands = [draw(st.sampled_from(sorted(probes))) for _ in range(2)]
        ndim = probes[operands[0]].dim()
        code = template.format(
            *operands,
            d=draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1)),
            i=draw(st.integers(-2, 2)),
            n=probes[operands[0]].numel(),
        )
        line = code if is_statement else f"v{s} = {code}"
        lines.append(line)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(line, {"torch": torch, "F": F}, probes)
        except Exception:  # the program now ends in an error: both must raise the same one
            return "\n".join(lines) + "\n"
        if is_statement:
            continue
        lines.append(
            f"print(v{s})" if exact else f"print(v{s}.shape, v{s}.dtype, v{s}.requires_grad)"
        )
        if probes[f"v{s}"].requires_grad and draw(st.integers(0, 2)) == 0:
            lines.append(f"v{s}.retain_grad()")
        last = f"v{s}"
    lines.append(draw(st.sampled_from(finish)).format(last))
    if exact:
        lines.extend(f"print({name}.grad)" for name in sorted(probes) if name.startswith("x"))
    return "\n".join(lines) + "\n"


def run_both(source: str) -> tuple[dict, dict]:
    import engine.torch  # noqa: F401
    from engine.tensor import Tensor

    namespace = torch_harness.fresh_globals()
    want = torch_harness.run_program(source, "live", namespace)
    want["tensors"] = torch_harness.describe_tensors(
        namespace,
        torch.Tensor,
        to_numpy=torch_harness.torch_to_numpy,
        grad_fn_name=torch_harness.torch_grad_fn_name,
    )
    namespace = torch_harness.fresh_globals(torch_harness.engine_importer())
    got = torch_harness.run_program(source, "live", namespace)
    got["tensors"] = torch_harness.describe_tensors(
        namespace,
        Tensor,
        to_numpy=torch_harness.engine_to_numpy,
        grad_fn_name=torch_harness.engine_grad_fn_name,
    )
    return want, got


def assert_same_as_torch(source: str, max_magnitude: float = 1e5) -> None:
    """Same error, printed text, tensor names, and per tensor the same attributes and close values."""
    note(source)
    want, got = run_both(source)
    for tensor in want[
        "tensors"
    ].values():  # keep to programs whose numbers float32 holds comfortably
        for array in (tensor["data"], tensor["grad"]):
            if array is not None and tensor["dtype"].startswith("float"):
                values = torch_harness.decode_array(array, "float64")
                assume(np.all(np.isfinite(values)) and np.all(np.abs(values) < max_magnitude))
    assert got["error"] == want["error"], f"error: got {got['error']}, torch has {want['error']}"
    assert got["output"] == want["output"], (
        f"printed:\n{got['output']}\ntorch printed:\n{want['output']}"
    )
    assert sorted(got["tensors"]) == sorted(want["tensors"]), "names bound to tensors differ"
    for name, w in want["tensors"].items():
        g = got["tensors"][name]
        for key in ("grad_fn", "is_leaf", "requires_grad", "shape", "dtype", "grad_dtype"):
            assert g[key] == w[key], f"{name}.{key}: got {g[key]!r}, torch has {w[key]!r}"
        for key in ("data", "grad"):
            assert (g[key] is None) == (w[key] is None), (
                f"{name}.{key}: got {g[key]!r}, torch has {w[key]!r}"
            )
            if w[key] is not None:
                got_array = torch_harness.decode_array(g[key], w["dtype"])
                want_array = torch_harness.decode_array(w[key], w["dtype"])
                assert got_array.shape == want_array.shape, f"{name}.{key} shape"
                np.testing.assert_allclose(
                    got_array,
                    want_array,
                    rtol=1e-4,
                    atol=1e-5,
                    equal_nan=True,
                    err_msg=f"{name}.{key}",
                )


@SETTINGS
@given(source=programs(shapes_that_broadcast, UNARY + BINARY + KEEPDIM + FULL_REDUCTIONS, steps=6))
def test_elementwise_programs_with_broadcasting_match_torch(source):
    assert_same_as_torch(source)


@SETTINGS
@given(
    source=programs(
        shapes_that_broadcast,
        EXACT,
        steps=4,
        exact=True,
        finish=["{0}.sum().backward()", "{0}.backward(torch.ones_like({0}))"],
    )
)
def test_printed_values_and_grads_of_exact_programs_match_torch(source):
    assert_same_as_torch(
        source, max_magnitude=float("inf")
    )  # exact arithmetic: large values are fine


@SETTINGS
@given(
    source=programs(
        shapes_that_broadcast, UNARY + BINARY + IN_PLACE, steps=5, statements=STATEMENTS
    )
)
def test_in_place_programs_match_torch_including_version_errors(source):
    assert_same_as_torch(source)


@SETTINGS
@given(
    source=programs(
        shapes_that_broadcast, UNARY + BINARY + FULL_REDUCTIONS, steps=4, int_inputs=True
    )
)
def test_programs_mixing_int_and_float_tensors_match_torch(source):
    assert_same_as_torch(source)


@SETTINGS
@given(source=programs(matmul_shapes, MATMUL + UNARY[:6], steps=3))
def test_matrix_product_programs_match_torch_including_shape_errors(source):
    assert_same_as_torch(source)


@SETTINGS
@given(source=programs(any_shapes, SHAPE + UNARY[:4], steps=4))
def test_shape_and_indexing_programs_match_torch_including_errors(source):
    assert_same_as_torch(source)


@st.composite
def loss_programs(draw):
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    logits = literal(np.round(rng.uniform(-3, 3, (n, c)), 2))
    targets = literal(rng.integers(0, c, n))
    real = literal(np.round(rng.uniform(-1, 1, (n, c)), 2))
    labels = literal(rng.integers(0, 2, (n, c)).astype(float))
    reduction = draw(st.sampled_from(["", ", reduction='sum'", ", reduction='mean'"]))
    loss = draw(
        st.sampled_from(
            [
                f"F.cross_entropy(z, torch.tensor({targets}){reduction})",
                f"F.mse_loss(z, torch.tensor({real}){reduction})",
                f"F.mse_loss(torch.tanh(z), torch.tensor({real}){reduction})",
                f"F.binary_cross_entropy(torch.sigmoid(z), torch.tensor({labels}){reduction})",
                "-F.log_softmax(z, dim=1).mean()",
                f"(F.softmax(z, dim=-1) * torch.tensor({real})).sum()",
            ]
        )
    )
    return (
        f"import torch\nimport torch.nn.functional as F\nz = torch.tensor({logits}, requires_grad=True)\n"
        f"loss = {loss}\nloss.backward()\nprint(loss.shape)\n"
    )


@SETTINGS
@given(source=loss_programs())
def test_loss_programs_match_torch(source):
    assert_same_as_torch(source)


@st.composite
def training_programs(draw):
    """A tiny network trained a few steps (by hand, SGD or Adam): the loop must land on the same weights."""
    n, d_in, hidden, classes = (draw(st.integers(1, 4)) for _ in range(4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def rand(
        *shape,
    ):  # 4 decimals: exact cancellations at a relu kink (rounding-order luck) stay rare
        return literal(np.round(rng.uniform(-1, 1, shape), 4))

    activation = draw(
        st.sampled_from(["torch.relu({})", "{}.tanh()", "torch.sigmoid({})", "F.relu({})"])
    )
    loss = draw(
        st.sampled_from(
            [
                f"F.cross_entropy(logits, torch.tensor({literal(rng.integers(0, classes, n))}))",
                f"F.mse_loss(logits, torch.tensor({rand(n, classes)}))",
                f"((logits - torch.tensor({rand(n, classes)})) ** 2).mean()",
                "-F.log_softmax(logits, dim=1)[:, 0].mean()",
            ]
        )
    )
    clear = draw(
        st.sampled_from(
            [
                "    for p in params:\n        p.grad.zero_()\n",
                "    for p in params:\n        p.grad = None\n",
                "",  # forgetting to zero: gradients accumulate
            ]
        )
    )
    lr = draw(st.sampled_from(["0.1", "0.5", "1.0"]))
    update = draw(st.sampled_from(["manual", "SGD", "SGD_momentum", "Adam"]))
    if update == "manual":
        setup, zero, step = (
            "",
            "",
            (
                "    with torch.no_grad():\n        for p in params:\n"
                f"            p -= {lr} * p.grad\n{clear}"
            ),
        )
    else:
        options = {"SGD": f"lr={lr}", "SGD_momentum": f"lr={lr}, momentum=0.9", "Adam": "lr=0.05"}[
            update
        ]
        setup = f"opt = torch.optim.{update.split('_')[0]}(params, {options})\n"
        zero, step = "    opt.zero_grad()\n", "    opt.step()\n"
    return (
        "import torch\nimport torch.nn.functional as F\n"
        f"X = torch.tensor({rand(n, d_in)})\n"
        f"W1 = torch.tensor({rand(d_in, hidden)}, requires_grad=True)\n"
        f"b1 = torch.zeros({hidden}, requires_grad=True)\n"
        f"W2 = torch.tensor({rand(hidden, classes)}, requires_grad=True)\n"
        "params = [W1, b1, W2]\n"
        f"{setup}"
        f"for step in range({draw(st.integers(1, 3))}):\n"
        f"{zero}"
        f"    h = {activation.format('X @ W1 + b1')}\n"
        "    logits = h @ W2\n"
        f"    loss = {loss}\n"
        "    loss.backward()\n"
        f"{step}"
    )


@SETTINGS
@given(source=training_programs())
def test_training_loops_match_torch(source):
    assert_same_as_torch(source)
