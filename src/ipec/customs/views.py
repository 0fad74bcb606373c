"""HTML pages of customs."""

from fastapi import APIRouter

router = APIRouter(tags=["customs pages"], include_in_schema=False)
