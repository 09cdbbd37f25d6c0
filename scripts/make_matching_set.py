"""Write tests/data/matching_set.csv, a labelled set of name pairs cut from the real lists.

Run from anywhere: python scripts/make_matching_set.py [--data ../shared/data] [--seed 17]
The lists are read from the shared data folder (see its SOURCES.md): the OFAC SDN file set of
2018-12-19 (names and alt.csv aliases), the UN consolidated list of 2024-09-26 (names,
aliases, names in their original script) and the UK HM Treasury list of 2018-04-13 (names and
aliases by Group ID). Each row is one pair, `query` to be screened against `stored`:

- positives: two names one list gives the same party, labelled with how they differ
  (`variation`: word order, initials, acronym, spelling, other script, a.k.a. ...);
- derived positives (`variation` "derived: ..."): a real listed name written the ways the
  held-out set shows people write them (initials, run together, a look-alike digit, a letter
  doubled or two swapped, a word twice, two letters off, numbers as words);
- hard negatives: the names of two different parties of one list that share a word, look
  alike letter by letter, or share a birth year and a country. Pairs whose names are the
  same words are left out: no name matcher can tell those parties apart.

The same seed writes the same file. The labels come from the lists, the variation from a plain
comparison of the two names (this script's own, so that changing `tracker.names` never
relabels the set); the file stays small (a few thousand rows) and holds no whole list.
"""

import argparse
import csv
import random
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from normality import normalize
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "data" / "matching_set.csv"
DATA = ROOT.parent / "shared" / "data"
COLUMNS = ["query", "stored", "match", "kind", "variation", "source", "parties"]
PER_VARIATION = 70  # real positive pairs kept per source and variation, at most
DERIVED = 45  # derived positives per kind of change, at most
NEGATIVES = 120  # hard negatives per source and reason, at most
LOOK_ALIKE = 80  # token-sort ratio from which two different parties' names "look alike"
DIGITS = {"o": "0", "i": "1", "l": "1", "e": "3", "s": "5", "a": "4"}
NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
                "7": "seven", "8": "eight", "9": "nine", "10": "ten", "1st": "first",
                "2nd": "second", "3rd": "third", "4th": "fourth"}  # fmt: skip
COMMON = frozenset({"al", "el", "bin", "ibn", "abu", "abd", "de", "la", "the", "of", "and",
                    "company", "co", "ltd", "limited", "sa", "inc", "llc", "trading"})  # fmt: skip


@dataclass
class Party:
    source: str  # "ofac", "un", "uk"
    ref: str  # the list's own key
    kind: str  # person, organisation, vessel
    names: list[str] = field(default_factory=list)  # the first is the primary name
    year: str | None = None  # of birth
    country: str | None = None


def plain(name: str) -> str:
    return normalize(name, ascii=True) or ""


def ofac(data: Path) -> Iterator[Party]:
    folder = data / "ofac_sdn_csv_fileset" / "2019-01-04_watchman"
    kinds = {"individual": "person", "vessel": "vessel", "-0-": "organisation"}
    parties: dict[str, Party] = {}
    with (folder / "sdn.csv").open(encoding="utf-8", errors="replace") as file:
        for row in csv.reader(file):
            if len(row) < 12 or (kind := kinds.get(row[2].strip())) is None:
                continue
            remarks = row[11]
            year = re.search(r"DOB (?:[^;]*?)(\d{4})", remarks)
            country = re.search(r"nationality ([A-Z][a-z]+)", remarks)
            parties[row[0]] = Party("ofac", row[0], kind, [row[1]], year and year.group(1),
                                    country and country.group(1))  # fmt: skip
    with (folder / "alt.csv").open(encoding="utf-8", errors="replace") as file:
        for row in csv.reader(file):
            if len(row) >= 4 and row[0] in parties:
                parties[row[0]].names.append(row[3])
    yield from parties.values()


