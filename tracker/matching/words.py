"""How alike two words of names are, and in what way.

A slope, not a cliff: one wrong letter costs a little, two cost more ("Scholz" / "Schulze"),
and two words that sound the same (metaphone: "Younes" / "Yunis") lose only half of what their
letters differ. A single letter matches a word it is the initial of.
"""

from typing import NamedTuple

from rapidfuzz.distance import OSA
from rigour.text import metaphone

ONE_TYPO = 0.9  # one letter wrong in a word of ONE_TYPO_LENGTH or more
ONE_TYPO_LENGTH = 5
SOUNDING = 0.5  # from here two words that sound the same (metaphone) count
NEARLY = 0.6  # from here they still count, for what they are worth: the slope


class WordMatch(NamedTuple):
    score: float  # 0..1
    how: str  # "same", "spelt differently", "sounds alike", "an initial"


NO_MATCH = WordMatch(0.0, "different")
SAME = WordMatch(1.0, "same")
ASKED_INITIAL = WordMatch(0.9, "an initial")  # "a" asked for "ali"
LISTED_INITIAL = WordMatch(0.8, "an initial")  # "ali" asked for a listed "a"


def compare_words(asked: str, listed: str) -> WordMatch:
    """How alike a word asked is to a listed word; a score under NEARLY is no match."""
    if asked == listed:
        return SAME
    first, second = len(asked), len(listed)
    if first == 1 or second == 1:
        initial, full = (asked, listed) if first == 1 else (listed, asked)
        if not full.startswith(initial):
            return NO_MATCH
        # The list's own initial ("U" in "KIM, Hyon U") is as often a short name as one.
        return ASKED_INITIAL if first == 1 else LISTED_INITIAL
    longest = first if first > second else second
    most = int(longest * (1 - SOUNDING)) or 1  # edits beyond which nothing counts
    if abs(first - second) > most:
        return NO_MATCH
    edits = OSA.distance(asked, listed, score_cutoff=most)
    if edits > most:
        return NO_MATCH
    spelt = ONE_TYPO if edits == 1 and longest >= ONE_TYPO_LENGTH else 1 - edits / longest
    # Two spellings that sound the same lose half of what their letters differ; and they may
    # differ more ("Khudour" / "Khaddor"), or by one letter of a short word ("Do" / "To").
    if spelt < ONE_TYPO and (spelt >= SOUNDING or edits == 1) and _sounds_alike(asked, listed):
        return WordMatch((1 + spelt) / 2, "sounds alike")
    return WordMatch(spelt, "spelt differently") if spelt >= NEARLY else NO_MATCH


def _sounds_alike(word: str, other: str) -> bool:
    return metaphone(word) == metaphone(other)
