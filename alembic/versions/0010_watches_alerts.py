"""watches, their alerts, and the webhook outbox

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only: no data moves, both directions are create / drop.
    op.create_table('watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('entity', 'program', 'list', 'name', name='watch_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('webhook_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('webhook_secret', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_watch_entity_id_entity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch'))
    )
    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_entity_id'), ['entity_id'], unique=False)

    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('listed', 'listed-elsewhere', 'delisted', 'amended', 'new-listing', 'name-match', 'screening-hit', 'screening-changed', name='alert_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('watch_id', sa.Integer(), nullable=True),
    sa.Column('screening_run_id', sa.Integer(), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('import_run_id', sa.Integer(), nullable=True),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_alert_entity_id_entity')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_alert_event_id_event')),
    sa.ForeignKeyConstraint(['import_run_id'], ['import_run.id'], name=op.f('fk_alert_import_run_id_import_run')),
    sa.ForeignKeyConstraint(['screening_run_id'], ['screening_run.id'], name=op.f('fk_alert_screening_run_id_screening_run')),
    sa.ForeignKeyConstraint(['watch_id'], ['watch.id'], name=op.f('fk_alert_watch_id_watch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
    sa.UniqueConstraint('watch_id', 'event_id', name=op.f('uq_alert_watch_id_event_id'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_raised_at'), ['raised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_watch_id'), ['watch_id'], unique=False)

    op.create_table('webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('watch_id', sa.Integer(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_webhook_delivery_alert_id_alert')),
    sa.ForeignKeyConstraint(['watch_id'], ['watch.id'], name=op.f('fk_webhook_delivery_watch_id_watch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_delivery'))
    )
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_delivery_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index('ix_webhook_delivery_pending', ['delivered_at', 'watch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_delivery_pending')
        batch_op.drop_index(batch_op.f('ix_webhook_delivery_alert_id'))

    op.drop_table('webhook_delivery')

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_watch_id'))
        batch_op.drop_index(batch_op.f('ix_alert_raised_at'))
        batch_op.drop_index(batch_op.f('ix_alert_entity_id'))

    op.drop_table('alert')

    with op.batch_alter_table('watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_entity_id'))

    op.drop_table('watch')
