"""Shapes of what callers send to the legal-assistance services and API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class OffenceIn(BaseModel):
    offence: str
    qualification: str


class RequestIn(BaseModel):
    case_id: str
    executing_org_id: str
    instrument: str = "eio"
    legal_basis: str = ""
    offences: list[OffenceIn] = Field(default_factory=list)
    facts: str = ""
    measures: list[str] = Field(default_factory=list)
    urgency: str = "normal"
    urgency_reason: str | None = None
    wanted_by: dt.date | None = None


class MoveIn(BaseModel):
    move: str
    note: str | None = None
