"""Rule-based entity extraction for FR, DE and EN, without any trained model.

`extract(text, lang, today)` returns Rasa-style entity dicts (entity, value,
start, end, role) for: country, date, date_range, duration, matricule,
number (digit runs that look like a mistyped identification number), email,
fund, relation, profile, insured_status and person_name. Words and phrases come
from bot/data/lexicon.yml and are matched with spaCy PhraseMatchers over blank
pipelines of each language; countries, dates, numbers and e-mail addresses come
from their own modules.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import lru_cache
from typing import Iterable, List, Optional

from bot import countries, dates
from bot.reference import load
from bot.text import LANGS, fold
from bot.validators import email as email_mod
from bot.validators import matricule as matricule_mod


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return load("lexicon")


@lru_cache(maxsize=None)
def _pipeline(lang: str):
    """A blank spaCy pipeline with phrase matchers for the lexicon of `lang`."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank(lang)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    lex = _lexicon()
    labels = {}

    def add(key: str, phrases: Iterable[str]):
        labels.setdefault(key, None)
        # the fold keeps œ and ß (one character each): "sœur" and "Großmutter" as typed match too
        folded = {fold(p) for p in phrases}
        folded |= {p.replace("oe", "œ") for p in folded} | {p.replace("ss", "ß") for p in folded}
        matcher.add(key, [nlp.make_doc(p) for p in sorted(folded)])

    for value, groups in lex["relation"].items():
        for label, per_lang in groups.items():
            add(f"relation|{value}|{label}", per_lang.get(lang, []))
    for value, per_lang in lex["profile"].items():
        add(f"profile|{value}|", per_lang.get(lang, []))
    for value, per_lang in lex["insured_status"].items():
        add(f"insured_status|{value}|", per_lang.get(lang, []))
    add("name_intro||", lex["name_intro"].get(lang, []))
    return nlp, matcher


def _entity(entity: str, value, start: int, end: int, text: str, role: Optional[str] = None) -> dict:
    ent = {"entity": entity, "value": value, "start": start, "end": end, "text": text[start:end]}
    if role:
        ent["role"] = role
    return ent


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*){0,3}")


def _lexicon_entities(text: str, langs: Iterable[str]) -> List[dict]:
    folded = fold(text)
    found: List[dict] = []
    for lang in langs:
        nlp, matcher = _pipeline(lang)
        doc = nlp.make_doc(folded)
        for match_id, s, e in matcher(doc):
            kind, value, label = nlp.vocab.strings[match_id].split("|")
            span = doc[s:e]
            start, end = span.start_char, span.end_char
            if kind == "name_intro":
                m = NAME_WORD.match(text, end + (len(text[end:]) - len(text[end:].lstrip())))
                if m:
                    found.append(_entity("person_name", m.group(0).strip(), m.start(), m.end(), text))
                continue
            found.append(_entity(kind, value, start, end, text, role=label or None))
    # keep the longest of overlapping matches of the same kind
    found.sort(key=lambda x: (x["start"], -(x["end"] - x["start"])))
    kept: List[dict] = []
    covers: dict = {}
    for ent in found:
        cover = covers.setdefault(ent["entity"], _Cover(len(text)))
        if cover.hits(ent):
            continue
        kept.append(ent)
        cover.add(ent)
    return kept


# a date right after a negation is the one being corrected away ("pas le 4", "nicht am 2.",
# "not the 19th")
NEGATED_BEFORE = re.compile(r"(?<!\w)(?:pas|non|nicht|not|no|statt|instead\s+of|au\s+lieu\s+d[eu']|(?:et|mais|,)\s+plus|nicht\s+mehr|no\s+longer)\s*"
                            r"(?:le|du|au|am|den|dem|der|vom|the|on|on\s+the)?\s*$")


# a place right after a negation is the one given up ("plus en Tunisie", "statt Tunesien", "not tunisia")
NEGATED_PLACE = re.compile(r"(?<!\w)(?:pas|non|(?<!en )plus|nicht|nicht mehr|kein|not|no longer|no|statt|anstatt|anstelle von|"
                           r"(?:won.?t|doesn.?t|will\s+not|isn.?t|aren.?t)\s+(?:come|go|travel|fly|be\s+\w+ing|coming|going|travell?ing|flying)(?:\s+with\s+us)?|"
                           r"instead\s+of|au\s+lieu\s+d[eu']|plutot\s+que|rather\s+than|sondern nicht)\s*"
                           r"(?:(?:en|au|aux|a|le|la|l'|the|to|nach|in|die|der|den|dem|ins|for|pour|bei|beim|chez|with|at|by)\s*){0,2}$")


