"""Dates, date ranges, relative dates and durations in French, German and
English free text.

    extract(text, lang, today) -> list[DateSpan]
    parse_one(text, lang, today) -> date | None

How it works: the text is normalised (casefold, accents stripped, dashes and
apostrophes unified) while keeping a map back to the original offsets; a set
of compiled regular expressions per language finds *atoms* (complete dates,
day+month without year, bare day numbers, relative dates, weekdays,
durations); overlapping atoms are resolved longest-first; then adjacent atoms
joined by a range connector ("du .. au", "vom .. bis", "from .. to",
"between .. and", "3-20/04", ...) are merged into ranges.  Month and weekday
names come from Babel's CLDR data (fr, de and en names are recognised in
every language, since users mix them); only relative words, number words
and ordinals are hand-written.

Conventions
-----------
* ``DateSpan.start``/``end`` are offsets in the ORIGINAL text; ``text`` is
  ``text[start:end]``.  A leading article/preposition that belongs to the
  expression is included ("le 1er avril", "am 3. Mai", "on the 5th of
  March", "du 3 au 20 avril", "dans 3 jours", "pour 10 jours").
* A date without a year is the next one to come (today or later), unless
  the message says it is past ("le 2 octobre dernier", "since 3 March",
  "ma demande du 10 novembre", or a past tense while the day fell within
  the last three months: "I applied on 10 November").  In a range, the start
  follows that rule (or takes the end's explicit year) and the end is the
  first matching day on or after the start.
* A bare day ("le 15", "am 4.", "the 6th") is a date after another date
  (the next such day: "je pars le 1er décembre et je rentre le 15"), at the
  end of a message or in a correction (the next one from today, the last
  one in a past tense, ``bare_day`` set), and in the month of the date it is
  set against in a correction ("der 5. Dezember, nicht der 4.").
* Feasts are dates: fixed ones (Noël, Heiligabend, New Year's Day) and the
  Easter-based ones from dateutil (Pâques, Pfingstmontag, Ascension Day);
  not when they name a season ("vacances de Noël", "Christmas holidays").
* fr/de numeric dates are day-first.  In en, "05/03" is read day-first too
  (Luxembourg users); when the month-first reading is also valid and
  different it is given in ``ambiguous``.  If only the month-first reading
  is valid ("12/25") it is used.  For a range, ``ambiguous`` holds the
  alternative (start, end) pair.
* "next Monday" / "lundi prochain" / "nächsten Montag" / a bare weekday:
  the first such weekday strictly after today; with "next"/"prochain"/
  "nächsten", when that day is still in the current week, the same weekday
  of the following week is given in ``ambiguous``.  "next week" / "la
  semaine prochaine" / "nächste Woche" = Monday of next week.
* Durations: ``days`` = n (days, nights), 7n (weeks), 30n (months), 365n
  (years), with halves ("un mois et demi" 45, "anderthalb Jahre" 547);
  month-based durations also carry the exact ``months`` (not part of
  equality).  After
  "depuis" / "seit" / "since" a duration is how long something has lasted
  (``since`` set), not a stay; "mon fils de 2 ans" is an age, no duration.
* Two-digit years are 20xx.  Not dates: bare numbers ("2 personnes"),
  times ("14h30", "10:30", "9.05 Uhr"), identification numbers and phone
  numbers written with dots or dashes (digits glued to more digits).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from babel.dates import get_day_names, get_month_names
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from bot.text import LANGS, fold_wide

__all__ = ["DateSpan", "extract", "parse_one", "LANGS"]



@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    text: str
    kind: str                      # 'date' | 'range' | 'duration'
    value: Optional[date] = None   # the date, or the range's first day
    end_value: Optional[date] = None  # the range's last day
    days: Optional[int] = None     # duration in days
    ambiguous: Tuple[date, ...] = ()
    months: Optional[int] = field(default=None, compare=False)
    bare_day: bool = field(default=False, compare=False)  # a lone "le 5" read from today
    since: bool = field(default=False, compare=False)  # "depuis 3 semaines": up to now, not a stay


def _umlaut_variants(word: str) -> List[str]:
    low = word.lower()
    alt = low.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return [low, alt] if alt != low else [low]


# ---------------------------------------------------------------------------
# word tables
# ---------------------------------------------------------------------------
def _month_table() -> Dict[str, int]:
    table: Dict[str, int] = {}
    for loc in LANGS:
        wide = get_month_names("wide", locale=loc)
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                for num, name in get_month_names(width, context=ctx,
                                                 locale=loc).items():
                    for v in _umlaut_variants(name.rstrip(".")):
                        table[fold_wide(v)[0]] = num
        # unambiguous 3-letter prefixes of the wide names ("fev", "dec")
        prefixes: Dict[str, set] = {}
        for num, name in wide.items():
            prefixes.setdefault(fold_wide(name)[0][:3], set()).add(num)
        for p, nums in prefixes.items():
            if len(nums) == 1:
                table.setdefault(p, next(iter(nums)))
    return table


def _weekday_tables() -> Tuple[Dict[str, int], Dict[str, int]]:
    wide: Dict[str, int] = {}
    abbr: Dict[str, int] = {}
    for loc in LANGS:
        for num, name in get_day_names("wide", locale=loc).items():
            for v in _umlaut_variants(name):
                wide[fold_wide(v)[0]] = num            # 0 = Monday
        for width in ("abbreviated", "short"):
            for ctx in ("format", "stand-alone"):
                for num, name in get_day_names(width, context=ctx,
                                               locale=loc).items():
                    abbr[fold_wide(name.rstrip("."))[0]] = num
    return wide, abbr


MONTHS = _month_table()
# full names (a "." after them is a full stop, not an abbreviation mark)
_FULL_MONTHS = frozenset(
    v for loc in LANGS for name in get_month_names("wide", locale=loc).values()
    for v in (fold_wide(x)[0] for x in _umlaut_variants(name)))
WEEKDAYS, WEEKDAYS_ABBR = _weekday_tables()

# number words 1..31 (cardinals) -------------------------------------------
_EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight",
             "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
             "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_FR_UNITS = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
             "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze",
             "seize", "dix-sept", "dix-huit", "dix-neuf"]
_DE_UNITS = ["eins", "zwei", "drei", "vier", "funf", "sechs", "sieben",
             "acht", "neun", "zehn", "elf", "zwolf", "dreizehn", "vierzehn",
             "funfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]


def _cardinals(lang: str) -> Dict[str, int]:
    t: Dict[str, int] = {}
    if lang == "en":
        for i, w in enumerate(_EN_UNITS, 1):
            t[w] = i
        for tens, w in ((20, "twenty"), (30, "thirty")):
            t[w] = tens
            for u in range(1, 10 if tens == 20 else 2):
                t["%s-%s" % (w, _EN_UNITS[u - 1])] = tens + u
        t.update({"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                  "a hundred": 100, "one hundred": 100})
    elif lang == "fr":
        for i, w in enumerate(_FR_UNITS, 1):
            t[w] = i
        t["une"] = 1
        for tens, w in ((20, "vingt"), (30, "trente")):
            t[w] = tens
            t[w + " et un"] = tens + 1
            t[w + " et une"] = tens + 1
            if tens == 20:
                for u in range(2, 10):
                    t["%s-%s" % (w, _FR_UNITS[u - 1])] = tens + u
        # round numbers of days, also the Belgian and Swiss forms ("nonante jours")
        t.update({"quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "soixante-dix": 70,
                  "huitante": 80, "octante": 80, "quatre-vingts": 80, "quatre-vingt": 80, "nonante": 90,
                  "quatre-vingt-dix": 90, "cent": 100})
    else:
        for i, w in enumerate(_DE_UNITS, 1):
            t[w] = i
        for w in ("ein", "eine", "einen", "einem", "einer"):
            t[w] = 1
        for tens, w in ((20, "zwanzig"), (30, "dreissig")):
            t[w] = tens
            for u in range(1, 10 if tens == 20 else 2):
                unit = "ein" if u == 1 else _DE_UNITS[u - 1]
                t["%sund%s" % (unit, w)] = tens + u
        t.update({"vierzig": 40, "funfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
                  "hundert": 100})
        for k in list(t):
            for a, b in (("funf", "fuenf"), ("zwolf", "zwoelf")):
                if a in k:
                    t[k.replace(a, b)] = t[k]
    return t


_EN_ORD_IRREG = {1: "first", 2: "second", 3: "third", 5: "fifth",
                 8: "eighth", 9: "ninth", 12: "twelfth"}


def _ordinals(lang: str) -> Dict[str, int]:
    t: Dict[str, int] = {}
    if lang == "en":
        for i in range(1, 32):
            tens, unit = divmod(i, 10)
            if i < 20:
                t[_EN_ORD_IRREG.get(i) or _EN_UNITS[i - 1] + "th"] = i
            elif unit == 0:
                t[("twentieth", "thirtieth")[tens - 2]] = i
            else:
                head = ("twenty", "thirty")[tens - 2]
                t["%s-%s" % (head, _EN_ORD_IRREG.get(unit) or
                             _EN_UNITS[unit - 1] + "th")] = i
    elif lang == "fr":
        for w in ("premier", "premiere", "1er", "1re", "1ere"):
            t[w] = 1
        for w, n in _cardinals("fr").items():
            if n > 1:
                t[w] = n          # "le trois avril"
    else:
        card = _cardinals("de")
        irreg = {1: "erst", 3: "dritt", 7: "siebt", 8: "acht"}
        for w, n in card.items():
            if w.startswith("ein") and n == 1 or w in ("eins",):
                continue
            if n == 1:
                continue
            if n in irreg:
                stem = irreg[n]
            elif n < 20:
                stem = w + "t"
            else:
                stem = w + "st"
            for end in ("e", "en", "er", "es", "em"):
                t[stem + end] = n
        for end in ("e", "en", "er", "es", "em"):
            t["erst" + end] = 1
            t["siebent" + end] = 7
    return t


def _age(text: str, start: int, end: int) -> bool:
    """Whether "<n> years" at text[start:end] reads as someone's age."""
    before = re.findall(r"[\w]+'?", text[max(0, start - 30):start])
    after = re.findall(r"[\w']+", text[end:end + 12])
    if after and after[0] in ("alt", "old", "jung"):
        return True
    if before and before[-1] in ("aged", "age", "agee", "alter"):
        return True
    # "mon fils de 2 ans", "a boy of one year": "de/of/von" after a person; "un séjour
    # d'un an", "an exchange of one year" are durations
    return bool(len(before) >= 2 and before[-1] in ("de", "d'", "von", "of") and before[-2] in _PERSONS)


