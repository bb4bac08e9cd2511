"""HTML pages: the one gradtrace page, rendered from a typed context (templates only present)."""

import mimetypes
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from app.examples import all_examples, explanation_paragraphs, get_example
from app.settings import get_settings
from app.share import read_link

# ES modules must be served as text/javascript whatever the host's mime.types says.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[2] / "templates")

DEFAULT_CODE = """\
# One neuron: z = W*x + b. Press Run (Ctrl+Enter), then play the timeline.
import torch

x = torch.tensor(3.0)
W = torch.tensor(4.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)
z = W * x + b
L = z * z
L.backward()
print(W.grad, b.grad)
"""

router = APIRouter(tags=["pages"])


class GalleryEntry(BaseModel):
    """One item of the Examples menu."""

    slug: str
    title: str
    origin: Literal["seed", "gallery"]


class Explanation(BaseModel):
    """The open example's title and paragraphs, shown beside the graph."""

    title: str
    paragraphs: list[str]


class IndexPage(BaseModel):
    """Everything templates/index.html presents."""

    code: str
    view: Literal["forward", "backward"] = "forward"
    autorun: bool = True
    api_run_path: str
    api_export_dot_path: str
    max_source_chars: int  # the server's limit, for the page's own checks (never a copy in JS)
    notice: str | None = None
    example: str | None = None  # the gallery slug whose program is in the editor
    explanation: Explanation | None = None
    gallery: list[GalleryEntry] = []


def _static(request: Request):
    def static(path: str) -> str:
        return str(request.app.url_path_for("static", path=path))

    return static


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request) -> HTMLResponse:
    """The page: editor, graph, inspector, timeline and console.

    The URL may carry a program (`code=` readable or `z=` compressed, app/share.py) or an
    `example=<slug>`, and `view=` / `step=`; a malformed part is ignored with a notice.
    """
    link = read_link(request.scope["query_string"], get_settings().max_source_chars)
    code, example, explanation = link.code, None, None
    if code is None and link.example is not None:
        found = get_example(link.example)
        if found is None:
            link.notices.append("No example with that name; showing the default program.")
        else:
            code, example = found.code, found.slug
            explanation = Explanation(title=found.title, paragraphs=explanation_paragraphs(found))
    page = IndexPage(
        code=code if code is not None else DEFAULT_CODE,
        view=link.view,
        example=example,
        explanation=explanation,
        gallery=[
            GalleryEntry(slug=e.slug, title=e.title, origin=e.origin)
            for e in all_examples().values()
        ],
        notice=" ".join(link.notices) or None,
        api_run_path=request.app.url_path_for("run_program"),  # POST /api/run (app/routes/api.py)
        api_export_dot_path=request.app.url_path_for("export_dot"),  # app/routes/export.py
        max_source_chars=get_settings().max_source_chars,
    )
    return TEMPLATES.TemplateResponse(
        request, "index.html", {"page": page, "static": _static(request)}
    )


class ApiDocsPage(BaseModel):
    """Context of templates/docs.html."""

    title: str
    openapi_url: str


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the API, from static/vendor/swagger-ui: no CDN, no inline script."""
    page = ApiDocsPage(title=request.app.title + " API", openapi_url=request.app.openapi_url)
    return TEMPLATES.TemplateResponse(
        request, "docs.html", {"page": page, "static": _static(request)}
    )
