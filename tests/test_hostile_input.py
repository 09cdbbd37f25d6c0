"""Hostile input, generated: whatever a user types or a file holds, the tracker either stores it
exactly as given or refuses it with one line, a non-zero exit and nothing written.

Hypothesis drives the CLI (free text, dates, enum values, identifiers) and the list parsers
(random bytes, truncated and mutated files). Every example runs on SQLite and PostgreSQL.
"""

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from tests.conftest import Tracker, content_checksum

EXAMPLES = 25
hostile = settings(
    max_examples=EXAMPLES,
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


def refused_cleanly(result: Result) -> bool:
    """One `Error:` line on stderr and exit 1 or 2 (usage); never a traceback."""
    lines = result.stderr.strip().splitlines()
    return (
        result.exit_code in (1, 2)
        and len(lines) == 1
        and lines[0].startswith("Error: ")
        and isinstance(result.exception, SystemExit | None)
    )


def assert_stored_exactly_or_refused(
    tracker: Tracker, before: str, result: Result, stored: object, given_text: str
) -> None:
    if result.exit_code == 0:
        assert stored == given_text
    else:
        assert refused_cleanly(result), (result.exit_code, result.output, result.exception)
        assert content_checksum(tracker.url) == before


@hostile
@given(name=free_text)
@example(name="Cártel de los Soles")
def test_an_entity_name_is_kept_exactly_or_refused(tracker: Tracker, name: str) -> None:
    """Names come back byte for byte; unstorable or oversized ones are one-line errors."""
    key = f"k-{next(keys)}"
    before = content_checksum(tracker.url)
    result = tracker("entity", "add", "--kind", "organization", "--key", key, "--", name)
    shown = tracker.json("entity", "show", key) if result.exit_code == 0 else None
    stored = shown["entity"]["name"] if shown else None
    assert_stored_exactly_or_refused(tracker, before, result, stored, name)


@hostile
@given(alias=free_text, summary=free_text)
def test_aliases_and_statements_are_kept_exactly_or_refused(
    tracker: Tracker, alias: str, summary: str
) -> None:
    """An alias and a response's summary, the two other texts users paste most."""
    key = f"k-{next(keys)}"
    tracker.ok("entity", "add", "Target", "--kind", "organization", "--key", key)
    before = content_checksum(tracker.url)
    result = tracker("entity", "alias", "add", "--", key, alias)
    shown = tracker.json("entity", "show", key)["aliases"]
    stored = shown[0]["name"] if result.exit_code == 0 else None
    assert_stored_exactly_or_refused(tracker, before, result, stored, alias)

    before = content_checksum(tracker.url)
    result = tracker(
        "response", "add", "--by", key, "--about", f"entity:{key}", "--stance", "rejects",
        "--on", "2025-11-24", f"--summary={summary}", "--format", "json",
    )  # fmt: skip
    stored = _json(result)["response"]["summary"] if result.exit_code == 0 else None
    assert_stored_exactly_or_refused(tracker, before, result, stored, summary)


@hostile
@given(
    date=st.one_of(
        st.text(ANY_CHARACTER, max_size=12),
        st.from_regex(r"\A-?[0-9]{1,5}(-[0-9]{1,3}){0,3}\Z"),
        st.dates().map(str),
    )
)
@example(date="2025-02-30")
@example(date="0000-01-01")
@example(date="2025-13")
def test_any_date_is_parsed_or_refused(tracker: Tracker, date: str) -> None:
    """A date is a valid (partial) ISO date or a one-line error; nothing else is stored."""
    key = f"k-{next(keys)}"
    tracker.ok("entity", "add", "Target", "--kind", "organization", "--key", key)
    before = content_checksum(tracker.url)
    result = tracker(
        "designate", key, "--authority", "us-state", "--list", "FTO", f"--effective={date}",
        "--format", "json",
    )  # fmt: skip
    if result.exit_code == 0:
        stored = _json(result)["designation"]["effective_on"]
        assert date.startswith(stored) or stored == date.strip()
    else:
        assert refused_cleanly(result), result.output
        assert content_checksum(tracker.url) == before


@hostile
@given(kind=st.text(ANY_CHARACTER, max_size=20), stance=st.text(ANY_CHARACTER, max_size=20))
@example(kind="organisation", stance="REJECTS")
def test_unknown_enum_values_are_usage_errors(tracker: Tracker, kind: str, stance: str) -> None:
    """Kinds and stances outside their lists are refused with exit code 2."""
    key = f"k-{next(keys)}"
    before = content_checksum(tracker.url)
    result = tracker("entity", "add", "Target", f"--kind={kind}", "--key", key)
    if kind not in {"person", "organization", "government", "vessel", "aircraft", "other"}:
        assert result.exit_code == 2, result.output
        assert refused_cleanly(result), result.output
        assert content_checksum(tracker.url) == before
    result = tracker(
        "response", "add", "--by", "nobody", "--about", "entity:nobody", f"--stance={stance}",
        "--on", "2025-01-01", "--summary", "x",
    )  # fmt: skip
    assert refused_cleanly(result), result.output


@hostile
@given(identifier=free_text)
@example(identifier="\x00")
def test_identifiers_and_lookups_never_reach_sql_as_text(tracker: Tracker, identifier: str) -> None:
    """Identifiers and keys typed anywhere are bound parameters: a lookup finds nothing."""
    result = tracker("entity", "show", "--", identifier)
    assert refused_cleanly(result), result.output  # not found (1), or unstorable text (2)
    result = tracker("entity", "list", "--format", "json")
    assert result.exit_code == 0


def _json(result: Result) -> Any:
    return json.loads(result.stdout)


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


def import_file(tracker: Tracker, path: Path) -> tuple[Result, str]:
    before = content_checksum(tracker.url)
    result = tracker("import", "ofac", str(path), "--published", "2025-01-02", "--quiet")
    return result, before


def assert_imported_or_refused(tracker: Tracker, result: Result, before: str) -> None:
    if result.exit_code != 0:
        assert refused_cleanly(result), (result.output, result.exception)
        assert content_checksum(tracker.url) == before


@hostile
@given(content=st.binary(max_size=2_000), name=st.sampled_from(["sdn.csv", "sdn.xml"]))
def test_random_bytes_are_refused(
    tracker: Tracker, tmp_path_factory: pytest.TempPathFactory, content: bytes, name: str
) -> None:
    """Whatever the bytes, the importer refuses them in one line and writes nothing."""
    path = tmp_path_factory.mktemp("bytes") / name
    path.write_bytes(content)
    result, before = import_file(tracker, path)
    assert_imported_or_refused(tracker, result, before)


@hostile
@given(cut=st.integers(0, len(VALID_XML) - 12))
def test_a_truncated_xml_file_is_refused(
    tracker: Tracker, tmp_path_factory: pytest.TempPathFactory, cut: int
) -> None:
    """An XML file cut anywhere before its end is never half-imported."""
    path = tmp_path_factory.mktemp("cut") / "sdn.xml"
    path.write_text(VALID_XML[:cut])
    result, before = import_file(tracker, path)
    assert result.exit_code == 1, result.output
    assert_imported_or_refused(tracker, result, before)


@hostile
@given(cells=st.lists(free_text, min_size=SDN_COLUMNS, max_size=SDN_COLUMNS))
def test_csv_rows_of_hostile_text_import_or_are_refused(
    tracker: Tracker, tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    """Well-formed rows of any text: imported as given or refused naming the line."""
    cells[0] = str(next(keys))  # ent_num
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    path = tmp_path_factory.mktemp("rows") / "sdn.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    result, before = import_file(tracker, path)
    assert_imported_or_refused(tracker, result, before)


# The importers' own tests cover each format's malformed files; these add random ones.
a_few = settings(hostile, max_examples=EXAMPLES // 2)


@a_few
@given(content=st.binary(max_size=2_000), kind=st.sampled_from(["un", "uk", "eu", "ftm"]))
def test_random_bytes_are_refused_by_every_list_format(
    tracker: Tracker, tmp_path_factory: pytest.TempPathFactory, content: bytes, kind: str
) -> None:
    """The UN, UK, EU and FtM parsers: any bytes are imported as a list says or refused in
    one line, with nothing written."""
    path = tmp_path_factory.mktemp("bytes") / "list.file"
    path.write_bytes(content)
    before = content_checksum(tracker.url)
    result = tracker("import", kind, str(path), "--quiet")
    assert_imported_or_refused(tracker, result, before)


@a_few
@given(name=free_text, alias=free_text, note=free_text, program=free_text)
def test_ftm_entities_of_hostile_text_import_or_are_refused(
    tracker: Tracker,
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
    before = content_checksum(tracker.url)
    result = tracker("import", "ftm", str(path), "--quiet", "--list", f"l{ident}")
    assert_imported_or_refused(tracker, result, before)
    if result.exit_code == 0 and name.strip():
        shown = tracker.json("entity", "list", "--format", "json")
        assert name in {entity["name"] for entity in shown["entities"]}
