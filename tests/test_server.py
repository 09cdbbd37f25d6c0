"""`tracker serve`: the JSON API under /api/ answers what the CLI's `--format json` prints, a
page at a time; errors are problems; writes need the operator's token; limits hold."""

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import tracker
from tests.conftest import Cli
from tracker.db import create_engine, time_budget, transaction
from tracker.errors import OutOfTime
from tracker.server import ServerSettings, create_app
from tracker.server.cache import AnswerCache

TOKEN = "s3cret-token"
WRITER = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"


def client_for(url: str, **settings: Any) -> TestClient:
    return TestClient(create_app(ServerSettings(url=url, **settings)))


@pytest.fixture
def api(filled: Cli) -> Iterator[TestClient]:
    """The server on a database where every table holds rows, writes allowed with TOKEN."""
    with client_for(filled.url, token=TOKEN) as client:
        yield client


@pytest.fixture
def read_only(filled: Cli) -> Iterator[TestClient]:
    with client_for(filled.url) as client:
        yield client


def unpaged(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in ("next_cursor", "total")}


def every_page(api: TestClient, path: str, key: str, limit: int) -> list[Any]:
    """The items of every page of a list, following `next_cursor` to the end."""
    items: list[Any] = []
    cursor: str | None = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = api.get(path, params=params).json()
        items += page[key]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def assert_problem(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert words in body["detail"]
    assert "Traceback" not in response.text


# -- the same documents as the CLI ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "command"),
    [
        ("/api/entities/cartel-de-los-soles", ["entity", "show", "cartel-de-los-soles"]),
        ("/api/timeline/tren-de-aragua-cell-7", ["report", "timeline", "tren-de-aragua-cell-7"]),
        ("/api/compare/cartel-de-los-soles", ["report", "compare", "cartel-de-los-soles"]),
        ("/api/status?as_of=2025-12-01", ["report", "status", "--as-of", "2025-12-01"]),
        ("/api/status?as_of=2025-12-01&list=FTO&authority=us-state",
         ["report", "status", "--as-of", "2025-12-01", "--list", "FTO", "--authority", "us-state"]),
        ("/api/changes?since=2025-01-01&until=2025-12-31",
         ["report", "changes", "--since", "2025-01-01", "--until", "2025-12-31"]),
        ("/api/designations", ["designation", "list"]),
        ("/api/responses", ["response", "list"]),
        ("/api/sources", ["source", "list"]),
        ("/api/import-runs", ["import", "runs"]),
        ("/api/search?q=Cartel+of+the+Suns&as_of=2025-12-01&limit=10",
         ["search", "Cartel of the Suns", "--as-of", "2025-12-01"]),
        ("/api/watches", ["watch", "list"]),
        ("/api/alerts", ["alerts"]),
        ("/api/screenings", ["screen", "list"]),
        ("/api/screenings/filled", ["screen", "report", "filled"]),
    ],
)  # fmt: skip
def test_an_endpoint_answers_the_document_the_cli_prints(
    api: TestClient, filled: Cli, path: str, command: list[str]
) -> None:
    if "limit=" not in path:
        path += ("&" if "?" in path else "?") + "limit=500"  # one page: all of it
    served = api.get(path)
    assert served.status_code == 200, served.text
    assert unpaged(served.json()) == filled.json(*command)


def test_lists_come_a_page_at_a_time_and_the_pages_add_up_to_the_list(
    api: TestClient, filled: Cli
) -> None:
    everything = filled.json("entity", "list")["entities"]
    first = api.get("/api/entities", params={"limit": 7}).json()
    assert len(first["entities"]) == 7
    assert first["total"] == len(everything)
    assert every_page(api, "/api/entities", "entities", 7) == everything
    assert (
        every_page(api, "/api/designations", "designations", 10)
        == (filled.json("designation", "list")["designations"])
    )


def test_a_cursor_still_leads_on_after_rows_were_added_before_it(api: TestClient) -> None:
    first = api.get("/api/entities", params={"limit": 5}).json()
    seen = [entity["key"] for entity in first["entities"]]
    created = api.post("/api/entities", headers=WRITER,
                       json={"name": "Aaa First Of All", "kind": "organization"})  # fmt: skip
    assert created.status_code == 201
    rest = api.get("/api/entities", params={"limit": 500, "cursor": first["next_cursor"]})
    keys = [entity["key"] for entity in rest.json()["entities"]]
    assert keys[0] > seen[-1]  # straight after the last one seen: nothing repeated, none lost
    assert not set(keys) & set(seen)


