"""notices: notices with their handling marking, reads and acknowledgements, subscriptions, delivery queue

Revision ID: notices_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "notices_0001"
down_revision = "0001"
branch_labels = ("notices",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("product_categories", JSON, nullable=False),
        sa.Column("right_ids", JSON, nullable=False),
        sa.Column("hs_chapters", JSON, nullable=False),
        sa.Column("route", JSON, nullable=False),
        sa.Column("jurisdictions", JSON, nullable=False),
        sa.Column("images", JSON, nullable=False),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("owner_jurisdiction", sa.String(8), nullable=True),
        sa.Column("tlp", sa.String(20), nullable=False),
        sa.Column("handling", sa.String(4), nullable=False),
        sa.Column("handling_note", sa.Text(), nullable=True),
        sa.Column("source_reliability", sa.String(1), nullable=False),
        sa.Column("information_reliability", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(30), nullable=False),
        sa.Column("recipients", JSON, nullable=False),
        sa.Column("group_name", sa.String(200), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("issued_by", sa.String(36), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["organisations.id"], name=op.f("fk_notices_owner_id_organisations")),
        sa.ForeignKeyConstraint(["issued_by"], ["users.id"], name=op.f("fk_notices_issued_by_users")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_notices")),
        sa.UniqueConstraint("id", name=op.f("uq_notices_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_notices_reference")),
    )
    op.create_index(op.f("ix_notices_type"), "notices", ["type"])
    op.create_index(op.f("ix_notices_owner_id"), "notices", ["owner_id"])
    op.create_index(op.f("ix_notices_issued_at"), "notices", ["issued_at"])
    op.create_index(op.f("ix_notices_expires_at"), "notices", ["expires_at"])

    op.create_table(
        "notice_reads",
        sa.Column("notice_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("read_at", TS, nullable=False),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_notice_reads_notice_id_notices"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notice_reads_user_id_users")),
        sa.PrimaryKeyConstraint("notice_id", "user_id", name=op.f("pk_notice_reads")),
    )
    op.create_index(op.f("ix_notice_reads_user_id"), "notice_reads", ["user_id"])

    op.create_table(
        "notice_subscriptions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("notice_types", JSON, nullable=False),
        sa.Column("jurisdictions", JSON, nullable=False),
        sa.Column("product_categories", JSON, nullable=False),
        sa.Column("right_ids", JSON, nullable=False),
        sa.Column("hs_chapters", JSON, nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("webhook_url", sa.String(500), nullable=True),
        sa.Column("webhook_secret", sa.String(100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notice_subscriptions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_subscriptions")),
    )
    op.create_index(op.f("ix_notice_subscriptions_user_id"), "notice_subscriptions", ["user_id"])

    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notice_id", sa.String(36), nullable=False),
        sa.Column("subscription_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_notice_deliveries_notice_id_notices"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subscription_id"], ["notice_subscriptions.id"],
                                name=op.f("fk_notice_deliveries_subscription_id_notice_subscriptions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notice_deliveries_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_deliveries")),
    )
    op.create_index(op.f("ix_notice_deliveries_notice_id"), "notice_deliveries", ["notice_id"])
    op.create_index("ix_notice_deliveries_status", "notice_deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("notice_deliveries")
    op.drop_table("notice_subscriptions")
    op.drop_table("notice_reads")
    op.drop_table("notices")
