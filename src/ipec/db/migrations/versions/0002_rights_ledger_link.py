"""rights: remember the ledger entry of a right's latest registration or change

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rights") as batch:
        batch.add_column(sa.Column("ledger_queue_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rights") as batch:
        batch.drop_column("ledger_queue_id")