def _date_entities(text: str, lang: Optional[str], today: dt.date) -> List[dict]:
    candidates = [lang] if lang else list(LANGS)
    best: List = []
    best_cover = -1
    for cand in candidates:
        spans = dates.extract(text, cand, today)
        cover = sum(s.end - s.start for s in spans)
        if cover > best_cover:
            best, best_cover = spans, cover
    out = []
    for span in best:
        if span.kind == "range" and span.value and span.end_value:
            ent = _entity("date_range", f"{span.value.isoformat()}/{span.end_value.isoformat()}", span.start, span.end, text)
        elif span.kind == "duration" and span.days:
            ages = _lexicon()["request"]["age_duration"]
            if re.match(ages["after"], fold(text[span.end:span.end + 20])) \
                    or re.search(ages["before"], fold(text[max(0, span.start - 20):span.start])):
                continue  # "unsere Tochter ist erst 5 Wochen alt": an age, no stay
            ent = _entity("duration", str(span.days), span.start, span.end, text)
        elif span.value:
            ent = _entity("date", span.value.isoformat(), span.start, span.end, text)
        else:
            continue
        if span.ambiguous:
            ent["alternatives"] = [d.isoformat() for d in span.ambiguous]
        if span.kind == "duration" and re.search(_lexicon()["request"]["approx_before"],
                                                 fold(text[max(0, span.start - 20):span.start])):
            ent["approx"] = True  # "pour environ 6 mois": no return date to count from it
        if span.since:
            ent["since"] = True  # "seit drei Wochen": how long something has lasted, not a stay
        if span.bare_day:
            ent["bare_day"] = True  # "le 5" alone: the dialogue may know the month better
        if NEGATED_BEFORE.search(fold(text[max(0, span.start - 16):span.start])):
            ent["negated"] = True  # "nicht am 2., sondern am 9.": the date being corrected away
        out.append(ent)
    return out


@lru_cache(maxsize=1)
def _place_roles() -> dict:
    spec = _lexicon()["place_roles"]
    return {"cue": re.compile(spec["cue"]), "from_cue": re.compile(spec["from_cue"]),
            "from_countries": frozenset(spec["from_countries"]), "chain": re.compile(spec["chain"]),
            "clause": re.compile(spec["clause"]), "max_gap_words": int(spec["max_gap_words"]),
            "repair_chain": re.compile(spec["repair_chain"]), "contrast_chain": re.compile(spec["contrast_chain"]),
            "work": re.compile(spec["work_cue"]), "departure_point": re.compile(spec["departure_point"]),
            "insured": re.compile(spec["insured_cue"]), "insured_go": re.compile(spec["insured_go"]),
            "sentence": re.compile(spec["insured_sentence"]), "insured_words": int(spec["insured_words"]),
            "insured_gap": int(spec["insured_gap"]), "near": re.compile(spec["near_cue"]), "issuer": re.compile(spec["issuer_cue"]),
            "after": re.compile(spec["residence_after"]), "field": re.compile(spec["residence_field"]), "paren_chain": re.compile(spec["paren_chain"]),
            "travel": re.compile(spec["travel_cue"])}


def _insured_there(folded: str, ent: dict) -> bool:
    """Whether the place is where someone is insured ("il est couvert en France", "über seine
    Eltern in Deutschland versichert"): a cue in the last words of its sentence, no journey after it."""
    spec = _place_roles()
    before = folded[max(0, ent["start"] - 160):ent["start"]]  # a bounded window: linear in the message
    cut = None
    for cut in spec["sentence"].finditer(before):
        pass
    window = " ".join(before[cut.end() if cut else 0:].split()[-spec["insured_words"]:])
    cues = list(spec["insured"].finditer(window))
    if not cues:
        return False
    after = window[cues[-1].end():]
    return len(re.findall(r"\w+", after)) <= spec["insured_gap"] and not spec["insured_go"].search(after)


