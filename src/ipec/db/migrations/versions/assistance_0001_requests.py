"""assistance: mutual legal assistance requests, their history and replies

Revision ID: assistance_0001
Revises: cases_0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "assistance_0001"
down_revision = "cases_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assistance_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("issuing_org_id", sa.String(length=36), nullable=False),
        sa.Column("executing_org_id", sa.String(length=36), nullable=False),
        sa.Column("instrument", sa.String(length=20), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("offences", JSON, nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("measures", JSON, nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("urgency_reason", sa.Text(), nullable=True),
        sa.Column("wanted_by", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("recognised_on", sa.Date(), nullable=True),
        sa.Column("recognise_by", sa.Date(), nullable=True),
        sa.Column("execute_by", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("package_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases_cases.id"], name=op.f("fk_assistance_requests_case_id_cases_cases")
        ),
        sa.ForeignKeyConstraint(
            ["executing_org_id"],
            ["organisations.id"],
            name=op.f("fk_assistance_requests_executing_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["issuing_org_id"], ["organisations.id"], name=op.f("fk_assistance_requests_issuing_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["package_sha256"], ["blobs.sha256"], name=op.f("fk_assistance_requests_package_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_assistance_requests_reference")),
    )
    op.create_index(op.f("ix_assistance_requests_case_id"), "assistance_requests", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_assistance_requests_executing_org_id"), "assistance_requests", ["executing_org_id"], unique=False
    )
    op.create_index(
        op.f("ix_assistance_requests_issuing_org_id"), "assistance_requests", ["issuing_org_id"], unique=False
    )
    op.create_table(
        "assistance_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("move", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("by_org_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("ledger_queue_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["assistance_requests.id"], name=op.f("fk_assistance_events_request_id_assistance_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_events")),
    )
    op.create_index(op.f("ix_assistance_events_request_id"), "assistance_events", ["request_id"], unique=False)
    op.create_table(
        "assistance_replies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by_org_id", sa.String(length=36), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["assistance_requests.id"],
            name=op.f("fk_assistance_replies_request_id_assistance_requests"),
        ),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"], name=op.f("fk_assistance_replies_sha256_blobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_replies")),
    )
    op.create_index(op.f("ix_assistance_replies_request_id"), "assistance_replies", ["request_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_assistance_replies_request_id"), table_name="assistance_replies")
    op.drop_table("assistance_replies")
    op.drop_index(op.f("ix_assistance_events_request_id"), table_name="assistance_events")
    op.drop_table("assistance_events")
    op.drop_index(op.f("ix_assistance_requests_issuing_org_id"), table_name="assistance_requests")
    op.drop_index(op.f("ix_assistance_requests_executing_org_id"), table_name="assistance_requests")
    op.drop_index(op.f("ix_assistance_requests_case_id"), table_name="assistance_requests")
    op.drop_table("assistance_requests")
