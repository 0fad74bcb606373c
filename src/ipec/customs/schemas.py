"""Pydantic shapes of the customs API (requests and answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class ApplicationIn(BaseModel):
    country: str = Field(description="Member state whose customs decide (ISO 3166 alpha-2)")
    countries: list[str] | None = Field(None, description="Where action is asked (several: a Union application)")
    right_ids: list[str]
    product_guide: dict[str, Any] = Field(default_factory=dict)
    restricted: bool = False
    restricted_to: list[str] = Field(default_factory=list, description="Customs organisations that may see the guide")
    small_consignments: bool = False
    representative: str | None = None
    notify_email: str | None = None
    webhook_url: str | None = None
    holder_id: str | None = Field(None, description="Administrators filing for a holder")


class ApplicationOut(BaseModel):
    id: str
    reference: str
    profile: str
    country: str
    union_wide: bool
    countries: list[str]
    holder_id: str
    representative: str | None
    right_ids: list[str]
    restricted: bool
    small_consignments: bool
    status: str
    received_on: dt.date
    decision_due: dt.date
    information_due: dt.date | None
    decided_on: dt.date | None
    valid_until: dt.date | None
    extension_request_due: dt.date | None
    extension_requested_on: dt.date | None = None
    refusal_reason: str | None


class InformationRequestIn(BaseModel):
    what: str


class GuideIn(BaseModel):
    product_guide: dict[str, Any]


class GrantIn(BaseModel):
    valid_until: dt.date | None = None


class RefuseIn(BaseModel):
    reason: str


class GoodsIn(BaseModel):
    description: str
    quantity: int
    product_category: str
    ipr_type: str
    transport_mode: str
    traffic: str
    provenance: str | None = None
    retail_value_cents: int = 0
    currency: str = "EUR"
    gross_kg: float | None = None
    images: list[str] = Field(default_factory=list)


class DetentionIn(BaseModel):
    goods: GoodsIn
    application_id: str | None = None
    small_consignment: bool = False
    perishable: bool = False
    goods_id: str | None = Field(None, description="The identifier screening gave the goods, kept onward")
    screening_hit_id: str | None = None
    declarant_name: str | None = None
    declarant_email: str | None = None


class MoveIn(BaseModel):
    move: str
    on_behalf_of_declarant: bool = Field(False, description="Customs recording the declarant's answer")


class DetentionSummary(BaseModel):
    id: str
    goods_id: str
    country: str
    path: str
    state: str
    outcome: str | None
    closed: bool
    since: dt.date
    description: str
    quantity: int
    deadlines: dict[str, str]
    days_left: dict[str, int]
    overdue: dict[str, str]


class StepOut(BaseModel):
    kind: str
    name: str
    on: dt.date
    party: str | None
    before: str | None
    after: str
    outcome: str | None
    source: str


class DetentionOut(BaseModel):
    id: str
    goods_id: str
    country: str
    profile: str
    path: str
    state: str
    state_description: str
    outcome: str | None
    description: str
    quantity: int
    images: list[str]
    deadlines: dict[str, str]
    days_left: dict[str, int]
    overdue: dict[str, str]
    moves: list[str]
    party: str
    declarant_name: str | None = None
    declarant_email: str | None = None
    steps: list[StepOut]


class SeizureOut(BaseModel):
    goods_id: str
    country: str
    procedure: str
    outcome: str | None
    product_category: str
    ipr_type: str
    transport_mode: str
    traffic: str
    provenance: str | None
    quantity: int
    retail_value_cents: int
    currency: str
    seized_on: dt.date
    closed_on: dt.date | None


class BreakdownRow(BaseModel):
    dimension: str
    value: str
    currency: str
    procedures: int
    articles: int
    retail_value_cents: int


class StatisticsOut(BaseModel):
    start: dt.date | None
    end: dt.date | None
    jurisdiction: str | None
    procedures: int
    articles: int
    retail_value_cents: dict[str, int]
    rows: list[BreakdownRow]


class NotificationOut(BaseModel):
    id: int
    detention_id: str
    subject: str
    body: dict[str, Any]
    created_at: dt.datetime
