"""A labelled query set for name search, made from a database holding a real list.

Listed queries are made from real entries the way people mistype them: an alias, the words
reordered, accents added, a one-letter typo, the name written in Cyrillic. Ordinary names are
common given names and surnames from many countries, paired at random: people who are not
listed. Shared by the quality test and the benchmark so both measure the same thing.
"""

import random
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Alias, Entity, Identifier

VARIANTS = ("alias", "reordered", "accents", "typo", "cyrillic")
ACCENTS = str.maketrans({"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "n": "ñ", "c": "ç"})
CYRILLIC_PAIRS = [("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"),
                  ("ya", "я"), ("yu", "ю")]  # fmt: skip
CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwyz", "абкдефгхийклмнопкрстуввйз", strict=True)) | {
    "x": "кс"
}
GIVEN = ["Emily", "Oliver", "Sophie", "Lukas", "Hannah", "Mateo", "Chloe", "Noah", "Ingrid",
         "Pierre", "Giulia", "Tomasz", "Yuki", "Min-jun", "Priya", "Aarav", "Freya", "Henrik",
         "Isabel", "Jakub", "Katarzyna", "Lars", "Margot", "Niamh", "Otto", "Paulina", "Quentin",
         "Rosa", "Sven", "Tessa", "Ulrich", "Valentina", "Wiebke", "Xavier", "Yasmin", "Zofia",
         "Amelia", "Bruno", "Clara", "Declan", "Elodie", "Finn", "Greta", "Hugo",
         "Ines"]  # fmt: skip
FAMILY = ["Thompson", "Schneider", "Dubois", "Rossi", "Kowalski", "Tanaka", "Kim", "Sharma",
          "Andersson", "Murphy", "Jansen", "Novak", "Fischer", "Lefebvre", "Bianchi", "Nielsen",
          "Walsh", "Bergstrom", "Moreau", "Ricci", "Kaminski", "Suzuki", "Park", "Patel",
          "Lindqvist", "O'Brien", "de Vries", "Horvat", "Weber", "Girard", "Esposito", "Hansen",
          "Kennedy", "Virtanen", "Laurent", "Colombo", "Wozniak", "Yamamoto", "Choi", "Iyer",
          "Holm", "Byrne", "Bakker", "Kovac", "Wagner"]  # fmt: skip


# Every OFAC name the shared data holds: the 2018 file set brings the aliases (alt.csv),
# the 2023 list the entries since (it has no alt.csv), the consolidated list the rest.
SDN_EDITIONS = [
    (("ofac_sdn_csv_fileset", "2019-01-04_watchman", "sdn.csv"), "2018-12-19"),
    (("ofac_sdn_csv", "2023-04-27T1843Z", "sdn.csv"), "2023-04-27"),
    (("ofac_consolidated", "2018-04-06", "cons_prim.csv"), "2018-04-06"),
]


def import_commands(data: Path) -> list[list[str]]:
    """The `tracker` commands that load the seeds and every edition above."""
    return [["seed"]] + [
        ["import", "ofac", str(data.joinpath(*parts)), "--published", published, "--quiet",
         "--allow-mass-delisting"]
        for parts, published in SDN_EDITIONS
    ]  # fmt: skip


@dataclass(frozen=True)
class Query:
    text: str
    variant: str  # one of VARIANTS, or "ordinary"
    expected: str | None  # the entity key it should find first; None: nobody


def _cyrillic(text: str) -> str:
    lowered = text.lower()
    for latin, letter in CYRILLIC_PAIRS:
        lowered = lowered.replace(latin, letter)
    return "".join(CYRILLIC.get(char, char) for char in lowered)


def _typo(text: str, rng: random.Random) -> str | None:
    words = [i for i, word in enumerate(text.split()) if len(word) >= 5 and word.isalpha()]
    if not words:
        return None
    parts = text.split()
    index = rng.choice(words)
    word = parts[index]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "change"])
    if kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        replacement = rng.choice([c for c in "aeioulnrst" if c != word[at].lower()])
        word = word[:at] + replacement + word[at + 1 :]
    parts[index] = word
    return " ".join(parts)


def _variant(variant: str, name: str, aliases: list[str], rng: random.Random) -> str | None:
    words = name.replace(",", " ").split()
    if variant == "alias":
        usable = [alias for alias in aliases if len(alias) > 3]
        return rng.choice(usable) if usable else None
    if variant == "reordered":
        if len(words) < 2:
            return None
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        return " ".join(shuffled)
    if variant == "accents":
        accented = name.lower().translate(ACCENTS)
        return accented if accented != name.lower() else None
    if variant == "typo":
        return _typo(name, rng)
    return _cyrillic(name) if any(c.isalpha() for c in name) else None


def listed_queries(session: Session, scheme: str, count: int, seed: int = 7) -> list[Query]:
    """`count` queries about entries identified by `scheme`, the variants taken in turn."""
    rng = random.Random(seed)
    entries = session.execute(
        sa.select(Entity.id, Entity.key, Entity.name)
        .join(Identifier, Identifier.entity_id == Entity.id)
        .where(Identifier.scheme == scheme)
        .order_by(Entity.id)
    ).all()
    aliases: dict[int, list[str]] = {}
    for entity_id, alias in session.execute(sa.select(Alias.entity_id, Alias.name)):
        aliases.setdefault(entity_id, []).append(alias)
    queries: list[Query] = []
    for position, (entity_id, key, name) in enumerate(rng.sample(entries, len(entries))):
        variant = VARIANTS[position % len(VARIANTS)]
        text = _variant(variant, name, aliases.get(entity_id, []), rng)
        if text is not None:
            queries.append(Query(text, variant, key))
        if len(queries) == count:
            break
    return queries


def ordinary_names(count: int, seed: int = 11, *, middle: bool = False) -> list[Query]:
    """People who are not listed: a given name and a surname, or with `middle` a second
    given name between them, as customer files write a full name ("Margot Otto Bakker")."""
    rng = random.Random(seed)
    if not middle:
        pairs = [(given, family) for given in GIVEN for family in FAMILY]
        return [Query(f"{given} {family}", "ordinary", None)
                for given, family in rng.sample(pairs, count)]  # fmt: skip
    names = dict.fromkeys(
        f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(count * 2)
    )
    return [Query(name, "ordinary", None) for name in list(names)[:count]]