_PERSONS = frozenset("""
    fils fille filles enfant enfants bebe garcon garcons homme femme personne frere soeur neveu niece petit petite
    sohn sohnes tochter kind kinder kindes junge jungen madchen maedchen mann frau person bruder schwester baby
    son daughter child children kid kids boy girl baby man woman person brother sister nephew niece
""".split())


# units for relative dates and durations: word -> (days, months)
_UNITS = {
    "fr": {"jour": (1, 0), "jours": (1, 0), "j": (1, 0), "nuit": (1, 0),
           "nuits": (1, 0), "nuitee": (1, 0), "nuitees": (1, 0),
           "semaine": (7, 0), "semaines": (7, 0), "sem": (7, 0),
           "mois": (0, 1), "an": (0, 12), "ans": (0, 12),
           "annee": (0, 12), "annees": (0, 12)},
    "de": {"tag": (1, 0), "tage": (1, 0), "tagen": (1, 0), "tg": (1, 0),
           "nacht": (1, 0), "nachte": (1, 0), "nachten": (1, 0),
           "naechte": (1, 0), "naechten": (1, 0),
           "woche": (7, 0), "wochen": (7, 0), "wo": (7, 0),
           "monat": (0, 1), "monate": (0, 1), "monaten": (0, 1),
           "monats": (0, 1), "jahr": (0, 12), "jahre": (0, 12),
           "jahren": (0, 12), "halbes jahr": (0, 6), "halben jahr": (0, 6),
           "halbjahr": (0, 6)},
    "en": {"day": (1, 0), "days": (1, 0), "night": (1, 0), "nights": (1, 0),
           "week": (7, 0), "weeks": (7, 0), "wk": (7, 0), "wks": (7, 0),
           "fortnight": (14, 0), "fortnights": (14, 0),
           "month": (0, 1), "months": (0, 1), "mth": (0, 1), "mths": (0, 1),
           "year": (0, 12), "years": (0, 12), "yr": (0, 12), "yrs": (0, 12),
           "half year": (0, 6), "half years": (0, 6)},
}

# relative day words: phrase -> offset in days. Days already past ("hier", "gestern",
# "yesterday") are not here: they tell what happened ("das hat sich erst gestern entschieden"),
# never a day of travel
_REL_WORDS = {
    "fr": {"aujourd'hui": 0, "aujourdhui": 0, "aujourd hui": 0,
           "ce soir": 0, "demain": 1, "apres-demain": 2, "apres demain": 2,
           "apresdemain": 2},
    "de": {"heute": 0, "heut": 0, "morgen": 1, "ubermorgen": 2,
           "uebermorgen": 2},
    "en": {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tomorow": 1, "tommorow": 1,
           "tommorrow": 1, "tomorrw": 1,
           "the day after tomorrow": 2, "day after tomorrow": 2},
}
# feasts that name a day: (day, month) or ("easter", days after Easter Sunday,
# computed by dateutil); the next one to come. Not when they name a season
# ("vacances de Noël", "Christmas holidays"): see _FEAST_NOT.
_FEASTS = {
    "fr": {"noel": (25, 12), "jour de noel": (25, 12), "veille de noel": (24, 12),
           "reveillon de noel": (24, 12), "nouvel an": (1, 1), "jour de l'an": (1, 1),
           "saint-sylvestre": (31, 12), "saint sylvestre": (31, 12), "reveillon du nouvel an": (31, 12),
           "toussaint": (1, 11), "paques": ("easter", 0), "dimanche de paques": ("easter", 0),
           "lundi de paques": ("easter", 1), "pentecote": ("easter", 49),
           "lundi de pentecote": ("easter", 50), "jeudi de l'ascension": ("easter", 39)},
    "de": {"weihnachten": (25, 12), "heiligabend": (24, 12), "heiligen abend": (24, 12),
           "silvester": (31, 12), "neujahr": (1, 1), "ostern": ("easter", 0),
           "ostersonntag": ("easter", 0), "ostermontag": ("easter", 1), "pfingsten": ("easter", 49),
           "pfingstmontag": ("easter", 50), "christi himmelfahrt": ("easter", 39),
           "allerheiligen": (1, 11)},
    "en": {"christmas": (25, 12), "christmas day": (25, 12), "xmas": (25, 12), "christmas eve": (24, 12),
           "boxing day": (26, 12), "new year's eve": (31, 12), "new years eve": (31, 12),
           "new year's day": (1, 1), "new years day": (1, 1), "easter": ("easter", 0),
           "easter sunday": ("easter", 0), "easter monday": ("easter", 1), "whit monday": ("easter", 50),
           "whitsun": ("easter", 49), "pentecost": ("easter", 49), "ascension day": ("easter", 39)},
}
_FEAST_NOT = {
    # a season ("vacances de Noël") or a time around the feast ("over Easter", "pendant Pâques",
    # "über Ostern"): no day of departure or return
    "fr": (re.compile(r"(?:(?:vacances|conges|fetes|periode|marche)\s+(?:de|d'|du)\s*(?:la\s+)?"
                      r"|(?:pendant|autour\s+de|durant|vers)\s+(?:la\s+|les\s+)?)$"), None),
    "de": (re.compile(r"(?:uber|über|wahrend|während|um|zu)\s+(?:die\s+)?$"),
           re.compile(r"^\s*(?:ferien|urlaub|zeit)")),
    "en": (re.compile(r"(?:over|during|around|throughout|for)\s+(?:the\s+)?$"),
           re.compile(r"^\s*(?:holidays?|break|vacation|season|period|market|time)")),
}


