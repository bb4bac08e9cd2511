"""JSON API (filled in by the runner/API work)."""
from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["api"])
