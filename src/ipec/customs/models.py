"""Customs tables: applications for action, detentions with their steps, seizures, notifications.

A detention row stores the state machine's snapshot (`customs.transitions.Detention`) column by column, so
the pure engine stays the only judge of moves and the database only remembers where each detention stands.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipec.db.base import Base
from ipec.db.types import JSONType, UTCDateTime


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    INFORMATION_REQUESTED = "information_requested"
    GRANTED = "granted"
    REFUSED = "refused"
    EXPIRED = "expired"


class Application(Base):
    """An application for action (EU) or recordation (US): a holder asks customs to watch for its rights.

    The product identification guide (genuine features, barcodes, authorised supply chain, counterfeit clues)
    is restricted data: when `restricted` is set, only the customs organisations in `restricted_to` see it.
    """

    __tablename__ = "customs_applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    profile: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    """The member state whose competent department decides (and whose calendar counts the periods)."""
    union_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    countries: Mapped[list[str]] = mapped_column(JSONType)
    """Where action is asked: one country for a national application, several for a Union one."""
    holder_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    representative: Mapped[str | None] = mapped_column(String(200))
    right_ids: Mapped[list[str]] = mapped_column(JSONType)
    product_guide: Mapped[dict[str, Any]] = mapped_column(JSONType)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    restricted_to: Mapped[list[str]] = mapped_column(JSONType)
    small_consignments: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_email: Mapped[str | None] = mapped_column(String(200))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30), default=ApplicationStatus.SUBMITTED)
    received_on: Mapped[dt.date] = mapped_column(Date)
    decision_due: Mapped[dt.date] = mapped_column(Date)
    information_due: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    extension_request_due: Mapped[dt.date | None] = mapped_column(Date)
    extension_requested_on: Mapped[dt.date | None] = mapped_column(Date)
    """Set when the holder asks to extend; cleared when customs extends."""
    reminded_on: Mapped[dt.date | None] = mapped_column(Date)
    """When the holder was reminded that the extension request is due (once per validity period)."""
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Detention(Base):
    """Goods whose release is suspended, following a profile's procedure; `goods_id` follows them onward."""

    __tablename__ = "customs_detentions"
    __table_args__ = (Index("ix_customs_detentions_open", "closed", "country"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    goods_id: Mapped[str] = mapped_column(String(60), unique=True)
    """One identifier from screening hit to detention, seizure and later case."""
    origin: Mapped[str] = mapped_column(String(20))  # screening_hit | ex_officio
    screening_hit_id: Mapped[str | None] = mapped_column(String(60))
    application_id: Mapped[str | None] = mapped_column(ForeignKey("customs_applications.id"), index=True)
    holder_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    customs_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    country: Mapped[str] = mapped_column(String(2))
    profile: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    facts: Mapped[list[str]] = mapped_column(JSONType)
    deadlines: Mapped[dict[str, str]] = mapped_column(JSONType)
    fired: Mapped[list[str]] = mapped_column(JSONType)
    outcome: Mapped[str | None] = mapped_column(String(40))
    since: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[dict[str, str]] = mapped_column(JSONType)
    """Deadlines customs itself let pass (name → ISO date); shown on the dashboard until resolved."""
    # The goods, as the EU statistics count them.
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    product_category: Mapped[str] = mapped_column(String(60))
    ipr_type: Mapped[str] = mapped_column(String(40))
    transport_mode: Mapped[str] = mapped_column(String(30))
    traffic: Mapped[str] = mapped_column(String(20))  # freight | passenger
    provenance: Mapped[str | None] = mapped_column(String(2))
    retail_value_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    gross_kg: Mapped[str | None] = mapped_column(String(20))
    images: Mapped[list[str]] = mapped_column(JSONType)  # blob SHA-256s
    # Personal data: stays on this node, never in the statistical view.
    declarant_name: Mapped[str | None] = mapped_column(String(200))
    declarant_email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    steps: Mapped[list[DetentionStep]] = relationship(
        order_by="DetentionStep.id", cascade="all, delete-orphan", lazy="selectin"
    )


class DetentionStep(Base):
    """One move, expiry or settlement, with the legal source the profile cites for it."""

    __tablename__ = "customs_detention_steps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    detention_id: Mapped[str] = mapped_column(ForeignKey("customs_detentions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    on: Mapped[dt.date] = mapped_column(Date)
    party: Mapped[str | None] = mapped_column(String(20))
    user_id: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[str | None] = mapped_column(String(40))
    after: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Seizure(Base):
    """The non-nominal statistical view of goods kept from release: no names, no addresses, no contacts.

    This, not the detention, is what is shared beyond the seizing agency.
    """

    __tablename__ = "customs_seizures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    detention_id: Mapped[str] = mapped_column(ForeignKey("customs_detentions.id"), unique=True)
    goods_id: Mapped[str] = mapped_column(String(60), unique=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    procedure: Mapped[str] = mapped_column(String(40))  # the detention path: standard, small_consignment, ...
    outcome: Mapped[str | None] = mapped_column(String(40))
    product_category: Mapped[str] = mapped_column(String(60))
    ipr_type: Mapped[str] = mapped_column(String(40))
    transport_mode: Mapped[str] = mapped_column(String(30))
    traffic: Mapped[str] = mapped_column(String(20))
    provenance: Mapped[str | None] = mapped_column(String(2))
    quantity: Mapped[int] = mapped_column(Integer)
    retail_value_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    seized_on: Mapped[dt.date] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class Notification(Base):
    """A message to a holder or declarant about a detention, on one channel, with its delivery state."""

    __tablename__ = "customs_notifications"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    detention_id: Mapped[str] = mapped_column(ForeignKey("customs_detentions.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))  # holder | declarant
    channel: Mapped[str] = mapped_column(String(20))  # in_app | email | webhook
    organisation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    address: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
