"""customs: applications for action, detentions and their steps, seizures (statistical view), notifications

Revision ID: customs_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "customs_0001"
down_revision = "0001"
branch_labels = ("customs",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customs_applications",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("union_wide", sa.Boolean(), nullable=False),
        sa.Column("countries", JSON, nullable=False),
        sa.Column("holder_id", sa.String(36), nullable=False),
        sa.Column("representative", sa.String(200), nullable=True),
        sa.Column("right_ids", JSON, nullable=False),
        sa.Column("product_guide", JSON, nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("restricted_to", JSON, nullable=False),
        sa.Column("small_consignments", sa.Boolean(), nullable=False),
        sa.Column("notify_email", sa.String(200), nullable=True),
        sa.Column("webhook_url", sa.String(500), nullable=True),
        sa.Column("webhook_secret", sa.String(100), nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("information_due", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("extension_request_due", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["organisations.id"], name=op.f("fk_customs_applications_holder_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_applications")),
        sa.UniqueConstraint("reference", name=op.f("uq_customs_applications_reference")),
    )
    op.create_index(op.f("ix_customs_applications_holder_id"), "customs_applications", ["holder_id"])

    op.create_table(
        "customs_detentions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("goods_id", sa.String(60), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("screening_hit_id", sa.String(60), nullable=True),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("holder_id", sa.String(36), nullable=True),
        sa.Column("customs_id", sa.String(36), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("path", sa.String(40), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("facts", JSON, nullable=False),
        sa.Column("deadlines", JSON, nullable=False),
        sa.Column("fired", JSON, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("overdue", JSON, nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("product_category", sa.String(60), nullable=False),
        sa.Column("ipr_type", sa.String(40), nullable=False),
        sa.Column("transport_mode", sa.String(30), nullable=False),
        sa.Column("traffic", sa.String(20), nullable=False),
        sa.Column("provenance", sa.String(2), nullable=True),
        sa.Column("retail_value_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("gross_kg", sa.String(20), nullable=True),
        sa.Column("images", JSON, nullable=False),
        sa.Column("declarant_name", sa.String(200), nullable=True),
        sa.Column("declarant_email", sa.String(200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["customs_applications.id"],
            name=op.f("fk_customs_detentions_application_id_customs_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["organisations.id"], name=op.f("fk_customs_detentions_holder_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["customs_id"], ["organisations.id"], name=op.f("fk_customs_detentions_customs_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_detentions")),
        sa.UniqueConstraint("goods_id", name=op.f("uq_customs_detentions_goods_id")),
    )
    op.create_index(op.f("ix_customs_detentions_application_id"), "customs_detentions", ["application_id"])
    op.create_index(op.f("ix_customs_detentions_holder_id"), "customs_detentions", ["holder_id"])
    op.create_index("ix_customs_detentions_open", "customs_detentions", ["closed", "country"])

    op.create_table(
        "customs_detention_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("detention_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("party", sa.String(20), nullable=True),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("before", sa.String(40), nullable=True),
        sa.Column("after", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["detention_id"],
            ["customs_detentions.id"],
            name=op.f("fk_customs_detention_steps_detention_id_customs_detentions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_detention_steps")),
    )
    op.create_index(op.f("ix_customs_detention_steps_detention_id"), "customs_detention_steps", ["detention_id"])

    op.create_table(
        "customs_seizures",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("detention_id", sa.String(36), nullable=False),
        sa.Column("goods_id", sa.String(60), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("procedure", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("product_category", sa.String(60), nullable=False),
        sa.Column("ipr_type", sa.String(40), nullable=False),
        sa.Column("transport_mode", sa.String(30), nullable=False),
        sa.Column("traffic", sa.String(20), nullable=False),
        sa.Column("provenance", sa.String(2), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("retail_value_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("seized_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["detention_id"],
            ["customs_detentions.id"],
            name=op.f("fk_customs_seizures_detention_id_customs_detentions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_seizures")),
        sa.UniqueConstraint("detention_id", name=op.f("uq_customs_seizures_detention_id")),
        sa.UniqueConstraint("goods_id", name=op.f("uq_customs_seizures_goods_id")),
    )
    op.create_index(op.f("ix_customs_seizures_country"), "customs_seizures", ["country"])
    op.create_index(op.f("ix_customs_seizures_seized_on"), "customs_seizures", ["seized_on"])

    op.create_table(
        "customs_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("detention_id", sa.String(36), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["detention_id"],
            ["customs_detentions.id"],
            name=op.f("fk_customs_notifications_detention_id_customs_detentions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_notifications")),
    )
    op.create_index(op.f("ix_customs_notifications_detention_id"), "customs_notifications", ["detention_id"])
    op.create_index(op.f("ix_customs_notifications_organisation_id"), "customs_notifications", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("customs_notifications")
    op.drop_table("customs_seizures")
    op.drop_table("customs_detention_steps")
    op.drop_table("customs_detentions")
    op.drop_table("customs_applications")