def _feast_date(spec, today: date) -> Optional[date]:
    if spec[0] == "easter":
        for y in (today.year, today.year + 1):
            d = easter(y) + timedelta(days=spec[1])
            if d >= today:
                return d
        return None
    return _next_on_or_after(spec[0], spec[1], today)


# words before "morgen" that make it "morning"
_MORGEN_NOT_AFTER = {"am", "guten", "gute", "heute", "gestern", "jeden",
                     "diesen", "den", "dem", "der", "des", "einen", "ein",
                     "vom", "zum", "fruhen", "fruehen", "morgen", "pro",
                     "jeder", "schonen", "schoenen", "frohen", "sonntag",
                     "montag", "dienstag", "mittwoch", "donnerstag",
                     "freitag", "samstag", "sonnabend"}

_NEXT_WEEK = {
    "fr": ["la semaine prochaine", "semaine prochaine",
           "la semaine suivante"],
    "de": ["nachste woche", "naechste woche", "nachster woche",
           "naechster woche", "kommende woche", "kommender woche",
           "die nachste woche", "in der nachsten woche",
           "in der naechsten woche", "in der kommenden woche"],
    "en": ["next week", "the following week", "the week after"],
}

# range connectors ----------------------------------------------------------
_FROM = {
    "fr": r"du|de|des|entre|a partir du|a partir de|a compter du|depuis le|"
          r"depuis",
    "de": r"vom|von|ab|ab dem|zwischen|zwischen dem|von dem|seit dem|seit",
    "en": r"from|between|starting|starting on|starting from",
}
_TO = {
    "fr": r"au|a|jusqu'au|jusqu'a|jusqu au|jusqu a|jusqu'a le|jusqu'au|"
          r"et|et le|-",
    "de": r"bis|bis zum|bis zur|bis einschliesslich|bis inklusive|bis am|"
          r"und|und dem|und den|-",
    "en": r"to|until|till|til|through|thru|and|to the|until the|and the|-",
}
_TO_NEEDS_FROM = {"et", "et le", "und", "und dem", "und den", "and",
                  "and the", "a"}
_DATE_ARTICLE = {
    "fr": r"le|ce",
    "de": r"am|den|diesen",
    "en": r"on the|on|the",
}

# A day and month without a year is the next one to come, unless the message
# says it is past: a marker right after it ("le 2 octobre dernier") or right
# before it ("since 10 November", "seit dem 3. Oktober", "depuis le 2"), or a
# past tense in the message while the day fell within the last _PAST_WINDOW
# days ("I applied on 10 November", said on 23 November).
_PAST_AFTER = {
    "fr": re.compile(r"\s+(?:dernier|derniere|passe|passee)(?!\w)"),
    "de": re.compile(r"\s+(?:letzten\s+jahres|vergangenen\s+jahres)(?!\w)"),
    "en": re.compile(r"\s+(?:last\s+year|last|gone)(?!\w)"),
}
_PAST_BEFORE = {
    "fr": re.compile(r"(?<!\w)(?:depuis(?:\s+le)?|dernier|(?:demande|courrier|lettre|facture|mail|e-mail|message|envoi|"
                     r"paiement|ordonnance|consultation)\s+du)\s*$"),
    "de": re.compile(r"(?<!\w)(?:seit(?:\s+dem|\s+den)?|letzten|vergangenen|(?:antrag|antrags|schreiben|brief|"
                     r"rechnung|mail|e-mail|nachricht|zahlung)\s+vom)\s*$"),
    "en": re.compile(r"(?<!\w)(?:since(?:\s+the)?|last|this\s+past|past|(?:request|application|letter|invoice|"
                     r"email|e-mail|message|payment)\s+(?:of|from|dated)(?:\s+the)?)\s*$"),
}
_PAST_TENSE = {
    "fr": re.compile(r"(?<!\w)(?:j'ai|ai|avons|avez|ont|etait|etais|etions|avait|avais|avions|"
                     r"a\s+ete|ai\s+ete|suis\s+alle|suis\s+allee|sommes\s+alles|"
                     r"a\s+(?:deja\s+)?(?:eu|demande|paye|recu|envoye|fait|depose|introduit|soumis|commande|"
                     r"rempli|perdu|vole|expire|appele|ecrit)e?s?|"
                     r"(?:demande|commande|facture|consultation)\s+(?:faite|envoyee|deposee|effectuee|payee|recue)|"
                     r"faite|effectuee|deposee|envoyee|recue|payee)(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:habe|hab|hatte|hatten|haben\s+\w+\s+\w+t|war|waren|wurde|wurden|"
                     r"gestellt|beantragt|bezahlt|gezahlt|geschickt|geschrieben|abgeschickt|erhalten|"
                     r"bekommen)(?!\w)"),
    "en": re.compile(r"(?<!\w)(?:applied|paid|was|were|had|did|sent|received|submitted|requested|"
                     r"ordered|asked|called|filed|expired|went|got|lost|happened|mailed|emailed)(?!\w)"),
}
_PAST_WINDOW = 92


_PAST_BEFORE_CHARS = 80  # the longest of the _PAST_BEFORE words, with room to spare


@lru_cache(maxsize=8)
def _past_tense(lang: str, t: str) -> bool:
    """Whether the message has a verb in the past (once per message, not once per date)."""
    return bool(_PAST_TENSE[lang].search(t))


def _says_past(g: "_Grammar", t: str, s: int, e: int, last: date, today: date) -> bool:
    """Whether the expression at t[s:e], whose past reading ends on `last`, is said to be past.

    The words before it are looked for in the few characters before it (after its blanks),
    not from the start of the message each time: that made a long message cost the square
    of its length."""
    before = s
    while before > 0 and t[before - 1].isspace():
        before -= 1
    if _PAST_AFTER[g.lang].match(t, e) or _PAST_BEFORE[g.lang].search(t, max(0, before - _PAST_BEFORE_CHARS), s):
        return True
    return (today - last).days <= _PAST_WINDOW and _past_tense(g.lang, t)


def _said_past(g: "_Grammar", t: str, a: "_Atom", today: date) -> Optional[date]:
    """The last (d, m) before today when the message says the date is past."""
    for y in (today.year, today.year - 1):
        if _valid(y, a.m, a.d) and date(y, a.m, a.d) < today:
            last = date(y, a.m, a.d)
            return last if _says_past(g, t, a.s, a.e, last, today) else None
    return None


def _range_said_past(g: "_Grammar", t: str, s: int, e: int, res: Tuple[date, date],
                     today: date) -> Tuple[date, date]:
    """A range without a year a year earlier when the message says it is past."""
    earlier = (res[0] - relativedelta(years=1), res[1] - relativedelta(years=1))
    if earlier[1] < today and _says_past(g, t, s, e, earlier[1], today):
        return earlier
    return res


# words after which "20.12" (no trailing dot) is a date in fr/en, not a number
_DM_DOT_AFTER = {
    "fr": {"le", "du", "au", "depuis", "jusqu'au", "avant", "apres", "partir", "retour", "depart"},
    "en": {"on", "from", "until", "till", "til", "to", "by", "before", "after", "since", "return", "departure"},
}


_TIME_AFTER = re.compile(
    r"\s*(?:h\b|h\d|uhr\b|heures?\b|hrs?\b|o'?clock\b|:\d|%|€|eur\b|euros?\b|"
    r"chf\b|\$|km\b|kg\b|cm\b|mm\b|ml\b)")
_EN_AMPM = re.compile(r"\s*[ap]\.?m\.?(?!\w)")


