"""HTML pages of screening."""

from fastapi import APIRouter

router = APIRouter(tags=["screening pages"], include_in_schema=False)