def un(data: Path) -> Iterator[Party]:
    root = ET.parse(data / "un_consolidated" / "2024-09-26" / "consolidated.xml").getroot()
    for tag, kind in (("INDIVIDUAL", "person"), ("ENTITY", "organisation")):
        for record in root.iter(tag):
            parts = [record.findtext(f"{n}_NAME") for n in ("FIRST", "SECOND", "THIRD", "FOURTH")]
            name = " ".join(p.strip() for p in parts if p and p.strip())
            party = Party("un", record.findtext("REFERENCE_NUMBER") or "", kind, [name])
            if original := (record.findtext("NAME_ORIGINAL_SCRIPT") or "").strip():
                party.names.append(original)
            for alias in record.iter(f"{tag}_ALIAS"):
                if (alias_name := (alias.findtext("ALIAS_NAME") or "").strip()) and (
                    alias.findtext("QUALITY") or ""
                ).strip() != "Low":  # the list's own "low quality" aliases are vague
                    party.names.append(alias_name)
            for birth in record.iter(f"{tag}_DATE_OF_BIRTH"):
                party.year = (
                    party.year
                    or birth.findtext("YEAR")
                    or ((birth.findtext("DATE") or "")[:4] or None)
                )
            party.country = record.findtext("NATIONALITY/VALUE")
            yield party


def uk(data: Path) -> Iterator[Party]:
    path = data / "uk_hmt_conlist" / "2018-04-13" / "sanctionsconlist.csv"
    kinds = {"Individual": "person", "Entity": "organisation", "Ship": "vessel"}
    parties: dict[str, Party] = {}
    with path.open(encoding="cp1252") as file:
        next(file)
        for row in csv.DictReader(file):
            if (kind := kinds.get(row["Group Type"])) is None:
                continue
            given = [row[f"Name {n}"].strip() for n in range(1, 6) if row[f"Name {n}"].strip()]
            name = " ".join([*given, row["Name 6"].strip()]).strip()
            party = parties.setdefault(row["Group ID"], Party("uk", row["Group ID"], kind))
            if row["Alias Type"].startswith("Prime"):
                party.names.insert(0, name)
            elif name not in party.names:
                party.names.append(name)
            party.year = party.year or (row["DOB"][-4:] if row["DOB"][-4:].isdigit() else None)
            party.country = party.country or row["Nationality"].split(")")[-1].strip() or None
    yield from parties.values()


def variation(query: str, stored: str) -> str | None:
    """How two names of one party differ; None when they are the same once normalised."""
    if any(char.isalpha() and not char.isascii() for char in query + stored):
        return "other script"
    a, b = plain(query), plain(stored)
    if not a or not b or a == b:
        return None
    wa, wb = a.split(), b.split()
    if sorted(wa) == sorted(wb):
        return "word order"
    if a.replace(" ", "") == b.replace(" ", ""):
        return "run together / split"
    for short, long in ((wa, wb), (wb, wa)):
        if len(short) == 1 and len(long) >= 2 and short[0] == "".join(w[0] for w in long):
            return "acronym"
        initials = {w for w in short if len(w) == 1}
        others = set(long) - set(short)
        if initials and set(short) - initials <= set(long) and initials <= {w[0] for w in others}:
            return "initials"
    shared = set(wa) & set(wb)
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return "words left out"
    similar = sum(max(fuzz.ratio(w, o) for o in wb) >= 70 for w in wa)
    if len(wa) == len(wb) and similar == len(wa):
        return "spelling / transliteration"
    if fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) >= 80:
        return "spelling / transliteration"
    if shared or similar:
        return "partly different"
    return "a.k.a. (another name)"


def positives(parties: list[Party], rng: random.Random) -> list[list[str]]:
    found: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
    for party in parties:
        primary, seen = party.names[0], {plain(party.names[0])}
        for alias in party.names[1:]:
            if plain(alias) in seen or (kind := variation(alias, primary)) is None:
                continue
            seen.add(plain(alias))
            ref = f"{party.source}:{party.ref}"
            found[party.source, kind].append(
                [alias, primary, "1", party.kind, kind, party.source, ref]
            )
    return [
        row for rows in found.values() for row in rng.sample(rows, min(len(rows), PER_VARIATION))
    ]


