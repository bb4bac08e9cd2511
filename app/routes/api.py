"""JSON API: run a program (POST /api/run), check a gradient numerically (POST /api/gradcheck) and
the examples gallery (GET /api/examples)."""
from __future__ import annotations

import logging
import sys
import threading

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from app import examples, gradcheck
from app.document import build_document, dumps, error_document
from app.schemas import (APIError, Example, ExampleSummary, GradcheckRequest, GradcheckResult,
                         RunDocument, RunRequest)
from app.settings import get_settings
from engine.runner import RunError, run_described

router = APIRouter(prefix="/api", tags=["api"])
log = logging.getLogger("gradtrace.api")


# Runs wait here for a slot, so their wall-time limit is not spent waiting for the GIL.
RUN_SLOTS = threading.BoundedSemaphore(get_settings().max_concurrent_runs)
sys.setswitchinterval(get_settings().switch_interval)


def run_to_json(code: str) -> bytes:
    """Run `code` and serialise its document; an unexpected failure becomes the document's error."""
    settings = get_settings()
    with RUN_SLOTS:
        return _run_to_json(code, settings)


def _run_to_json(code: str, settings) -> bytes:
    try:
        return dumps(build_document(run_described(code, settings.limits())))
    except Exception:  # a bug in gradtrace, never in the program: log it, answer with an error
        log.exception("internal error while running a program")
        return dumps(error_document(code, RunError(
            "InternalError", "gradtrace failed while running this program (the error was logged)")))


@router.post("/run", response_model=RunDocument,
             responses={413: {"model": APIError}, 422: {"model": APIError}})
def run_program(request: RunRequest) -> Response:
    """Run a PyTorch program on the engine; return its graph, timeline, output and error."""
    return Response(content=run_to_json(request.code), media_type="application/json")


@router.post("/gradcheck", response_model=GradcheckResult,
             responses={413: {"model": APIError}, 422: {"model": APIError}})
def check_gradient(request: GradcheckRequest) -> GradcheckResult:
    """A leaf's gradient by backprop beside a float64 central-difference estimate of it."""
    settings = get_settings()
    budget = gradcheck.Budget(settings.gradcheck_max_elements, settings.gradcheck_max_seconds)
    try:
        return GradcheckResult(**gradcheck.check(request.code, request.tensor, request.eps,
                                                 settings.limits(), budget, RUN_SLOTS))
    except gradcheck.GradcheckError as error:
        raise HTTPException(status_code=error.status, detail=error.message) from None


@router.get("/examples", response_model=list[ExampleSummary])
def list_examples() -> list[ExampleSummary]:
    """The examples gallery: slug, title and explanation of each example."""
    return [ExampleSummary(**e.model_dump(exclude={"code"})) for e in examples.all_examples().values()]


@router.get("/examples/{slug}", response_model=Example, responses={404: {"model": APIError}})
def get_example(slug: str) -> Example:
    """One example with its code."""
    example = examples.get_example(slug)
    if example is None:
        raise HTTPException(status_code=404, detail=f"no example named '{slug}'")
    return example
