"""Benchmark: screening quality on the labelled name pairs of tests/data/matching_set.csv.

Asked as a screen, the way the held-out set of issue 17 is: every stored name of the set is
recorded as an entity of its kind in a fresh SQLite database, then every query name is
searched at threshold 0 (all candidates scored). A pair counts as found at a threshold when
its stored entity is among the hits at or above it; a positive pair found is a true positive,
a negative pair found a false positive. Printed, in the same run:

- precision / recall / F1 at the default threshold and at the best one, for every pair and
  for the name variations alone ("a.k.a. (another name)" pairs are two unrelated names a list
  gives one party: no name matcher finds them, so they are shown apart);
- the same per kind (person, organisation, vessel), and recall per variation / the share of
  negatives flagged per reason;
- candidate recall: the stored entity among the candidates before scoring, of every positive,
  of the name variations, and of the positives the score alone (without the search) finds;
- more than the name: of the pairs whose two parties the lists state a date of birth or a
  country of, F1 by the name alone and with the query party's date of birth and country
  weighed against the stored party's (`tracker.matching.facts`);
- agreement with OFAC's own Sanctions List Search scores on the public fixture
  ../shared/data/matching/ofac_parity_fixtures.csv (a score reference, not labels).

`--smoke` takes every eighth pair: a check that the benchmark runs, not a measurement.

    python tests/benchmarks/bench_matching.py [--workdir /tmp/tracker-bench-matching] [--smoke]
"""

import argparse
import csv
import dataclasses
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tracker
from tests.benchmarks.common import DATA, percentile, print_table
from tracker.config import DEFAULT_THRESHOLD
from tracker.enums import FactKind
from tracker.importers.countries import listed_countries
from tracker.importers.facts import entry_facts
from tracker.importers.formats import read_edition
from tracker.matching.facts import APPROXIMATE, PartyFacts, QueryFacts, weigh
from tracker.names import likeness, normalize_name

SET = Path(__file__).resolve().parents[1] / "data" / "matching_set.csv"
PARITY = DATA / "matching" / "ofac_parity_fixtures.csv"
UNRELATED = "a.k.a. (another name)"
KINDS = {"person": "person", "organisation": "organization", "vessel": "vessel"}
OFAC_MATCH = 85  # OFAC scores from which its tool lists a result by default


@dataclass(frozen=True)
class Pair:
    query: str
    stored: str
    match: bool
    kind: str
    variation: str
    score: float  # the stored entity's score; 0 when it is not among the candidates
    candidate: bool  # the stored entity was among the candidates
    parties: str = ""  # "ofac:11913" (one party) or "ofac:11913|ofac:19490" (query|stored)


def read_set(path: Path, every: int) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))[::every]


def screen(db: tracker.Tracker, rows: list[dict[str, str]]) -> tuple[list[Pair], list[float]]:
    """Each stored name recorded once per kind; each query searched; the pairs scored."""
    keys: dict[tuple[str, str], str] = {}
    for row in rows:
        stored = (row["stored"], row["kind"])
        if stored not in keys:
            keys[stored] = f"m-{len(keys)}"
            db.add_entity(row["stored"], kind=KINDS[row["kind"]], key=keys[stored],
                          allow_duplicate=True)  # fmt: skip
    pairs, times = [], []
    for row in rows:
        started = time.perf_counter()
        hits = db.search(row["query"], limit=1000, threshold=0)
        times.append(time.perf_counter() - started)
        scores = {hit.entity.key: hit.score for hit in hits}
        key = keys[row["stored"], row["kind"]]
        pairs.append(Pair(row["query"], row["stored"], row["match"] == "1", row["kind"],
                          row["variation"], scores.get(key, 0.0), key in scores,
                          row["parties"]))  # fmt: skip
    return pairs, times


def counts(pairs: Iterable[Pair], threshold: float) -> tuple[int, int, int]:
    """True positives, false positives, false negatives."""
    tp = fp = fn = 0
    for pair in pairs:
        found = pair.candidate and pair.score >= threshold
        tp += pair.match and found
        fp += (not pair.match) and found
        fn += pair.match and not found
    return tp, fp, fn