def _alt(words: Iterable[str]) -> str:
    """Alternation, longest first; spaces match any blank run, hyphens an
    optional hyphen or blank."""
    parts = []
    for w in sorted(set(words), key=lambda x: (-len(x), x)):
        p = re.escape(w)
        p = p.replace(r"\ ", r"\s+").replace(" ", r"\s+")
        p = p.replace(r"\-", r"[\s-]?")
        p = p.replace("'", r"['\s]?")
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def _key(s: str) -> str:
    """Normalise a matched phrase for table lookup."""
    return re.sub(r"\s+", " ", s.strip())


def _lookup(table: Dict[str, int], s: str) -> Optional[int]:
    k = _key(s)
    if k in table:
        return table[k]
    for cand in (k.replace(" ", "-"), k.replace("-", " "), k.replace("-", ""),
                 k.replace(" ", ""), k.replace("'", ""), k.replace(" ", "'"),
                 k.replace("' ", "'"), k.replace("'", " ")):
        if cand in table:
            return table[cand]
    # tolerant: compare with blanks, hyphens and apostrophes removed
    flat = re.sub(r"[\s'-]", "", k)
    for w, v in table.items():
        if re.sub(r"[\s'-]", "", w) == flat:
            return v
    return None


# ---------------------------------------------------------------------------
# grammar per language
# ---------------------------------------------------------------------------
class _Grammar:
    def __init__(self, lang: str):
        self.lang = lang
        self.cardinals = _cardinals(lang)
        self.ordinals = _ordinals(lang)
        self.units = _UNITS[lang]
        self.rel_words = _REL_WORDS[lang]
        numbers = dict(self.cardinals)
        if lang == "en":
            numbers.update({"a": 1, "an": 1, "a couple of": 2,
                            "a couple": 2})
        self.numbers = numbers

        month = _alt(MONTHS)
        wd = _alt(WEEKDAYS)
        wda = _alt(WEEKDAYS_ABBR)
        art = _DATE_ARTICLE[lang]
        # optional "le mercredi", "Mittwoch, ", "Wed. ", "am Mittwoch, den "
        prefix = (r"(?:(?P<art>(?:%s)\s+)?"
                  r"(?:(?:(?P<wd>%s)\s*,?\s*|(?P<wda>%s)(?:\.\s*,?|\s*,)\s*)"
                  r"(?:(?:le|den|dem|the)\s+)?)?)" % (art, wd, wda))
        # ordinal suffixes of all three languages ("1er", "3e", "3ten",
        # "5th"): harmless elsewhere and users mix languages
        suf = r"(?:ere|er|re|ieme|eme|e|°|sten|ten|te|st|nd|rd|th)"
        day_num = r"(?P<d>(?:[12]\d|3[01]|0?[1-9]))(?P<suf>%s)?(?!\d)" % suf
        day_word = r"(?P<dw>%s)" % _alt(self.ordinals)
        year = r"(?P<y>(?:1[89]|2[01])\d\d)(?![\d.,:]\d)"
        year_opt = r"(?:\s*,?\s*%s)?" % year
        of = r"(?:\s*of\s+|\s*de\s+|\s+)" if lang == "en" else \
            (r"(?:\s*\.\s*|\s+)" if lang == "de" else r"(?:\s*)")

        # 5 mars 2027 / 3. Mai / 5th of March, 2027 / le trois avril
        self.re_dmy_word = re.compile(
            r"(?<![\w.])" + prefix +
            r"(?:" + day_num + r"\.?" + of + r"|" + day_word + r"\s+" +
            (r"(?:of\s+)?" if lang == "en" else "") + r")" +
            r"(?P<mon>%s)(?![a-z])\.?" % month + year_opt)
        # March 5th, 2027 / Dec 3 (en only)
        if lang == "en":
            self.re_mdy_word = re.compile(
                r"(?<![\w.])" + prefix +
                r"(?P<mon>%s)(?![a-z])\.?\s*(?:the\s+)?" % month +
                r"(?:" + day_num + r"|" + day_word + r")(?![\w])" + year_opt)
        else:
            self.re_mdy_word = None
        # bare day, for ranges ("du 3 au", "vom 3. bis", "3-20/04")
        self.re_day = re.compile(
            r"(?<![\w.,:/])" + prefix +
            r"(?:" + day_num + r"|" + day_word + r"(?![\w]))(?P<dot>\.)?")
        self.re_iso = re.compile(
            r"(?<![\d.,/])(?<!\d-)(?P<y>(?:19|20|21)\d\d)(?P<sep>[-/.])"
            r"(?P<m>\d\d?)(?P=sep)(?P<d>\d\d?)(?!\d)")
        self.re_dmy_num = re.compile(
            r"(?<![\d.,])(?<!\d/)" + r"(?:" + prefix + r")?" +
            r"(?P<d>\d\d?)(?P<sep>[./-])(?P<m>\d\d?)(?P=sep)"
            r"(?P<y>\d{4}|\d\d)(?!\d)")
        self.re_dm_num = re.compile(
            r"(?<![\d.,])(?<!\d/)" + r"(?:" + prefix + r")?" +
            r"(?P<d>\d\d?)(?P<sep>[./])(?P<m>\d\d?)(?P<dot>\.)?(?!\d)")
        # relative words
        self.re_rel = re.compile(r"(?<![\w'-])(?P<w>%s)(?![\w'-])"
                                 % _alt(self.rel_words))
        self.feasts = _FEASTS[lang]
        self.re_feast = re.compile(r"(?<![\w'-])(?P<w>%s)(?![\w'-])" % _alt(self.feasts))
        self.re_next_week = re.compile(r"(?<!\w)(?:%s)(?!\w)"
                                       % _alt(_NEXT_WEEK[lang]))
        # weekdays
        if lang == "fr":
            self.re_weekday = re.compile(
                r"(?<!\w)(?:(?P<mod>ce|le|ce\s+prochain)\s+)?(?P<wd>%s)"
                r"(?:\s+(?P<post>prochain|qui\s+vient|suivant|dernier|passe|"
                r"de\s+la\s+semaine\s+prochaine|en\s+huit))?(?!\w)" % wd)
        elif lang == "de":
            self.re_weekday = re.compile(
                r"(?<!\w)(?:(?P<mod>na(?:e)?chste[nrs]?|kommende[nrs]?|"
                r"letzte[nrs]?|vergangene[nrs]?|diese[nrs]?|am)\s+)?(?P<wd>%s)"
                r"(?:\s+(?P<post>na(?:e)?chste[rn]?\s+woche|"
                r"in\s+einer\s+woche|in\s+acht\s+tagen))?(?!\w)" % wd)
        else:
            self.re_weekday = re.compile(
                r"(?<!\w)(?:(?P<mod>next|this\s+coming|coming|this|last|past|on)\s+)?"
                r"(?P<wd>%s)(?:\s+(?P<post>next\s+week|week))?(?!\w)" % wd)
        # numbers: digits or words
        num = r"(?:(?P<n>\d{1,3})(?![\d.,:/]\d)|(?P<nw>%s))" % _alt(numbers)
        unit = r"(?P<u>%s)(?![\w])" % _alt(self.units)
        if lang == "fr":
            rel_pre = r"(?P<pre>dans|d'ici|d ici|il\s+y\s+a)"
            dur_pre = (r"(?P<pre>pour|pendant|durant|sur|"
                       r"pour\s+une\s+duree\s+de|pendant\s+une\s+duree\s+de|"
                       r"d'une\s+duree\s+de|(?:prolonge|rallonge|proroge)\w*\s+(?:de|d'))")
            rel_post = r""
            dur_post = r""
        elif lang == "de":
            rel_pre = r"(?P<pre>in|vor|binnen|heute\s+in)"
            dur_pre = r"(?P<pre>fur|fuer|wahrend|waehrend|uber|ueber|um)"
            rel_post = r""
            dur_post = r"(?:\s+lang)?"
        else:
            rel_pre = r"(?P<pre>in|within)"
            dur_pre = r"(?P<pre>for|during|over|by)"
            rel_post = r"(?:'s|s'|')?(?:\s+time)?"
            dur_post = r"(?:\s+long)?"
        self.re_rel_unit = re.compile(
            r"(?<![\w'])" + rel_pre + r"\s+" + num + r"\s*-?\s*" + unit +
            rel_post)
        if lang == "en":
            self.re_rel_post = re.compile(
                r"(?<![\w'])" + num + r"\s*-?\s*" + unit +
                r"\s+(?P<post>ago|from\s+now|from\s+today)(?!\w)")  # "a week later" counts from another day: no date
        elif lang == "fr":
            self.re_rel_post = re.compile(
                r"(?<![\w'])" + num + r"\s*-?\s*" + unit +
                r"\s+(?P<post>a\s+partir\s+d'aujourd['\s]?hui)"  # "une semaine plus tard": from another day
                r"(?!\w)")
        else:
            self.re_rel_post = None
        more = {"fr": r"", "de": r"(?:\s+(?:weitere|weiteren|zusatzliche|zusaetzliche|mehr))?",
                "en": r"(?:\s+(?:more|extra|additional|further))?"}[lang]  # "2 more years"
        self.re_duration = re.compile(
            r"(?:(?<=\bd')|(?<![\w'.,]))(?:" + dur_pre + r"(?:\s+|(?<=')))?" + num + more + r"\s*-?\s*" +
            unit + dur_post)
        # "ein dreimonatiger Aufenthalt", "2-wöchige Reise" (de); "half a year" (en)
        self.re_dur_compound = re.compile(
            r"(?<![\w'])" + num + r"\s*-?\s*(?P<cu>tagig|taegig|wochig|woechig|monatig|jahrig|jaehrig)"
            r"(?:e|en|er|es|em)?(?!\w)") if lang == "de" else None
        self.re_half_year = re.compile(r"(?<![\w'])(?:for\s+)?half\s+a\s+year(?!\w)") if lang == "en" else None
        self.re_and_a_half = re.compile(
            {"fr": r"\s+et\s+demie?(?!\w)", "de": r"\s+und\s+ein\s+halb(?!\w)",
             "en": r"\s+and\s+a\s+half(?!\w)"}[lang])
        self.re_one_and_half = re.compile(
            r"(?<![\w'.,])" + {"fr": r"(?:un\s+et\s+demi|1[.,]5)", "de": r"(?:anderthalb|eineinhalb|1[.,]5)",
                                "en": r"(?:one\s+and\s+a\s+half|1[.,]5)"}[lang] + r"\s*" + unit + dur_post)
        # connectors
        self.re_from = re.compile(r"(?<![\w'])(?P<f>%s)\s*$"
                                  % _FROM[lang])
        self.re_gap = re.compile(r"\s*(?P<t>%s)\s*\Z" % _TO[lang])