def _mark_residence(text: str, ents: List[dict]) -> None:
    """Give the role `residence` to the countries the person says they live in."""
    spec = _place_roles()
    folded = fold(text)
    prev: Optional[dict] = None
    for ent in ents:
        if ent["entity"] != "country":
            continue
        if prev is not None and prev.get("role") == "residence" \
                and spec["near"].search(folded[prev["end"]:ent["start"]]):
            ent["role"] = "near"  # "Longlaville, gleich hinter der Grenze bei Rodange": a landmark
            continue
        if prev is not None and prev.get("role") == "residence" and (
                spec["chain"].match(folded[prev["end"]:ent["start"]])
                or spec["repair_chain"].match(folded[prev["end"]:ent["start"]])
                or spec["paren_chain"].match(folded[prev["end"]:ent["start"]])
                or (prev.get("negated") and spec["contrast_chain"].match(folded[prev["end"]:ent["start"]]))):
            ent["role"] = "residence"  # "Trier in Germany", "Arlon (Belgique)"
            prev = ent
            continue
        start = prev["end"] if prev is not None else 0
        window = folded[start:ent["start"]]
        cut = None
        for cut in spec["clause"].finditer(window):
            pass
        if cut is not None:
            window = window[cut.end():]
        window = " ".join(window.split()[-spec["max_gap_words"]:])
        if spec["issuer"].search(folded[max(0, ent["start"] - 40):ent["start"]]):
            ent["role"] = "near"  # "I got it from the commune in Bastogne": where a document comes from
            prev = ent
            continue
        work = list(spec["work"].finditer(window))
        home = list(spec["cue"].finditer(window))
        if work and not (home and home[-1].start() > work[-1].start()):
            # "ich wohne in Trier und pendle nach Luxemburg": where the person works (but "a
            # cross-border worker living in Arlon": the nearer word says where the person lives)
            ent["role"] = "work"
            prev = ent
            continue
        if _insured_there(folded, ent):
            ent["role"] = "insured"
            prev = ent
            continue
        if home or spec["after"].match(folded[ent["end"]:ent["end"] + 20]) or (
                ent["value"] in spec["from_countries"] and spec["from_cue"].search(window)):
            ent["role"] = "residence"
        prev = ent
    # "une famille de 4 à Villerupt, je descends au Maroc": a town of the countries where people
    # who work in Luxembourg live, beside a destination further away, is where the person lives
    places = [e for e in ents if e["entity"] == "country" and not e.get("role")]
    # ("j'habite à Konz … il fait ses études à Nancy": once the residence is said, such a town is
    # neither it nor a destination)
    said = {e["value"] for e in ents if e.get("role") == "residence"}
    if any(e["value"] not in spec["from_countries"] for e in places):
        for ent in places:
            before = folded[max(0, ent["start"] - 24):ent["start"]]
            if ent["value"] in spec["from_countries"] and ent["value"] != "LU" and countries.is_city(ent["text"]) \
                    and not spec["departure_point"].search(before):
                ent["role"] = "near" if said and ent["value"] not in said else "residence"
    # "ich (Longwy, Frankreich) fahre nach Bosnien": the country of a town where the person lives
    places = [e for e in ents if e["entity"] == "country"]
    for town, ent in zip(places, places[1:]):
        if town.get("role") == "residence" and not ent.get("role") and ent["value"] == town["value"] \
                and spec["chain"].match(folded[town["end"]:ent["start"]]):
            ent["role"] = "residence"
    # "the country of residence is wrong: we moved to Messancy, so it's Belgium now, not France": a
    # message about where one lives names no destination; a country of those where people who work
    # in Luxembourg live is the residence, unless another one already is ("J'ai encore le réflexe de
    # dire France": the word said by mistake)
    if spec["field"].search(folded) and not spec["travel"].search(folded):
        loose = [e for e in ents if e["entity"] == "country" and not e.get("role")
                 and e["value"] in spec["from_countries"]]
        homes = [e for e in ents if e["entity"] == "country" and e.get("role") == "residence" and not e.get("negated")]
        kept = [e for e in loose if not e.get("negated")]
        for ent in loose:
            ent["role"] = "residence" if not homes and kept and ent is kept[-1] else "near"


