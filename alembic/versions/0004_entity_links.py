"""entity links: the user's word that two entities are one target; linked / unlinked events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = ('entity-added', 'entity-edited', 'alias-added', 'identifier-added', 'source-added',
               'listed', 'effective', 'amended', 'revoked', 'delisted', 'imposed', 'lifted',
               'responded')
NEW_ACTIONS = (*OLD_ACTIONS, 'linked', 'unlinked')


def _action_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{action}'" for action in actions) + ")"


def upgrade() -> None:
    op.create_table('entity_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('linked_entity_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.CheckConstraint('entity_id < linked_entity_id', name=op.f('ck_entity_link_ordered_pair')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_entity_link_entity_id_entity')),
    sa.ForeignKeyConstraint(['linked_entity_id'], ['entity.id'], name=op.f('fk_entity_link_linked_entity_id_entity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_link')),
    sa.UniqueConstraint('entity_id', 'linked_entity_id', name=op.f('uq_entity_link_entity_id_linked_entity_id'))
    )
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_link_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_link_linked_entity_id'), ['linked_entity_id'], unique=False)
    # The action's CHECK constraint learns the two new words (on SQLite, by a table rebuild).
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _action_check(NEW_ACTIONS))


def downgrade() -> None:
    # Links go; their events stay in the history as entity edits.
    op.execute("UPDATE event SET action = 'entity-edited' WHERE action IN ('linked', 'unlinked')")
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _action_check(OLD_ACTIONS))
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_link_linked_entity_id'))
        batch_op.drop_index(batch_op.f('ix_entity_link_entity_id'))
    op.drop_table('entity_link')
