"""Country names as the lists write them, read as ISO 3166 alpha-2 codes: one normaliser for
what users type (`--country "Korea, North"`) and for what every importer reads.

The lists spell countries their own ways: OFAC "Korea, North", "Burma", "Region: Gaza"; the UN
"Iran (Islamic Republic of)"; the UK demonyms ("Afghan", "(1) German (2) Moroccan"); the EU
alpha-3 codes ("IRQ"); FtM alpha-2 in lower case. A spelling is read by exact match (case,
accents, spacing and a trailing full stop aside) against pycountry's codes and names and the
table below, which holds the real spellings found in the lists. Anything else is *not read*:
a typo ("Aghanistan"), a historic state ("USSR"), an ambiguous word ("Congolese", "Korean"), a
hedge ("possibly Palestinian", "Bahrain (citizenship revoked in 2015)") is never guessed at.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from tracker.errors import InvalidValue

# Codes ISO 3166 does not assign but the lists and users do (Kosovo).
EXTRA_CODES = {"XK"}
# Words that say no country is known: read as none, not as an unread spelling.
NO_COUNTRY = {"undetermined", "unknown", "none identified", "none", "n/a", "stateless"}
# Real spellings (folded: see `_fold`) pycountry does not know, each with its code.
SPELLINGS = {
    # OFAC
    "korea, north": "KP", "korea, south": "KR", "burma": "MM", "russia": "RU", "turkey": "TR",
    "congo, democratic republic of the": "CD", "congo, republic of the": "CG",
    "cote d ivoire": "CI", "cote d'ivoire": "CI", "bahamas, the": "BS", "gambia, the": "GM",
    "man, isle of": "IM", "kosovo": "XK", "palestinian": "PS", "west bank": "PS",
    "macedonia, the former yugoslav republic of": "MK", "north macedonia, the republic of": "MK",
    "virgin islands, u.s.": "VI", "micronesia, federated states of": "FM", "brunei": "BN",
    # UN and UK
    "iran (islamic republic of)": "IR", "democratic people's republic of korea": "KP",
    "dprk": "KP", "north korea": "KP", "south korea": "KR", "republic of korea": "KR",
    "drc": "CD", "democratic republic of the congo": "CD", "republic of the congo": "CG",
    "ivory coast": "CI", "libyan arab jamahiriya": "LY", "state of palestine": "PS",
    "palestinian territories": "PS", "occupied palestinian territory": "PS",
    "gaza strip": "PS", "hong kong special administrative region": "HK",
    "china, hong kong special administrative region": "HK", "macau": "MO",
    "uae": "AE", "uk": "GB", "great britain": "GB", "swaziland": "SZ", "cape verde": "CV",
    "the former yugoslav republic of macedonia": "MK", "vatican": "VA", "holy see": "VA",
    "republic of montenegro": "ME", "union of the comoros": "KM", "east timor": "TL",
    # Demonyms (UK and UN nationalities). Not "Congolese", "Korean", "Guinean": ambiguous.
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "armenian": "AM", "australian": "AU", "austrian": "AT", "azerbaijani": "AZ",
    "bahraini": "BH", "bangladeshi": "BD", "belarusian": "BY", "belgian": "BE",
    "bosnian": "BA", "british": "GB", "burundian": "BI", "canadian": "CA",
    "central african": "CF", "chadian": "TD", "chinese": "CN", "colombian": "CO",
    "cuban": "CU", "djiboutian": "DJ", "dutch": "NL", "egyptian": "EG", "emirati": "AE",
    "eritrean": "ER", "ethiopian": "ET", "filipino": "PH", "french": "FR", "gambian": "GM",
    "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR", "indian": "IN",
    "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE", "italian": "IT",
    "ivorian": "CI", "jordanian": "JO", "kazakh": "KZ", "kenyan": "KE", "kuwaiti": "KW",
    "kyrgyz": "KG", "lebanese": "LB", "liberian": "LR", "libyan": "LY", "malaysian": "MY",
    "malian": "ML", "mauritanian": "MR", "mexican": "MX", "moroccan": "MA", "nigerian": "NG",
    "nigerien": "NE", "north korean": "KP", "norwegian": "NO", "pakistani": "PK",
    "qatari": "QA", "russian": "RU", "rwandan": "RW", "saudi": "SA", "saudi arabian": "SA",
    "senegalese": "SN", "serbian": "RS", "sierra leonean": "SL", "somali": "SO",
    "south sudanese": "SS", "spanish": "ES", "sudanese": "SD", "swedish": "SE",
    "swiss": "CH", "syrian": "SY", "tajik": "TJ", "tunisian": "TN", "turkish": "TR",
    "turkmen": "TM", "ugandan": "UG", "ukrainian": "UA", "uzbek": "UZ", "venezuelan": "VE",
    "yemeni": "YE", "zimbabwean": "ZW",
}  # fmt: skip
# OFAC's "Region: ..." entries that lie wholly in one ISO 3166 country (ISO 3166-2 places
# Crimea in UA and Gaza in PS). A disputed one (Kafia Kingi) is not read.
REGIONS = {"crimea": "UA", "gaza": "PS", "northern mali": "ML", "west bank": "PS"}
# A qualifier in brackets that says the tie is no longer (or not surely) there.
NOT_NOW = re.compile(r"\b(revoked|withdrawn|until|possible|possibly)\b")
QUALIFIED = re.compile(r"(?P<head>.+?)\s*\((?P<note>[^()]*)\)?")
# Numbered or lettered parts of one field: "(1) Afghan (2) Pakistani", "a) French, b) Tunisian".
ENUMERATOR = re.compile(r"(?:^|[\s,;])\(?(?:\d{1,2}|[a-h])\)\s*")
SUFFIXES = (" citizenship", " nationality", " national")


@dataclass(frozen=True)
class Reading:
    """What a text says: the countries read from it, and the parts that could not be read."""

    codes: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Case, accents, curly quotes, spacing and a closing full stop set aside."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = " ".join(plain.casefold().split()).rstrip(" .,;")
    return re.sub(r"\bst\. ", "saint ", folded).replace(" and ", " & ")


@cache
def _names() -> dict[str, str]:
    """Every code and name pycountry has for a current country, and the table's spellings."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names[_fold(str(value))] = code
    names.update({_fold(spelling): code for spelling, code in SPELLINGS.items()})
    names.update({code.casefold(): code for code in EXTRA_CODES})
    return names


