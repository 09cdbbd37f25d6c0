"""stated vs observed dates, list entries, a source for every imported edition

An import used to copy an edition's publish date into a listing's stated start (and a later
edition's date into its stated end) when the list gave none. This revision keeps the two
apart: what imports observed moves to `first_seen_on`, `last_seen_on` and `removed_on`
(with the run that removed it), and the stated dates keep only what a source stated.

It also makes each imported edition a source that its runs, listings and events cite; moves
what each list said of an entity from `entity.details[<list>]` to a `list_entry` row (with a
digest, so a later edition tells changed entries from unchanged ones without reading them);
gives aliases a script and a source; lets an entity link carry a relation other than "same
target"; and adds the `delisted` status and the `authority-added` event.

The downgrade restores exactly what the previous revision held.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:21:31
"""

import hashlib
import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1_000
TEXT = sqlmodel.sql.sqltypes.AutoString
DATE = TEXT(length=10)

OLD_ACTIONS = ('entity-added', 'entity-edited', 'alias-added', 'identifier-added', 'source-added',
               'listed', 'effective', 'amended', 'revoked', 'delisted', 'imposed', 'lifted',
               'responded', 'linked', 'unlinked')
NEW_ACTIONS = (*OLD_ACTIONS[:5], 'authority-added', *OLD_ACTIONS[5:])
OLD_SUBJECTS = ('entity', 'alias', 'identifier', 'designation', 'sanction', 'response', 'source')
NEW_SUBJECTS = (*OLD_SUBJECTS, 'authority')
OLD_DESIGNATION_STATUSES = ('pending', 'active', 'suspended', 'expired', 'revoked', 'annulled',
                            'superseded')
NEW_DESIGNATION_STATUSES = (*OLD_DESIGNATION_STATUSES, 'delisted')
OLD_SANCTION_STATUSES = ('active', 'suspended', 'lifted', 'expired')
NEW_SANCTION_STATUSES = (*OLD_SANCTION_STATUSES, 'delisted')
OLD_PAIR_CHECK = 'entity_id < linked_entity_id'
NEW_PAIR_CHECK = ("entity_id < linked_entity_id OR (relation <> 'same-target'"
                  " AND entity_id <> linked_entity_id)")

# What the import formats of revision 0004 wrote: the list each format's runs belong to, the
# identifier scheme of its entries, and who publishes it where (for the edition's source).
FORMAT_AUTHORITY = {'ofac-xml': 'us-ofac', 'ofac-csv': 'us-ofac', 'un-xml': 'un-sc',
                    'uk-csv': 'uk', 'eu-csv': 'eu', 'ftm': 'ftm', 'ftm-delta': 'ftm'}
SCHEMES = {'us-ofac': 'ofac-uid', 'un-sc': 'un-ref', 'uk': 'uk-group-id',
           'eu': 'eu-logical-id', 'ftm': 'ftm'}
OFAC_EXPORTS = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/'
PUBLISHED = {
    'us-ofac': ('Office of Foreign Assets Control, US Department of the Treasury',
                'OFAC sanctions list'),
    'un-sc': ('United Nations Security Council', 'UN Security Council Consolidated List'),
    'uk': ('HM Treasury, Office of Financial Sanctions Implementation',
           'UK Consolidated List of Financial Sanctions Targets'),
    'eu': ('European Commission, Financial Sanctions Files',
           'EU consolidated list of financial sanctions'),
    'ftm': ('FollowTheMoney data', 'FollowTheMoney dataset'),
}
URLS = {
    ('ofac-csv', 'SDN'): OFAC_EXPORTS + 'SDN.CSV',
    ('ofac-csv', 'CONS'): OFAC_EXPORTS + 'CONS_PRIM.CSV',
    ('ofac-xml', 'SDN'): OFAC_EXPORTS + 'SDN.XML',
    ('ofac-xml', 'CONS'): OFAC_EXPORTS + 'CONSOLIDATED.XML',
    ('un-xml', None): 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
    ('uk-csv', None): 'https://ofsistorage.blob.core.windows.net/publishlive/ConList.csv',
    ('eu-csv', None): 'https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList/content',
}

source = sa.table('source', sa.column('id'), sa.column('title'), sa.column('publisher'),
                  sa.column('url'), sa.column('published_on'), sa.column('file_name'),
                  sa.column('sha256'))