@lru_cache(maxsize=None)
def _grammar(lang: str) -> _Grammar:
    lang = (lang or "en").lower()[:2]
    if lang not in LANGS:
        lang = "en"
    return _Grammar(lang)


# ---------------------------------------------------------------------------
# atoms
# ---------------------------------------------------------------------------
class _Atom:
    __slots__ = ("s", "e", "kind", "d", "m", "y", "alt", "value", "amb",
                 "days", "months", "weekday", "prio", "since")

    def __init__(self, s, e, kind, d=None, m=None, y=None, alt=None,
                 value=None, amb=(), days=None, months=None, weekday=False,
                 prio=0, since=False):
        self.s, self.e, self.kind = s, e, kind
        self.d, self.m, self.y = d, m, y
        self.alt = alt            # alternative (d, m) reading (en numeric)
        self.value = value        # resolved date (relative atoms)
        self.amb = amb
        self.days, self.months = days, months
        self.weekday = weekday    # atom is a relative weekday
        self.prio = prio
        self.since = since        # "depuis 3 semaines": a length of time up to now

    def __repr__(self):  # pragma: no cover - debugging aid
        return "<%s %d-%d d=%s m=%s y=%s v=%s>" % (
            self.kind, self.s, self.e, self.d, self.m, self.y, self.value)


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def _next_on_or_after(d: int, m: int, ref: date) -> Optional[date]:
    """First (d, m) on or after ``ref`` (Feb 29 -> next leap year)."""
    for y in range(ref.year, ref.year + 9):
        if _valid(y, m, d):
            c = date(y, m, d)
            if c >= ref:
                return c
    return None


def _two_digit_year(y: str) -> int:
    n = int(y)
    return 2000 + n if len(y) == 2 else n


