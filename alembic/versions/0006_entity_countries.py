"""entity countries: the nationalities, citizenships, addresses... lists tie entities to

A new table, `entity_country` (entity, ISO alpha-2 code, role, the list entry that says it,
the edition cited), indexed by (country, entity) for the country filter. The upgrade fills it
from what each list entry's latest edition said (`list_entry.content`), read as an import
reads it, each row citing that edition (the run of the entry's list dated `last_seen_on`);
the downgrade drops it (nothing else changes: what the lists said stays in the entries).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:27:08
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1_000
ROLES = ('nationality', 'citizenship', 'address', 'registration', 'jurisdiction', 'flag',
         'associated')


def upgrade() -> None:
    op.create_table('entity_country',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('role', sa.Enum(*ROLES, name='country_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('list_entry_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_entity_country_entity_id_entity')),
    sa.ForeignKeyConstraint(['list_entry_id'], ['list_entry.id'], name=op.f('fk_entity_country_list_entry_id_list_entry')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_entity_country_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_country')),
    sa.UniqueConstraint('list_entry_id', 'role', 'country', name=op.f('uq_entity_country_list_entry_id_role_country'))
    )
    with op.batch_alter_table('entity_country', schema=None) as batch_op:
        batch_op.create_index('ix_entity_country_country_entity_id', ['country', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_country_entity_id'), ['entity_id'], unique=False)
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    """Rows for what every list entry held says, as an import of its edition writes them."""
    # Read as imports read (the same spellings), so a migrated database holds what a fresh
    # import of the same editions would.
    from tracker.importers.countries import listed_countries

    metadata = sa.MetaData()
    entry = sa.Table('list_entry', metadata, autoload_with=connection)
    run = sa.Table('import_run', metadata, autoload_with=connection)
    table = sa.Table('entity_country', metadata, autoload_with=connection)
    editions = {
        (row.list_key, row.published_on): row.source_id
        for row in connection.execute(
            sa.select(run.c.list_key, run.c.published_on, run.c.source_id).order_by(run.c.id)
        )
    }
    last_id = 0
    while True:
        rows = list(connection.execute(
            sa.select(entry.c.id, entry.c.entity_id, entry.c.list_key, entry.c.content,
                      entry.c.last_seen_on, entry.c.source_id)
            .where(entry.c.id > last_id).order_by(entry.c.id).limit(BATCH)
        ))
        if not rows:
            return
        last_id = rows[-1].id
        values = [
            {'entity_id': row.entity_id, 'list_entry_id': row.id, 'role': role.value,
             'country': code,
             'source_id': editions.get((row.list_key, row.last_seen_on)) or row.source_id}
            for row in rows
            for role, code in sorted(listed_countries(_content(row.content)).ties)
        ]
        if values:
            connection.execute(table.insert(), values)


def _content(value: object) -> dict:
    """A JSON column as a dict (a reflected column on some drivers reads back as text)."""
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def downgrade() -> None:
    with op.batch_alter_table('entity_country', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_country_entity_id'))
        batch_op.drop_index('ix_entity_country_country_entity_id')
    op.drop_table('entity_country')
