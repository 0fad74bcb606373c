"""screening: runs against the register and their hits

Revision ID: screening_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "screening_0001"
down_revision = "0001"
branch_labels = ("screening",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("rights_basis", sa.String(40), nullable=False),
        sa.Column("rights", sa.Integer(), nullable=False),
        sa.Column("declarations", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("hit_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_runs")),
    )
    with op.batch_alter_table("screening_runs") as batch:
        batch.create_index(batch.f("ix_screening_runs_started_at"), ["started_at"], unique=False)
        batch.create_index(batch.f("ix_screening_runs_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("declaration_id", sa.String(80), nullable=False),
        sa.Column("right_id", sa.String(80), nullable=False),
        sa.Column("mark", sa.String(300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("matched_start", sa.Integer(), nullable=False),
        sa.Column("matched_end", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(12), nullable=False),
        sa.Column("origin", sa.String(2), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("consignee", sa.String(300), nullable=False),
        sa.Column("quantity", sa.String(40), nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["screening_runs.id"], name=op.f("fk_screening_hits_run_id_screening_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_hits")),
    )
    with op.batch_alter_table("screening_hits") as batch:
        batch.create_index(batch.f("ix_screening_hits_run_id"), ["run_id"], unique=False)
        batch.create_index(batch.f("ix_screening_hits_declaration_id"), ["declaration_id"], unique=False)


def downgrade() -> None:
    op.drop_table("screening_hits")
    op.drop_table("screening_runs")