def test_a_status_page_holds_the_listings_of_its_targets_and_the_whole_totals(
    api: TestClient, filled: Cli
) -> None:
    whole = filled.json("report", "status", "--as-of", "2025-12-01")
    page = api.get("/api/status", params={"as_of": "2025-12-01", "limit": 3}).json()
    assert page["targets"] == whole["targets"][:3]
    wanted = {i for target in page["targets"] for i in target["designations"]}
    assert {d["id"] for d in page["designations"]} == wanted
    assert page["totals"] == whole["totals"]
    assert page["coverage"] == whole["coverage"]
    assert page["total"] == len(whole["targets"])


def test_format_csv_is_the_table_the_cli_writes(api: TestClient, filled: Cli) -> None:
    served = api.get("/api/status", params={"as_of": "2025-12-01", "format": "csv"})
    assert served.headers["content-type"].startswith("text/csv")
    printed = filled.ok("report", "status", "--as-of", "2025-12-01", "--format", "csv").stdout
    assert served.text == printed
    rows = list(csv.DictReader(io.StringIO(served.text)))
    assert any(row["entity"] == "cartel-de-los-soles" for row in rows)


def test_coverage_says_what_the_imported_editions_cover(api: TestClient) -> None:
    document = api.get("/api/coverage", params={"as_of": "2025-01-15"}).json()
    sdn = next(row for row in document["coverage"] if row["list"] == "SDN")
    assert (sdn["observed_from"], sdn["observed_until"]) == ("2025-01-02", "2025-02-03")
    assert sdn["covers_as_of"] is True
    assert document["as_of"] == "2025-01-15"


def test_sync_runs_are_listed_with_their_outcome(api: TestClient, filled: Cli) -> None:
    document = api.get("/api/sync-runs", params={"outcome": "failed"}).json()
    assert unpaged(document) == filled.json("sync", "runs", "--outcome", "failed")
    assert [(run["name"], run["reason"]) for run in document["runs"]] == [("ofac-sdn", "HTTP 503")]
    assert api.get("/api/sync-runs", params={"outcome": "ok"}).json()["runs"] == []


def test_one_record_by_its_reference(api: TestClient, filled: Cli) -> None:
    listing = filled.json("designation", "list")["designations"][0]
    by_id = api.get(f"/api/designations/{listing['id']}").json()
    assert by_id["designation"] == listing
    ref = f"{listing['entity']['key']}/{listing['authority']}/{listing['list']}"
    assert api.get(f"/api/designations/{ref}").json()["designation"]["id"] == listing["id"]


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/entities/no-such-party", 404, "no entity 'no-such-party'"),
        ("/api/status?as_of=2025-13-40", 400, "as_of"),
        ("/api/changes?since=2025-06-01&until=2025-01-01", 400, "before"),
        ("/api/status?limit=0", 422, "limit"),
        ("/api/status?limit=abc", 422, "limit"),
        ("/api/status?limit=100000", 400, "at most 500"),
        ("/api/entities?cursor=not-a-cursor", 400, "cursor"),
        ("/api/designations?status=maybe", 422, "status"),
        ("/api/search", 400, "give a name or an identifier"),
        ("/api/no-such-endpoint", 404, "Not Found"),
    ],
)
def test_a_bad_request_is_a_problem_with_one_clear_line(
    api: TestClient, path: str, status: int, words: str
) -> None:
    assert_problem(api.get(path), status, words)


def test_a_missing_database_is_refused_at_start(tmp_path: Any) -> None:
    with pytest.raises(tracker.TrackerError, match=r"tracker db upgrade|does not exist"):
        create_app(ServerSettings(url=str(tmp_path / "none.db")))


# -- /api/match -------------------------------------------------------------------------


def test_match_ranks_hits_per_query_and_echoes_the_callers_ids(api: TestClient) -> None:
    body = {"queries": [{"id": "c-1", "name": "Cartel of the Suns"},
                        {"id": "c-2", "name": "Jane Ordinary-Person"}],
            "as_of": "2025-12-01"}  # fmt: skip
    document = api.post("/api/match", json=body).json()
    first, second = document["results"]
    assert (first["id"], first["hits"][0]["entity"]["key"]) == ("c-1", "cartel-de-los-soles")
    assert first["hits"][0]["score"] >= 0.85
    assert second == {"id": "c-2", "name": "Jane Ordinary-Person", "hits": []}


def test_a_listed_identifier_is_a_match_whatever_the_name(api: TestClient) -> None:
    body = {"queries": [{"name": "Somebody Else", "identifiers": ["test-id:7"]}]}
    hits = api.post("/api/match", json=body).json()["results"][0]["hits"]
    assert hits[0]["entity"]["key"] == "tren-de-aragua-cell-7"


