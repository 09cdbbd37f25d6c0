"""Names made comparable, and how alike two names are.

A name is normalised once, when it is written (see `services.search_index`): honorifics and
legal-form words dropped (rigour knows them: "Mr", "S.A. de C.V.", "LLC", "OOO"...), then
transliterated to ASCII and stripped of case, accents and punctuation (normality, with ICU:
Cyrillic, Arabic, Chinese...); words run together at a capital are split ("VladimirPutin"),
numbers written as words become digits ("Forty-Four" -> "44") and "B.O.T.H." becomes "both".
Its words, their sounds (metaphone) and its acronym are the keys a search looks up; the
score compares words, not characters, so word order and extra middle names matter little
and a typo, an initial or a spelling that sounds the same costs little. A query written in
Arabic or Hebrew script, which leaves short vowels out, is also looked up by how a vowelled
spelling would sound and compared by its consonants. A change here changes the stored keys:
`tracker db reindex` rebuilds them.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from anyascii import anyascii
from normality import ascii_text, normalize
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rigour.names import remove_org_types, remove_person_prefixes
from rigour.text import metaphone

from tracker.matching.words import ONE_TYPO_LENGTH, WordMatch, compare_words

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
# Particles: articles and "son of" in the names of the lists, written, dropped or spelt
# differently ("Ansar ul-Dine" / "Ansar al-Dine", "Suheil al-Hasan" / "Suhayl Hasan").
PARTICLES = frozenset(
    {"al", "el", "ul", "as", "ad", "ud", "ed", "es", "ash", "at", "az", "ar", "bin", "ibn", "ben",
     "bint", "bent", "ould", "van", "von", "der", "den", "da", "di", "du", "del", "della", "la",
     "le", "dos", "das", "y"}
)  # fmt: skip
PARTICLE = 0.3  # what a particle counts for beside another word
SPLIT = 0.97  # the same letters, the words run together or split apart
ACRONYM = 0.9  # the query is the initials of the listed name's words
# The listed name is the initials of the query's: an organisation's acronym, or as often a
# code ("EP-MOB", an aircraft) that a person's initials spell ("Margot Otto Bakker"). Under
# the default threshold: at 0.9, one person of three names in forty was flagged.
ACRONYM_LISTED = 0.8
ACRONYM_WORDS = 3  # of at least this many words
JOINED_WORDS = 3  # a name of at most this many words is also looked up run together
CONTAINED_WORDS = 2  # a listed name of this many words or more may be found inside a longer one
EXTRA_ASKED = 0.3  # what the query's words beyond a listed name it holds cost, as a share
ACRONYM_LONGEST = 6  # letters of a word that may be an acronym
LEGAL_INITIALS = "cl"  # an acronym may end in its legal form's: Company, Limited
HOWS = ("spelt differently", "sounds alike", "an initial")  # as `why` counts them
ABJADS = {"ARABIC", "HEBREW", "SYRIAC"}  # scripts that leave short vowels unwritten
CONSONANTS_WORTH = 0.9  # a name whose consonants alone match: at most an initial's worth
ARTICLES = {"al", "el"}
JOINED_ARTICLE = 5  # letters of a word from which "al..." may be the article joined to it
_VOWELS = re.compile("[aeiouwy]")  # w and y: in an abjad, the long vowels u and i
_CONSONANT_RUNS = re.compile(r"(.)\1+")
_DIGRAPH = re.compile("kh|sh|th|dh|gh|.")  # one Arabic letter each
# Numbers written as words become digits, so "Three" finds "3" and "First" "1st".
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
APOSTROPHES = re.compile(r"(?<=\w)['’ʼ`‘ʻ](?=\w)")  # inside a word: "Ba'asyir", "Ch'o'l"
CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})")  # "VladimirPutin", not "McDonald"


def normalize_name(name: str) -> str:
    """'Grupo Bimbo, S.A. de C.V.' -> 'grupo bimbo'; 'Мадуро Морос' -> 'maduro moros'."""
    latin = CAMEL.sub(" ", _latin(APOSTROPHES.sub("", name)))  # "Ch'o'l" is one word
    folded = remove_person_prefixes(latin).casefold()
    words = [w for w in _without_legal_forms(folded) if not _generic(w)]
    if not words:  # the name was nothing but titles and legal forms: keep it whole
        words = (normalize(latin) or "").split()
    if len(words) >= 2 and all(len(word) == 1 for word in words):  # "B.O.T.H." -> "both"
        words = ["".join(words)]
    return " ".join(_numbers(words))


def _without_legal_forms(folded: str) -> list[str]:
    """The words of a name without its legal forms ("S.A. de C.V.", "OOO"), which stand at
    either end of a name: the same letters inside one are somebody's name ("Sa'd" is
    Sociedad Anonima Deportiva's "sad", "Se" a Societas Europaea, in "PAEK, Se-Bong")."""
    stripped = remove_org_types(folded, replacement=" ")
    kept = (normalize(stripped) or "").split()
    if stripped == folded:  # most names: no legal form anywhere
        return kept
    whole = (normalize(folded) or "").split()
    if any(whole[start : start + len(kept)] == kept for start in range(len(whole) - len(kept) + 1)):
        return kept
    while len(whole) > 1 and not remove_org_types(whole[-1]).strip():
        whole = whole[:-1]
    while len(whole) > 1 and not remove_org_types(whole[0]).strip():
        whole = whole[1:]
    return whole


