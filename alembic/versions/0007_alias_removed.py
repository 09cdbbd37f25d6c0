"""alias removed: a name taken off an entity is an event, `alias-removed`

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = ('entity-added', 'entity-edited', 'alias-added', 'identifier-added', 'source-added',
               'authority-added', 'listed', 'effective', 'amended', 'revoked', 'delisted',
               'imposed', 'lifted', 'responded', 'linked', 'unlinked')
NEW_ACTIONS = (*OLD_ACTIONS[:3], 'alias-removed', *OLD_ACTIONS[3:])


def _action_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{action}'" for action in actions) + ")"


def upgrade() -> None:
    # The action's CHECK constraint learns the new word (on SQLite, by a table rebuild).
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _action_check(NEW_ACTIONS))


def downgrade() -> None:
    # The removals stay in the history as entity edits (the alias rows are gone either way).
    op.execute("UPDATE event SET action = 'entity-edited' WHERE action = 'alias-removed'")
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _action_check(OLD_ACTIONS))
