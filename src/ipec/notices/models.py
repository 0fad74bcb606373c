"""Tables of notices: the notice with its handling marking, who read and acknowledged it, subscriptions, and
the queue of e-mails and webhooks waiting to be sent after the issuing transaction commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ipec.db.base import Base
from ipec.db.types import JSONType, UTCDateTime


class Notice(Base):
    __tablename__ = "notices"

    # `seq` orders notices by insertion, which the live stream uses as its cursor (issued_at can tie: a clock
    # is not a sequence). `id` is the identifier that travels between nodes.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))  # language the free text is written in
    product_categories: Mapped[list[str]] = mapped_column(JSONType)
    right_ids: Mapped[list[str]] = mapped_column(JSONType)
    hs_chapters: Mapped[list[int]] = mapped_column(JSONType)
    route: Mapped[dict[str, Any]] = mapped_column(JSONType)  # {"origin": "CN", "transit": ["AE"], "destination": "FR"}
    jurisdictions: Mapped[list[str]] = mapped_column(JSONType)
    images: Mapped[list[str]] = mapped_column(JSONType)  # SHA-256 names in the content-addressed store

    # The handling marking (see ipec.kernel.handling.Marking); enforced on every read by ipec.accounts.policy.
    owner_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_jurisdiction: Mapped[str | None] = mapped_column(String(8))
    tlp: Mapped[str] = mapped_column(String(20))
    handling: Mapped[str] = mapped_column(String(4))
    handling_note: Mapped[str | None] = mapped_column(Text)
    source_reliability: Mapped[str] = mapped_column(String(1))
    information_reliability: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(30))
    recipients: Mapped[list[str]] = mapped_column(JSONType)
    group_name: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    personal_data: Mapped[bool] = mapped_column(Boolean)

    issued_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class NoticeRead(Base):
    """Who opened and who acknowledged a notice, and when (one row per user and notice)."""

    __tablename__ = "notice_reads"

    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Subscription(Base):
    """What a user wants to hear about. Empty criteria match anything; at least one criterion is set."""

    __tablename__ = "notice_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    notice_types: Mapped[list[str]] = mapped_column(JSONType)
    jurisdictions: Mapped[list[str]] = mapped_column(JSONType)
    product_categories: Mapped[list[str]] = mapped_column(JSONType)
    right_ids: Mapped[list[str]] = mapped_column(JSONType)
    hs_chapters: Mapped[list[int]] = mapped_column(JSONType)
    email: Mapped[bool] = mapped_column(Boolean)  # also send to the user's e-mail address
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Delivery(Base):
    """An e-mail or webhook owed to a subscriber; queued with the notice, sent after commit, retried on failure."""

    __tablename__ = "notice_deliveries"
    __table_args__ = (Index("ix_notice_deliveries_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("notice_subscriptions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10))  # email | webhook
    address: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))  # pending | sent | failed | withheld
    attempts: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