def _one(folded: str) -> str | None:
    """The code of one country's spelling, already folded; None when it is not one."""
    names = _names()
    # A postcode or a street number is never read as a numeric country code.
    for candidate in () if re.search(r"\d", folded) else (folded, folded.removeprefix("the ")):
        if candidate in names:
            return names[candidate]
        if candidate.startswith("region: ") and candidate[8:] in REGIONS:
            return REGIONS[candidate[8:]]
        for suffix in SUFFIXES:
            if candidate.endswith(suffix) and candidate.removesuffix(suffix) in names:
                return names[candidate.removesuffix(suffix)]
    qualified = QUALIFIED.fullmatch(folded)
    if qualified and not NOT_NOW.search(qualified["note"]):
        return _one(qualified["head"])  # "Germany (previous address)", "Iran (Tehran branch)"
    return None


def read(text: str) -> Reading:
    """The countries a list's text names; parts that name none are kept as unread."""
    codes: list[str] = []
    unread: list[str] = []
    for part in ENUMERATOR.split(text):
        folded = _fold(part)
        if not folded or folded in NO_COUNTRY:
            continue
        code = _one(folded)
        if code is None:
            unread.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return Reading(tuple(codes), tuple(unread))


def code_or_none(text: str) -> str | None:
    """The one country a text names, else None (none, several, or not read)."""
    found = read(text)
    return found.codes[0] if len(found.codes) == 1 and not found.unread else None


def country_code(text: str) -> str:
    """What a user typed for a country (a code, a name, a spelling of the lists) as its code;
    anything else is an error naming the forms accepted."""
    code = code_or_none(text)
    if code is None:
        raise InvalidValue(
            f"unknown country {text!r}: give an ISO 3166 code or a name, e.g. VE or Venezuela"
        )
    return code
