"""The ASGI application: wires middleware, static files and routers (no logic here)."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import errors, workers
from app.routes import api, export, live, pages
from app.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent

app = FastAPI(
    title="gradtrace",
    summary="Run a PyTorch program on gradtrace's autograd engine and get its computation graph.",
    version="0.1.0",
    docs_url=None,  # /docs is app/routes/pages.py's, with Swagger UI from static/vendor (offline, under the CSP)
    redoc_url=None,
)
app.add_middleware(BodyLimitMiddleware, max_bytes=get_settings().max_body_bytes)
app.add_middleware(SecurityHeadersMiddleware)
errors.install(app)
app.router.on_startup.append(workers.get_pool)  # warm workers before the first request
app.router.on_shutdown.append(workers.close_pool)
app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
app.include_router(api.router)
app.include_router(export.router)
app.include_router(pages.router)
app.include_router(live.router)  # live lessons (app/live/)
