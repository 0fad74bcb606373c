"""Shapes of notices and subscriptions on the wire. Loose types on input on purpose: the services check every
field and answer with the field's name and the reason, the same for the API, the form and the demo."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class RouteIn(BaseModel):
    origin: str | None = Field(default=None, description="ISO 3166 alpha-2 country the goods come from")
    transit: list[str] = Field(default_factory=list, description="Countries the goods pass through, in order")
    destination: str | None = Field(default=None, description="ISO 3166 alpha-2 country the goods go to")


class MarkingIn(BaseModel):
    tlp: str = Field(default="AMBER", description="CLEAR, GREEN, AMBER, AMBER+STRICT or RED")
    handling: str = Field(default="H0", description="H0, H1, H2 or H3")
    handling_note: str | None = Field(default=None, description="The restriction in free text (required with H3)")
    source_reliability: str = Field(default="X", description="A, B, C or X")
    information_reliability: int = Field(default=4, description="1, 2, 3 or 4")
    audience: str = Field(default="all_participants",
                          description="own_organisation, named_organisations, group, national or all_participants")
    recipients: list[str] = Field(default_factory=list, description="Organisation ids (named organisations or group)")
    group_name: str | None = Field(default=None, description="Name of the group (an operation, a case team)")
    purpose: str = ""
    legal_basis: str = ""
    personal_data: bool = False


class NoticeIn(BaseModel):
    type: str = Field(description="warning, modus_operandi, request_for_information, seizure_feedback or "
                                  "imminent_threat")
    title: str
    body: str = Field(description="Free text; kept as written, never translated")
    language: str = Field(default="en", description="ISO 639-1 code of the language the free text is written in")
    product_categories: list[str] = Field(default_factory=list, description="EU statistics product categories")
    right_ids: list[str] = Field(default_factory=list, description="Right identifiers from the register")
    hs_chapters: list[int] = Field(default_factory=list, description="Harmonized System chapters (1-97)")
    route: RouteIn = Field(default_factory=RouteIn)
    jurisdictions: list[str] = Field(default_factory=list, description="Countries or regions the notice concerns")
    expires_on: dt.date | None = Field(default=None, description="Last day the notice is current (default: 90 days)")
    marking: MarkingIn = Field(default_factory=MarkingIn)


class LabelledOut(BaseModel):
    code: str
    label: str


class RouteOut(BaseModel):
    origin: LabelledOut | None = None
    transit: list[LabelledOut] = Field(default_factory=list)
    destination: LabelledOut | None = None


class MarkingOut(BaseModel):
    owner_id: str
    owner_name: str
    owner_jurisdiction: str | None
    tlp: str
    handling: str
    handling_note: str | None
    source_reliability: str
    information_reliability: int
    audience: str
    recipients: list[str]
    group_name: str | None
    purpose: str
    legal_basis: str
    personal_data: bool


class NoticeOut(BaseModel):
    id: str
    reference: str
    type: LabelledOut
    colour: LabelledOut | None
    title: str
    body: str
    language: str
    product_categories: list[LabelledOut]
    right_ids: list[str]
    hs_chapters: list[int]
    route: RouteOut
    jurisdictions: list[LabelledOut]
    images: list[str]
    marking: MarkingOut
    issued_at: dt.datetime
    expires_at: dt.datetime
    expired: bool
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    matches_subscription: bool


class NoticePage(BaseModel):
    items: list[NoticeOut]
    total: int = Field(description="Notices matching the filters that the caller may see")
    unread: int = Field(description="Unread current notices the caller may see")


class CountOut(BaseModel):
    unread: int
    total: int


class StatsOut(BaseModel):
    by_type: dict[str, int]
    by_category: dict[str, int]
    by_jurisdiction: dict[str, int]


class ReaderOut(BaseModel):
    user: str
    organisation: str
    read_at: dt.datetime
    acknowledged_at: dt.datetime | None


class SubscriptionIn(BaseModel):
    name: str
    notice_types: list[str] = Field(default_factory=list)
    jurisdictions: list[str] = Field(default_factory=list)
    product_categories: list[str] = Field(default_factory=list)
    right_ids: list[str] = Field(default_factory=list)
    hs_chapters: list[int] = Field(default_factory=list)
    email: bool = False
    webhook_url: str | None = Field(default=None, description="HTTPS (or loopback HTTP) endpoint for signed deliveries")


class SubscriptionOut(BaseModel):
    id: str
    name: str
    notice_types: list[str]
    jurisdictions: list[str]
    product_categories: list[str]
    right_ids: list[str]
    hs_chapters: list[int]
    email: bool
    webhook_url: str | None
    webhook_secret: str | None = Field(default=None, description="Checks X-Ipec-Signature (subscriber only)")
    created_at: dt.datetime


class VocabularyOut(BaseModel):
    notice_types: list[LabelledOut]
    product_categories: list[LabelledOut]
