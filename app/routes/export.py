"""Export routes: a program's graph as DOT, SVG or PNG, and its run document as a JSON download."""
from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from app import export
from app.routes.api import run_to_json
from app.schemas import APIError, RunRequest

router = APIRouter(prefix="/api/export", tags=["export"])

DOT_TYPE = "text/vnd.graphviz"
ERRORS = {413: {"model": APIError}, 422: {"model": APIError}}


class ExportRequest(RunRequest):
    view: Literal["forward", "backward"] = Field(
        "forward", description="forward: the tensor DAG; backward: grad_fn nodes like torchviz")


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(content=content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _export(request: ExportRequest, fmt: str) -> Response:
    document = json.loads(run_to_json(request.code))
    try:
        if fmt == "dot":
            content, media_type = export.to_dot(document, request.view), DOT_TYPE
        else:
            content, media_type = export.render(document, request.view, fmt), export.FORMATS[fmt]
    except export.ExportError as error:
        return JSONResponse({"detail": error.message}, status_code=error.status)
    return _download(content, media_type, f"gradtrace-{request.view}.{fmt}")


@router.post("/dot", response_class=Response, responses={
    200: {"content": {DOT_TYPE: {}}, "description": "DOT source"}, **ERRORS})
def export_dot(request: ExportRequest) -> Response:
    """Run the program; return the forward or backward graph as Graphviz DOT source."""
    return _export(request, "dot")


@router.post("/svg", response_class=Response, responses={
    200: {"content": {"image/svg+xml": {}}, "description": "SVG drawn by Graphviz"},
    501: {"model": APIError}, **ERRORS})
def export_svg(request: ExportRequest) -> Response:
    """Run the program; return the graph drawn as SVG by Graphviz's `dot` (501 if not installed)."""
    return _export(request, "svg")


@router.post("/png", response_class=Response, responses={
    200: {"content": {"image/png": {}}, "description": "PNG drawn by Graphviz"},
    501: {"model": APIError}, **ERRORS})
def export_png(request: ExportRequest) -> Response:
    """Run the program; return the graph drawn as PNG by Graphviz's `dot` (501 if not installed)."""
    return _export(request, "png")


@router.post("/json", response_class=Response, responses={
    200: {"content": {"application/json": {}}, "description": "the run document"}, **ERRORS})
def export_json(request: RunRequest) -> Response:
    """Run the program; return its run document (docs/DOCUMENT.md) as a file download."""
    return _download(run_to_json(request.code), "application/json", "gradtrace-run.json")
