"""`/api/v1/health`: is the node up, which version, can it reach its database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

import ipec

router = APIRouter(prefix="/api/v1", tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str
    database_ok: bool


@router.get("/health", response_model=Health)
def health(request: Request) -> JSONResponse:
    factory = request.app.state.session_factory
    ok = True
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # the point is to report, not to fail
        ok = False
    dialect = request.app.state.node.engine.dialect.name
    body = Health(status="ok" if ok else "degraded", version=ipec.__version__, database=dialect, database_ok=ok)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
