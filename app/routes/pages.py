"""HTML pages (filled in by the front-end work)."""
from fastapi import APIRouter

router = APIRouter(tags=["pages"])
