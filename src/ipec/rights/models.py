from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipec.accounts.models import Organisation
from ipec.db.base import Base
from ipec.db.types import UTCDateTime


class RightKind(enum.StrEnum):
    TRADEMARK = "trademark"
    DESIGN = "design"
    PATENT = "patent"
    COPYRIGHT = "copyright"
    GEOGRAPHICAL_INDICATION = "gi"


class MarkType(enum.StrEnum):
    WORD = "word"
    FIGURATIVE = "figurative"


class RightStatus(enum.StrEnum):
    FILED = "filed"
    REGISTERED = "registered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class PartyRole(enum.StrEnum):
    LICENSEE = "licensee"
    AUTHORIZED = "authorized"


class Right(Base):
    __tablename__ = "rights"
    __table_args__ = (Index("ix_rights_mark_key", "mark_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The identifier the holder or office uses; the import contract's `right_id`.
    right_id: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    mark: Mapped[str] = mapped_column(String(300))  # mark text, design/patent title, work title, GI name
    # Upper-case, accent-free, punctuation-free form of `mark` for exact and prefix search.
    mark_key: Mapped[str] = mapped_column(String(300))
    mark_type: Mapped[str | None] = mapped_column(String(20))
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(80))
    office: Mapped[str | None] = mapped_column(String(20))  # EUIPO, INPI, DPMA, USPTO, WIPO, ...
    filing_date: Mapped[dt.date | None] = mapped_column(Date)
    registration_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=RightStatus.REGISTERED)
    madrid_ir_number: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)  # restricted: the holder's and authorities' eyes only
    # The ledger entry of the latest registration or change, so anyone can fetch its receipt.
    ledger_queue_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    owner: Mapped[Organisation] = relationship(lazy="joined")
    classes: Mapped[list[RightClass]] = relationship(
        cascade="all, delete-orphan", order_by="RightClass.nice_class", lazy="selectin"
    )
    jurisdictions: Mapped[list[RightJurisdiction]] = relationship(
        cascade="all, delete-orphan", order_by="RightJurisdiction.code", lazy="selectin"
    )
    parties: Mapped[list[RightParty]] = relationship(
        cascade="all, delete-orphan", order_by="RightParty.name", lazy="selectin"
    )


class RightClass(Base):
    __tablename__ = "right_classes"
    __table_args__ = (UniqueConstraint("right_pk", "nice_class"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    right_pk: Mapped[str] = mapped_column(ForeignKey("rights.id", ondelete="CASCADE"), index=True)
    nice_class: Mapped[int] = mapped_column(Integer, index=True)
    goods_terms: Mapped[str | None] = mapped_column(Text)


class RightJurisdiction(Base):
    """A protected jurisdiction: a country, a region (EU), or a Madrid designation."""

    __tablename__ = "right_jurisdictions"
    __table_args__ = (UniqueConstraint("right_pk", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    right_pk: Mapped[str] = mapped_column(ForeignKey("rights.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    via_madrid: Mapped[bool] = mapped_column(default=False)


class RightParty(Base):
    """A licensee or authorised party (manufacturer, distributor) whose goods are genuine."""

    __tablename__ = "right_parties"
    __table_args__ = (UniqueConstraint("right_pk", "name", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    right_pk: Mapped[str] = mapped_column(ForeignKey("rights.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
