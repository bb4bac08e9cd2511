"""Fuzz /api/run with programs from the allowed grammar, random text and random JSON:
never a 500, never a hang, always a well-formed document (or a clean 4xx for bad requests)."""

import json
import textwrap
import time

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.routes.api as api
from app.examples import SEED_DIR
from app.main import app
from app.schemas import RunDocument
from app.settings import Settings

NAMES = ["x", "y", "w", "i", "s", "l"]
PRELUDE = (
    "import torch\nimport torch.nn.functional as F\nx = torch.ones(2, requires_grad=True)\n"
    "w = torch.tensor([[0.5, -1.], [2., 3.]], requires_grad=True)\ny = (w @ x).sum()\n"
    "i = 3\ns = 'text'\nl = [1, 2.5]\n"
)
LEAVES = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from(NAMES),
    st.sampled_from(
        ["True", "False", "None", "'a'", "''", "[1, 2]", "(1, 2.5)", "{'k': 1}", "10 ** 20"]
    ),
    st.sampled_from(
        [
            "torch.ones(2)",
            "torch.tensor(1.5, requires_grad=True)",
            "torch.randn(2, 3)",
            "torch.zeros(3, requires_grad=True)",
            "torch.tensor([1., -2.])",
            "torch.arange(4)",
            "torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)",
            "torch.float64",
        ]
    ),
)
OPERATORS = [
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "@",
    "<",
    "==",
    "!=",
    "and",
    "or",
    "&",
    "|",
    "in",
    "is",
]
SUFFIXES = [
    ".sum()",
    ".mean()",
    ".grad",
    ".T",
    ".shape",
    ".item()",
    ".backward()",
    ".relu()",
    ".detach()",
    ".requires_grad",
    "[0]",
    "[1:]",
    "[::-1]",
    ".exp()",
    ".view(-1)",
    ".pow(2)",
    ".zero_()",
    ".sigmoid()",
    ".grad_fn",
    ".grad_fn.next_functions",
    ".tolist()",
    ".numel()",
    ".retain_grad()",
    ".dtype",
    ".append(1)",
    ".float()",
    "[None]",
    ".unsqueeze(0)",
]
FUNCTIONS = [
    "torch.relu",
    "torch.sigmoid",
    "torch.sum",
    "torch.exp",
    "len",
    "abs",
    "float",
    "int",
    "str",
    "list",
    "min",
    "max",
    "sum",
    "print",
    "range",
    "torch.matmul",
    "F.relu",
    "torch.tensor",
    "F.mse_loss",
    "torch.cat",
    "enumerate",
    "zip",
    "round",
    "tuple",
]


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["-", "not ", "~", "+"]), children).map(
            lambda t: f"({t[0]}{t[1]})"
        ),
        st.tuples(children, st.sampled_from(SUFFIXES)).map(lambda t: f"({t[0]}){t[1]}"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, max_size=2)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        children.map(lambda c: '"{:.2f}".format(' + c + ")"),
        LEAVES.map(lambda c: 'f"{' + c + ':.2f}"'),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=8)
SIMPLE = st.one_of(
    st.tuples(st.sampled_from(NAMES), EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}"),
    st.tuples(st.sampled_from(NAMES), st.sampled_from(["+=", "-=", "*=", "/="]), EXPRESSIONS).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    ),
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), EXPRESSIONS).map(
        lambda t: f"{t[0]}, {t[1]} = {t[2]}"
    ),
    st.tuples(st.sampled_from(NAMES), EXPRESSIONS, EXPRESSIONS).map(
        lambda t: f"{t[0]}[{t[1]}] = {t[2]}"
    ),
    EXPRESSIONS.map(lambda e: f"print({e})"),
    EXPRESSIONS,
    st.sampled_from(
        [
            "pass",
            "x = torch.ones(2, requires_grad=True)",
            "w.grad = None",
            "y = (x * x).sum()\ny.backward()",
        ]
    ),
)
BODY = st.lists(SIMPLE, min_size=1, max_size=3).map(
    lambda lines: textwrap.indent("\n".join(lines), "    ")
)
COMPOUND = st.one_of(
    st.tuples(st.sampled_from(NAMES), st.integers(0, 30), BODY).map(
        lambda t: f"for {t[0]} in range({t[1]}):\n{t[2]}\n    if {t[0]} > 3:\n        break"
    ),
    st.tuples(EXPRESSIONS, BODY, BODY).map(lambda t: f"if {t[0]}:\n{t[1]}\nelse:\n{t[2]}"),
    BODY.map(lambda b: f"with torch.no_grad():\n{b}"),
    st.tuples(st.sampled_from(NAMES), EXPRESSIONS, BODY).map(
        lambda t: f"for {t[0]} in {t[1]}:\n{t[2]}"
    ),
)
PROGRAMS = st.lists(st.one_of(SIMPLE, COMPOUND), min_size=1, max_size=8).map(
    lambda parts: PRELUDE + "\n".join(parts) + "\n"
)
SEED_TEXTS = [p.read_text() for p in sorted(SEED_DIR.glob("*.py"))]

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


@pytest.fixture(autouse=True)
def short_time_limit(monkeypatch):
    monkeypatch.setattr(api, "get_settings", lambda: Settings(max_seconds=0.5))


def assert_well_formed_run(client, code: str) -> dict:
    started = time.monotonic()
    response = client.post(
        "/api/run", content=json.dumps({"code": code}), headers={"content-type": "application/json"}
    )
    assert time.monotonic() - started < 3.0, "a run must never hang"
    assert response.status_code == 200, response.text
    document = response.json()
    RunDocument.model_validate(document)
    assert document["code"] == code
    return document


@FUZZ
@given(code=PROGRAMS)
def test_programs_from_the_allowed_grammar_give_a_document(client, code):
    document = assert_well_formed_run(client, code)
    error = document["error"]
    if error is not None:
        assert error["type"] != "InternalError"
        assert (
            "<locals>" not in error["message"] or "_make" in error["message"]
        )  # engine's own names
        if error["type"] not in ("SyntaxError", "LimitError"):
            assert error["line"] is not None


@FUZZ
@given(code=st.text(st.characters(blacklist_categories=()), max_size=300))
def test_random_text_gives_a_document(client, code):
    assert_well_formed_run(client, code)


@FUZZ
@given(
    seed=st.sampled_from(SEED_TEXTS),
    position=st.integers(0, 10_000),
    junk=st.text(max_size=5),
    cut=st.integers(0, 5),
)
def test_mutated_seed_examples_give_a_document(client, seed, position, junk, cut):
    position %= len(seed)
    assert_well_formed_run(client, seed[:position] + junk + seed[position + cut :])


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=JSON)
def test_random_json_bodies_are_a_document_or_a_clean_4xx(client, body):
    response = client.post("/api/run", json=body)
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        assert response.status_code == 200
        RunDocument.model_validate(response.json())
    else:
        assert response.status_code == 422 and response.json()["detail"]


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.binary(max_size=200))
def test_random_bytes_are_a_clean_4xx_or_a_document(client, body):
    response = client.post("/api/run", content=body, headers={"content-type": "application/json"})
    assert response.status_code in (200, 400, 422)
    assert response.json()