def _collect(g: _Grammar, t: str, today: date) -> List[_Atom]:
    lang = g.lang
    atoms: List[_Atom] = []
    add = atoms.append

    def day_of(m: re.Match) -> Optional[int]:
        if m.group("d"):
            return int(m.group("d"))
        dw = m.groupdict().get("dw")
        if dw:
            return _lookup(g.ordinals, dw)
        return None

    def bad_tail(end: int) -> bool:
        if _TIME_AFTER.match(t, end):
            return True
        if lang == "en" and _EN_AMPM.match(t, end):
            return True
        if _UNIT_AFTER[lang].match(t, end):
            return True
        return False

    def glued(end: int, sep: str) -> bool:
        """Date followed by more digits joined with a separator (phone,
        identification number, version ...).  '-' after a date that does
        not itself use '-' is a range connector and allowed."""
        nxt = t[end:end + 2]
        if len(nxt) == 2 and nxt[1].isdigit() and nxt[0] in "./,:-":
            if nxt[0] == "-" and sep != "-":
                return False
            return True
        return False

    def word_end(m: re.Match) -> int:
        """Drop a sentence full stop after a full month name."""
        end = m.end()
        if m.group("y") is None and t[end - 1] == "." and \
                m.group("mon") in _FULL_MONTHS:
            end -= 1
        return end

    # word dates, day first ("5 mars") and, in English, month first ("March 5")
    for pattern in (g.re_dmy_word, g.re_mdy_word):
        if pattern is None:
            continue
        for m in pattern.finditer(t):
            d = day_of(m)
            mon = MONTHS.get(m.group("mon"))
            if d is None or mon is None:
                continue
            y = int(m.group("y")) if m.group("y") else None
            if not _valid(y or 2000, mon, d):
                continue
            if y is None and bad_tail(m.end()):
                continue
            add(_Atom(m.start(), word_end(m), "full" if y else "dm", d, mon, y, prio=3))
    # numeric dates
    for m in g.re_iso.finditer(t):
        y, mon, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if _valid(y, mon, d) and not glued(m.end(), m.group("sep")):
            add(_Atom(m.start(), m.end(), "full", d, mon, y, prio=4))
    for m in g.re_dmy_num.finditer(t):
        sep = m.group("sep")
        if glued(m.end(), sep):
            continue
        d, mon = int(m.group("d")), int(m.group("m"))
        y = _two_digit_year(m.group("y"))
        alt = None
        if lang == "en" and sep in "/-":
            ok1, ok2 = _valid(y, mon, d), _valid(y, d, mon)
            if not ok1 and ok2:
                d, mon = mon, d
            elif ok1 and ok2 and d != mon:
                alt = (mon, d)
        if not _valid(y, mon, d):
            continue
        add(_Atom(m.start(), m.end(), "full", d, mon, y, alt=alt, prio=4))
    for m in g.re_dm_num.finditer(t):
        sep, dot = m.group("sep"), m.group("dot")
        end = m.end()
        if sep == "." and not dot:
            # "3.4" without the German trailing dot: a decimal number or a
            # version in fr/en; a date in de unless it is a time ("um 9.05")
            before = re.findall(r"[\w']+", t[max(0, m.start("d") - 12):m.start("d")])
            if lang != "de":
                # ... unless a date preposition stands before it ("on 20.12", "le 3.4") or it is
                # one end of a dotted range ("15.01-02.02")
                if not (before and before[-1] in _DM_DOT_AFTER[lang]) and not (
                        re.match(r"\s*-\s*\d\d?\.\d\d?(?![\d])", t[end:])
                        or re.search(r"\d\d?\.\d\d?\s*-\s*$", t[:m.start("d")])):
                    continue
                before = []
            if before and before[-1] in ("um", "gegen", "ca", "etwa"):
                continue
        if lang == "en" and sep == "/" and re.match(r"\s+of\b", t[end:]):
            continue           # "3/4 of the people"
        if glued(end - (1 if dot else 0), sep) and not dot:
            continue
        if dot and t[end:end + 1].isdigit():
            continue
        if bad_tail(end - (1 if dot else 0)):
            continue
        d, mon = int(m.group("d")), int(m.group("m"))
        alt = None
        if lang == "en" and sep == "/":
            ok1, ok2 = _valid(2000, mon, d), _valid(2000, d, mon)
            if not ok1 and ok2:
                d, mon = mon, d
            elif ok1 and ok2 and d != mon:
                alt = (mon, d)
        if not _valid(2000, mon, d):
            continue
        add(_Atom(m.start(), end, "dm", d, mon, None, alt=alt, prio=2))
    # bare day numbers (only used inside ranges)
    for m in g.re_day.finditer(t):
        d = day_of(m)
        if d is None or not 1 <= d <= 31:
            continue
        if _TIME_AFTER.match(t, m.end()) or _UNIT_AFTER[lang].match(
                t, m.end()):
            continue
        add(_Atom(m.start(), m.end(), "d", d, prio=0))
    # relative words
    for m in g.re_rel.finditer(t):
        w = _key(m.group("w"))
        off = _lookup(g.rel_words, w)
        if off is None:
            continue
        if lang == "de" and w == "morgen":
            before = re.findall(r"[\w]+", t[max(0, m.start() - 20):m.start()])
            if before and before[-1] in _MORGEN_NOT_AFTER:
                continue
            if t[m.end():m.end() + 1] == "s":
                continue
        add(_Atom(m.start(), m.end(), "rel",
                  value=today + timedelta(days=off), prio=3))
    for m in g.re_feast.finditer(t):
        before_not, after_not = _FEAST_NOT[lang]
        if before_not is not None and before_not.search(t, 0, m.start()):
            continue
        if after_not is not None and after_not.match(t[m.end():]):
            continue
        spec = _lookup(g.feasts, m.group("w"))
        value = _feast_date(spec, today) if spec else None
        if value is not None:
            add(_Atom(m.start(), m.end(), "rel", value=value, prio=3))
    for m in g.re_next_week.finditer(t):
        monday = today + timedelta(days=7 - today.weekday())
        add(_Atom(m.start(), m.end(), "rel", value=monday, prio=3))
    for m in g.re_weekday.finditer(t):
        wd = WEEKDAYS.get(m.group("wd"))
        if wd is None:
            continue
        mod = _key(m.group("mod") or "")
        post = _key(m.group("post") or "")
        ahead = (wd - today.weekday()) % 7 or 7
        value = today + timedelta(days=ahead)
        amb: Tuple[date, ...] = ()
        if mod in ("last", "past") or mod.startswith(("letzte", "vergangene")) or post in ("dernier", "passe"):
            # "last Friday", "letzten Freitag", "vendredi dernier": the one before today
            value = today - timedelta(days=(today.weekday() - wd) % 7 or 7)
        elif post in ("week",):
            # "Monday week" (en) = a week after the coming Monday
            value += timedelta(days=7)
        elif post.endswith("woche") and not post.startswith("in") or \
                post.endswith("semaine prochaine") or post == "next week":
            value = today + timedelta(days=7 - today.weekday() + wd)
        elif post in ("en huit", "in einer woche", "in acht tagen"):
            value += timedelta(days=7)
        elif (mod in ("next",) or mod.startswith("nachste") or
              mod.startswith("naechste") or mod.startswith("kommende") or
              post in ("prochain", "suivant")):
            if value.isocalendar()[1] == today.isocalendar()[1] and \
                    value.year == today.year:
                amb = (value + timedelta(days=7),)
        add(_Atom(m.start(), m.end(), "rel", value=value, amb=amb,
                  weekday=True, prio=1))
    # relative offsets: "dans 3 jours", "in zwei Wochen", "3 days ago"
    for rx, is_post in ((g.re_rel_unit, False), (g.re_rel_post, True)):
        if rx is None:
            continue
        for m in rx.finditer(t):
            n = _number(g, m)
            du, mu = _lookup_unit(g, m.group("u"))
            if n is None or du is None:
                continue
            sign = 1
            if is_post:
                if m.group("post") == "ago":
                    sign = -1
            elif m.group("pre") in ("vor",) or m.group("pre").startswith(
                    "il"):
                sign = -1
            value = today + relativedelta(days=sign * n * du,
                                          months=sign * n * mu)
            add(_Atom(m.start(), m.end(), "rel", value=value, prio=3))
    # durations
    for m in g.re_duration.finditer(t):
        n = _number(g, m)
        du, mu = _lookup_unit(g, m.group("u"))
        if n is None or du is None or n == 0:
            continue
        pre = m.group("pre")
        if not pre:
            if mu >= 12 and (n * mu > 36 or _age(t, m.start(), m.end())):
                continue       # "mon fils de 2 ans", "2 Jahre alt", "(15 Jahre)": an age, not a stay
            if m.group("nw") and lang == "en" and _key(m.group("nw")) in (
                    "a", "an") and re.search(r"(?:once|twice|thrice|times|every|per)\s+$",
                                             t[max(0, m.start() - 16):m.start()]):
                continue       # "once a week" (but "staying a month", "a fortnight")
            before = re.findall(r"[\w']+", t[max(0, m.start() - 20):m.start()])
            if before and before[-1] in ("par", "pro", "per", "fois", "mal"):
                continue       # "2 fois par semaine": a frequency
            if before and before[-1] == "d'" and du == 1 and not mu:
                continue       # "je me suis trompé d'un jour": no length of stay
        since = bool(before) and before[-1] in ("depuis", "seit", "since") if not pre else False
        months = n * mu if mu else None
        days = _in_days(n, du, mu)
        half = g.re_and_a_half.match(t, m.end())
        end = m.end()
        if half:               # "un mois et demi", "a month and a half"
            days += _half_in_days(du, mu)
            end = half.end()
        add(_Atom(m.start(), end, "dur", days=days, months=months if not half else None,
                  prio=2, since=since))
    for m in g.re_one_and_half.finditer(t):   # "anderthalb Monate", "one and a half months", "1.5 months"
        du, mu = _lookup_unit(g, m.group("u"))
        if du is None:
            continue
        add(_Atom(m.start(), m.end(), "dur", days=_in_days(1, du, mu) + _half_in_days(du, mu), prio=3))
    if g.re_dur_compound is not None:
        for m in g.re_dur_compound.finditer(t):
            n = _number(g, m)
            unit = {"t": (1, 0), "w": (7, 0), "m": (0, 1), "j": (0, 12)}[m.group("cu")[0]]
            after = re.findall(r"\w+", t[m.end():m.end() + 20])
            if unit[1] and after and after[0] in _PERSONS:
                continue       # "mein dreijähriger Sohn": an age
            if n:
                add(_Atom(m.start(), m.end(), "dur", days=_in_days(n, *unit), months=n * unit[1] or None, prio=2))
    if g.re_half_year is not None:
        for m in g.re_half_year.finditer(t):
            add(_Atom(m.start(), m.end(), "dur", days=180, months=6, prio=2))
    return atoms


_UNIT_AFTER = {
    lang: re.compile(r"\.?\s*-?\s*%s(?!\w)" % _alt(_UNITS[lang]))
    for lang in LANGS
}