class _Cover:
    """Which characters of a text are inside entities already kept: "does this entity
    overlap one of them" costs the entity's length, not the number of entities kept
    (comparing with each of them made a long message cost the square of its length)."""

    def __init__(self, size: int) -> None:
        self.marks = bytearray(size)

    def add(self, ent: dict) -> None:
        self.marks[ent["start"]:ent["end"]] = b"\x01" * (ent["end"] - ent["start"])

    def hits(self, ent: dict) -> bool:
        return self.marks.find(1, ent["start"], ent["end"]) != -1


def _inside_one(ent: dict, spans: List[dict], starts: List[int]) -> bool:
    """Whether `ent` lies within one of `spans` (disjoint, sorted by start; `starts` theirs)."""
    i = bisect.bisect_right(starts, ent["start"]) - 1
    return i >= 0 and spans[i]["end"] >= ent["end"]


def extract(text: str, lang: Optional[str] = None, today: Optional[dt.date] = None) -> List[dict]:
    """All entities found in `text` (lang: the message's language if known)."""
    today = today or dt.date.today()
    ents: List[dict] = []
    for start, end, raw in matricule_mod.find(text):
        digits = matricule_mod.compact(raw)
        kind = "matricule" if len(digits) == 13 else "number"
        ents.append(_entity(kind, digits, start, end, text))
    for start, end, value in email_mod.find(text):
        ents.append(_entity("email", value, start, end, text))
    # a run of digits that reads as a date or a range ("20.12.26 - 03.01.27") is that, not a
    # mistyped identification number; a full 13-digit number stays one
    found_dates = sorted(_date_entities(text, lang, today), key=lambda d: d["start"])
    date_starts = [d["start"] for d in found_dates]
    ents = [e for e in ents if e["entity"] != "number" or not _inside_one(e, found_dates, date_starts)]
    taken = _Cover(len(text))
    for ent in ents:
        taken.add(ent)
    for ent in found_dates:
        if not taken.hits(ent):
            ents.append(ent)
    taken = _Cover(len(text))
    for ent in ents:
        taken.add(ent)
    for m in countries.find(text):
        ent = _entity("country", m.code, m.start, m.end, text)
        if not taken.hits(ent):
            ents.append(ent)
    from bot import rules

    kept = _Cover(len(text))
    for ent in ents:
        kept.add(ent)
    for match in rules.find_funds(text):
        ent = _entity("fund", match.code, match.start, match.end, text)
        if not kept.hits(ent):
            ents.append(ent)
            kept.add(ent)
    # the words of the message's language only ("kind" is a German child, not an English sort)
    titles = _lexicon()["title_words"]
    for ent in _lexicon_entities(text, [lang] if lang else LANGS):
        if ent["entity"] == "person_name" and kept.hits(ent):
            continue
        if ent["entity"] == "relation" and fold(text[ent["start"]:ent["end"]]) in titles and (
                re.match(r"\s+[A-ZÀ-ÖØ-Þ]", text[ent["end"]:])
                or re.search(_lexicon()["title_before"], fold(text[max(0, ent["start"] - 20):ent["start"]]))):
            continue  # "Sehr geehrte Frau Weber": a title, no wife
        ents.append(ent)
        kept.add(ent)
    ents.sort(key=lambda e: e["start"])
    # "à Montréal … les soins au Canada coûtent une fortune": the country named beside a place of
    # its own with other rules (Quebec) is that place, not a second destination
    regions = {countries.parent(e["value"]) for e in ents if e["entity"] == "country"
               and countries.parent(e["value"]) != e["value"]}
    ents = [e for e in ents if not (e["entity"] == "country" and e["value"] in regions
                                    and not countries.is_city(e["text"]))]
    for ent in ents:
        if ent["entity"] in ("country", "fund") and NEGATED_PLACE.search(
                fold(text[max(0, ent["start"] - 20):ent["start"]])):
            ent["negated"] = True  # "Marokko statt Tunesien", "the CMFEP, not the CNS": given up
    _mark_residence(text, ents)  # after the negations: "nicht in Luxemburg, sondern in Athus"
    # "mon oncle n'est pas co-assuré chez moi": said of a relative, no status of the person writing
    others = [m.span() for m in re.finditer(_lexicon()["request"]["not_coinsured"], fold(text))]
    # "die sind nicht bei der CNS, sondern über meinen Vater bei der CMFEC versichert": someone else's fund
    return [e for e in ents if e["entity"] not in ("insured_status", "fund")
            or not any(a < e["end"] and e["start"] < b for a, b in others)]
