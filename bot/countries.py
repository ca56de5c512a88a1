"""Country names in French, German and English -> ISO 3166-1 alpha-2 codes.

Names come from Babel's CLDR data (``babel.Locale.parse(lang).territories``)
plus ``bot/data/country_aliases.yml`` (short and colloquial forms, Quebec as
the pseudo-code ``CA-QC``, matching rules). The index is built once (cached).

Public API:
    LANGS                                  the supported languages (bot.text)
    normalize(text) -> str
    resolve(name) -> str | None
    find(text) -> list[CountryMatch]
    name(code, lang="en") -> str
    all_names(lang) -> dict[str, list[str]]
    codes() -> frozenset[str]
    is_code(code) -> bool
    is_exact(text) -> bool                  (a name as written, not a typo of one)
    parent(code) -> str                    (CA-QC -> CA, others unchanged)
    phrase_key(text) -> str, word_spans(text)   (shared matching helpers)
    CountryMatch(start, end, text, code)   frozen dataclass

Matching: names are compared as sequences of "keys" (``normalize`` applied
to each word, "and/und/et/&" unified, "St."/"Saint" unified), so hyphens,
apostrophes, accents, case and extra spaces never matter. One typo
(Damerau-Levenshtein distance <= 1, optimal string alignment) is tolerated
for names and words of at least 5 letters when only one country fits.

Pure; must not import rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import babel

from bot import reference
from bot.text import LANGS, fold_wide
PSEUDO_QUEBEC = "CA-QC"
FUZZY_MIN_LEN = 5

_SPACES = re.compile(r"\s+")
# a word: letters (with any combining accents); "&" stands alone
# "4" and "2" alone are words too: SMS for "for" and "to" ("need the paper 4 turkey")
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+|&|(?<![\w.,/:-])[24](?![\w.,/:-])")
# words unified inside keys: conjunctions and "Saint" abbreviations
_CANON = {"and": "&", "und": "&", "et": "&", "st": "saint", "ste": "sainte", "sankt": "saint"}


def normalize(text: str) -> str:
    """The key of a name: `bot.text.fold_wide` (case, accents, ß -> ss, dashes,
    apostrophes) with runs of blanks made one space and the ends stripped.

    A variant of the one fold because keys must not depend on spelling at all
    (ß/ss, æ/ae) nor on spacing, where extraction keeps one character per character.

    >>> normalize("  Bosnie–Herzégovine ")
    'bosnie-herzegovine'
    >>> normalize("Côte d’Ivoire")
    "cote d'ivoire"
    """
    return _SPACES.sub(" ", fold_wide(text)[0]).strip()


def _word_key(word: str) -> str:
    key = normalize(word)
    return _CANON.get(key, key)


def _key(text: str) -> str:
    """Matching key of a whole name: its word keys joined by one space."""
    return " ".join(_word_key(m.group()) for m in _WORD.finditer(text))


def phrase_key(text: str) -> str:
    """Public form of the matching key (also used for fund names)."""
    return _key(text)


def word_spans(text: str) -> list[tuple[int, int, str, str]]:
    """Words of ``text`` as (start, end, key, original) tuples."""
    return [(m.start(), m.end(), _word_key(m.group()), m.group()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class CountryMatch:
    """A country name found in a text: ``text[start:end]`` names ``code``."""

    start: int
    end: int
    text: str
    code: str


def _osa_at_most_one(a: str, b: str) -> bool:
    """True when the optimal-string-alignment distance of a and b is <= 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True  # one substitution
        return (i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i]
                and a[i + 2:] == b[i + 2:])  # one transposition
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


