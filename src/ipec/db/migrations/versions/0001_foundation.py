"""foundation: organisations, users, sessions, tokens, audit, blobs, rights register

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)

    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('jurisdiction', sa.String(length=8), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    op.create_table('rights',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('right_id', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mark', sa.String(length=300), nullable=False),
    sa.Column('mark_key', sa.String(length=300), nullable=False),
    sa.Column('mark_type', sa.String(length=20), nullable=True),
    sa.Column('image_sha256', sa.String(length=64), nullable=True),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('office', sa.String(length=20), nullable=True),
    sa.Column('filing_date', sa.Date(), nullable=True),
    sa.Column('registration_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('madrid_ir_number', sa.String(length=40), nullable=True),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['organisations.id'], name=op.f('fk_rights_owner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights')),
    sa.UniqueConstraint('right_id', name=op.f('uq_rights_right_id'))
    )
    with op.batch_alter_table('rights', schema=None) as batch_op:
        batch_op.create_index('ix_rights_mark_key', ['mark_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_rights_owner_id'), ['owner_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_users_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_login_sessions'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('right_classes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('right_pk', sa.String(length=36), nullable=False),
    sa.Column('nice_class', sa.Integer(), nullable=False),
    sa.Column('goods_terms', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['right_pk'], ['rights.id'], name=op.f('fk_right_classes_right_pk_rights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_classes')),
    sa.UniqueConstraint('right_pk', 'nice_class', name=op.f('uq_right_classes_right_pk'))
    )
    with op.batch_alter_table('right_classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_classes_nice_class'), ['nice_class'], unique=False)
        batch_op.create_index(batch_op.f('ix_right_classes_right_pk'), ['right_pk'], unique=False)

    op.create_table('right_jurisdictions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('right_pk', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('via_madrid', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['right_pk'], ['rights.id'], name=op.f('fk_right_jurisdictions_right_pk_rights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_jurisdictions')),
    sa.UniqueConstraint('right_pk', 'code', name=op.f('uq_right_jurisdictions_right_pk'))
    )
    with op.batch_alter_table('right_jurisdictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_jurisdictions_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_right_jurisdictions_right_pk'), ['right_pk'], unique=False)

    op.create_table('right_parties',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('right_pk', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['right_pk'], ['rights.id'], name=op.f('fk_right_parties_right_pk_rights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_parties')),
    sa.UniqueConstraint('right_pk', 'name', 'role', name=op.f('uq_right_parties_right_pk'))
    )
    with op.batch_alter_table('right_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_parties_right_pk'), ['right_pk'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('right_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_parties_right_pk'))

    op.drop_table('right_parties')
    with op.batch_alter_table('right_jurisdictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_jurisdictions_right_pk'))
        batch_op.drop_index(batch_op.f('ix_right_jurisdictions_code'))

    op.drop_table('right_jurisdictions')
    with op.batch_alter_table('right_classes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_classes_right_pk'))
        batch_op.drop_index(batch_op.f('ix_right_classes_nice_class'))

    op.drop_table('right_classes')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('rights', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rights_owner_id'))
        batch_op.drop_index('ix_rights_mark_key')

    op.drop_table('rights')
    op.drop_table('organisations')
    op.drop_table('blobs')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