def _in_days(n: int, du: int, mu: int) -> int:
    """n units of (du days, mu months) in days: a month is 30 days, a year 365."""
    if not mu:
        return n * du
    return 365 * n * mu // 12 if mu % 12 == 0 else 30 * n * mu


def _half_in_days(du: int, mu: int) -> int:
    """Half a unit in days ("et demi", "and a half", "anderthalb")."""
    if not mu:
        return du // 2
    return 365 * mu // 24 if mu % 12 == 0 else 15 * mu


def _number(g: _Grammar, m: re.Match) -> Optional[int]:
    if m.group("n"):
        return int(m.group("n"))
    if m.group("nw"):
        return _lookup(g.numbers, m.group("nw"))
    return None


def _lookup_unit(g: _Grammar, u: str):
    v = g.units.get(_key(u))
    if v is None:
        return None, None
    return v


def _select(atoms: List[_Atom]) -> List[_Atom]:
    """Non-overlapping atoms, longest (then highest priority) first.

    The atoms taken are disjoint, so kept sorted by start a new one need only
    be compared with its two neighbours (found by bisection): comparing it with
    every atom taken made a long run of numbers cost the square of its length."""
    atoms.sort(key=lambda a: (-(a.e - a.s), -a.prio, a.s))
    starts: List[int] = []
    taken: List[_Atom] = []
    for a in atoms:
        i = bisect.bisect_right(starts, a.s)
        if i > 0 and taken[i - 1].e > a.s:
            continue
        if i < len(taken) and taken[i].s < a.e:
            continue
        starts.insert(i, a.s)
        taken.insert(i, a)
    return taken


# ---------------------------------------------------------------------------
# resolution
# ---------------------------------------------------------------------------
def _resolve(a: _Atom, today: date) -> Tuple[Optional[date], Tuple[date, ...]]:
    if a.kind == "rel":
        return a.value, a.amb
    if a.kind == "full":
        v = date(a.y, a.m, a.d)
        amb = ()
        if a.alt and _valid(a.y, a.alt[1], a.alt[0]):
            amb = (date(a.y, a.alt[1], a.alt[0]),)
        return v, amb
    if a.kind == "dm":
        v = _next_on_or_after(a.d, a.m, today)
        amb = ()
        if a.alt:
            o = _next_on_or_after(a.alt[0], a.alt[1], today)
            if o is not None and o != v:
                amb = (o,)
        return v, amb
    return None, ()


def _shift_month(y: Optional[int], m: int, delta: int) -> Tuple[Optional[int], int]:
    m2 = m + delta
    dy = 0
    while m2 < 1:
        m2 += 12
        dy -= 1
    while m2 > 12:
        m2 -= 12
        dy += 1
    return (y + dy if y is not None else None), m2


def _range_dates(a: _Atom, b: _Atom, today: date, use_alt: bool = False
                 ) -> Optional[Tuple[date, date]]:
    """Resolve the two ends of a range; None when impossible."""
    def dm(x: _Atom):
        if use_alt and x.alt:
            return x.alt[0], x.alt[1]
        return x.d, x.m

    # relative ends
    if a.kind == "rel" and b.kind == "rel":
        end = b.value
        if b.weekday:
            while end < a.value:
                end += timedelta(days=7)
        return a.value, end
    if a.kind == "rel":
        start = a.value
        if b.kind == "d":
            for i in range(0, 62):
                c = start + timedelta(days=i)
                if c.day == b.d:
                    return start, c
            return None
        bd, bm = dm(b)
        if b.kind == "full":
            return start, date(b.y, bm, bd)
        end = _next_on_or_after(bd, bm, start)
        return (start, end) if end else None
    if b.kind == "rel":
        if a.kind == "d":
            return None
        ad, am = dm(a)
        if a.kind == "full":
            start = date(a.y, am, ad)
        else:
            start = _next_on_or_after(ad, am, today)
        if start is None:
            return None
        end = b.value
        if b.weekday:
            while end < start:
                end += timedelta(days=7)
        return start, end

    # absolute ends: fill in missing parts
    ad, am = (a.d, None) if a.kind == "d" else dm(a)
    bd, bm = (b.d, None) if b.kind == "d" else dm(b)
    ay, by = a.y, b.y
    if am is None and bm is None:
        return None
    if am is None:                     # "du 3 au 20 avril"
        am = bm
        if ad > bd:                    # "du 28 au 3 janvier"
            _, am = _shift_month(None, bm, -1)
    if bm is None:                     # "from April 3 to 20"
        bm = am
        if bd < ad:
            _, bm = _shift_month(None, am, 1)
    if ay is not None and by is not None:
        if not (_valid(ay, am, ad) and _valid(by, bm, bd)):
            return None
        return date(ay, am, ad), date(by, bm, bd)
    if ay is not None:
        if not _valid(ay, am, ad):
            return None
        start = date(ay, am, ad)
        end = _next_on_or_after(bd, bm, start)
        return (start, end) if end else None
    if by is not None:
        if not _valid(by, bm, bd):
            return None
        end = date(by, bm, bd)
        for y in (by, by - 1, by - 2, by - 3, by - 4):
            if _valid(y, am, ad) and date(y, am, ad) <= end:
                return date(y, am, ad), end
        return None
    start = _next_on_or_after(ad, am, today)
    if start is None:
        return None
    end = _next_on_or_after(bd, bm, start)
    return (start, end) if end else None


def _connects(g: _Grammar, t: str, a: _Atom, b: _Atom) -> Optional[int]:
    """If atoms a and b form a range, return the range's start offset."""
    if a.kind not in ("d", "dm", "full", "rel") or \
            b.kind not in ("d", "dm", "full", "rel"):
        return None
    if a.kind == "d" and b.kind == "d":
        return None
    gap = t[a.e:b.s]
    if len(gap) > 25:
        return None
    mg = g.re_gap.match(gap)
    if not mg:
        return None
    to = _key(mg.group("t"))
    if to == "-" and "\n" in gap:
        return None
    mf = g.re_from.search(t, max(0, a.s - 30), a.s)
    if mf:
        return mf.start("f")
    # no "from" word: only with a dash / "au" / "bis" / "to" / "until"
    # between two dates (or a bare day and a date with a dash)
    if to in _TO_NEEDS_FROM:
        return None
    if b.kind == "d" and not (to == "-" and a.kind in ("dm", "full")):
        return None
    if a.kind == "rel" and to == "-":
        return None
    return a.s


def _to_orig(idx: Optional[List[int]], s: int, e: int) -> Tuple[int, int]:
    if idx is None:
        return s, e
    return idx[s], idx[e - 1] + 1


def _trim(t: str, s: int, e: int) -> Tuple[int, int]:
    while e > s and t[e - 1] in " ,;:":
        e -= 1
    while s < e and t[s] in " ,;:":
        s += 1
    return s, e