import_run = sa.table('import_run', sa.column('id'), sa.column('format'), sa.column('list_code'),
                      sa.column('file_name'), sa.column('sha256'), sa.column('published_on'),
                      sa.column('list_key'), sa.column('complete'), sa.column('source_id'))
entity = sa.table('entity', sa.column('id'), sa.column('details', sa.JSON),
                  sa.column('source_id'))
identifier = sa.table('identifier', sa.column('id'), sa.column('entity_id'), sa.column('scheme'),
                      sa.column('value'), sa.column('source_id'))
alias = sa.table('alias', sa.column('id'), sa.column('entity_id'), sa.column('source_id'))
list_entry = sa.table('list_entry', sa.column('id'), sa.column('list_key'),
                      sa.column('identifier'), sa.column('entity_id'),
                      sa.column('content', sa.JSON), sa.column('digest'),
                      sa.column('first_seen_on'), sa.column('last_seen_on'),
                      sa.column('removed_on'), sa.column('removed_by_run_id'),
                      sa.column('source_id'))
event = sa.table('event', sa.column('id'), sa.column('action'), sa.column('subject_type'),
                 sa.column('subject_id'), sa.column('entity_id'), sa.column('occurred_on'),
                 sa.column('source_id'), sa.column('import_run_id'))
citation = sa.table('citation', sa.column('id'), sa.column('source_id'),
                    sa.column('designation_id'), sa.column('sanction_id'),
                    sa.column('response_id'))
entity_link = sa.table('entity_link', sa.column('id'), sa.column('relation'))


def _listing_table(name: str) -> sa.TableClause:
    start, end = ('effective_on', 'ended_on') if name == 'designation' else ('start_on', 'end_on')
    return sa.table(name, sa.column('id'), sa.column('entity_id'), sa.column('program'),
                    sa.column('status'), sa.column(start), sa.column(end),
                    sa.column('first_seen_on'), sa.column('last_seen_on'),
                    sa.column('removed_on'), sa.column('removed_by_run_id'),
                    sa.column('list_entry_id'), *([sa.column('status_text'),
                    sa.column('list_code'), sa.column('announced_on')]
                    if name == 'designation' else []))


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _date_shape(column: str) -> str:
    return f"{column} IS NULL OR length({column}) IN (4, 7, 10)"


def _not_before(later: str, earlier: str) -> str:
    return (f"{later} IS NULL OR {earlier} IS NULL OR {earlier} <= {later}"
            f" OR substr({earlier}, 1, length({later})) = {later}")


def _observed_checks(batch_op: Any) -> None:
    for column in ('first_seen_on', 'last_seen_on', 'removed_on'):
        batch_op.create_check_constraint(f'{column}_shape', _date_shape(column))
    batch_op.create_check_constraint('seen_in_order', _not_before('last_seen_on', 'first_seen_on'))
    batch_op.create_check_constraint('removed_after_seen', _not_before('removed_on', 'last_seen_on'))


def _observed_columns(batch_op: Any, table: str) -> None:
    for column in ('first_seen_on', 'last_seen_on', 'removed_on'):
        batch_op.add_column(sa.Column(column, DATE, nullable=True))
    batch_op.add_column(sa.Column('removed_by_run_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('list_entry_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('record_id', TEXT(length=256), nullable=True))
    for column in ('first_seen_on', 'list_entry_id', 'record_id', 'removed_on'):
        batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_list_entry_id_list_entry'),
                                'list_entry', ['list_entry_id'], ['id'])
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_removed_by_run_id_import_run'),
                                'import_run', ['removed_by_run_id'], ['id'])
    _observed_checks(batch_op)


def _source_column(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f(f'fk_{table}_source_id_source'), 'source',
                                    ['source_id'], ['id'])


