"""How the assistant names things in its sentences, in French, German and English: the
same words in the chat, the PDFs and the e-mails.

    country_name(code, lang)     "Turquie", "Türkei", "Türkiye"
    country_in(code, lang)       "en Turquie", "au Maroc", "in der Türkei", "in the United States"
    format_date(iso, lang)       "13 décembre 2026", "13. Dezember 2026", "December 13, 2026"
    online_countries(lang)       the destinations of the online procedure, as one list
    and_list / or_list(items)    "A, B et C" / "A, B ou C"
    ordinal(n, lang)             "1re", "1.", "1st"
    who(label, lang)             how a person known by a label only is named ("votre fils")

Prepositions of places come from `bot/data/advisor.yml` (`place`), relations from
`bot/data/relations.yml`, country names from CLDR (bot/countries.py).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Dict, Iterable, Mapping, Optional

from bot import countries, reference
from bot.reference import load
from bot.text import LANGS, fold


def who(label: Optional[str], lang: str) -> Dict[str, str]:
    """`who`/`who_gen` of a person known by a label only ("votre fils")."""
    labels = load("relations")["labels"]
    entry = labels.get(label or "other") or labels["other"]
    words = entry.get(lang) or entry["en"]
    return {"who": words["who"], "who_gen": words.get("gen", words["who"]),
            "who_dat": words.get("dat", words["who"])}


def relation_word(relation: Optional[str], lang: str) -> str:
    """A stored relation (`self`, `spouse`, `child` …) as the summary shows it."""
    words = load("relations")["relation_words"]
    table = words.get(lang) or words["en"]
    return table.get(relation or "other") or table["other"]


def name_forms(name: str, lang: str) -> Dict[str, str]:
    """`who`/`who_gen`/`who_dat` of a person known by first name: "d'Adam" / "de Marie" (fr),
    "von Adam" (de), "Adam" (en)."""
    if lang == "fr":
        gen = ("d'" if _vowel_initial(name) else "de ") + name
    elif lang == "de":
        gen = "von " + name
    else:
        gen = name
    return {"who": name, "who_gen": gen, "who_dat": name}


def _vowel_initial(word: str) -> bool:
    """Whether a French word takes the elided article or preposition ("d'Adam", "en Italie")."""
    initial = fold(word)[:1]
    return bool(initial) and initial in "aeiou"


@lru_cache(maxsize=1)
def _places() -> Mapping[str, Any]:
    """Prepositions of places per language (advisor.yml `place`)."""
    return load("advisor")["place"]


def lang_or_default(lang: Optional[str]) -> str:
    return lang if lang in LANGS else "fr"


def and_list(items: Iterable[str], lang: str, last: Optional[str] = None) -> str:
    items = [str(i) for i in items if i]
    if not items:
        return ""
    word = last or {"fr": "et", "de": "und", "en": "and"}[lang]
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def or_list(items: Iterable[str], lang: str) -> str:
    return and_list(items, lang, {"fr": "ou", "de": "oder", "en": "or"}[lang])


def ordinal(n: int, lang: str) -> str:
    if lang == "fr":
        return "1re" if n == 1 else f"{n}e"
    if lang == "de":
        return f"{n}."
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def online_countries(lang: str) -> str:
    """The destinations of the online procedure, Quebec marked 'studies': "Bosnie-Herzégovine, ... et Turquie"."""
    data = reference.regimes()
    names = []
    for code in data["groups"]["convention"]["members"]:
        entry = data["countries"].get(code) or {}
        if entry.get("regime") != "convention_online":
            continue
        name = country_name(code, lang)
        only = entry.get("online_request_profiles")
        if only:
            name += " (" + ", ".join(reference.label(p, lang) for p in only) + ")"
        names.append(name)
    return and_list(names, lang)


def country_name(code: Optional[str], lang: str) -> str:
    """Display name of a country code in fr/de/en ('' for None, the code if unknown)."""
    if not code:
        return ""
    lang = lang_or_default(lang)
    try:
        name = countries.name(code, lang)
    except (KeyError, ValueError):
        return code
    conj = {"fr": "et", "de": "und", "en": "and"}[lang]
    return name.replace(" & ", f" {conj} ")


def country_in(code: str, lang: str) -> str:
    """The destination after "in": "en Turquie", "au Maroc", "in der Türkei", "in the United States"."""
    lang = lang_or_default(lang)
    rules_ = _places()[lang]
    phrase = (rules_.get("phrases") or {}).get(code)
    if phrase:
        return phrase
    name = country_name(code, lang)
    if lang == "fr":
        first = re.split(r"[ -]", name)[0]
        if code in rules_.get("plural", ()) or fold(name).startswith("iles"):
            return f"aux {name}"
        if code in rules_.get("no_article", ()) or name.startswith(("Saint", "Sainte", "La ", "Le ")):
            return f"à {name}"
        if _vowel_initial(first) or (first.endswith("e") and code not in rules_.get("masculine_in_e", ())):
            return f"en {name}"
        return f"au {name}"
    if lang == "de":
        if code in rules_.get("feminine", ()) or name.endswith("ei"):
            return f"in der {name}"
        if code in rules_.get("masculine", ()):
            return f"im {name}"
        if name.endswith("inseln"):
            return f"auf den {name}"
        return f"in {name}"
    if code in rules_.get("the", ()) or name.startswith("United") or "Republic" in name or name.endswith("Islands"):
        return f"in the {name}"
    return f"in {name}"


def format_date(iso: Optional[str], lang: str) -> str:
    """A date written out: '13 décembre 2026', '13. Dezember 2026', 'December 13, 2026'."""
    if not iso:
        return ""
    from babel.dates import format_date as babel_format

    day = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(str(iso)[:10])
    text = babel_format(day, format="long", locale=lang_or_default(lang))
    if lang_or_default(lang) == "fr" and day.day == 1:
        text = "1er" + text[1:]  # le 1er février, as French writes it
    return text
