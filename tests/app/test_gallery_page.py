"""The page shows the examples gallery: an Examples menu linking every example, and the open example's
explanation beside the graph (server-rendered, escaped)."""

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape  # what Jinja2 autoescaping uses

from app.examples import all_examples, explanation_paragraphs
from app.main import app

EXAMPLES = all_examples()


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


def menu_slugs(page: str) -> list[str]:
    menu = page[page.index('data-menu="examples"') :]
    menu = menu[: menu.index("</details>")]
    return re.findall(r'<a href="\?example=[^"]+" data-example="([^"]+)"', menu)


def test_the_examples_menu_lists_every_example_once_tutorials_first(client):
    slugs = menu_slugs(client.get("/").text)
    assert sorted(slugs) == sorted(EXAMPLES)
    origins = [EXAMPLES[s].origin for s in slugs]
    assert origins == sorted(origins, key=["seed", "gallery"].index)
    assert origins.count("seed") >= 8 and origins.count("gallery") >= 10


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_each_example_opens_with_its_explanation_beside_the_graph(client, slug):
    example = EXAMPLES[slug]
    page = client.get(f"/?example={slug}").text
    panel = page[page.index('data-testid="explanation"') :]
    panel = panel[: panel.index("</details>")]
    assert f'data-example="{slug}"' in panel
    assert f"<summary>{escape(example.title)}</summary>" in panel
    paragraphs = explanation_paragraphs(example)
    assert paragraphs, "an example without explanation"
    for paragraph in paragraphs:
        assert f"<p>{escape(paragraph)}</p>" in panel
    sentences = re.findall(r"[.!?:](?=\s|$)", " ".join([example.title, *paragraphs]))
    assert len(sentences) >= 2
    assert re.search(
        rf'<a href="\?example={re.escape(slug)}" data-example="{re.escape(slug)}" aria-current="page">',
        page,
    )


def test_the_default_page_and_a_program_link_show_no_explanation(client):
    for query in ("", "?code=import+torch"):
        assert 'data-testid="explanation"' not in client.get("/" + query).text


def test_a_comment_explanation_loses_its_title_line_and_joins_its_wrapped_lines():
    example = EXAMPLES["11_fan_out_accumulation"]
    paragraphs = explanation_paragraphs(example)
    assert paragraphs[0].startswith("In the graph x feeds three edges")
    assert example.title not in paragraphs[0]
    assert all("\n" not in p for p in paragraphs)