def upgrade() -> None:
    op.create_table('list_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_key', TEXT(length=100), nullable=False),
    sa.Column('identifier', TEXT(length=256), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('digest', TEXT(length=32), nullable=False),
    sa.Column('first_seen_on', DATE, nullable=True),
    sa.Column('last_seen_on', DATE, nullable=True),
    sa.Column('removed_on', DATE, nullable=True),
    sa.Column('removed_by_run_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_date_shape('first_seen_on'), name=op.f('ck_list_entry_first_seen_on_shape')),
    sa.CheckConstraint(_date_shape('last_seen_on'), name=op.f('ck_list_entry_last_seen_on_shape')),
    sa.CheckConstraint(_date_shape('removed_on'), name=op.f('ck_list_entry_removed_on_shape')),
    sa.CheckConstraint(_not_before('last_seen_on', 'first_seen_on'), name=op.f('ck_list_entry_seen_in_order')),
    sa.CheckConstraint(_not_before('removed_on', 'last_seen_on'), name=op.f('ck_list_entry_removed_after_seen')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('fk_list_entry_entity_id_entity')),
    sa.ForeignKeyConstraint(['removed_by_run_id'], ['import_run.id'], name=op.f('fk_list_entry_removed_by_run_id_import_run')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_list_entry_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_entry')),
    sa.UniqueConstraint('list_key', 'identifier', name=op.f('uq_list_entry_list_key_identifier'))
    )
    with op.batch_alter_table('list_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_entry_entity_id'), ['entity_id'], unique=False)

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_name', TEXT(), nullable=True))
        batch_op.add_column(sa.Column('sha256', TEXT(length=64), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_source_url'), type_='unique')
        batch_op.create_index('uq_source_url', ['url'], unique=True,
                              sqlite_where=sa.text('sha256 IS NULL'),
                              postgresql_where=sa.text('sha256 IS NULL'))
        batch_op.create_index('uq_source_sha256', ['sha256'], unique=True)
    with op.batch_alter_table('alias', schema=None) as batch_op:
        batch_op.add_column(sa.Column('script', TEXT(length=32), nullable=True))
    for table in ('alias', 'authority', 'entity', 'identifier'):
        _source_column(table)
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_key', TEXT(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('complete', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index(batch_op.f('ix_import_run_list_key'), ['list_key'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_import_run_source_id_source'), 'source', ['source_id'], ['id'])
    with op.batch_alter_table('designation', schema=None) as batch_op:
        _observed_columns(batch_op, 'designation')
        batch_op.drop_constraint(op.f('ck_designation_designation_status'), type_='check')
        batch_op.create_check_constraint('designation_status', _check('status', NEW_DESIGNATION_STATUSES))
    with op.batch_alter_table('sanction', schema=None) as batch_op:
        _observed_columns(batch_op, 'sanction')
        batch_op.drop_constraint(op.f('ck_sanction_sanction_status'), type_='check')
        batch_op.create_check_constraint('sanction_status', _check('status', NEW_SANCTION_STATUSES))
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relation', TEXT(length=64), nullable=False, server_default='same-target'))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_entity_link_entity_id_linked_entity_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_entity_link_entity_id_linked_entity_id_relation'), ['entity_id', 'linked_entity_id', 'relation'])
        batch_op.create_foreign_key(batch_op.f('fk_entity_link_source_id_source'), 'source', ['source_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_entity_link_ordered_pair'), type_='check')
        batch_op.create_check_constraint('ordered_pair', NEW_PAIR_CHECK)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _check('action', NEW_ACTIONS))
        batch_op.drop_constraint(op.f('ck_event_subject_type'), type_='check')
        batch_op.create_check_constraint('subject_type', _check('subject_type', NEW_SUBJECTS))

    _ObservedHistory(op.get_bind()).write()

    with op.batch_alter_table('entity', schema=None) as batch_op:
        batch_op.drop_column('details')
    # The defaults only filled in the rows already there; new rows get theirs from tracker.
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.alter_column('list_key', server_default=None)
        batch_op.alter_column('complete', server_default=None)
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.alter_column('relation', server_default=None)


