"""Screening runs against the node's register and their hits, kept so an officer can come back to a hit,
detain the goods, and show later what was flagged and why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipec.db.base import Base
from ipec.db.types import JSONType, UTCDateTime


class ScreeningRun(Base):
    __tablename__ = "screening_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[str] = mapped_column(String(36))
    organisation_id: Mapped[str] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(20))  # cli | api | page
    threshold: Mapped[float] = mapped_column(Float)
    rights_basis: Mapped[str] = mapped_column(String(40))  # "recorded" or "register": what was screened against
    rights: Mapped[int] = mapped_column(Integer)
    declarations: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    hit_count: Mapped[int] = mapped_column(Integer)

    hits: Mapped[list[ScreeningHit]] = relationship(order_by="ScreeningHit.id", cascade="all, delete-orphan")


class ScreeningHit(Base):
    """One flagged (declaration, right) pair with what an officer needs to act on it."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("screening_runs.id", ondelete="CASCADE"), index=True)
    declaration_id: Mapped[str] = mapped_column(String(80), index=True)
    right_id: Mapped[str] = mapped_column(String(80))
    mark: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSONType)
    description: Mapped[str] = mapped_column(Text)
    matched_start: Mapped[int] = mapped_column(Integer)
    matched_end: Mapped[int] = mapped_column(Integer)
    hs_code: Mapped[str] = mapped_column(String(12))
    origin: Mapped[str] = mapped_column(String(2))
    destination: Mapped[str] = mapped_column(String(2))
    consignee: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
