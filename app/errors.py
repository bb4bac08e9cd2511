"""Errors at the edge: malformed requests, and requests that cannot be served (RequestError), get a 4xx
with one clear message ({"detail": ...})."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = logging.getLogger("gradtrace")


class RequestError(Exception):
    """A request the app understood but cannot serve; routes answer `status` with {"detail": message}."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


RUN_BODY = 'the request body must be a JSON object with a string field "code", like {"code": "import torch"}'
GRADCHECK_BODY = (
    'the request body must be a JSON object with string fields "code" and "tensor" '
    '(and an optional number "eps"), like {"code": "import torch ...", "tensor": "x"}'
)
EXPECTED_BODY = {"/api/run": RUN_BODY, "/api/gradcheck": GRADCHECK_BODY}


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    expected = EXPECTED_BODY.get(request.url.path, "invalid request")
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(
            {"detail": f"the request body is not valid JSON; {expected}"}, status_code=400
        )
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg', '')}"
        for e in errors[:5]
    )
    return JSONResponse({"detail": f"{expected} ({problems})"}, status_code=422)


async def request_error(request: Request, exc: RequestError) -> JSONResponse:
    """A refused request; a run not admitted (429) also says when to try again."""
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error (logged)"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(RequestError, request_error)
    app.add_exception_handler(Exception, unexpected_error)