def test_match_with_a_kind_only_hits_parties_of_that_kind(api: TestClient) -> None:
    body = {"queries": [{"name": "Cartel de los Soles", "kind": "person"}], "threshold": 0.5}
    hits = api.post("/api/match", json=body).json()["results"][0]["hits"]
    assert all(hit["entity"]["kind"] == "person" for hit in hits)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"queries": []}, 422, "queries"),
        ({"queries": [{"name": ""}]}, 422, "name"),
        ({"queries": [{"name": "x", "birthday": "1970"}]}, 422, "birthday"),
        ({"queries": [{"name": "x"}], "threshold": 2}, 422, "threshold"),
        ({"queries": [{"name": "x"}] * 101}, 400, "at most 100"),
    ],
)
def test_a_bad_match_request_is_refused(
    api: TestClient, body: dict[str, Any], status: int, words: str
) -> None:
    assert_problem(api.post("/api/match", json=body), status, words)


# -- writes -----------------------------------------------------------------------------

NEW_ENTITY = {"name": "Frente Nuevo", "kind": "organization", "country": "VE"}


def test_writes_need_the_token(api: TestClient) -> None:
    response = api.post("/api/entities", json=NEW_ENTITY)
    assert_problem(response, 401, "bearer token")
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_problem(api.post("/api/entities", json=NEW_ENTITY, headers=wrong), 401, "token")
    assert_problem(api.get("/api/entities/frente-nuevo"), 404, "no entity")


def test_a_server_without_a_token_is_read_only(read_only: TestClient) -> None:
    assert_problem(read_only.post("/api/entities", json=NEW_ENTITY, headers=WRITER), 403,
                   "read-only")  # fmt: skip


def test_recorded_facts_are_there_for_the_next_reader(api: TestClient) -> None:
    entity = api.post("/api/entities", json=NEW_ENTITY, headers=WRITER)
    assert entity.status_code == 201
    assert entity.json()["entity"]["key"] == "frente-nuevo"
    listing = api.post("/api/designations", headers=WRITER, json={
        "entity": "frente-nuevo", "authority": "us-state", "list": "FTO",
        "announced": "2026-01-05", "effective": "2026-01-12",
        "sources": ["https://www.state.gov/frente-nuevo"]})  # fmt: skip
    assert listing.status_code == 201
    designation_id = listing.json()["designation"]["id"]
    answer = api.post("/api/responses", headers=WRITER, json={
        "by": "government-of-venezuela", "about": f"designation:{designation_id}",
        "stance": "rejects", "on": "2026-01-06", "summary": "Rejected."})  # fmt: skip
    assert answer.status_code == 201
    profile = api.get("/api/entities/frente-nuevo", params={"as_of": "2026-02-01"}).json()
    assert [d["status"] for d in profile["designations"]] == ["active"]
    assert [r["stance"] for r in profile["responses"]] == ["rejects"]


def test_a_duplicate_or_a_bad_value_writes_nothing(api: TestClient) -> None:
    assert api.post("/api/entities", json=NEW_ENTITY, headers=WRITER).status_code == 201
    assert_problem(api.post("/api/entities", json=NEW_ENTITY, headers=WRITER), 409, "exists")
    before = api.get("/api/designations").json()["total"]
    bad = {"entity": "frente-nuevo", "authority": "us-state", "list": "FTO", "effective": "soon"}
    assert_problem(api.post("/api/designations", json=bad, headers=WRITER), 400, "soon")
    assert api.get("/api/designations").json()["total"] == before


# -- limits -----------------------------------------------------------------------------


def test_an_oversized_body_is_413_declared_or_streamed(filled: Cli) -> None:
    with client_for(filled.url, max_body_bytes=1000) as small:
        big = json.dumps({"queries": [{"name": "x" * 400}] * 5})
        declared = small.post("/api/match", content=big,
                              headers={"content-type": "application/json"})  # fmt: skip
        assert_problem(declared, 413, "1,000 bytes")
        chunks = (part.encode() for part in [big[:600], big[600:]])
        streamed = small.post("/api/match", content=chunks,
                              headers={"content-type": "application/json"})  # fmt: skip
        assert_problem(streamed, 413, "larger than")


def test_a_request_past_its_time_budget_is_refused(filled: Cli) -> None:
    with client_for(filled.url, time_budget_seconds=1e-9) as hurried:
        assert_problem(hurried.get("/api/status"), 503, "time")


def test_the_time_budget_stops_a_statement_already_running(engine: str, db_url: str) -> None:
    endless = {
        "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT count(*) FROM n",
        "postgresql": "SELECT pg_sleep(30)",
    }[engine]
    database = create_engine(db_url)
    with (
        pytest.raises(sa.exc.OperationalError) as stopped,
        time_budget(0.2),
        transaction(database, read_only=True) as session,
    ):
        session.execute(sa.text(endless))
    assert "interrupted" in str(stopped.value) or "canceling statement" in str(stopped.value)
    with tracker.connect(db_url) as db, time_budget(0.0), pytest.raises(OutOfTime):
        db.status()
    database.dispose()


