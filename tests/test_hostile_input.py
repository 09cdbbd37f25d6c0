"""Hostile input, generated: whatever a user types or a file holds, the tracker either stores it
exactly as given or refuses it with one clear error, writing nothing.

Three layers, each where the rule lives. Hypothesis drives the validators and the list
parsers hard, without a database; a smaller number of examples goes through the API into both
engines (text stored byte for byte, or refused with the database unchanged); and a fixed table
of hostile values goes through the command line to check the one-line error and exit code.
"""

import csv
import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tracker
from tests.conftest import Cli, fingerprint
from tracker.dates import PartialDate
from tracker.errors import TrackerError
from tracker.importers.formats import FORMATS, read_edition
from tracker.validation import date_option

# Pure rules: many examples, no database.
thorough = settings(max_examples=200, deadline=None)
# Through the API into a database: fewer, on each engine.
stored = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SQL_LOOKING = [
    "'; DROP TABLE entity; --",
    "Robert'); DELETE FROM designation WHERE ('1'='1",
    "%' OR 1=1 --",
    "_%\\",
    '"; UPDATE event SET action = NULL; --',
    "$$; SELECT pg_sleep(10); $$",
]
# Every Unicode category, surrogates and control characters included.
ANY_CHARACTER = st.characters(exclude_categories=())
free_text = st.one_of(
    st.text(ANY_CHARACTER, min_size=1, max_size=60),
    st.sampled_from(SQL_LOOKING),
    st.text(st.sampled_from("\t\n\r\x0b\x0c\x1b\u200b\u202e\ufeff a"), min_size=1, max_size=8),
    st.integers(1_990, 2_200).map(lambda n: "Ω" * n),  # indexed text beyond its bound
)
keys = itertools.count()


def outcome(call: Callable[[], Any]) -> tuple[Any, str | None]:
    """What `call` returned, or the message of the `TrackerError` it raised."""
    try:
        return call(), None
    except TrackerError as error:
        return None, str(error)


# --- validators ------------------------------------------------------------------------------


@thorough
@given(
    text=st.one_of(
        st.text(ANY_CHARACTER, max_size=12),
        st.from_regex(r"\A-?[0-9]{1,5}(-[0-9]{1,3}){0,3}\Z"),
        st.dates().map(str),
    )
)
@example(text="2025-02-30")
@example(text="0000-01-01")
@example(text="2025-13")
def test_any_date_is_a_partial_iso_date_or_a_clear_error(text: str) -> None:
    """A date is a valid year, month or day (kept to the precision given) or an error naming
    the option; never another exception."""
    normalised, error = outcome(lambda: date_option(text, "effective"))
    if error is not None:
        assert error.startswith("effective: ")
        assert "\n" not in error
    elif text == "":
        assert normalised is None  # no date given
    else:
        assert normalised == str(PartialDate.parse(normalised)) == text.strip()


@thorough
@given(name=free_text)
@example(name="\x00")
@example(name="\ud800")
def test_entity_input_is_validated_before_any_database(name: str) -> None:
    """The validators alone decide: text that cannot be stored anywhere (NUL, a lone
    surrogate, beyond an index entry, blank) is refused naming the field."""
    from tracker.services.entities import EntityCreate
    from tracker.validation import validated

    data, error = outcome(lambda: validated(EntityCreate, name=name, kind="organization", key="k"))
    if error is not None:
        assert error.startswith("name: ")
    else:
        assert data.name == name


# --- parsers ---------------------------------------------------------------------------------

SDN_COLUMNS = 12
VALID_XML = """<?xml version="1.0"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>01/02/2025</Publish_Date><Record_Count>1</Record_Count>
  </publshInformation>
  <sdnEntry><uid>1</uid><lastName>ONE</lastName><sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList></sdnEntry>
</sdnList>
"""


