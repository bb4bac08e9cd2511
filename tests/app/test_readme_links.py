"""The README's example share links are complete and open their program without a notice or error."""

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.main import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
LINKS = re.findall(r"^http://127\.0\.0\.1:8000/(\?\S+)$", README, flags=re.M)


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


def test_the_readme_has_example_links_and_none_is_truncated():
    assert any("z=" in link for link in LINKS)
    assert not any("..." in link or "…" in link for link in LINKS)


@pytest.mark.parametrize("link", LINKS)
def test_each_readme_link_opens_its_program_without_a_notice(client, link):
    page = client.get("/" + link)
    assert page.status_code == 200
    assert re.search(r'id="notice"[^>]*hidden', page.text), "the page shows a notice about the link"
    code = re.search(
        r'<textarea id="initial-code"[^>]*>(.*?)</textarea>', page.text, flags=re.S
    ).group(1)
    assert "import torch" in code
    query = dict(p.split("=", 1) for p in urlsplit(link).query.split("&"))
    if "step" in query:  # the linked step exists in the run
        run = client.post("/api/run", json={"code": html.unescape(code)}).json()
        assert run["error"] is None
        assert int(query["step"]) <= len(run["timeline"])
