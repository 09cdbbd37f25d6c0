"""Search quality on a real list: recall@1 and false positives on a labelled query set made
from the SDN list in ../shared/data (see tests/helpers/search_queries.py; the benchmark
`tests/benchmarks/bench_search.py` prints the same figures with timings)."""

from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA, Tracker, shared_file
from tests.helpers.search_queries import (
    SDN_EDITIONS,
    import_commands,
    listed_queries,
    ordinary_names,
)
from tracker.db import create_engine
from tracker.reports.search import search

LISTED_QUERIES = 300
ORDINARY_NAMES = 300


@pytest.fixture(scope="module")
def sdn_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds and every OFAC name in the shared data, imported once for the module."""
    for parts, _published in SDN_EDITIONS:
        shared_file(*parts)
    url = f"sqlite:///{tmp_path_factory.mktemp('sdn') / 'sdn.db'}"
    tracker = Tracker(url, CliRunner())
    for command in import_commands(SHARED_DATA):
        tracker.ok(*command)
    return url


def found_first(session: Session, text: str, expected: str) -> bool:
    """The expected entity is the best hit (or tied for best: identical listed names)."""
    hits = search(session, text, limit=20)
    return any(hit.key == expected for hit in hits if hit.score == hits[0].score)


def test_recall_at_1_is_at_least_95_percent(sdn_url: str) -> None:
    engine = create_engine(sdn_url)
    with Session(engine) as session:
        queries = listed_queries(session, "ofac-uid", LISTED_QUERIES)
        found = Counter(q.variant for q in queries if found_first(session, q.text, q.expected))
    engine.dispose()
    asked = Counter(q.variant for q in queries)
    assert len(queries) == LISTED_QUERIES
    recall = sum(found.values()) / len(queries)
    assert recall >= 0.95, {variant: f"{found[variant]}/{asked[variant]}" for variant in asked}


def test_no_ordinary_name_scores_above_the_default_threshold(sdn_url: str) -> None:
    engine = create_engine(sdn_url)
    with Session(engine) as session:
        flagged = {q.text: search(session, q.text, limit=1) for q in ordinary_names(ORDINARY_NAMES)}
    engine.dispose()
    assert {text: hits[0].matched for text, hits in flagged.items() if hits} == {}


def test_the_issue_examples(sdn_url: str, tmp_path: Path) -> None:
    tracker = Tracker(sdn_url, CliRunner())
    assert tracker.json("search", "Cartel of the Suns")["hits"][0]["key"] == "cartel-de-los-soles"
    maduro = tracker.json("search", "Nicolas Maduro")["hits"][0]
    assert (maduro["key"], maduro["name"]) == ("ofac-22790", "MADURO MOROS, Nicolas")