def _numbers(words: list[str]) -> list[str]:
    """Numbers in words as digits: 'forty four' -> '44', 'first' and '1st' -> '1'."""
    out: list[str] = []
    tens = False  # the word before was "twenty", "thirty"...
    for word in words:
        if tens and UNITS.get(word, 10) < 10:
            out[-1] = str(int(out[-1]) + UNITS[word])
        elif number := UNITS.get(word) or TENS.get(word) or ORDINALS.get(word):
            out.append(str(number))
        elif ordinal := DIGIT_ORDINAL.fullmatch(word):
            out.append(ordinal.group(1))
        else:
            out.append(word)
        tens = word in TENS
    return out


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
    """What a search looks a name up by: its words, how its longer words sound, their first
    and last four letters (so one typo still leaves a key to find the word by), the initials
    of a name of three words or more (its acronym), and the words of a short name run
    together with their first and last letters ("kodo kai" is found by "kodokai")."""
    keys = set()
    words = normalized.split()
    if 2 <= len(words) <= JOINED_WORDS:
        joined = "".join(words)
        keys |= {joined, f"{joined[:AFFIX]}{AFFIX_MARK}", f"{AFFIX_MARK}{joined[-AFFIX:]}"}
    if len(words) >= ACRONYM_WORDS:  # "banco nacional cuba" is found by "bnc"
        keys.add(_initials(words))
    elif (
        len(words) == 1
        and len(words[0]) <= ACRONYM_LONGEST
        and (shorter := _legal_initial(words[0]))
    ):
        keys.add(shorter)  # "nioc" finds "national iranian oil" (the company dropped)
    for word in words:
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

    Each query word is paired with the most similar word of the candidate, the most alike
    pairs first (`tracker.matching.words`: a typo, an initial or a word that sounds the same
    still pairs, for what it is worth); the score is the share of the query found, lowered a
    little for candidate words left over (an extra middle name costs less than a missing
    word). A word written twice counts once. Names run together or split apart ("alqaida" /
    "al qaida"), and an acronym of the other name, are caught on the whole string.
    """
    return _likeness(query, candidate, {})


def likenesses(query: str, candidates: Iterable[str]) -> Iterator[Likeness]:
    """`likeness(query, candidate)` of each candidate in turn. The candidates of one query
    share many words ("al", "company", a common surname): each pair of words is compared
    once (half the comparisons of a screen)."""
    compared: Compared = {}
    for candidate in candidates:
        yield _likeness(query, candidate, compared)


Compared = dict[tuple[str, str], WordMatch]  # (asked word, listed word): how alike


def abjad_likenesses(query: str, candidates: Sequence[str]) -> Iterator[Likeness]:
    """`likenesses` for a query transliterated from an abjad: each candidate's likeness, or
    where higher that of their consonants (`consonants`), worth `CONSONANTS_WORTH` of it:
    "mhmd lkhl" is not like "mohamed lakhal" letter by letter, but their consonants are
    the same."""
    written = likenesses(consonants(query), [consonants(name) for name in candidates])
    for plain, bare in zip(likenesses(query, candidates), written, strict=True):
        worth = round(CONSONANTS_WORTH * bare.score, 3)
        if plain.score >= worth:
            yield plain
        elif bare.score == 1:
            yield Likeness(worth, "the same consonants (short vowels are not written)")
        else:
            yield Likeness(worth, f"by consonants, {bare.why}")


def _likeness(query: str, candidate: str, compared: Compared) -> Likeness:
    if not query or not candidate:
        return Likeness(0.0, "nothing to compare")
    if query == candidate:
        return Likeness(1.0, "same name, ignoring case, accents, punctuation and legal form")
    asked, listed = _words(query), _words(candidate)
    twice = " (a word written twice counted once)" if asked.twice else ""
    if asked.sorted == listed.sorted:
        return Likeness(0.99, f"same words in another order{twice}")
    if asked.letters == listed.letters:
        return Likeness(SPLIT, "the same letters, written together or apart")
    if acronym := _acronym(asked, listed):
        return acronym
    aligned, why = _aligned(asked, listed, compared)
    # Words run together or split apart with a typo: compare letters instead.
    whole = (
        0.0
        if len(asked.words) == len(listed.words)
        else fuzz.token_sort_ratio(query, candidate) / 100
    )
    if whole > aligned:
        return Likeness(round(whole, 3), f"{whole:.0%} alike letter by letter, words sorted")
    return Likeness(round(aligned, 3), why + twice)


class _Words(NamedTuple):
    """A normalised name taken apart once (names recur: every query meets the same ones)."""

    words: tuple[str, ...]  # distinct, in order
    twice: bool  # a word was written twice
    sorted: tuple[str, ...]
    letters: str  # the words run together
    weight: float  # what its words count for
    acronym: str | None  # the initials of a name of ACRONYM_WORDS words or more


@lru_cache(maxsize=65_536)
def _words(name: str) -> _Words:
    every = name.split()
    words = tuple(dict.fromkeys(every))
    acronym = _initials(every) if len(every) >= ACRONYM_WORDS else None
    weight = sum(PARTICLE if word in PARTICLES else 1.0 for word in words)
    return _Words(words, len(words) < len(every), tuple(sorted(words)), "".join(words),
                  weight, acronym)  # fmt: skip


def _acronym(asked: _Words, listed: _Words) -> Likeness | None:
    """'the initials of the listed name' when one name is the other's acronym: "bnc", or
    "nioc" with the initial of the legal form normalising dropped (National Iranian Oil
    Company)."""
    for short, long, whose, score in ((asked, listed, "listed", ACRONYM),
                                      (listed, asked, "asked", ACRONYM_LISTED)):  # fmt: skip
        if len(short.words) == 1 and long.acronym:
            word = short.words[0]
            if long.acronym in (word, _legal_initial(word)):
                return Likeness(score, f"the initials of the {whose} name")
    return None


def _legal_initial(word: str) -> str | None:
    """The word without a last letter that may be a legal form's: "nioc" -> "nio"."""
    return word[:-1] if len(word) > ACRONYM_WORDS and word[-1] in LEGAL_INITIALS else None


