"""screening memory: rows, runs, hits and the decisions on them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only: no data moves, both directions are create / drop.
    op.create_table('screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('hits_per_row', sa.Integer(), nullable=False),
    sa.Column('follow', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening')),
    sa.UniqueConstraint('name', name=op.f('uq_screening_name'))
    )

    op.create_table('screening_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('import_run_id', sa.Integer(), nullable=True),
    sa.Column('last_event_id', sa.Integer(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('raised', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_run_id'], ['import_run.id'], name=op.f('fk_screening_run_import_run_id_import_run')),
    sa.ForeignKeyConstraint(['screening_id'], ['screening.id'], name=op.f('fk_screening_run_screening_id_screening')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_run'))
    )
    with op.batch_alter_table('screening_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_run_screening_id'), ['screening_id'], unique=False)

    op.create_table('screening_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=False),
    sa.Column('row_key', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('birth_date', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('last_run_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('birth_date IS NULL OR length(birth_date) IN (4, 7, 10)', name=op.f('ck_screening_row_birth_date_shape')),
    sa.ForeignKeyConstraint(['last_run_id'], ['screening_run.id'], name=op.f('fk_screening_row_last_run_id_screening_run')),
    sa.ForeignKeyConstraint(['screening_id'], ['screening.id'], name=op.f('fk_screening_row_screening_id_screening')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_row')),
    sa.UniqueConstraint('screening_id', 'row_key', name=op.f('uq_screening_row_screening_id_row_key'))
    )
    with op.batch_alter_table('screening_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_row_screening_id'), ['screening_id'], unique=False)

    op.create_table('screening_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('matched', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('why', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sa.Enum('new', 'open', 'changed-since-decision', 'false-positive', 'match', name='hit_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=True),
    sa.Column('entity_state', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_screening_hit_entity_id_entity')),
    sa.ForeignKeyConstraint(['row_id'], ['screening_row.id'], name=op.f('fk_screening_hit_row_id_screening_row')),
    sa.ForeignKeyConstraint(['run_id'], ['screening_run.id'], name=op.f('fk_screening_hit_run_id_screening_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_hit'))
    )
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_hit_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index('ix_screening_hit_row_entity', ['row_id', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_hit_run_id'), ['run_id'], unique=False)

    op.create_table('screening_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.Enum('false-positive', 'match', name='verdict', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hit_id', sa.Integer(), nullable=True),
    sa.Column('last_event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_screening_decision_entity_id_entity')),
    sa.ForeignKeyConstraint(['hit_id'], ['screening_hit.id'], name=op.f('fk_screening_decision_hit_id_screening_hit')),
    sa.ForeignKeyConstraint(['row_id'], ['screening_row.id'], name=op.f('fk_screening_decision_row_id_screening_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_decision'))
    )
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.create_index('ix_screening_decision_row_entity', ['row_id', 'entity_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_decision_row_entity')

    op.drop_table('screening_decision')

    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_hit_run_id'))
        batch_op.drop_index('ix_screening_hit_row_entity')
        batch_op.drop_index(batch_op.f('ix_screening_hit_entity_id'))

    op.drop_table('screening_hit')

    with op.batch_alter_table('screening_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_row_screening_id'))

    op.drop_table('screening_row')

    with op.batch_alter_table('screening_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_run_screening_id'))

    op.drop_table('screening_run')

    op.drop_table('screening')