def f1(pairs: list[Pair], threshold: float) -> tuple[float, float, float]:
    tp, fp, fn = counts(pairs, threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    total = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, total


def best_threshold(pairs: list[Pair]) -> float:
    return max((step / 100 for step in range(50, 101)), key=lambda t: (f1(pairs, t)[2], -t))


def quality_rows(groups: dict[str, list[Pair]], thresholds: list[float]) -> list[list[str]]:
    rows = []
    for name, pairs in groups.items():
        cells = [name, f"{sum(p.match for p in pairs)}/{sum(not p.match for p in pairs)}"]
        for threshold in thresholds:
            cells += [f"{figure:.3f}" for figure in f1(pairs, threshold)]
        rows.append(cells)
    return rows


def by_variation(pairs: list[Pair], best: float) -> list[list[str]]:
    """Recall of each kind of variation; the share flagged of each kind of negative."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[("+ " if pair.match else "- ") + pair.variation].append(pair)
    rows = []
    for name, group in sorted(groups.items()):
        found = [sum(p.candidate and p.score >= t for p in group) / len(group)
                 for t in (DEFAULT_THRESHOLD, best)]  # fmt: skip
        candidates = sum(p.candidate for p in group) / len(group)
        median = statistics.median(p.score for p in group)
        rows.append([name, str(len(group)), f"{found[0]:.3f}", f"{found[1]:.3f}",
                     f"{candidates:.3f}", f"{median:.3f}"])  # fmt: skip
    return rows


def candidate_groups(pairs: list[Pair]) -> dict[str, list[Pair]]:
    """The positives whose party candidate generation should keep: all of them; the name
    variations; those the score alone (no search) puts at or above the default threshold."""
    positives = [p for p in pairs if p.match]
    alone = [likeness(normalize_name(p.query), normalize_name(p.stored)).score for p in positives]
    return {
        "all positives": positives,
        "name variations": [p for p in positives if p.variation != UNRELATED],
        "pairs the score finds": [p for p, a in zip(positives, alone, strict=True)
                                  if a >= DEFAULT_THRESHOLD],
    }  # fmt: skip


# The list files the set was cut from (scripts/make_matching_set.py), by the set's source.
LISTS = {
    "ofac": ("ofac_sdn_csv_fileset/2019-01-04_watchman/sdn.csv", "2019-01-04"),
    "un": ("un_consolidated/2024-09-26/consolidated.xml", None),
    "uk": ("uk_hmt_conlist/2018-04-13/sanctionsconlist.csv", None),
}


def listed_facts() -> dict[str, PartyFacts]:
    """What the lists state of every party of the set's sources, read by tracker's own
    importers as an import stores it ("ofac:11913" -> its facts)."""
    found: dict[str, PartyFacts] = {}
    for source, (path, published) in LISTS.items():
        edition = read_edition(DATA / path, published_on=published)
        for party in edition.parties:
            facts = entry_facts(party.details)
            ties = listed_countries(party.details).ties
            found[f"{source}:{party.identifier}"] = PartyFacts(
                kind=party.kind.value,
                births=tuple(sorted(value for kind, _, value in facts if kind == FactKind.BIRTH)),
                countries=frozenset(code for _, code in ties),
                genders=frozenset(value for kind, _, value in facts if kind == FactKind.GENDER),
            )
    return found


def customer_record(party: PartyFacts, use: set[str]) -> QueryFacts:
    """What a customer record of this party would give: one date of birth (a stated day or
    year, not a range or an approximation), one country (the first by code)."""
    exact = [date for date in party.births if "/" not in date and APPROXIMATE not in date]
    return QueryFacts(
        birth_date=exact[0] if exact and "birth" in use else None,
        country=min(party.countries) if party.countries and "country" in use else None,
    )


def with_facts(pairs: list[Pair], facts: dict[str, PartyFacts]) -> list[list[str]]:
    """F1 at the default threshold of the pairs whose two parties the lists state a date of
    birth or a country of: by the name alone, then with the query party's date of birth,
    country, both (each pair's score less what the stored party's facts contradict)."""
    known = []
    for pair in pairs:
        ids = pair.parties.split("|")
        query, stored = facts.get(ids[0]), facts.get(ids[-1])
        if query and stored and (query.births or query.countries):
            known.append((pair, query, stored))
    rows = []
    for label, use in (("name alone", set()), ("+ date of birth", {"birth"}),
                       ("+ country", {"country"}), ("+ both", {"birth", "country"})):  # fmt: skip
        weighed = [
            dataclasses.replace(
                pair, score=pair.score - weigh(customer_record(query, use), stored).penalty
            )
            for pair, query, stored in known
        ]
        tp, fp, fn = counts(weighed, DEFAULT_THRESHOLD)
        precision, recall, total = f1(weighed, DEFAULT_THRESHOLD)
        rows.append([label, f"{len(known):,}", str(tp), str(fp), str(fn), f"{precision:.3f}",
                     f"{recall:.3f}", f"{total:.3f}"])  # fmt: skip
    return rows


def parity() -> tuple[int, float, float]:
    """(pairs, mean |ours - OFAC's|, share of pairs on the same side of the line)."""
    with PARITY.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    ours = [likeness(normalize_name(r["query_name"]), normalize_name(r["result_name"])).score
            for r in rows]  # fmt: skip
    theirs = [int(r["ofac_score"]) / 100 for r in rows]
    same = sum(
        (a >= DEFAULT_THRESHOLD) == (b >= OFAC_MATCH / 100)
        for a, b in zip(ours, theirs, strict=True)
    )
    gap = statistics.mean(abs(a - b) for a, b in zip(ours, theirs, strict=True))
    return len(rows), gap, same / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tracker-bench-matching"))
    parser.add_argument("--smoke", action="store_true", help="every eighth pair")
    options = parser.parse_args()
    rows = read_set(SET, 8 if options.smoke else 1)
    options.workdir.mkdir(parents=True, exist_ok=True)
    path = options.workdir / ("smoke.db" if options.smoke else "matching.db")
    for stale in path.parent.glob(f"{path.name}*"):
        stale.unlink()
    with tracker.connect(f"sqlite:///{path}") as db:
        db.upgrade()
        pairs, times = screen(db, rows)
    named = [p for p in pairs if p.variation != UNRELATED]
    best = best_threshold(named)
    print(f"{len(pairs):,} pairs ({sum(p.match for p in pairs):,} positive), searched at"
          f" threshold 0: p50 {statistics.median(times) * 1000:.1f} ms,"
          f" p95 {percentile(times, 0.95) * 1000:.1f} ms\n")  # fmt: skip
    groups = {"all pairs": pairs, "name variations": named}
    for kind in KINDS:
        groups[f"  {kind}"] = [p for p in named if p.kind == kind]
    header = ["pairs", "+/-"]
    for threshold in (DEFAULT_THRESHOLD, best):
        header += [f"P@{threshold:.2f}", f"R@{threshold:.2f}", f"F1@{threshold:.2f}"]
    print_table(header, quality_rows(groups, [DEFAULT_THRESHOLD, best]))
    print()
    for label, chosen in candidate_groups(pairs).items():
        lost = sum(not p.candidate for p in chosen)
        print(f"candidate recall, {label}: {1 - lost / len(chosen):.4f} ({lost} of {len(chosen)}"
              " lost before scoring)")  # fmt: skip
    print()
    print_table(["variation", "pairs", f"found@{DEFAULT_THRESHOLD:.2f}", f"found@{best:.2f}",
                 "candidate", "median score"], by_variation(pairs, best))  # fmt: skip
    print(
        "\nMore than the name (pairs whose parties the lists state a date of birth or a"
        " country of; the query party's facts as a customer record would give them):"
    )
    print_table(["facts", "pairs", "TP", "FP", "FN", f"P@{DEFAULT_THRESHOLD:.2f}",
                 f"R@{DEFAULT_THRESHOLD:.2f}", f"F1@{DEFAULT_THRESHOLD:.2f}"],
                with_facts(pairs, listed_facts()))  # fmt: skip
    if PARITY.exists():
        count, gap, same = parity()
        print(f"\nOFAC parity fixture: {count} pairs, mean |ours - OFAC| {gap:.3f}, same side of"
              f" the line (ours {DEFAULT_THRESHOLD}, OFAC {OFAC_MATCH}) {same:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
