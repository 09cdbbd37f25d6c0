"""match facts: the numbers, dates of birth and genders a screening weighs beside the name

A new table, `match_fact` (entity, list entry, kind, the value as stated and as compared),
indexed by (kind, compared value) so that an identifier finds its party. The upgrade fills it
from what each list entry's latest edition said (`list_entry.content`), read as an import
reads it. Screening rows gain the gender, kind and identifiers a file gave (their date of
birth and country were kept already). The downgrade drops both (the lists' words stay in the
entries).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1_000
KINDS = ('organization', 'person', 'company', 'government', 'state', 'vessel', 'aircraft',
         'other')


def upgrade() -> None:
    op.create_table('match_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('list_entry_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('document', 'birth', 'gender', name='fact_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('normalized', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_match_fact_entity_id_entity')),
    sa.ForeignKeyConstraint(['list_entry_id'], ['list_entry.id'], name=op.f('fk_match_fact_list_entry_id_list_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_fact'))
    )
    with op.batch_alter_table('match_fact', schema=None) as batch_op:
        batch_op.create_index('ix_match_fact_kind_normalized', ['kind', 'normalized'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_fact_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_fact_list_entry_id'), ['list_entry_id'], unique=False)
    with op.batch_alter_table('screening_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.Enum(*KINDS, name='entity_kind', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('identifiers', sa.JSON(), nullable=False, server_default='[]'))
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    """Rows for what every list entry held says, as an import of its edition writes them."""
    from tracker.importers.facts import entry_facts

    metadata = sa.MetaData()
    entry = sa.Table('list_entry', metadata, autoload_with=connection)
    table = sa.Table('match_fact', metadata, autoload_with=connection)
    last_id = 0
    while True:
        rows = list(connection.execute(
            sa.select(entry.c.id, entry.c.entity_id, entry.c.content)
            .where(entry.c.id > last_id).order_by(entry.c.id).limit(BATCH)
        ))
        if not rows:
            return
        last_id = rows[-1].id
        values = [
            {'entity_id': row.entity_id, 'list_entry_id': row.id, 'kind': kind.value,
             'value': value, 'normalized': normalized}
            for row in rows
            for kind, value, normalized in sorted(entry_facts(_content(row.content)))
        ]
        if values:
            connection.execute(table.insert(), values)


def _content(value: object) -> dict:
    """A JSON column as a dict (a reflected column on some drivers reads back as text)."""
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def downgrade() -> None:
    with op.batch_alter_table('screening_row', schema=None) as batch_op:
        batch_op.drop_column('identifiers')
        batch_op.drop_constraint(op.f('ck_screening_row_entity_kind'), type_='check')
        batch_op.drop_column('kind')
        batch_op.drop_column('gender')
    with op.batch_alter_table('match_fact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_fact_list_entry_id'))
        batch_op.drop_index(batch_op.f('ix_match_fact_entity_id'))
        batch_op.drop_index('ix_match_fact_kind_normalized')
    op.drop_table('match_fact')