def derive(name: str, change: str, rng: random.Random) -> str | None:
    """The name written one way people write it, or None when that does not apply."""
    words = name.split()
    long = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if change == "initials" and len(words) >= 2 and words[0].isalpha():
        return f"{words[0][0]}. {words[-1]}"
    if change == "run together" and len(words) == 2:
        return words[0].capitalize() + words[1].capitalize()
    if change == "word twice" and len(words) >= 2:
        return " ".join([*words, words[-1]])
    if change == "numbers as words" and (digits := [w for w in words if w.lower() in NUMBER_WORDS]):
        return name.replace(digits[0], NUMBER_WORDS[digits[0].lower()].upper(), 1)
    if not long:
        return None
    index = rng.choice(long)
    word = list(words[index])
    if change == "look-alike digit":
        spots = [i for i, char in enumerate(word) if char.lower() in DIGITS]
        if not spots:
            return None
        spot = rng.choice(spots)
        word[spot] = DIGITS[word[spot].lower()]
    elif change == "letter doubled":
        spot = rng.randrange(1, len(word) - 1)
        word.insert(spot, word[spot])
    elif change == "letters swapped":
        spot = rng.randrange(1, len(word) - 2)
        word[spot], word[spot + 1] = word[spot + 1], word[spot]
    elif change == "two letters off" and len(word) >= 6:
        for spot in rng.sample(range(1, len(word)), 2):
            word[spot] = rng.choice([c for c in "aeiouy" if c != word[spot].lower()])
    else:
        return None
    return " ".join([*words[:index], "".join(word), *words[index + 1 :]])


CHANGES = ("initials", "run together", "word twice", "numbers as words", "look-alike digit",
           "letter doubled", "letters swapped", "two letters off")  # fmt: skip


def derived(parties: list[Party], rng: random.Random) -> list[list[str]]:
    rows = []
    people = [p for p in parties if p.kind == "person" and p.source == "un"]
    people = [p for p in people if re.fullmatch(r"[A-Za-z' -]+", p.names[0])]
    orgs = [p for p in parties if p.kind == "organisation"]
    for change in CHANGES:
        pool = orgs if change == "numbers as words" else people
        made = 0
        for party in rng.sample(pool, len(pool)):
            name = " ".join(w.capitalize() for w in party.names[0].split())
            if made == DERIVED or (query := derive(name, change, rng)) in (None, name):
                continue
            rows.append([query, party.names[0], "1", party.kind, f"derived: {change}",
                         party.source, f"{party.source}:{party.ref}"])  # fmt: skip
            made += 1
            if made == DERIVED:
                break
    return rows


def negatives(parties: list[Party], rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    for source in ("ofac", "un", "uk"):
        listed = [p for p in parties if p.source == source]
        pairs: dict[str, set[tuple[int, int]]] = defaultdict(set)
        by_word: dict[str, list[int]] = defaultdict(list)
        by_birth: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, party in enumerate(listed):
            for word in set(plain(party.names[0]).split()) - COMMON:
                if len(word) >= 4:
                    by_word[word].append(index)
            if party.kind == "person" and party.year and party.country:
                by_birth[party.year, party.country].append(index)
        for group in by_word.values():
            if 2 <= len(group) <= 40:
                pairs["shares a word"].update(combinations(group, 2))
        for group in by_birth.values():
            pairs["birth year and country"].update(combinations(group[:20], 2))
        names = [plain(p.names[0]) for p in listed]
        for first, name in enumerate(names):
            for _other, _score, second in process.extract(
                name, names, scorer=fuzz.token_sort_ratio, score_cutoff=LOOK_ALIKE, limit=4
            ):
                if first < second:
                    pairs["looks alike"].add((first, second))
        for reason, found in pairs.items():
            kept = []
            for first, second in sorted(found):
                a, b = listed[first], listed[second]
                same_words = sorted(names[first].split()) == sorted(names[second].split())
                if a.kind == b.kind and not same_words:
                    kept.append([a.names[0], b.names[0], "0", a.kind, reason, source,
                                 f"{source}:{a.ref}|{source}:{b.ref}"])  # fmt: skip
            rows += rng.sample(kept, min(len(kept), NEGATIVES))
    return rows


def fixtures(data: Path) -> list[list[str]]:
    """The cross-script pairs of moov-io/watchman (Apache-2.0), as positives."""
    path = data / "matching" / "cross_script_pairs.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    return [[query, latin, "1", "person", "other script", "watchman-fixture", ""]
            for query, latin, _score, _note in csv.reader(lines)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    parties = [p for read in (ofac, un, uk) for p in read(args.data) if p.names and p.names[0]]
    rows = positives(parties, rng) + derived(parties, rng) + negatives(parties, rng)
    rows += fixtures(args.data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"wrote {len(rows)} pairs to {args.output}")


if __name__ == "__main__":
    main()