def _deletions(word: str) -> Iterable[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


@dataclass(frozen=True)
class _Index:
    exact: dict            # key -> code
    max_words: int
    first_words: frozenset  # first word keys of every name (prunes find)
    ambiguous: frozenset   # keys needing a capital or a preposition in find
    person: frozenset      # keys needing a preposition in find
    acronyms: frozenset    # keys needing upper case in find
    prepositions: frozenset
    typo_prepositions: frozenset
    destination_nouns: frozenset  # words after an ambiguous name that make it a place ("turkey form")
    fuzzy_stop: frozenset
    deletes: dict          # deletion variant -> tuple of fuzzy-target keys
    fuzzy_find_targets: frozenset
    cities: frozenset      # city keys: exact matches only, typos after a preposition
    names: dict            # lang -> code -> list of names
    display: dict          # (code, lang) -> display name
    leading_words: frozenset


def _babel_names(lang: str) -> dict:
    return dict(babel.Locale.parse(lang).territories)


def _is_candidate_code(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code.isupper()


@lru_cache(maxsize=1)
def _index() -> _Index:
    data = reference.country_aliases()
    excluded = set(data["exclude_codes"])
    exceptional = data["exceptional_codes"]
    pseudo = data["pseudo_codes"]

    names: dict = {lang: {} for lang in LANGS}
    display: dict = {}
    exact: dict = {}
    conflicts: dict = {}

    def add(code: str, lang: str, text: str, primary: bool = True) -> None:
        key = _key(text)
        if not key:
            return
        known = exact.get(key)
        if known is not None and known != code:
            if primary:
                conflicts.setdefault(key, {known}).add(code)
            return
        exact[key] = code
        bucket = names[lang].setdefault(code, [])
        if text not in bucket:
            bucket.append(text)

    for lang in LANGS:
        for code, label in _babel_names(lang).items():
            if not _is_candidate_code(code) or code in excluded or code in exceptional:
                continue
            display[(code, lang)] = label
            add(code, lang, label)
    # variants: a name without its parenthesis ("Myanmar (Birmanie)" -> "Myanmar")
    for lang in LANGS:
        for code, label in _babel_names(lang).items():
            if (code, lang) in display and "(" in label:
                add(code, lang, re.sub(r"\s*\([^)]*\)", "", label), primary=False)
    for code, spec in exceptional.items():
        drop = {_key(n) for n in spec.get("drop_names", ())}
        for lang in LANGS:
            label = _babel_names(lang).get(code)
            if label and _key(label) not in drop:
                add(spec["maps_to"], lang, label, primary=False)
    for code, spec in pseudo.items():
        for lang in LANGS:
            display[(code, lang)] = spec["display"][lang]
            for text in spec["names"].get(lang, ()):
                add(code, lang, text)
    for code, per_lang in data["aliases"].items():
        for lang, texts in per_lang.items():
            for text in texts:
                for target in (LANGS if lang == "any" else (lang,)):
                    add(code, target, text)
    city_keys = set()
    for code, texts in data.get("cities", {}).items():
        for text in texts:
            key = _key(text)
            if key in exact:
                if exact[key] != code:
                    conflicts.setdefault(key, {exact[key]}).add(code)
                continue
            exact[key] = code  # found and resolved, never displayed
            city_keys.add(key)
    if conflicts:
        raise ValueError(f"country names shared by several codes: {conflicts}")

    def keys_of(texts: Iterable[str]) -> frozenset:
        return frozenset(_key(t) for t in texts)

    ambiguous = keys_of(data.get("ambiguous_lowercase", ()))
    person = keys_of(data.get("person_names", ()))
    acronyms = keys_of(data.get("acronyms", ()))
    prepositions = frozenset(
        p.casefold() for words in data.get("destination_prepositions", {}).values() for p in words)
    typo_prepositions = frozenset(
        p.casefold() for words in data.get("typo_prepositions", {}).values() for p in words)
    destination_nouns = frozenset(
        w.casefold() for words in data.get("destination_nouns_after", {}).values() for w in words)
    fuzzy_stop = frozenset(normalize(w) for w in data.get("fuzzy_stopwords", ()))
    leading = frozenset(_word_key(w) for words in data.get("resolve_leading_words", {}).values()
                        for w in words)

    deletes: dict = {}
    for key in exact:
        if key in acronyms or len(key.replace(" ", "")) < FUZZY_MIN_LEN:
            continue
        for variant in {key, *_deletions(key)}:
            deletes.setdefault(variant, set()).add(key)
    return _Index(
        exact=exact,
        max_words=max(len(k.split(" ")) for k in exact),
        first_words=frozenset(k.split(" ")[0] for k in exact),
        ambiguous=ambiguous,
        person=person,
        acronyms=acronyms,
        prepositions=prepositions,
        typo_prepositions=typo_prepositions,
        destination_nouns=destination_nouns,
        fuzzy_stop=fuzzy_stop,
        deletes={k: tuple(sorted(v)) for k, v in deletes.items()},
        fuzzy_find_targets=frozenset(k for k in exact if k not in ambiguous and k not in person
                                     and k not in city_keys),
        cities=frozenset(city_keys),
        names=names,
        display=display,
        leading_words=leading,
    )


@lru_cache(maxsize=1)
def _longest_key() -> int:
    return max(len(key) for key in _index().exact)


def _fuzzy(idx: _Index, query: str, allowed: frozenset | None = None) -> set:
    """Keys within one typo of ``query`` (query of >= 5 letters).

    A query longer than the longest name plus one letter is within one typo of
    none: it is not tried (its deletions alone would cost the square of its
    length, issue 15)."""
    if len(query.replace(" ", "")) < FUZZY_MIN_LEN or len(query) > _longest_key() + 1:
        return set()
    found = set()
    for variant in (query, *_deletions(query)):
        for key in idx.deletes.get(variant, ()):
            if (allowed is None or key in allowed) and _osa_at_most_one(query, key):
                found.add(key)
    return found


def _unique_code(idx: _Index, keys: Iterable[str]) -> str | None:
    found = {idx.exact[k] for k in keys}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def codes() -> frozenset:
    """Every country code known: ISO alpha-2 (CLDR) plus the pseudo-code CA-QC."""
    return frozenset(code for code, _lang in _index().display)


def is_code(code: str) -> bool:
    return code in codes()


def parent(code: str) -> str:
    """The ISO country of a pseudo-code (CA-QC -> CA); other codes unchanged."""
    spec = reference.country_aliases()["pseudo_codes"].get(code)
    return spec["parent"] if spec else code


def resolve(name: str) -> str | None:
    """The code a country name designates (any of fr/de/en), or None.

    Exact match on the normalized name or alias first; then leading articles
    or prepositions ("la", "die", "nach", "the" ...) are dropped; then one
    typo is tolerated for names of at least 5 letters when a single country
    fits. Codes themselves are not names: use ``is_code`` for them.
    """
    idx = _index()
    key = _key(name)
    if not key:
        return None
    # the key, then without its leading articles or prepositions one after the other; only
    # those short enough to be a name (or one typo away from one) are built: a long text of
    # articles would otherwise make as many copies of itself as it has words
    words = key.split(" ")
    limit = _longest_key() + 1
    candidates = []
    first, rest = 0, len(key)
    while True:
        if rest <= limit:
            candidates.append(" ".join(words[first:]))
        if not (len(words) - first > 1 and words[first] in idx.leading_words):
            break
        rest -= len(words[first]) + 1
        first += 1
    for cand in candidates:
        if cand in idx.exact:
            return idx.exact[cand]
    for cand in candidates:
        code = _unique_code(idx, _fuzzy(idx, cand))
        if code:
            return code
    return None


def _accept_exact(idx: _Index, key: str, words: list, i: int, n: int) -> bool:
    first = words[i]
    after_preposition = i > 0 and words[i - 1][3].casefold() in idx.prepositions
    if key in idx.acronyms:  # "USA", or "usa" right after a preposition ("für usa")
        return after_preposition or not any(w[3].islower() for w in words[i:i + n])
    if key in idx.person:
        return after_preposition
    if key in idx.ambiguous:
        before_noun = i + n < len(words) and words[i + n][3].casefold() in idx.destination_nouns
        return first[3][:1].isupper() or after_preposition or before_noun
    return True


def _fuzzy_targets(idx: _Index, words: list, i: int) -> frozenset:
    """Names a misspelt word may stand for: cities only right after a
    preposition of place ("à Marakech"), or capitalised after a destination
    word ("a trip to Marakesh"; "how to create" is no misspelt Crete). Names
    that are also ordinary words are never guessed from a typo ("in Italian"
    is no misspelt Italien); their frequent misspellings are aliases."""
    before = words[i - 1][3].casefold() if i > 0 else ""
    if before in idx.typo_prepositions or (words[i][3][:1].isupper() and before in idx.prepositions):
        return idx.fuzzy_find_targets | idx.cities
    return idx.fuzzy_find_targets


def _fuzzy_find(idx: _Index, words: list, i: int, n: int) -> str | None:
    query_words = [w[2] for w in words[i:i + n]]
    if n == 1:
        word = query_words[0]
        if len(word) < FUZZY_MIN_LEN or word in idx.fuzzy_stop or word in idx.exact:
            return None  # an exact name refused above is no typo
        return _unique_code(idx, _fuzzy(idx, word, _fuzzy_targets(idx, words, i)))
    # several words: exactly one word may carry the typo, and it must be long
    query = " ".join(query_words)
    keys = set()
    for key in _fuzzy(idx, query, _fuzzy_targets(idx, words, i)):
        target = key.split(" ")
        if len(target) != n:
            continue
        diff = [j for j in range(n) if target[j] != query_words[j]]
        if len(diff) == 1:
            word = query_words[diff[0]]
            if len(word) >= FUZZY_MIN_LEN and word not in idx.fuzzy_stop:
                keys.add(key)
    return _unique_code(idx, keys)


def _match_at(idx: _Index, words: list, i: int) -> tuple[int, str | None]:
    """The longest name starting at word ``i``: (number of words, code), or (0, None)."""
    total = len(words)
    longest = min(idx.max_words, total - i)
    if words[i][2] in idx.first_words:
        for n in range(longest, 0, -1):
            key = " ".join(w[2] for w in words[i:i + n])
            code = idx.exact.get(key)
            if code is not None and _accept_exact(idx, key, words, i, n):
                return n, code
    for n in range(min(3, longest), 0, -1):
        if n > 1 and not _shares_word(words, i, n):
            continue  # a multi-word typo keeps all other words exact
        code = _fuzzy_find(idx, words, i, n)
        if code:
            return n, code
    return 0, None


def find(text: str) -> list[CountryMatch]:
    """Country names inside a sentence, left to right; the longest name wins.

    Whole words only. Where names overlap, the one of more words is kept
    ("le Cap-Vert" is Cape Verde, not "Le Cap" followed by a stray word).
    Ordinary words that are also names ("turkey", "island", "réunion",
    "Maurice" ...) need a capital or a destination preposition (see
    ``country_aliases.yml``); one typo is tolerated in words of at least 5
    letters that are not ordinary words.
    """
    idx = _index()
    words = word_spans(text)
    candidates = []
    for i in range(len(words)):
        span, code = _match_at(idx, words, i)
        if code and not _glued(text, words[i][0], words[i + span - 1][1]):
            candidates.append((i, span, code))
    # longest first, then leftmost; each word belongs to one name at most
    candidates.sort(key=lambda c: (-c[1], c[0]))
    taken: set = set()
    chosen = []
    for i, span, code in candidates:
        if taken.isdisjoint(range(i, i + span)):
            taken.update(range(i, i + span))
            chosen.append((i, span, code))
    found = []
    for i, span, code in sorted(chosen):
        start, end = words[i][0], words[i + span - 1][1]
        found.append(CountryMatch(start, end, text[start:end], code))
    if not found and words:
        # an answer that is only a name ("morocco", "la suisse") is that country
        answer = text.strip(" \t\n?!.,;:")
        code = resolve(answer)
        if code and normalize(answer) in idx.fuzzy_stop:
            code = None  # "tchao" is no misspelt Tchad
        if code:
            start, end = words[0][0], words[-1][1]
            found.append(CountryMatch(start, end, text[start:end], code))
    return found


_PLACE_PARTICLE = re.compile(r"-(de|du|des|la|le|les|lès|sur|sous|en|aux|am|an|im|ob|unter|upon|on)-", re.I)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a name is part of a longer hyphenated place ("Saint-Martin" in
    "Mont-Saint-Martin" or "Saint-Martin-de-Ré"): then it names no country."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        prev = re.search(r"([^\W\d_]+)-$", text[:start])
        if prev and resolve(prev.group(1)) is None:  # "Maroc-Tunisie" names two countries
            return True
    # "Saint-Martin-de-Ré", "Esch-sur-Alzette"; not "Marokko-Urlaub"
    return bool(_PLACE_PARTICLE.match(text, end))


@lru_cache(maxsize=1)
def _all_words() -> frozenset:
    return frozenset(word for key in _index().exact for word in key.split(" "))


def _shares_word(words: list, i: int, n: int) -> bool:
    known = _all_words()
    return sum(1 for w in words[i:i + n] if w[2] in known) >= n - 1


def is_city(text: str) -> bool:
    """Whether ``text`` names a city, island or region standing for a country (not the country)."""
    return _key(text) in _index().cities


def is_exact(text: str) -> bool:
    """Whether ``text`` is a country, city or alias name as written (not one typo away from one)."""
    return _key(text) in _index().exact


def name(code: str, lang: str = "en") -> str:
    """Display name of a code in fr, de or en (CA-QC: Québec / Quebec)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    try:
        return _index().display[(code, lang)]
    except KeyError:
        raise KeyError(code) from None


def all_names(lang: str) -> dict[str, list[str]]:
    """Every name (CLDR name first, then aliases) per code in ``lang``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return {code: list(texts) for code, texts in _index().names[lang].items()}
