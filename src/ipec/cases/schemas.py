"""Shapes of what callers send to the cases services and API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class MarkingIn(BaseModel):
    tlp: str = "AMBER"
    handling: str = "H0"
    handling_note: str | None = None
    source_reliability: str = "B"
    information_reliability: int = 2
    audience: str = "group"
    purpose: str = "investigation of IP crime"
    legal_basis: str = ""
    personal_data: bool = False


class ParticipantIn(BaseModel):
    organisation_id: str
    role: str = "partner"


class CaseIn(BaseModel):
    title: str = Field(max_length=300)
    summary: str = ""
    operation_id: str | None = None
    participants: list[ParticipantIn] = Field(default_factory=list)
    marking: MarkingIn = Field(default_factory=MarkingIn)


class OperationIn(BaseModel):
    name: str = Field(max_length=200)
    description: str = ""
    starts_on: dt.date
    ends_on: dt.date | None = None
    marking: MarkingIn = Field(default_factory=lambda: MarkingIn(tlp="AMBER", audience="group"))


class TaskIn(BaseModel):
    title: str = Field(max_length=300)
    details: str = ""
    assigned_org_id: str
    due_on: dt.date | None = None


class TaskMoveIn(BaseModel):
    move: str
    outcome: str | None = None


class LinkIn(BaseModel):
    record_type: str
    record_id: str
    note: str = ""


class NoteIn(BaseModel):
    text: str


class ResultIn(BaseModel):
    country: str
    day: dt.date
    seizures: int = 0
    articles: int = 0
    value_cents: int = 0
    arrests: int = 0
    record_id: str | None = None


class CustodyIn(BaseModel):
    action: str
    place: str
    reason: str
    to_org_id: str | None = None


class CaseOut(BaseModel):
    id: str
    reference: str
    title: str
    state: str
    owner: str
    owner_jurisdiction: str | None
    operation: str | None
    tlp: str
    handling: str
    participants: list[str]
    countries: list[str]
    open_tasks: int
    created_at: dt.datetime