def _digest(content: dict[str, Any]) -> str:
    """The digest tracker keeps of what an edition said of an entry."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


class _ObservedHistory:
    """Reads what revision 0004 wrote and writes it as the stated / observed split."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.runs: dict[int, Any] = {}  # run id -> row (with its list_key)
        self.run_dates: dict[str, list[str]] = defaultdict(list)  # list_key -> sorted dates
        self.entries: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}

    def write(self) -> None:
        self._runs()
        self._entries()
        open_entries = self._listings('designation') | self._listings('sanction')
        self._entry_presence(open_entries)
        self._events_and_names()

    def _runs(self) -> None:
        """Each run gets its list and a source: the edition it imported."""
        by_sha: dict[str, int] = {}
        for run in self.connection.execute(sa.select(import_run).order_by(import_run.c.id)).all():
            authority = FORMAT_AUTHORITY.get(run.format, 'ftm')
            list_key = f'{authority}/{run.list_code}'
            source_id = by_sha.get(run.sha256)
            if source_id is None:
                publisher, title = PUBLISHED[authority]
                url = URLS.get((run.format, run.list_code)) or URLS.get((run.format, None))
                source_id = self.connection.execute(
                    sa.insert(source).returning(source.c.id),
                    {'title': f'{title} {run.list_code}, edition of {run.published_on}',
                     'publisher': publisher, 'url': url, 'published_on': run.published_on,
                     'file_name': run.file_name, 'sha256': run.sha256},
                ).scalar_one()
                by_sha[run.sha256] = source_id
            self.connection.execute(
                sa.update(import_run).where(import_run.c.id == run.id).values(
                    list_key=list_key, source_id=source_id, complete=run.format != 'ftm-delta'
                )
            )
            self.runs[run.id] = SimpleNamespace(**{**run._mapping, 'list_key': list_key,
                                                   'source_id': source_id})
            if run.published_on:
                self.run_dates[list_key].append(run.published_on)
        for dates in self.run_dates.values():
            dates.sort()

    def _entries(self) -> None:
        """What each list said of an entity becomes a list entry, keyed by its identifier."""
        identifiers: dict[tuple[int, str], list[str]] = defaultdict(list)
        for entity_id, scheme, value in self.connection.execute(
            sa.select(identifier.c.entity_id, identifier.c.scheme, identifier.c.value)
            .where(identifier.c.scheme.in_(list(SCHEMES.values())))
            .order_by(identifier.c.id)
        ):
            identifiers[(entity_id, scheme)].append(value)
        first_seen = self._first_seen()
        rows = []
        for entity_id, details in self.connection.execute(
            sa.select(entity.c.id, entity.c.details).where(entity.c.details.is_not(None))
            .order_by(entity.c.id)
        ):
            used: dict[str, int] = defaultdict(int)
            for list_key, content in (details or {}).items():
                if '/' not in list_key or not isinstance(content, dict):
                    continue
                scheme = SCHEMES.get(list_key.split('/', 1)[0], 'ftm')
                values = identifiers.get((entity_id, scheme)) or [f'entity-{entity_id}']
                value = values[min(used[scheme], len(values) - 1)]
                used[scheme] += 1
                seen = first_seen.get((entity_id, list_key)) or (self.run_dates[list_key] or [None])[0]
                rows.append({'list_key': list_key, 'identifier': value, 'entity_id': entity_id,
                             'content': content, 'digest': _digest(content),
                             'first_seen_on': seen, 'last_seen_on': seen,
                             'source_id': self._source_on(list_key, seen)})
        contents = {(row['list_key'], row['entity_id']): row['content'] for row in rows}
        for chunk in _chunks(rows):
            # An entity has one entry per list: (list, entity) tells the rows apart.
            inserted = self.connection.execute(
                sa.insert(list_entry).returning(list_entry.c.id, list_entry.c.list_key,
                                                list_entry.c.entity_id),
                chunk,
            )
            for entry_id, list_key, entity_id in inserted:
                self.entries[(list_key, entity_id)] = (entry_id, contents[(list_key, entity_id)])

    def _first_seen(self) -> dict[tuple[int, str], str]:
        """(entity, list) -> the date of the first run of that list with an event on it."""
        earliest: dict[tuple[int, str], str] = {}
        for entity_id, run_id in self.connection.execute(
            sa.select(event.c.entity_id, event.c.import_run_id)
            .where(event.c.import_run_id.is_not(None), event.c.entity_id.is_not(None))
        ):
            run = self.runs[run_id]
            key = (entity_id, run.list_key)
            if run.published_on and (key not in earliest or run.published_on < earliest[key]):
                earliest[key] = run.published_on
        return earliest

    def _source_on(self, list_key: str, day: str | None) -> int | None:
        for run in self.runs.values():
            if run.list_key == list_key and run.published_on == day:
                return run.source_id
        return next((run.source_id for run in self.runs.values() if run.list_key == list_key), None)

    def _last_seen(self, list_key: str, first: str | None, removed: str | None) -> str | None:
        """The latest edition of the list before `removed` (or of all, while still listed)."""
        dates = self.run_dates[list_key]
        before = dates[: bisect_left(dates, removed)] if removed else dates
        later = [day for day in before if first is None or day >= first]
        return later[-1] if later else first

    def _listings(self, name: str) -> set[int]:
        """Listings an import made: their entry, observed dates, invented dates removed.
        Returns the entries that still have a listing in force."""
        table = _listing_table(name)
        start, end = ('effective_on', 'ended_on') if name == 'designation' else ('start_on', 'end_on')
        made, ended = self._runs_of(name)
        updates, citations, open_entries = [], [], set()
        rows = [row for ids in _chunks(list(made))
                for row in self.connection.execute(sa.select(table).where(table.c.id.in_(ids)))]
        for row in rows:
            run = self.runs[made[row.id]]
            entry = self.entries.get((run.list_key, row.entity_id))
            stated = _stated(entry[1] if entry else {}, row.program)
            values: dict[str, Any] = {'id': row.id, 'first_seen_on': run.published_on,
                                      'list_entry_id': entry[0] if entry else None}
            if getattr(row, start) == run.published_on and run.published_on not in stated['starts']:
                values[start] = None
            removal = self.runs.get(ended.get(row.id, -1))
            removed = None
            # Ended by an import on the date of the edition that dropped it, which the list
            # never stated: an observation. An end the list stated is kept as stated.
            if (removal is not None and getattr(row, end) == removal.published_on
                    and getattr(row, end) not in stated['ends']):
                removed = getattr(row, end)
                values |= {end: None, 'removed_on': removed, 'removed_by_run_id': removal.id,
                           'status': 'delisted'}
            if not getattr(row, end) and removed is None and entry:
                open_entries.add(entry[0])
            values['last_seen_on'] = self._last_seen(run.list_key, run.published_on, removed)
            if name == 'designation' and _invented_status(row.status_text, row.list_code):
                values['status_text'] = None
            updates.append(values)
            for cause in (run, removal):
                if cause is not None:
                    citations.append({'source_id': cause.source_id, f'{name}_id': row.id})
        for chunk in _chunks(updates):
            by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for values in chunk:
                by_columns[tuple(sorted(values))].append(values)
            for columns, group in by_columns.items():
                statement = sa.update(table).where(table.c.id == sa.bindparam('row_id')).values(
                    {column: sa.bindparam(column) for column in columns if column != 'id'}
                )
                self.connection.execute(statement, [{**v, 'row_id': v['id']} for v in group])
        if citations:
            unique = {(c['source_id'], c.get('designation_id'), c.get('sanction_id')): c for c in citations}
            rows = [{'designation_id': None, 'sanction_id': None, 'response_id': None, **c}
                    for c in unique.values()]
            for chunk in _chunks(rows):
                self.connection.execute(sa.insert(citation), chunk)
        return open_entries

    def _runs_of(self, name: str) -> tuple[dict[int, int], dict[int, int]]:
        """Listing id -> the run that made it, and -> the run that ended it."""
        made_by, ended_by = {}, {}
        subject = 'designation' if name == 'designation' else 'sanction'
        making, ending = ('listed', 'delisted') if name == 'designation' else ('imposed', 'lifted')
        for subject_id, action, run_id in self.connection.execute(
            sa.select(event.c.subject_id, event.c.action, event.c.import_run_id)
            .where(event.c.subject_type == subject, event.c.import_run_id.is_not(None),
                   event.c.action.in_([making, ending]))
            .order_by(event.c.id)
        ):
            if action == making:
                made_by.setdefault(subject_id, run_id)
            else:
                ended_by[subject_id] = run_id
        return made_by, ended_by

    def _entry_presence(self, open_entries: set[int]) -> None:
        """An entry is still on its list while a listing of it is, or (a bare entry) always."""
        for (list_key, _entity_id), (entry_id, content) in self.entries.items():
            if entry_id in open_entries or not content.get('programs'):
                last = self._last_seen(list_key, None, None)
                values = {'last_seen_on': last}
            else:
                removed = self._removal(entry_id)
                if removed is None:
                    continue
                values = {'removed_on': removed[0], 'removed_by_run_id': removed[1],
                          'last_seen_on': self._last_seen(list_key, None, removed[0])}
            self.connection.execute(
                sa.update(list_entry).where(list_entry.c.id == entry_id).values(values)
            )

    def _removal(self, entry_id: int) -> tuple[str, int] | None:
        """When the last listing of an entry left its list, and by which run."""
        for name in ('designation', 'sanction'):
            table = _listing_table(name)
            found = self.connection.execute(
                sa.select(table.c.removed_on, table.c.removed_by_run_id)
                .where(table.c.list_entry_id == entry_id, table.c.removed_on.is_not(None))
                .order_by(table.c.removed_on.desc())
            ).first()
            if found is not None:
                return found[0], found[1]
        return None

    def _events_and_names(self) -> None:
        """Imported events cite their run's edition; an entity an import made, its names and
        identifiers cite the edition that first showed it."""
        for run in self.runs.values():
            self.connection.execute(
                sa.update(event).where(event.c.import_run_id == run.id, event.c.source_id.is_(None))
                .values(source_id=run.source_id)
            )
        hand_made = set(self.connection.execute(
            sa.select(event.c.entity_id).where(event.c.action == 'entity-added')
        ).scalars())
        sources = dict(self.connection.execute(sa.select(list_entry.c.id, list_entry.c.source_id)).all())
        made, found = [], []
        for (list_key, entity_id), (entry_id, _content) in self.entries.items():
            first = sources.get(entry_id)
            if first is None:
                continue
            if entity_id not in hand_made:
                made.append({'row_id': entity_id, 'first': first})
            scheme = SCHEMES.get(list_key.split('/', 1)[0], 'ftm')
            found.append({'row_id': entity_id, 'b_scheme': scheme, 'first': first})
        first = sa.bindparam('first')
        for table, column in ((entity, entity.c.id), (alias, alias.c.entity_id)):
            statement = sa.update(table).where(
                column == sa.bindparam('row_id'), table.c.source_id.is_(None)
            ).values(source_id=first)
            for chunk in _chunks(made):
                self.connection.execute(statement, chunk)
        statement = sa.update(identifier).where(
            identifier.c.entity_id == sa.bindparam('row_id'),
            identifier.c.scheme == sa.bindparam('b_scheme'),
            identifier.c.source_id.is_(None),
        ).values(source_id=first)
        for chunk in _chunks(found):
            self.connection.execute(statement, chunk)


