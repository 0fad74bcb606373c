"""Pydantic shapes of the rights register: what the API accepts and returns."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class ClassIn(BaseModel):
    nice_class: int = Field(ge=1, le=45)
    goods_terms: str | None = None


class RightIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    right_id: str = Field(min_length=1, max_length=80, description="The holder's or office's identifier")
    kind: str = Field(description="trademark, design, patent, copyright or gi")
    mark: str = Field(min_length=1, max_length=300)
    mark_type: str | None = Field(default=None, description="word or figurative (trademarks)")
    number: str | None = None
    office: str | None = None
    filing_date: dt.date | None = None
    registration_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: str = "registered"
    madrid_ir_number: str | None = None
    owner_id: str | None = Field(default=None, description="Holder organisation; defaults to the caller's")
    classes: list[ClassIn] = []
    jurisdictions: list[str] = []
    madrid_designations: list[str] = []
    licensees: list[str] = []
    authorized_parties: list[str] = []
    notes: str | None = None


class RightPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mark: str | None = None
    number: str | None = None
    office: str | None = None
    filing_date: dt.date | None = None
    registration_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: str | None = None
    classes: list[ClassIn] | None = None
    jurisdictions: list[str] | None = None
    licensees: list[str] | None = None
    authorized_parties: list[str] | None = None
    notes: str | None = None


class ClassOut(BaseModel):
    nice_class: int
    heading: str
    goods_terms: str | None


class JurisdictionOut(BaseModel):
    code: str
    name: str
    via_madrid: bool


class RightOut(BaseModel):
    id: str
    right_id: str
    kind: str
    mark: str
    mark_type: str | None
    image_sha256: str | None
    number: str | None
    office: str | None
    filing_date: dt.date | None
    registration_date: dt.date | None
    expiry_date: dt.date | None
    status: str
    madrid_ir_number: str | None
    owner_id: str
    owner_name: str
    classes: list[ClassOut]
    jurisdictions: list[JurisdictionOut]
    # Restricted: present only for the holder and enforcement authorities (null otherwise).
    licensees: list[str] | None = None
    authorized_parties: list[str] | None = None
    notes: str | None = None
    restricted_visible: bool = False
    match: str | None = Field(default=None, description="How a search matched: exact, prefix or fuzzy")


class RightPage(BaseModel):
    items: list[RightOut]
    next_cursor: str | None
    total: int | None = None


class ImportReportOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int
    organisations_created: list[str]
    rejects: list[dict[str, object]]