def _initials(words: list[str]) -> str:
    return "".join(word[0] for word in words)


def _aligned(asked: _Words, listed: _Words, compared: Compared) -> tuple[float, str]:
    """The query's words paired with the candidate's, most alike first; score and why.
    `compared`: the pairs of words met before, and how alike they are."""
    same = set(asked.words).intersection(listed.words)  # the most alike pairs: shared words
    rest = [word for word in listed.words if word not in same]
    pairs = []
    for word in asked.words:
        if word in same:
            continue
        for other in rest:
            if (match := compared.get((word, other))) is None:
                match = compared[word, other] = compare_words(word, other)
            if match.score:
                pairs.append((match, word, other))
    pairs.sort(key=_by_score)  # stable: ties stay in the order of the words
    paired, used = set(same), set(same)
    hows: list[str] = []
    found = len(same) - (1 - PARTICLE) * len(same & PARTICLES)
    for match, word, other in pairs:
        if word not in paired and other not in used:
            paired.add(word)
            used.add(other)
            found += match.score * (PARTICLE if word in PARTICLES else 1.0)
            hows.append(match.how)
    left = sum(PARTICLE if word in PARTICLES else 1.0 for word in rest if word not in used)
    aligned = found / asked.weight * (1 - 0.2 * left / listed.weight)
    parts = [f"{len(paired)} of {len(asked.words)} words match"]
    if not left and len(listed.words) >= CONTAINED_WORDS:
        # Every word of the listed name is in the query: names the list did not give (a
        # middle name, a second surname) cost what the list's extra words would.
        extra = asked.weight - sum(PARTICLE if word in PARTICLES else 1.0 for word in paired)
        contained = found / listed.weight * (1 - EXTRA_ASKED * extra / asked.weight)
        if contained > aligned:
            aligned = contained
            parts = [f"{len(paired)} of {len(asked.words)} words match, all the listed name's"]
    parts += [f"{hows.count(how)} {how}" for how in HOWS if how in hows]
    if unused := len(listed.words) - len(used):
        parts.append(f"{unused} more in the listed name")
    return aligned, ", ".join(parts)