def extract(text: str, lang: str, today: date) -> List[DateSpan]:
    """All date expressions in ``text`` (see module doc)."""
    if not text:
        return []
    g = _grammar(lang)
    t, idx = fold_wide(text)
    atoms = _select(_collect(g, t, today))
    out: List[DateSpan] = []

    def emit(s, e, kind, value=None, end_value=None, days=None, amb=(),
             months=None, bare_day=False, since=False):
        s, e = _trim(t, s, e)
        os_, oe = _to_orig(idx, s, e)
        out.append(DateSpan(os_, oe, text[os_:oe], kind, value, end_value,
                            days, tuple(amb), months, bare_day, since))

    i = 0
    n = len(atoms)
    bare_days = set()  # indexes in `out` of bare days
    while i < n:
        a = atoms[i]
        if i + 1 < n:
            b = atoms[i + 1]
            start = _connects(g, t, a, b)
            if start is not None:
                res = _range_dates(a, b, today)
                if res is not None and a.y is None and b.y is None and \
                        a.kind in ("d", "dm") and b.kind in ("d", "dm"):
                    res = _range_said_past(g, t, start, b.e, res, today)
                if res is not None:
                    amb: Tuple[date, ...] = ()
                    if a.alt or b.alt:
                        alt = _range_dates(a, b, today, use_alt=True)
                        if alt and alt != res and alt[0] <= alt[1]:
                            amb = alt
                    emit(start, b.e, "range", res[0], res[1], amb=amb)
                    i += 2
                    continue
        if a.kind == "dur":
            emit(a.s, a.e, "duration", days=a.days, months=a.months, since=a.since)
        elif a.kind == "d" and _ANCHORED_DAY[g.lang].search(t, max(0, a.s - 12), a.e) and (
                out or _LONE_DAY_CONTEXT[g.lang].match(t, a.e)):
            # "je pars le 1er décembre et je rentre le 15": the next 15th after the last date;
            # "non, c'est le 5 pas le 4", "the 6th not the 7th": the next 5th from today
            anchored = bool(out) and len(out) - 1 not in bare_days  # a bare day anchors no other
            anchor = (out[-1].end_value or out[-1].value) if anchored else today - timedelta(days=1)
            if not anchored and _PAST_TENSE[g.lang].search(t):
                # "applied on the 10th": the last 10th before today
                days = (today - timedelta(days=k) for k in range(1, 63))
            else:
                days = (anchor + timedelta(days=k) for k in range(1, 62))
            found = next((c for c in days if c.day == a.d), None)
            if found is not None:
                emit(a.s, a.e, "date", found, bare_day=not anchored)
                bare_days.add(len(out) - 1)
        elif a.kind in ("full", "dm", "rel"):
            v, amb = _resolve(a, today)
            past = _said_past(g, t, a, today) if a.kind == "dm" and not a.alt else None
            if past is not None:
                v, amb = past, ()
            if v is not None:
                emit(a.s, a.e, "date", v, amb=amb)
        i += 1
    _whole_months(g, t, today, out, emit)
    if bare_days:
        _same_month_in_corrections(g, t, out, bare_days)
    return out


# a whole month named as the stay ("tout le mois de mai", "den ganzen Mai", "the whole of May"):
# from its first to its last day, the next such month to come
_WHOLE_MONTH = {
    "fr": re.compile(r"(?<!\w)(?:(?:pendant |durant )?tout le mois (?:de |d')|(?:pendant |durant )?le mois (?:entier )?(?:de |d')(?=\w+ entier)|"
                     r"(?:pendant |durant )?tout )(?P<mon>[a-z]+)(?: entier)?(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:(?:den|im|fur den) )?(?:ganzen|kompletten|gesamten) (?:monat )?(?P<mon>[a-z]+)(?!\w)"),
    "en": re.compile(r"(?<!\w)(?:(?:for |during )?(?:the )?(?:whole|entire) (?:month )?(?:of )?|(?:for |during )?all (?:of )?)"
                     r"(?P<mon>[a-z]+)(?!\w)"),
}


def _whole_months(g: "_Grammar", t: str, today: date, out: List["DateSpan"], emit) -> None:
    for m in _WHOLE_MONTH[g.lang].finditer(t):
        if m.group("mon") not in _FULL_MONTHS or any(span.start < m.end() and m.start() < span.end for span in out):
            continue
        if m.group("mon") == "may" and not t[:m.start("mon")].endswith("of "):
            continue  # "we all may need …": the verb; "all of May", "the whole of May": the month
        month = MONTHS[m.group("mon")]
        year = today.year if (month, 1) > (today.month, today.day) or (month == today.month and today.day == 1) \
            else today.year + 1
        first = date(year, month, 1)
        emit(m.start(), m.end(), "range", first, first + relativedelta(months=1) - timedelta(days=1))


# a bare day number that follows a date ("... et je rentre le 15", "zurück am 15.",
# "back on the 15th"): the next such day after that date
_ANCHORED_DAY = {
    "fr": re.compile(r"(?<![\w'])(?:le|au|jusqu'au)\s+(?:[12]\d|3[01]|0?[1-9])(?:er|e)?$"),
    "de": re.compile(r"(?<!\w)(?:am|den|dem|der|zum)\s+(?:[12]\d|3[01]|0?[1-9])\.$"),
    "en": re.compile(r"(?<!\w)the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)$"),
}

# words that set a day against another in a correction ("der 5. Dezember, nicht der 4.",
# "nicht am 2., sondern am 9. Januar"): the bare day is in the month of the date it is set against
_CORRECTION_WORDS = {
    "fr": re.compile(r"(?<!\w)(?:pas|non|plutot|mais|au\s+lieu)(?!\w)"),
    "de": re.compile(r"(?<!\w)(?:nicht|sondern|statt|anstatt|nein)(?!\w)"),
    "en": re.compile(r"(?<!\w)(?:not|instead|but|no)(?!\w)"),
}


def _same_month_in_corrections(g: "_Grammar", t: str, out: List["DateSpan"], bare_days: set) -> None:
    dated = [k for k, span in enumerate(out) if k not in bare_days and span.kind == "date" and span.value]
    for k in bare_days:
        if not dated:
            return
        j = min(dated, key=lambda x: abs(x - k))
        lo, hi = sorted((out[k], out[j]), key=lambda span: span.start)
        if not _CORRECTION_WORDS[g.lang].search(t, lo.end, hi.start):
            continue
        ref = out[j].value
        try:
            out[k] = DateSpan(out[k].start, out[k].end, out[k].text, "date", date(ref.year, ref.month, out[k].value.day))
        except ValueError:
            continue


# what may follow a bare day with no date before it for it to be a date: the end,
# punctuation, or a word of a correction ("le 5 pas le 4", "the 6th not the 7th")
_LONE_DAY_CONTEXT = {
    "fr": re.compile(r"\s*(?:$|[,.;:!?)]|(?:pas|et|ou|non|plutot|mais|au\s+lieu)(?!\w))"),
    "de": re.compile(r"\s*(?:$|[,;:!?)]|(?:nicht|und|oder|statt|sondern)(?!\w))"),
    "en": re.compile(r"\s*(?:$|[,.;:!?)]|(?:not|and|or|instead|but)(?!\w))"),
}

_LONE_DAY = {
    "fr": re.compile(r"^\s*(?:le\s+)?(?P<d>[12]\d|3[01]|0?[1-9])"
                     r"(?:er|ere|re|e|eme)\s*$"),
    "de": re.compile(r"^\s*(?:am\s+|den\s+|der\s+)?(?P<d>[12]\d|3[01]|0?[1-9])"
                     r"(?:\.|ten|te)\s*$"),
    "en": re.compile(r"^\s*(?:on\s+)?(?:the\s+)?(?P<d>[12]\d|3[01]|0?[1-9])"
                     r"(?:st|nd|rd|th)\s*$"),
}
_LONE_DAY_ARTICLE = {
    "fr": re.compile(r"^\s*le\s+(?P<d>[12]\d|3[01]|0?[1-9])\s*$"),
    "de": re.compile(r"^\s*am\s+(?P<d>[12]\d|3[01]|0?[1-9])\s*$"),
    "en": re.compile(r"^\s*on\s+the\s+(?P<d>[12]\d|3[01]|0?[1-9])\s*$"),
}


def parse_one(text: str, lang: str, today: date) -> Optional[date]:
    """The date in an answer that is just a date ("5 mars", "demain",
    "12/04/2027", "le 5" = the next 5th of a month); None otherwise.
    A range gives its first day."""
    spans = extract(text, lang, today)
    for s in spans:
        if s.kind in ("date", "range"):
            return s.value
    g = _grammar(lang)
    t, _ = fold_wide(text or "")
    for rx in (_LONE_DAY[g.lang], _LONE_DAY_ARTICLE[g.lang]):
        m = rx.match(t)
        if m:
            d = int(m.group("d"))
            for i in range(0, 62):
                c = today + timedelta(days=i)
                if c.day == d:
                    return c
    return None
