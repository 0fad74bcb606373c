"""Tables of cases and joint operations: participants, tasks, linked records, timeline, notes, results,
evidence with its chain of custody, and the owners' recorded permissions (H1 court use, H2 onward sharing)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipec.accounts.models import Organisation
from ipec.db.base import Base
from ipec.db.types import UTCDateTime


class ParticipantRole(enum.StrEnum):
    LEAD = "lead"  # owns the case: its organisation is the marking's owner
    PARTNER = "partner"  # works the case: may add tasks, notes, links, evidence
    OBSERVER = "observer"  # reads only


class TaskState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DONE = "done"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class CustodyAction(enum.StrEnum):
    COLLECTED = "collected"
    TRANSFERRED = "transferred"
    EXAMINED = "examined"
    RETURNED = "returned"
    DESTROYED = "destroyed"


class MarkingColumns:
    """The handling marking (see ipec.kernel.handling.Marking) stored on a record; recipients are derived."""

    owner_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_jurisdiction: Mapped[str | None] = mapped_column(String(8))
    tlp: Mapped[str] = mapped_column(String(20))
    handling: Mapped[str] = mapped_column(String(4))
    handling_note: Mapped[str | None] = mapped_column(Text)
    source_reliability: Mapped[str] = mapped_column(String(1))
    information_reliability: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    personal_data: Mapped[bool] = mapped_column(Boolean)


class Operation(MarkingColumns, Base):
    """A joint operation: many cases under one coordinator across countries."""

    __tablename__ = "cases_operations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    coordinator: Mapped[Organisation] = relationship(lazy="joined")
    cases: Mapped[list[Case]] = relationship(back_populates="operation")


class Case(MarkingColumns, Base):
    __tablename__ = "cases_cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    operation_id: Mapped[str | None] = mapped_column(ForeignKey("cases_operations.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    owner: Mapped[Organisation] = relationship(lazy="joined")
    operation: Mapped[Operation | None] = relationship(back_populates="cases")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="case", lazy="selectin", cascade="all, delete-orphan", order_by="Participant.added_at")


class Participant(Base):
    __tablename__ = "cases_participants"
    __table_args__ = (UniqueConstraint("case_id", "organisation_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Permission(Base):
    """The owner's recorded permission for one organisation: `share_onward` (H2) or `court_use` (H1)."""

    __tablename__ = "cases_permissions"
    __table_args__ = (UniqueConstraint("case_id", "organisation_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(20))
    granted_by: Mapped[str] = mapped_column(String(36))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Task(Base):
    """An 'action required' from one agency to another within a case."""

    __tablename__ = "cases_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text)
    requested_by_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    assigned_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    requested_by: Mapped[Organisation] = relationship(foreign_keys=[requested_by_org_id], lazy="joined")
    assigned: Mapped[Organisation] = relationship(foreign_keys=[assigned_org_id], lazy="joined")


class Link(Base):
    """A record of another feature linked by type and id (a goods id follows goods from hit to judgment)."""

    __tablename__ = "cases_links"
    __table_args__ = (UniqueConstraint("case_id", "record_type", "record_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(80), index=True)
    note: Mapped[str] = mapped_column(Text)
    added_by_org_id: Mapped[str] = mapped_column(String(36))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Note(Base):
    __tablename__ = "cases_notes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    author_id: Mapped[str] = mapped_column(String(36))
    author_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    author_org: Mapped[Organisation] = relationship(lazy="joined")


class TimelineEvent(Base):
    """What happened in a case, in order; written by the services alongside each change."""

    __tablename__ = "cases_timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str | None] = mapped_column(String(36))
    organisation_id: Mapped[str | None] = mapped_column(String(36))


class Result(Base):
    """Figures a case reports for the operation dashboard: seizures, articles, value, arrests, where and when."""

    __tablename__ = "cases_results"
    __table_args__ = (Index("ix_cases_results_case_day", "case_id", "day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"))
    country: Mapped[str] = mapped_column(String(2))
    day: Mapped[dt.date] = mapped_column(Date)
    seizures: Mapped[int] = mapped_column(Integer)
    articles: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(Integer)
    arrests: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(80))  # the customs seizure or goods id it reports
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Evidence(Base):
    """An evidence item: a file in the content-addressed store, held under the case's marking."""

    __tablename__ = "cases_evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases_cases.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    custodian_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    state: Mapped[str] = mapped_column(String(20))  # held | returned | destroyed
    ledger_queue_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    custodian: Mapped[Organisation] = relationship(lazy="joined")
    steps: Mapped[list[CustodyStep]] = relationship(back_populates="evidence", lazy="selectin",
                                                    order_by="CustodyStep.seq")


class CustodyStep(Base):
    """One link of the chain of custody. `step_hash` is SHA-256 of the step's canonical JSON, which includes
    `previous_hash`, so changing any earlier step breaks every later one."""

    __tablename__ = "cases_custody"
    __table_args__ = (UniqueConstraint("evidence_id", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    evidence_id: Mapped[str] = mapped_column(ForeignKey("cases_evidence.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by_user_id: Mapped[str] = mapped_column(String(36))
    by_name: Mapped[str] = mapped_column(String(200))  # personal: kept here, only committed to in the ledger
    by_org_id: Mapped[str] = mapped_column(String(36))
    to_org_id: Mapped[str | None] = mapped_column(String(36))
    place: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    previous_hash: Mapped[str] = mapped_column(String(64))
    step_hash: Mapped[str] = mapped_column(String(64))
    ledger_queue_id: Mapped[int] = mapped_column(Integer)

    evidence: Mapped[Evidence] = relationship(back_populates="steps")