def parse_all(path: Path, format: str | None = None) -> int:
    """Read a whole file the way an import does; the number of parties it holds."""
    edition = read_edition(path, format=format, published_on="2025-01-02")
    return sum(1 for _party in edition.parties)


def parsed_or_refused(path: Path, format: str | None = None) -> int | None:
    """The parties read, or None when the parser refused the file with a `TrackerError` of
    one line. Any other exception fails the test."""
    parties, error = outcome(lambda: parse_all(path, format))
    if error is not None:
        assert error.strip()
        assert "\n" not in error.strip(), error
    return parties


@thorough
@given(content=st.binary(max_size=2_000), format=st.sampled_from(FORMATS))
@example(content=b"\xef\xbb\xbf", format="ofac")
@example(content=b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
         format="un")  # fmt: skip
def test_random_bytes_are_parsed_or_refused_by_every_format(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, format: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "list.file"
    path.write_bytes(content)
    parsed_or_refused(path, format)


@thorough
@given(cut=st.integers(0, len(VALID_XML) - 12))
def test_a_truncated_xml_file_is_refused(
    tmp_path_factory: pytest.TempPathFactory, cut: int
) -> None:
    """An XML file cut anywhere before its end is refused, never read in part."""
    path = tmp_path_factory.mktemp("cut") / "sdn.xml"
    path.write_text(VALID_XML[:cut])
    assert parsed_or_refused(path, "ofac") is None


def hostile_csv(folder: Path, cells: list[str]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    path = folder / "sdn.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    return path


@thorough
@given(cells=st.lists(free_text, min_size=SDN_COLUMNS, max_size=SDN_COLUMNS))
def test_csv_rows_of_hostile_text_are_parsed_or_refused(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    cells[0] = "1"  # ent_num
    parsed_or_refused(hostile_csv(tmp_path_factory.mktemp("rows"), cells), "ofac")


# --- into the database, through the API --------------------------------------------------------


def stored_exactly_or_refused(db: tracker.Tracker, write, read, given_text: str) -> None:
    """`write()` either stores `given_text` (which `read()` returns) or raises a
    `TrackerError` leaving the database as it was."""
    before = fingerprint(db.url)
    try:
        write()
    except TrackerError:
        assert fingerprint(db.url) == before
        return
    assert read() == given_text


@stored
@given(name=free_text)
@example(name="Cártel de los Soles")
@example(name="\x00")
def test_an_entity_name_is_kept_exactly_or_refused(db: tracker.Tracker, name: str) -> None:
    key = f"k-{next(keys)}"
    stored_exactly_or_refused(
        db,
        lambda: db.add_entity(name, kind="organization", key=key),
        lambda: db.entity(key).entity.name,
        name,
    )


@stored
@given(alias=free_text, summary=free_text)
def test_aliases_and_statements_are_kept_exactly_or_refused(
    db: tracker.Tracker, alias: str, summary: str
) -> None:
    """An alias and a response's summary, the two other texts users paste most."""
    key = f"k-{next(keys)}"
    db.add_entity("Target", kind="organization", key=key, allow_duplicate=True)
    stored_exactly_or_refused(
        db, lambda: db.add_alias(key, alias), lambda: db.entity(key).aliases[0].name, alias
    )
    responses: list[str] = []
    stored_exactly_or_refused(
        db,
        lambda: responses.append(
            db.respond(
                by=key, about=f"entity:{key}", stance="rejects", on="2025-11-24", summary=summary
            ).summary
        ),
        lambda: responses[0],
        summary,
    )


@stored
@given(identifier=free_text)
@example(identifier="\x00")
@example(identifier="%")
@example(identifier="\ud800")  # a lone surrogate: psycopg cannot encode it
@example(identifier="²")  # a digit to str.isdigit(), not a number to int()
@example(identifier="٣")  # an Arabic-Indic three: a number to int()
def test_lookups_are_bound_parameters(db: tracker.Tracker, identifier: str) -> None:
    """Keys, ids and names typed anywhere never reach SQL as text: a lookup finds nothing or
    refuses text no database can hold, and a search answers."""
    with pytest.raises(TrackerError):
        db.entity(identifier)
    for lookup in (db.search, db.designation, db.sanction, db.screening_report):
        _found, error = outcome(lambda lookup=lookup: lookup(identifier))
        assert error is None or "\n" not in error


@stored
@given(cells=st.lists(free_text, min_size=SDN_COLUMNS, max_size=SDN_COLUMNS))
def test_csv_rows_of_hostile_text_import_exactly_or_are_refused(
    db: tracker.Tracker, tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    number = str(next(keys))
    cells[0] = number
    path = hostile_csv(tmp_path_factory.mktemp("rows"), cells)
    before = fingerprint(db.url)
    try:
        db.import_list(path, format="ofac", published="2025-01-02", force=True)
    except TrackerError:
        assert fingerprint(db.url) == before
        return
    if cells[1].strip():
        assert db.entity(f"ofac-{number}").entity.name == cells[1].strip()


@stored
@given(name=free_text, alias=free_text, note=free_text, program=free_text)
def test_ftm_entities_of_hostile_text_import_exactly_or_are_refused(
    db: tracker.Tracker,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    alias: str,
    note: str,
    program: str,
) -> None:
    """JSON can spell NUL and half a surrogate pair: an FtM entity with any text in its names,
    notes or sanction program is imported exactly or refused naming the entry."""
    ident = f"e-{next(keys)}"
    lines = [
        {"id": ident, "schema": "Person",
         "properties": {"name": [name], "alias": [alias], "notes": [note]}},
        {"id": f"{ident}-s", "schema": "Sanction",
         "properties": {"entity": [ident], "programId": [program], "authority": [note]}},
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("ftm") / "entities.ftm.json"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before = fingerprint(db.url)
    try:
        db.import_list(path, format="ftm", list=f"l{ident}")
    except TrackerError:
        assert fingerprint(db.url) == before
        return
    if name.strip():
        assert name in {entity.name for entity in db.entities()}


# --- the command line: one line, the right exit code -----------------------------------------

HOSTILE_COMMANDS = {
    "NUL in a name": (["entity", "add", "--kind", "organization", "--", "A\x00B"], 2, "NUL"),
    "a name beyond an index entry": (["entity", "add", "--kind", "organization", "Ω" * 1100],
                                     1, "too long"),
    "a blank name": (["entity", "add", "--kind", "organization", " \t"], 1, "must not be empty"),
    "an impossible date": (["designate", "target", "--authority", "us-state", "--list", "FTO",
                            "--effective", "2025-02-30"], 2, "impossible date"),
    "an unknown kind": (["entity", "add", "X", "--kind", "organisation"], 2, "organisation"),
    "an unknown stance": (["response", "add", "--by", "target", "--about", "entity:target",
                           "--stance", "REJECTS", "--on", "2025-01-01", "--summary", "x"], 2,
                          "REJECTS"),
    "SQL as a key": (["entity", "show", "--", "'; DROP TABLE entity; --"], 1, "no entity"),
    "random bytes as a list": (["import", "ofac", "{garbage}", "--quiet"], 1, "garbage.csv"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(HOSTILE_COMMANDS), ids=list(HOSTILE_COMMANDS))
def test_the_command_line_refuses_in_one_line(cli: Cli, tmp_path: Path, case: str) -> None:
    cli.ok("entity", "add", "Target", "--kind", "organization")
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\xff\xfe,\n\x81")
    args, exit_code, message = HOSTILE_COMMANDS[case]
    before = fingerprint(cli.url)
    result = cli(*(arg.replace("{garbage}", str(garbage)) for arg in args))
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == exit_code, result.output
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert isinstance(result.exception, SystemExit)
    assert fingerprint(cli.url) == before
