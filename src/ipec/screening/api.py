"""JSON routes of screening (thin: parse, call services, shape the answer)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["screening"])
