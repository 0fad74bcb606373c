"""Tables of mutual legal assistance: requests built from a case, their history and the replies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipec.accounts.models import Organisation
from ipec.db.base import Base
from ipec.db.types import JSONType, UTCDateTime


class Request(Base):
    __tablename__ = "assistance_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    issuing_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    executing_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(Text)
    offences: Mapped[list[dict[str, str]]] = mapped_column(JSONType)  # [{"offence", "qualification"}]
    facts: Mapped[str] = mapped_column(Text)
    measures: Mapped[list[str]] = mapped_column(JSONType)
    urgency: Mapped[str] = mapped_column(String(10))  # normal | urgent
    urgency_reason: Mapped[str | None] = mapped_column(Text)
    wanted_by: Mapped[dt.date | None] = mapped_column(Date)  # the issuing side's own deadline, if earlier
    state: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    recognised_on: Mapped[dt.date | None] = mapped_column(Date)
    recognise_by: Mapped[dt.date | None] = mapped_column(Date)
    execute_by: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    package_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    issuing: Mapped[Organisation] = relationship(foreign_keys=[issuing_org_id], lazy="joined")
    executing: Mapped[Organisation] = relationship(foreign_keys=[executing_org_id], lazy="joined")
    events: Mapped[list[RequestEvent]] = relationship(lazy="selectin", order_by="RequestEvent.id")
    replies: Mapped[list[Reply]] = relationship(lazy="selectin", order_by="Reply.at")


class RequestEvent(Base):
    """One step of a request's history, with the ledger queue id of the entry logged for it."""

    __tablename__ = "assistance_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("assistance_requests.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    move: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    by_org_id: Mapped[str] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)
    ledger_queue_id: Mapped[int] = mapped_column(Integer)


class Reply(Base):
    """The executing side's answer: partial or final execution, or refusal, with evidence attached."""

    __tablename__ = "assistance_replies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("assistance_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reply_partial | reply_final | refuse
    text: Mapped[str] = mapped_column(Text)
    by_org_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    filename: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int | None] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(100))
