"""cases: joint operations, cases, participants, permissions, tasks, links, notes, timeline, results, evidence,
chain of custody

Revision ID: cases_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "cases_0001"
down_revision = "0001"
branch_labels = ("cases",)
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cases_operations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("owner_org_id", sa.String(length=36), nullable=False),
        sa.Column("owner_jurisdiction", sa.String(length=8), nullable=True),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("handling", sa.String(length=4), nullable=False),
        sa.Column("handling_note", sa.Text(), nullable=True),
        sa.Column("source_reliability", sa.String(length=1), nullable=False),
        sa.Column("information_reliability", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=30), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_org_id"], ["organisations.id"], name=op.f("fk_cases_operations_owner_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_operations")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_operations_reference")),
    )
    op.create_index(op.f("ix_cases_operations_owner_org_id"), "cases_operations", ["owner_org_id"], unique=False)
    op.create_table(
        "cases_cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("owner_org_id", sa.String(length=36), nullable=False),
        sa.Column("owner_jurisdiction", sa.String(length=8), nullable=True),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("handling", sa.String(length=4), nullable=False),
        sa.Column("handling_note", sa.Text(), nullable=True),
        sa.Column("source_reliability", sa.String(length=1), nullable=False),
        sa.Column("information_reliability", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=30), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["cases_operations.id"], name=op.f("fk_cases_cases_operation_id_cases_operations")
        ),
        sa.ForeignKeyConstraint(
            ["owner_org_id"], ["organisations.id"], name=op.f("fk_cases_cases_owner_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_cases_reference")),
    )
    op.create_index(op.f("ix_cases_cases_operation_id"), "cases_cases", ["operation_id"], unique=False)
    op.create_index(op.f("ix_cases_cases_owner_org_id"), "cases_cases", ["owner_org_id"], unique=False)
    op.create_table(
        "cases_evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("custodian_org_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("ledger_queue_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_evidence_case_id_cases_cases")),
        sa.ForeignKeyConstraint(
            ["custodian_org_id"], ["organisations.id"], name=op.f("fk_cases_evidence_custodian_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"], name=op.f("fk_cases_evidence_sha256_blobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_evidence")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_evidence_reference")),
    )
    op.create_index(op.f("ix_cases_evidence_case_id"), "cases_evidence", ["case_id"], unique=False)
    op.create_table(
        "cases_links",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by_org_id", sa.String(length=36), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_links_case_id_cases_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_links")),
        sa.UniqueConstraint("case_id", "record_type", "record_id", name=op.f("uq_cases_links_case_id")),
    )
    op.create_index(op.f("ix_cases_links_case_id"), "cases_links", ["case_id"], unique=False)
    op.create_index(op.f("ix_cases_links_record_id"), "cases_links", ["record_id"], unique=False)
    op.create_table(
        "cases_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("author_org_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_org_id"], ["organisations.id"], name=op.f("fk_cases_notes_author_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_notes_case_id_cases_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_notes")),
    )
    op.create_index(op.f("ix_cases_notes_case_id"), "cases_notes", ["case_id"], unique=False)
    op.create_table(
        "cases_participants",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases_cases.id"], name=op.f("fk_cases_participants_case_id_cases_cases")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_cases_participants_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_participants")),
        sa.UniqueConstraint("case_id", "organisation_id", name=op.f("uq_cases_participants_case_id")),
    )
    op.create_index(op.f("ix_cases_participants_case_id"), "cases_participants", ["case_id"], unique=False)
    op.create_table(
        "cases_permissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("granted_by", sa.String(length=36), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_permissions_case_id_cases_cases")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_cases_permissions_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_permissions")),
        sa.UniqueConstraint("case_id", "organisation_id", "kind", name=op.f("uq_cases_permissions_case_id")),
    )
    op.create_index(op.f("ix_cases_permissions_case_id"), "cases_permissions", ["case_id"], unique=False)
    op.create_table(
        "cases_results",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seizures", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("value_cents", sa.Integer(), nullable=False),
        sa.Column("arrests", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=80), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_results_case_id_cases_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_results")),
    )
    op.create_index("ix_cases_results_case_day", "cases_results", ["case_id", "day"], unique=False)
    op.create_table(
        "cases_tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("requested_by_org_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_org_id", sa.String(length=36), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_org_id"], ["organisations.id"], name=op.f("fk_cases_tasks_assigned_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_tasks_case_id_cases_cases")),
        sa.ForeignKeyConstraint(
            ["requested_by_org_id"], ["organisations.id"], name=op.f("fk_cases_tasks_requested_by_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_tasks")),
    )
    op.create_index(op.f("ix_cases_tasks_assigned_org_id"), "cases_tasks", ["assigned_org_id"], unique=False)
    op.create_index(op.f("ix_cases_tasks_case_id"), "cases_tasks", ["case_id"], unique=False)
    op.create_table(
        "cases_timeline",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases_cases.id"], name=op.f("fk_cases_timeline_case_id_cases_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_timeline")),
    )
    op.create_index(op.f("ix_cases_timeline_case_id"), "cases_timeline", ["case_id"], unique=False)
    op.create_table(
        "cases_custody",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by_user_id", sa.String(length=36), nullable=False),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("by_org_id", sa.String(length=36), nullable=False),
        sa.Column("to_org_id", sa.String(length=36), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("step_hash", sa.String(length=64), nullable=False),
        sa.Column("ledger_queue_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["cases_evidence.id"], name=op.f("fk_cases_custody_evidence_id_cases_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases_custody")),
        sa.UniqueConstraint("evidence_id", "seq", name=op.f("uq_cases_custody_evidence_id")),
    )
    op.create_index(op.f("ix_cases_custody_evidence_id"), "cases_custody", ["evidence_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_custody_evidence_id"), table_name="cases_custody")
    op.drop_table("cases_custody")
    op.drop_index(op.f("ix_cases_timeline_case_id"), table_name="cases_timeline")
    op.drop_table("cases_timeline")
    op.drop_index(op.f("ix_cases_tasks_case_id"), table_name="cases_tasks")
    op.drop_index(op.f("ix_cases_tasks_assigned_org_id"), table_name="cases_tasks")
    op.drop_table("cases_tasks")
    op.drop_index("ix_cases_results_case_day", table_name="cases_results")
    op.drop_table("cases_results")
    op.drop_index(op.f("ix_cases_permissions_case_id"), table_name="cases_permissions")
    op.drop_table("cases_permissions")
    op.drop_index(op.f("ix_cases_participants_case_id"), table_name="cases_participants")
    op.drop_table("cases_participants")
    op.drop_index(op.f("ix_cases_notes_case_id"), table_name="cases_notes")
    op.drop_table("cases_notes")
    op.drop_index(op.f("ix_cases_links_record_id"), table_name="cases_links")
    op.drop_index(op.f("ix_cases_links_case_id"), table_name="cases_links")
    op.drop_table("cases_links")
    op.drop_index(op.f("ix_cases_evidence_case_id"), table_name="cases_evidence")
    op.drop_table("cases_evidence")
    op.drop_index(op.f("ix_cases_cases_owner_org_id"), table_name="cases_cases")
    op.drop_index(op.f("ix_cases_cases_operation_id"), table_name="cases_cases")
    op.drop_table("cases_cases")
    op.drop_index(op.f("ix_cases_operations_owner_org_id"), table_name="cases_operations")
    op.drop_table("cases_operations")
