"""customs: extension requests and expiry reminders of applications for action

Revision ID: customs_0002
Revises: customs_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "customs_0002"
down_revision = "customs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customs_applications") as batch:
        batch.add_column(sa.Column("extension_requested_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reminded_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customs_applications") as batch:
        batch.drop_column("reminded_on")
        batch.drop_column("extension_requested_on")