def _by_score(pair: tuple[WordMatch, str, str]) -> float:
    return -pair[0].score


def script_note(text: str) -> str | None:
    """'transliterated from Cyrillic' when the text is written in a non-Latin script."""
    if (script := _script(text)) is not None:
        return f"transliterated from {script.title()}"
    return None


def _script(text: str) -> str | None:
    """The first script other than Latin the text is written in ("ARABIC"), if any."""
    for char in text:
        if char.isalpha() and not char.isascii():
            script = unicodedata.name(char, "").split(" ")[0]
            if script and script != "LATIN":
                return script
    return None


def in_abjad(text: str) -> bool:
    """Written in a script that leaves its short vowels out (Arabic, Persian, Urdu, Hebrew):
    transliterated, "محمد علي" is "mhmd ly", which no vowelled spelling is like letter by
    letter."""
    return _script(text) in ABJADS


def consonants(normalized: str) -> str:
    """A normalised name as an abjad writes it, to compare a transliteration with a vowelled
    spelling: the consonants of each word, a letter written twice once, the article (al,
    el) left out: "mohammed al ahmadi" and "mhmd alahmdy" are both "mhmd hmd"."""
    words = []
    for written in normalized.split():
        _article, word = _article_joined(written)
        if word not in ARTICLES and (letters := _CONSONANT_RUNS.sub(r"\1", _VOWELS.sub("", word))):
            words.append(letters)
    return " ".join(words)


def vowelled(normalized: str) -> str:
    """A guess at how a vowelled spelling of a transliterated abjad name sounds: "a" between
    two different consonants, w and y read as the long vowels they write ("mhmd lkhl" ->
    "mahamad lakhal", which sounds like "mohamed lakhal"). Only for finding candidates."""
    words = []
    for written in normalized.split():
        article, word = _article_joined(written)
        if article:
            words.append(article)
        read: list[str] = []
        for letter in _DIGRAPH.findall(word):
            after_vowel = bool(read) and read[-1][-1] in "aeiou"
            if letter in ("w", "y") and read:
                read.append(letter if after_vowel else {"w": "u", "y": "i"}[letter])
                continue
            if read and not after_vowel and letter not in "aeiou" and read[-1] != letter:
                read.append("a")  # not inside a letter written twice: "allh" -> "allah"
            read.append(letter)
        words.append("".join(read))
    return " ".join(words)


def _article_joined(word: str) -> tuple[str | None, str]:
    """An abjad writes the article joined to the word: "almdany" -> ("al", "mdany")."""
    if word[:2] in ARTICLES and len(word) >= JOINED_ARTICLE:
        return word[:2], word[2:]
    return None, word
