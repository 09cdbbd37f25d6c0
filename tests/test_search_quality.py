"""Search quality on a real list: recall@1 and false positives on a labelled query set made
from the SDN list in ../shared/data (see tests/helpers/search_queries.py; the benchmark
`tests/benchmarks/bench_search.py` prints the same figures with timings)."""

import shutil
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import Session

import tracker
from tests.conftest import SHARED_DATA, Cli, Templates, shared_file
from tests.helpers.search_queries import (
    SDN_EDITIONS,
    Query,
    import_commands,
    listed_queries,
    ordinary_names,
)
from tracker.db import create_engine

LISTED_QUERIES = 300
ORDINARY_NAMES = 300


@pytest.fixture(scope="module")
def sdn_url(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds and every OFAC name in the shared data (the same commands as the
    benchmark's), imported once for the run and copied for the module. The tests only read
    it."""
    for parts, _published in SDN_EDITIONS:
        shared_file(*parts)

    def build() -> str:
        path = templates.folder / "search-quality-sdn.db"
        building = templates.folder / "search-quality-sdn.building.db"
        building.unlink(missing_ok=True)
        cli = Cli(f"sqlite:///{building}")
        for command in import_commands(SHARED_DATA):
            cli.ok(*command)
        building.replace(path)
        return str(path)

    path = tmp_path_factory.mktemp("sdn") / "sdn.db"
    shutil.copyfile(templates.once("search-quality-sdn", build), path)
    return f"sqlite:///{path}"


@pytest.fixture
def sdn(sdn_url: str) -> Iterator[tracker.Tracker]:
    with tracker.connect(sdn_url) as db:
        yield db


def labelled(url: str) -> list[Query]:
    """The labelled queries about listed entries (the helper reads the entries directly)."""
    engine = create_engine(url)
    with Session(engine) as session:
        queries = listed_queries(session, "ofac-uid", LISTED_QUERIES)
    engine.dispose()
    return queries


def found_first(db: tracker.Tracker, text: str, expected: str | None) -> bool:
    """The expected entity is the best hit (or tied for best: identical listed names)."""
    hits = db.search(text, limit=20)
    return any(hit.entity.key == expected for hit in hits if hit.score == hits[0].score)


@pytest.mark.slow
def test_recall_at_1_is_at_least_95_percent(sdn_url: str, sdn: tracker.Tracker) -> None:
    queries = labelled(sdn_url)
    assert len(queries) == LISTED_QUERIES
    assert all(q.expected for q in queries)
    found = Counter(q.variant for q in queries if found_first(sdn, q.text, q.expected))
    asked = Counter(q.variant for q in queries)
    recall = sum(found.values()) / len(queries)
    assert recall >= 0.95, {variant: f"{found[variant]}/{asked[variant]}" for variant in asked}


@pytest.mark.parametrize("middle", [False, True], ids=["two names", "three names"])
def test_no_ordinary_name_scores_above_the_default_threshold(
    sdn: tracker.Tracker, middle: bool
) -> None:
    """Nobody listed: no hit. Three names spell initials some listed codes are ("Margot Otto
    Bakker", the aircraft "EP-MOB"): 1 in 40 such people was flagged at 0.9."""
    names = ordinary_names(ORDINARY_NAMES, middle=middle)
    assert len({q.text for q in names}) == ORDINARY_NAMES
    flagged = {q.text: sdn.search(q.text, limit=1) for q in names}
    assert {text: hits[0].matched for text, hits in flagged.items() if hits} == {}


def test_the_issue_examples(sdn_url: str) -> None:
    cli = Cli(sdn_url)
    [suns] = cli.json("search", "Cartel of the Suns", "--limit", "1")["hits"]
    assert (suns["entity"]["key"], suns["matched"]) == ("cartel-de-los-soles", "Cartel of the Suns")
    maduro = cli.json("search", "Nicolas Maduro")["hits"][0]
    assert (maduro["entity"]["key"], maduro["entity"]["name"]) == (
        "ofac-22790",
        "MADURO MOROS, Nicolas",
    )
    assert maduro["matched_as"] == "name"
    in_force = [(ref["authority"], ref["list"], ref["program"]) for ref in maduro["in_force"]]
    assert ("us-ofac", "SDN", "VENEZUELA") in in_force
    assert {ref["kind"] for ref in maduro["in_force"]} == {"designation"}
