"""Who keeps a list, by key: the seeded authorities and the names other data calls them by
(an import records an authority it has not met before through `services.authorities`)."""

import re
from functools import cache

import yaml
from anyascii import anyascii

from tracker.resources import bundled
from tracker.validation import slugify

SEED_FILE = "01-authorities.yaml"
# Names other publishers (OpenSanctions' FtM data above all) give the seeded authorities.
OTHER_NAMES = {
    "office of foreign assets control": "us-ofac",
    "ofac": "us-ofac",
    "us department of the treasury": "us-ofac",
    "department of state": "us-state",
    "us department of state": "us-state",
    "united nations security council": "un-sc",
    "un security council": "un-sc",
    "european union": "eu",
    "council of the european union": "eu",
    "european commission": "eu",
    "hm treasury": "uk",
    "office of financial sanctions implementation": "uk",
    "foreign commonwealth and development office": "uk",
}


@cache
def seeded() -> dict[str, tuple[str, str]]:
    """key -> (name, jurisdiction) of the authorities the seeds define."""
    document = yaml.safe_load((bundled("seeds") / SEED_FILE).read_text(encoding="utf-8"))
    return {item["key"]: (item["name"], item["jurisdiction"]) for item in document["authorities"]}


def _plain(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.replace("&", " and ").casefold()).split())


def key_for(name: str, country: str | None = None) -> str:
    """The key of an authority named in data: a seeded one when the name is one of theirs,
    else a key made from the country and the name ("au-department-of-foreign-affairs")."""
    plain = _plain(name)
    for key, (seeded_name, _) in seeded().items():
        if _plain(seeded_name) == plain:
            return key
    if plain in OTHER_NAMES:
        return OTHER_NAMES[plain]
    named = anyascii(f"{country}-{name}" if country else name)
    return slugify(named)[:64].rstrip("-") or "unknown"


def authority_named(key: str, named: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """(name, jurisdiction) of the authority `key`: its seeded name, else the name the data
    gave it (`named`), else its key."""
    return seeded().get(key) or (named or {}).get(key) or (key, "XX")