# -- what any input does ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE entity; --", "<script>alert(1)</script>", "%00", "\u202e", "🙂" * 50]
)
def test_sql_like_and_script_like_input_is_inert(api: TestClient, text: str) -> None:
    for path in ("/api/search", "/"):
        response = api.get(path, params={"q": text})
        assert response.status_code in (200, 400), response.text
    page = api.get("/", params={"q": text}).text
    assert "<script>alert(1)" not in page
    assert api.get("/api/entities/cartel-de-los-soles").status_code == 200


def test_a_cached_report_is_rebuilt_after_a_write(api: TestClient) -> None:
    def frente_listed() -> bool:
        status = api.get("/api/status", params={"as_of": "2026-02-01", "limit": 500}).json()
        return any(target["entity"]["key"] == "frente-nuevo" for target in status["targets"])

    assert not frente_listed()
    assert api.post("/api/entities", json=NEW_ENTITY, headers=WRITER).status_code == 201
    listing = {"entity": "frente-nuevo", "authority": "us-state", "list": "FTO",
               "effective": "2026-01-12"}  # fmt: skip
    assert api.post("/api/designations", json=listing, headers=WRITER).status_code == 201
    assert frente_listed()


def test_serve_refuses_a_missing_database_in_one_line(tmp_path: Any) -> None:
    result = Cli(str(tmp_path / "none.db"))("serve", "--port", "8799")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: no database at {tmp_path / 'none.db'}: run `tracker db upgrade`"
        " (or `tracker demo`) first"
    ]


def test_a_question_asked_while_it_is_answered_waits_for_that_answer() -> None:
    class Unchanging:
        def data_version(self) -> tuple[int, int]:
            return (1, 1)

    cache = AnswerCache(Unchanging())  # type: ignore[arg-type]
    started, release = threading.Event(), threading.Event()
    built: list[int] = []

    def slow_answer() -> str:
        built.append(1)
        started.set()
        release.wait(5)
        return "report"

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(cache.get, "status", slow_answer)
        started.wait(5)
        others = [pool.submit(cache.get, "status", slow_answer) for _ in range(3)]
        time.sleep(0.2)  # the others are asking by now: without waiting, each would build it
        release.set()
        answers = [first.result(5), *(other.result(5) for other in others)]
    assert answers == ["report"] * 4
    assert built == [1]


# -- watches, alerts, screenings --------------------------------------------------------


def test_alerts_are_acknowledged_with_the_token_and_filtered_by_unread(api: TestClient) -> None:
    """The filled database's watch raised an alert (the second edition amended its entity)."""
    unread = api.get("/api/alerts", params={"unread": "true"}).json()["alerts"]
    assert [alert["kind"] for alert in unread] == ["amended"]
    assert api.post("/api/alerts/ack", json={"all": True}).status_code == 401
    assert_problem(api.post("/api/alerts/ack", json={}, headers=WRITER), 400, "not both")
    acked = api.post("/api/alerts/ack", json={"ids": [unread[0]["id"]]}, headers=WRITER)
    assert acked.status_code == 200, acked.text
    assert acked.json()["acknowledged"] == 1
    assert api.get("/api/alerts", params={"unread": "true"}).json()["alerts"] == []
    assert_problem(api.post("/api/alerts/ack", json={"ids": [999999]}, headers=WRITER), 404, "")
    table = api.get("/api/alerts", params={"format": "csv"}).text
    assert table.startswith("id,raised_at,kind,summary")


def test_a_screening_hit_is_decided_over_http(api: TestClient, filled: Cli) -> None:
    body = {"row": "C-1", "entity": "ofac-9001", "verdict": "match", "note": "confirmed",
            "by": "reviewer"}  # fmt: skip
    assert api.post("/api/screenings/filled/decisions", json=body).status_code == 401
    made = api.post("/api/screenings/filled/decisions", json=body, headers=WRITER)
    assert made.status_code == 201, made.text
    assert (made.json()["decision"]["verdict"], made.json()["decision"]["decided_by"]) == (
        "match", "reviewer")  # fmt: skip
    report = api.get("/api/screenings/filled").json()
    assert [d["verdict"] for d in report["decisions"]][:2] == ["match", "false-positive"]
    wrong = api.post("/api/screenings/filled/decisions", headers=WRITER,
                     json={**body, "entity": "no-such-entity"})  # fmt: skip
    assert_problem(wrong, 404, "no-such-entity")
    assert_problem(api.get("/api/screenings/nobody"), 404, "nobody")


def test_the_alerts_page_lists_them_with_links_to_the_data(api: TestClient) -> None:
    page = api.get("/alerts", params={"kind": "amended"})
    assert page.status_code == 200
    assert "<h1>Alerts</h1>" in page.text
    assert 'href="/api/alerts?kind=amended"' in page.text
    assert "amended" in page.text
    assert '<a href="/alerts">Alerts</a>' in api.get("/").text
