"""JSON API: run a program (POST /api/run), check a gradient numerically (POST /api/gradcheck) and
the examples gallery (GET /api/examples)."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from app import examples, workers
from app.schemas import (
    APIError,
    Example,
    ExampleSummary,
    GradcheckRequest,
    GradcheckResult,
    RunDocument,
    RunRequest,
)
from app.settings import Settings, get_settings
from app.worker_jobs import JobOptions

router = APIRouter(prefix="/api", tags=["api"])
BUSY = {
    429: {"model": APIError, "description": "too many runs: try again after Retry-After seconds"}
}


def client_address(request: Request, settings: Settings) -> str:
    """Who is asking, for the per-client limit: the peer, or the address the trusted proxy saw."""
    if settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:  # the last entry is the one our own proxy added
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "?"


def job_options(settings: Settings) -> JobOptions:
    return JobOptions(
        settings.limits(),
        settings.max_document_bytes,
        settings.worker_memory_mb,
        settings.gradcheck_max_elements,
        settings.gradcheck_max_seconds,
    )


async def run_to_json(code: str, request: Request) -> bytes:
    """Run `code` in a worker process; its run document as JSON bytes (never raises for the program;
    raises workers.Busy when the run is not admitted)."""
    settings = get_settings()
    answer = await workers.get_pool().submit(
        ("run", code, job_options(settings)),
        client_address(request, settings),
        settings.max_seconds,
        code,
    )
    return answer[1:]


@router.post(
    "/run",
    response_model=RunDocument,
    responses={413: {"model": APIError}, 422: {"model": APIError}, **BUSY},
)
async def run_program(body: RunRequest, request: Request) -> Response:
    """Run a PyTorch program on the engine; return its graph, timeline, output and error."""
    return Response(content=await run_to_json(body.code, request), media_type="application/json")


@router.post(
    "/gradcheck",
    response_model=GradcheckResult,
    responses={413: {"model": APIError}, 422: {"model": APIError}, **BUSY},
)
async def check_gradient(body: GradcheckRequest, request: Request) -> GradcheckResult:
    """A leaf's gradient by backprop beside a float64 central-difference estimate of it."""
    settings = get_settings()
    seconds = settings.gradcheck_max_seconds + settings.max_seconds
    answer = await workers.get_pool().submit(
        ("gradcheck", body.code, body.tensor, body.eps, job_options(settings)),
        client_address(request, settings),
        seconds,
        body.code,
    )
    kind, payload = answer[:1], answer[1:]
    if kind == b"G":
        return GradcheckResult(**json.loads(payload))
    if kind == b"E":
        refusal = json.loads(payload)
        raise HTTPException(status_code=refusal["status"], detail=refusal["detail"])
    error = json.loads(payload)["error"]  # the worker was stopped: its error document
    raise HTTPException(status_code=413, detail=f"the numeric check stopped: {error['message']}")


@router.get("/examples", response_model=list[ExampleSummary])
def list_examples() -> list[ExampleSummary]:
    """The examples gallery: slug, title and explanation of each example."""
    return [
        ExampleSummary(**e.model_dump(exclude={"code"})) for e in examples.all_examples().values()
    ]


@router.get("/examples/{slug}", response_model=Example, responses={404: {"model": APIError}})
def get_example(slug: str) -> Example:
    """One example with its code."""
    example = examples.get_example(slug)
    if example is None:
        raise HTTPException(status_code=404, detail=f"no example named '{slug}'")
    return example
