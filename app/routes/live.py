"""Live lessons over HTTP and WebSocket: create one (the teacher), the join form, the student's page,
the join QR code, and the lesson's socket. The logic is in app/live/service.py."""

import io

import segno
from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from app.examples import all_examples
from app.live import codes
from app.live.service import COOKIE_PREFIX, get_service
from app.live.settings import get_live_settings
from app.live.store import StoreUnavailable
from app.routes.pages import DEFAULT_CODE, TEMPLATES, GalleryEntry, IndexPage, _static
from app.settings import get_settings

router = APIRouter(tags=["live"])


class LiveLesson(BaseModel):
    """A new live lesson; the teacher's token travels only in an httpOnly cookie."""

    code: str
    join_url: str
    student_path: str
    qr_path: str
    socket_path: str


def _join_base(request: Request) -> str:
    return get_live_settings().public_url or str(request.base_url)


def _paths(request: Request, code: str) -> dict:
    return {
        "student_path": request.app.url_path_for("live_student_page", code=code),
        "qr_path": request.app.url_path_for("live_join_qr", code=code),
        "socket_path": request.app.url_path_for("live_socket", code=code),
    }


def _message_page(
    request: Request, status: int, title: str, message: str, code: str = ""
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "live_join.html",
        {
            "title": title,
            "message": message,
            "code": code,
            "static": _static(request),
            "join_path": request.app.url_path_for("live_join_form"),
        },
        status_code=status,
    )


@router.post("/api/live", response_model=LiveLesson, name="create_live_lesson")
async def create_live_lesson(request: Request, response: Response) -> LiveLesson:
    """Open a live lesson: a six-letter join code, the URL students open, a QR code of it."""
    try:
        code, token, join_url = await get_service().create(_join_base(request))
    except StoreUnavailable as error:
        return JSONResponse({"detail": f"live lessons are unavailable: {error}"}, status_code=503)
    paths = _paths(request, code)
    response.set_cookie(
        COOKIE_PREFIX + code,
        token,
        httponly=True,
        samesite="strict",
        path=paths["socket_path"],
        max_age=get_live_settings().live_idle_seconds,
    )
    return LiveLesson(code=code, join_url=join_url, **paths)


@router.get("/live", response_class=HTMLResponse, include_in_schema=False, name="live_join_form")
def live_join_form(request: Request, code: str | None = None):
    """The form where a student types the code; `?code=` goes to the lesson."""
    if code is None:
        return _message_page(
            request, 200, "Join a live lesson", "Type the six letters on the teacher's screen."
        )
    normal = codes.normalize(code)
    if normal is None:
        return _message_page(
            request,
            400,
            "That is not a join code",
            "A join code is six letters, like KMQTXA. Check the teacher's screen.",
            code[:20],
        )
    return RedirectResponse(
        request.app.url_path_for("live_student_page", code=normal), status_code=303
    )


@router.get(
    "/live/{code}", response_class=HTMLResponse, include_in_schema=False, name="live_student_page"
)
async def live_student_page(request: Request, code: str):
    """A student's page: the gradtrace page, following the teacher."""
    normal = codes.normalize(code)
    if normal is None:
        return _message_page(
            request,
            404,
            "That is not a join code",
            "A join code is six letters, like KMQTXA. Check the teacher's screen.",
            code[:20],
        )
    if normal != code:
        return RedirectResponse(
            request.app.url_path_for("live_student_page", code=normal), status_code=303
        )
    try:
        lesson = await get_service().lesson(normal)
    except StoreUnavailable as error:
        return _message_page(
            request,
            503,
            "Live lessons are unavailable",
            f"The server cannot reach its lesson store: {error}. Try again in a moment.",
            normal,
        )
    if lesson is None:
        return _message_page(
            request,
            404,
            "No live lesson with that code",
            f"There is no live lesson {normal}: it has ended or expired, or the code is mistyped.",
            normal,
        )
    state = lesson["state"] or {}
    page = IndexPage(
        code=state.get("code") or DEFAULT_CODE,
        view=state.get("view", "forward"),
        autorun=False,
        gallery=[
            GalleryEntry(slug=e.slug, title=e.title, origin=e.origin)
            for e in all_examples().values()
        ],
        api_run_path=request.app.url_path_for("run_program"),
        api_export_dot_path=request.app.url_path_for("export_dot"),
        max_source_chars=get_settings().max_source_chars,
    )
    live = {"role": "student", "code": normal, **_paths(request, normal)}
    return TEMPLATES.TemplateResponse(
        request, "index.html", {"page": page, "live": live, "static": _static(request)}
    )


@router.get("/live/{code}/qr.svg", include_in_schema=False, name="live_join_qr")
async def live_join_qr(request: Request, code: str) -> Response:
    """The join URL as a QR code (SVG made here: no network needed)."""
    normal = codes.normalize(code)
    try:
        lesson = await get_service().lesson(normal) if normal else None
    except StoreUnavailable as error:
        return Response(str(error), status_code=503, media_type="text/plain")
    if lesson is None:
        return Response("no such live lesson", status_code=404, media_type="text/plain")
    out = io.BytesIO()
    segno.make(lesson["join_url"], error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False, dark="#000000", light="#ffffff"
    )
    return Response(
        out.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


@router.websocket("/api/live/{code}/ws", name="live_socket")
async def live_socket(websocket: WebSocket, code: str) -> None:
    """The lesson's socket (protocol: app/live/protocol.py)."""
    await get_service().serve(websocket, codes.normalize(code))