def _stated(content: dict[str, Any], program: str | None) -> dict[str, set[str]]:
    """The start and end dates the list itself stated for listings under `program`."""
    stated: dict[str, set[str]] = {'starts': set(), 'ends': set()}
    for item in content.get('listings', []):
        if (item.get('program') or None) == program:
            if item.get('listed_on'):
                stated['starts'].add(item['listed_on'])
            if item.get('ended_on'):
                stated['ends'].add(item['ended_on'])
    return stated


def _invented_status(text: str | None, list_code: str) -> bool:
    return bool(text) and (text.startswith(f'on the {list_code} list of ')
                           or text == f'removed from the {list_code} list')


def downgrade() -> None:
    connection = op.get_bind()
    _restore_invented_dates(connection)
    with op.batch_alter_table('entity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))
    details: dict[int, dict[str, Any]] = defaultdict(dict)
    for list_key, entity_id, content, removed_on in connection.execute(
        sa.select(list_entry.c.list_key, list_entry.c.entity_id, list_entry.c.content,
                  list_entry.c.removed_on).order_by(list_entry.c.id)
    ):
        if removed_on is None or content.get('programs'):  # 0004 dropped a bare entry's slot
            details[entity_id][list_key] = content
    for chunk in _chunks(list(details.items())):
        connection.execute(
            sa.update(entity).where(entity.c.id == sa.bindparam('row_id')).values(details=sa.bindparam('details')),
            [{'row_id': entity_id, 'details': value} for entity_id, value in chunk],
        )
    # Editions stop being sources (0004 could not hold two sources with one URL).
    editions = sa.select(source.c.id).where(source.c.sha256.is_not(None))
    connection.execute(sa.delete(citation).where(citation.c.source_id.in_(editions)))
    connection.execute(sa.update(event).where(event.c.source_id.in_(editions)).values(source_id=None))
    connection.execute(sa.delete(event).where(event.c.action == 'authority-added'))
    connection.execute(sa.delete(entity_link).where(entity_link.c.relation != 'same-target'))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_subject_type'), type_='check')
        batch_op.create_check_constraint('subject_type', _check('subject_type', OLD_SUBJECTS))
        batch_op.drop_constraint(op.f('ck_event_event_action'), type_='check')
        batch_op.create_check_constraint('event_action', _check('action', OLD_ACTIONS))
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entity_link_ordered_pair'), type_='check')
        batch_op.create_check_constraint('ordered_pair', OLD_PAIR_CHECK)
        batch_op.drop_constraint(batch_op.f('fk_entity_link_source_id_source'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_entity_link_entity_id_linked_entity_id_relation'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_entity_link_entity_id_linked_entity_id'), ['entity_id', 'linked_entity_id'])
        batch_op.drop_column('source_id')
        batch_op.drop_column('relation')
    for table, statuses in (('sanction', OLD_SANCTION_STATUSES),
                            ('designation', OLD_DESIGNATION_STATUSES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{table}_status'), type_='check')
            batch_op.create_check_constraint(f'{table}_status', _check('status', statuses))
            for check in ('first_seen_on_shape', 'last_seen_on_shape', 'removed_on_shape',
                          'seen_in_order', 'removed_after_seen'):
                batch_op.drop_constraint(op.f(f'ck_{table}_{check}'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_removed_by_run_id_import_run'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_list_entry_id_list_entry'), type_='foreignkey')
            for column in ('removed_on', 'record_id', 'list_entry_id', 'first_seen_on'):
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
            for column in ('record_id', 'list_entry_id', 'removed_by_run_id', 'removed_on',
                           'last_seen_on', 'first_seen_on'):
                batch_op.drop_column(column)
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_import_run_source_id_source'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_import_run_list_key'))
        batch_op.drop_column('complete')
        batch_op.drop_column('source_id')
        batch_op.drop_column('list_key')
    for table in ('identifier', 'entity', 'authority', 'alias'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_source_id_source'), type_='foreignkey')
            batch_op.drop_column('source_id')
    with op.batch_alter_table('alias', schema=None) as batch_op:
        batch_op.drop_column('script')
    with op.batch_alter_table('list_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_entry_entity_id'))
    op.drop_table('list_entry')
    connection.execute(sa.delete(source).where(source.c.sha256.is_not(None)))
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index('uq_source_sha256')
        batch_op.drop_index('uq_source_url', sqlite_where=sa.text('sha256 IS NULL'),
                            postgresql_where=sa.text('sha256 IS NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_source_url'), ['url'])
        batch_op.drop_column('sha256')
        batch_op.drop_column('file_name')


def _restore_invented_dates(connection: sa.Connection) -> None:
    """What revision 0004 wrote for an imported listing: the first edition's date as its
    start when the list gave none, the removing edition's date as its end, and its words.
    FollowTheMoney listings never had an invented start (their start is their identity)."""
    made_by_ftm = (
        sa.select(event.c.subject_id)
        .join(import_run, import_run.c.id == event.c.import_run_id)
        .where(import_run.c.format.like('ftm%'), event.c.action.in_(['listed', 'imposed']))
    )
    for name, start, end, ended in (('designation', 'effective_on', 'ended_on', 'revoked'),
                                    ('sanction', 'start_on', 'end_on', 'lifted')):
        table = _listing_table(name)
        imported = table.c.first_seen_on.is_not(None)
        undated = [table.c[start].is_(None), table.c.id.not_in(
            made_by_ftm.where(event.c.subject_type == name))]
        if name == 'designation':
            undated.append(table.c.announced_on.is_(None))
        connection.execute(sa.update(table).where(imported, *undated).values({start: table.c.first_seen_on}))
        connection.execute(
            sa.update(table).where(table.c.removed_on.is_not(None))
            .values({end: table.c.removed_on, 'status': ended})
        )
        if name == 'designation':
            listed = sa.literal('on the ') + table.c.list_code + ' list of ' + table.c.first_seen_on
            removed = sa.literal('removed from the ') + table.c.list_code + ' list'
            connection.execute(sa.update(table).where(imported, table.c.removed_on.is_(None), table.c.status_text.is_(None)).values(status_text=listed))
            connection.execute(sa.update(table).where(imported, table.c.removed_on.is_not(None)).values(status_text=removed))
