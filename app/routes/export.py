"""Export routes: a program's graph as DOT, SVG or PNG, and its run document as a JSON download."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from app import export
from app.routes.api import BUSY, run_to_json
from app.schemas import APIError, RunRequest

router = APIRouter(prefix="/api/export", tags=["export"])

DOT_TYPE = "text/vnd.graphviz"
ERRORS = {413: {"model": APIError}, 422: {"model": APIError}, **BUSY}


class ExportRequest(RunRequest):
    view: Literal["forward", "backward"] = Field(
        "forward", description="forward: the tensor DAG; backward: grad_fn nodes like torchviz"
    )


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _export(body: ExportRequest, request: Request, fmt: str) -> Response:
    """The run happens in a worker; drawing it (Graphviz) in a thread, off the event loop."""
    document = await run_to_json(body.code, request)
    return await run_in_threadpool(_convert, json.loads(document), body, fmt)


def _convert(document: dict, request: ExportRequest, fmt: str) -> Response:
    try:
        if fmt == "dot":
            content, media_type = export.to_dot(document, request.view), DOT_TYPE
        else:
            content, media_type = export.render(document, request.view, fmt), export.FORMATS[fmt]
    except export.ExportError as error:
        return JSONResponse({"detail": error.message}, status_code=error.status)
    return _download(content, media_type, f"gradtrace-{request.view}.{fmt}")


@router.post(
    "/dot",
    response_class=Response,
    responses={200: {"content": {DOT_TYPE: {}}, "description": "DOT source"}, **ERRORS},
)
async def export_dot(body: ExportRequest, request: Request) -> Response:
    """Run the program; return the forward or backward graph as Graphviz DOT source."""
    return await _export(body, request, "dot")


@router.post(
    "/svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "SVG drawn by Graphviz"},
        501: {"model": APIError},
        **ERRORS,
    },
)
async def export_svg(body: ExportRequest, request: Request) -> Response:
    """Run the program; return the graph drawn as SVG by Graphviz's `dot` (501 if not installed)."""
    return await _export(body, request, "svg")


@router.post(
    "/png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "PNG drawn by Graphviz"},
        501: {"model": APIError},
        **ERRORS,
    },
)
async def export_png(body: ExportRequest, request: Request) -> Response:
    """Run the program; return the graph drawn as PNG by Graphviz's `dot` (501 if not installed)."""
    return await _export(body, request, "png")


@router.post(
    "/json",
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}}, "description": "the run document"},
        **ERRORS,
    },
)
async def export_json(body: RunRequest, request: Request) -> Response:
    """Run the program; return its run document (docs/DOCUMENT.md) as a file download."""
    return _download(
        await run_to_json(body.code, request), "application/json", "gradtrace-run.json"
    )
