"""Every gallery example in examples/ explains itself, runs on engine.torch exactly as PyTorch 2.13 ran it,
and runs through the app (GET /api/examples, POST /api/run).

The expectations are tests/app/fixtures/gallery_torch.json (made by make_gallery_fixtures.py with real
torch); only the live tests need torch.
"""

from __future__ import annotations

import ast
import functools
import json
import re

import make_gallery_fixtures
import pytest
import torch_harness  # tests/engine, put on sys.path by make_gallery_fixtures
from make_gallery_fixtures import FIXTURE_PATH, gallery_examples, source_digest

from app import examples

FIXTURES = json.loads(FIXTURE_PATH.read_text())
EXAMPLES = gallery_examples()
SLUGS = list(EXAMPLES)
ALLOWED_IMPORTS = {
    "import torch",
    "import torch.nn as nn",
    "import torch.nn.functional as F",
    "from torch.autograd import Variable",
}
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def explanation(source: str) -> str:
    """The leading comment block, as the gallery shows it beside the graph."""
    lines = []
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines).strip()


@functools.cache
def run_in_engine(slug: str) -> dict:
    return torch_harness.run_in_engine(EXAMPLES[slug], slug)


def expected(slug: str) -> dict:
    entry = FIXTURES["examples"].get(slug)
    assert entry is not None, (
        f"no fixture for {slug}: run python tests/app/make_gallery_fixtures.py"
    )
    assert entry["source_digest"] == source_digest(EXAMPLES[slug]), (
        f"fixture for {slug} is stale: run python tests/app/make_gallery_fixtures.py"
    )
    return entry


def assert_same_run(got: dict, want: dict) -> None:
    """Same printed output, same error, and the same named tensors (values to rtol 1e-5)."""
    assert got["output"] == want["output"]
    assert got["error"] == want["error"]
    torch_harness.assert_same_tensors(
        got["tensors"], want["tensors"], ("grad_fn", "is_leaf", "requires_grad", "shape", "dtype")
    )


# --- the gallery itself ---------------------------------------------------------------------------


def test_gallery_has_at_least_12_examples_numbered_after_the_seeds():
    assert len(SLUGS) >= 12
    assert all(re.fullmatch(r"(09|[1-9]\d)_[a-z0-9_]+", slug) for slug in SLUGS)


def test_fixtures_were_made_with_the_pinned_torch():
    assert FIXTURES["torch_version"].split("+")[0] == "2.13.0"


def test_every_example_has_a_fixture():
    assert sorted(FIXTURES["examples"]) == sorted(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_example_explains_what_to_watch_in_two_to_five_sentences(slug):
    text = explanation(EXAMPLES[slug])
    assert 2 <= len(SENTENCE_END.findall(text)) <= 5, text


@pytest.mark.parametrize("slug", SLUGS)
def test_example_imports_only_what_the_runner_offers(slug):
    imports = [
        ast.unparse(node)
        for node in ast.walk(ast.parse(EXAMPLES[slug]))
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert imports and set(imports) <= ALLOWED_IMPORTS


@pytest.mark.parametrize("slug", SLUGS)
def test_only_examples_named_error_end_in_an_error(slug):
    assert (expected(slug)["error"] is not None) == slug.endswith("_error")


# --- engine.torch against the PyTorch fixtures ----------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_printed_output_matches_torch(slug):
    assert run_in_engine(slug)["output"] == expected(slug)["output"]


@pytest.mark.parametrize("slug", SLUGS)
def test_error_type_and_message_match_torch(slug):
    assert run_in_engine(slug)["error"] == expected(slug)["error"]


@pytest.mark.parametrize("slug", SLUGS)
def test_named_tensors_match_torch(slug):
    got, want = run_in_engine(slug)["tensors"], expected(slug)["tensors"]
    assert_same_run(
        {"output": "", "error": None, "tensors": got},
        {"output": "", "error": None, "tensors": want},
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_safe_runner_prints_and_fails_like_torch(slug):
    from engine.runner import run

    result, want = run(EXAMPLES[slug]), expected(slug)
    assert torch_harness.normalize_addresses(result.output) == want["output"]
    error = (
        None
        if result.error is None
        else {"type": result.error.type, "message": result.error.message.splitlines()[0]}
    )
    assert error == want["error"]


# --- live: engine.torch against real torch, when torch is installed ------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_engine_matches_live_torch(slug):
    pytest.importorskip("torch")
    assert_same_run(run_in_engine(slug), make_gallery_fixtures.run_in_torch(slug, EXAMPLES[slug]))


# --- through the app ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    import app.main

    return TestClient(app.main.app)


def test_api_lists_every_gallery_example_with_its_explanation(client):
    listed = {example["slug"]: example for example in client.get("/api/examples").json()}
    for slug, source in EXAMPLES.items():
        assert slug in listed
        assert " ".join(listed[slug]["explanation"].split("\n")) == explanation(source)


@pytest.mark.parametrize("slug", SLUGS)
def test_api_serves_the_example_code(client, slug):
    response = client.get(f"/api/examples/{slug}")
    assert response.status_code == 200
    assert response.json()["code"] == EXAMPLES[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_example_runs_through_the_api_like_torch(client, slug):
    document = client.post("/api/run", json={"code": EXAMPLES[slug]}).json()
    want = expected(slug)
    assert torch_harness.normalize_addresses(document["output"]) == want["output"]
    if want["error"] is None:
        assert document["error"] is None
    else:
        assert document["error"]["type"] == want["error"]["type"]
        assert document["error"]["message"].splitlines()[0] == want["error"]["message"]
    assert 5 <= len(document["nodes"]) <= 60


SHARED_SEEDS = examples.SEED_DIR.parents[2] / "shared" / "seed-examples"


@pytest.mark.skipif(
    not SHARED_SEEDS.is_dir(), reason="../shared/seed-examples is not beside this clone"
)
def test_seed_copies_are_verbatim_shared_seed_examples():
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.py")}
    copies = {p.name: p.read_bytes() for p in examples.SEED_DIR.glob("*.py")}
    assert copies == shared


def test_every_seed_example_has_a_longer_explanation_in_the_gallery():
    seeds = [e for e in examples.all_examples().values() if e.origin == "seed"]
    assert len(seeds) == len(list(examples.SEED_DIR.glob("*.py"))) >= 8
    for example in seeds:
        assert len(SENTENCE_END.findall(example.explanation)) >= 2, example.slug
        assert example.code == (examples.SEED_DIR / f"{example.slug}.py").read_text(
            encoding="utf-8"
        )
