"""Names made comparable, and how alike two names are.

A name is normalised once, when it is written (see `services.search_index`): honorifics and
legal-form words dropped (rigour knows them: "Mr", "S.A. de C.V.", "LLC", "OOO"...), then
transliterated to ASCII and stripped of case, accents and punctuation (normality, with ICU:
Cyrillic, Arabic, Chinese...). Its words and their sounds (metaphone) are the keys a search
looks up; the score compares words, not characters, so word order and extra middle names
matter little and one typo costs little.
"""

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from normality import ascii_text, normalize
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rigour.names import remove_org_types, remove_person_prefixes
from rigour.text import metaphone

# Words rigour leaves in place that say nothing about who is meant: titles (it handles Mr,
# Dr...), and the words of legal forms once their order is lost ("Joint-Stock Public Company"
# is not recognised as a phrase), in the languages and transliterations of the lists.
GENERIC_WORDS = frozenset(
    {"sheikh", "shaykh", "sheik", "haji", "hajji", "mullah", "mawlawi", "maulvi", "emir",
     "imam", "general", "colonel", "president", "minister",
     "company", "co", "corporation", "corp", "incorporated", "inc", "limited", "ltd", "llc",
     "plc", "joint", "stock", "public", "private", "open", "closed", "liability", "society",
     "compania", "sociedad", "anonima", "limitada", "ltda", "cia", "sa", "de", "cv", "srl",
     "gmbh", "ag", "kg", "bv", "nv", "sarl", "sas", "spa", "fze", "fzco", "fzc", "pte", "pvt",
     "ooo", "oao", "zao", "pao", "ao", "jsc", "ojsc", "cjsc", "pjsc", "obshchestvo",
     "aktsionernoe", "the", "of", "and"}
)  # fmt: skip
GENERIC_LONG_WORDS = sorted(word for word in GENERIC_WORDS if len(word) >= 5)
SOUND_PREFIX = "~"  # keys that are sounds, not words
AFFIX_MARK = "*"  # keys that are a word's first or last letters: "sovc*", "*card"
AFFIX = 4
WORD_MATCH = 0.75  # two words this alike (0..1) count as the same word misspelt
ONE_TYPO = 0.9
ONE_TYPO_LENGTH = 5


def normalize_name(name: str) -> str:
    """'Grupo Bimbo, S.A. de C.V.' -> 'grupo bimbo'; 'Мадуро Морос' -> 'maduro moros'."""
    latin = _latin(name)  # first, so "Límitéd" and "С.А." are known as legal forms
    bare = remove_org_types(remove_person_prefixes(latin).casefold(), replacement=" ")
    words = [w for w in (normalize(bare) or "").split() if not _generic(w)]
    if not words:  # the name was nothing but titles and legal forms: keep it whole
        words = (normalize(latin) or "").split()
    return " ".join(words)


def _generic(word: str) -> bool:
    """A generic word, or one mistyped by a letter ("compnay")."""
    if word in GENERIC_WORDS:
        return True
    return len(word) >= ONE_TYPO_LENGTH and bool(
        process.extractOne(word, GENERIC_LONG_WORDS, scorer=OSA.distance, score_cutoff=1)
    )


def _latin(text: str) -> str:
    """ASCII letters for any script. Cyrillic follows the English conventions the lists use
    (anyascii: Пригожин -> Prigozhin, not ICU's scholarly Prigozin); every other script goes
    through ICU (normality), which keeps word breaks in Chinese."""
    if any("\u0400" <= char <= "\u04ff" for char in text):
        return anyascii(text)
    return ascii_text(text)


def index_keys(normalized: str) -> set[str]:
    """What a search looks a name up by: its words, how its longer words sound, and their
    first and last four letters (so one typo still leaves a key to find the word by)."""
    keys = set()
    for word in normalized.split():
        if len(word) >= 2:
            keys.add(word)
        if len(word) >= 3 and (sound := metaphone(word)):
            keys.add(SOUND_PREFIX + sound)
        if len(word) >= ONE_TYPO_LENGTH:
            keys.add(f"{word[:AFFIX]}{AFFIX_MARK}")
            keys.add(f"{AFFIX_MARK}{word[-AFFIX:]}")
    return keys


@dataclass(frozen=True)
class Likeness:
    score: float  # 0..1
    why: str


def likeness(query: str, candidate: str) -> Likeness:
    """How alike two normalised names are, and why, in words a reviewer can check.

    Each query word is paired with the most similar unused word of the candidate; the score
    is the share of the query found, lowered a little for candidate words left over (an
    extra middle name costs less than a missing word). When the word counts differ, the
    whole-string token-sort ratio catches words run together or split apart.
    """
    if not query or not candidate:
        return Likeness(0.0, "nothing to compare")
    if query == candidate:
        return Likeness(1.0, "same name, ignoring case, accents, punctuation and legal form")
    asked, listed = query.split(), candidate.split()
    if sorted(asked) == sorted(listed):
        return Likeness(0.99, "same words in another order")
    unused = list(listed)
    found = 0.0
    exact = misspelt = 0
    for word in asked:
        best, best_index = 0.0, -1
        for index, other in enumerate(unused):
            similarity = word_likeness(word, other)
            if similarity > best:
                best, best_index = similarity, index
        if best >= WORD_MATCH:
            found += best
            exact += best == 1.0
            misspelt += best < 1.0
            unused.pop(best_index)
    coverage = found / len(asked)
    leftover = len(unused) / len(listed)
    aligned = coverage * (1 - 0.2 * leftover)
    # Words run together or split apart ("alqaida" / "al qaida"): compare letters instead.
    whole = 0.0 if len(asked) == len(listed) else fuzz.token_sort_ratio(query, candidate) / 100
    if whole > aligned:
        return Likeness(round(whole, 3), f"{whole:.0%} alike letter by letter, words sorted")
    parts = [f"{exact + misspelt} of {len(asked)} words match"]
    if misspelt:
        parts.append(f"{misspelt} spelt differently")
    if unused:
        parts.append(f"{len(unused)} more in the listed name")
    return Likeness(round(aligned, 3), ", ".join(parts))


def word_likeness(word: str, other: str) -> float:
    """1 for the same word; 0.9 for one letter wrong in a word of five or more; else the
    share of letters that agree (edit distance counting a swap of two letters as one edit),
    strict for short words."""
    if word == other:
        return 1.0
    edits = OSA.distance(word, other)
    longest = max(len(word), len(other))
    if edits == 1 and longest >= ONE_TYPO_LENGTH:
        return ONE_TYPO
    return 1 - edits / longest


def script_note(text: str) -> str | None:
    """'transliterated from Cyrillic' when the text is written in a non-Latin script."""
    for char in text:
        if char.isalpha() and not char.isascii():
            script = unicodedata.name(char, "").split(" ")[0]
            if script and script != "LATIN":
                return f"transliterated from {script.title()}"
    return None
