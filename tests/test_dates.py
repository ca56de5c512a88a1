import time
import unicodedata
from datetime import date, timedelta

import pytest
from babel.dates import get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates import DateSpan, extract, parse_one

TODAY = date(2026, 11, 23)       # a Monday


def D(y, m, d):
    return date(y, m, d)


def summary(spans):
    out = []
    for s in spans:
        if s.kind == "date":
            out.append(("date", s.value))
        elif s.kind == "range":
            out.append(("range", s.value, s.end_value))
        else:
            out.append(("duration", s.days))
    return out


CASES = [
    # --- French: single dates
    ("fr", "5 mars", [("date", D(2027, 3, 5))]),
    ("fr", "le 1er avril", [("date", D(2027, 4, 1))]),
    ("fr", "1er mai 2027", [("date", D(2027, 5, 1))]),
    ("fr", "5 mars 2027", [("date", D(2027, 3, 5))]),
    ("fr", "05/03", [("date", D(2027, 3, 5))]),
    ("fr", "5.3.2027", [("date", D(2027, 3, 5))]),
    ("fr", "5/3/27", [("date", D(2027, 3, 5))]),
    ("fr", "2027-03-05", [("date", D(2027, 3, 5))]),
    ("fr", "5 janv.", [("date", D(2027, 1, 5))]),
    ("fr", "le 14 DECEMBRE", [("date", D(2026, 12, 14))]),
    ("fr", "le 3 fevrier", [("date", D(2027, 2, 3))]),
    ("fr", "le 15 août 2027", [("date", D(2027, 8, 15))]),
    ("fr", "le mercredi 3 mars", [("date", D(2027, 3, 3))]),
    ("fr", "le premier mai", [("date", D(2027, 5, 1))]),
    ("fr", "le 23 novembre", [("date", D(2026, 11, 23))]),   # today
    ("fr", "le 22 novembre", [("date", D(2027, 11, 22))]),   # next year
    ("fr", "Je pars le 14 décembre et je rentre le 3 janvier",
     [("date", D(2026, 12, 14)), ("date", D(2027, 1, 3))]),
    # --- French: ranges
    ("fr", "du 3 au 20 avril", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("fr", "du 3 avril au 20 mai", [("range", D(2027, 4, 3), D(2027, 5, 20))]),
    ("fr", "du 14 décembre 2026 au 28 décembre 2026",
     [("range", D(2026, 12, 14), D(2026, 12, 28))]),
    ("fr", "3-20/04", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("fr", "3–20 avril", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("fr", "du 23/12/2026 au 06/01/2027",
     [("range", D(2026, 12, 23), D(2027, 1, 6))]),
    ("fr", "entre le 3 et le 20 avril",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("fr", "du 28 décembre au 3 janvier",
     [("range", D(2026, 12, 28), D(2027, 1, 3))]),
    ("fr", "du 23 décembre au 6 janvier 2027",
     [("range", D(2026, 12, 23), D(2027, 1, 6))]),
    ("fr", "du 1er au 15 mai", [("range", D(2027, 5, 1), D(2027, 5, 15))]),
    ("fr", "du 3 jusqu'au 20 avril",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("fr", "de demain à dimanche",
     [("range", D(2026, 11, 24), D(2026, 11, 29))]),
    # --- French: relative & durations
    ("fr", "aujourd'hui", [("date", TODAY)]),
    ("fr", "aujourd’hui", [("date", TODAY)]),
    ("fr", "demain", [("date", D(2026, 11, 24))]),
    ("fr", "après-demain", [("date", D(2026, 11, 25))]),
    ("fr", "apres demain", [("date", D(2026, 11, 25))]),
    ("fr", "lundi prochain", [("date", D(2026, 11, 30))]),
    ("fr", "vendredi", [("date", D(2026, 11, 27))]),
    ("fr", "dans deux semaines", [("date", D(2026, 12, 7))]),
    ("fr", "dans 3 jours", [("date", D(2026, 11, 26))]),
    ("fr", "dans un mois", [("date", D(2026, 12, 23))]),
    ("fr", "la semaine prochaine", [("date", D(2026, 11, 30))]),
    ("fr", "pour 10 jours", [("duration", 10)]),
    ("fr", "mon détachement est prolongé d'un an", [("duration", 365)]),
    ("fr", "prolongé de six mois", [("duration", 180)]),
    ("fr", "un enfant de 2 ans", []),
    ("fr", "il part étudier un an en Inde", [("duration", 365)]),
    ("de", "ein Student, der ein Jahr im Ausland studiert", [("duration", 365)]),
    ("de", "mein Sohn ist 2 Jahre alt", []),
    ("en", "my son is 2 years old", []),
    ("en", "a child of 3 years", []),
    ("de", "mein Sohn (15 Jahre) fährt mit", []),
    ("de", "die Entsendung wird um ein Jahr verlängert", [("duration", 365)]),
    ("de", "um 10 Uhr", []),
    ("en", "my posting is extended by a year", [("duration", 365)]),
    ("en", "I applied last Monday", [("date", D(2026, 11, 16))]),
    ("de", "ich war letzten Freitag beim Arzt", [("date", D(2026, 11, 20))]),
    ("fr", "j'ai payé vendredi dernier", [("date", D(2026, 11, 20))]),
    ("fr", "pendant deux semaines", [("duration", 14)]),
    ("fr", "3 semaines", [("duration", 21)]),
    ("fr", "pour un mois", [("duration", 30)]),
    ("fr", "le 5 mars pour 10 jours",
     [("date", D(2027, 3, 5)), ("duration", 10)]),
    # --- German: single dates
    ("de", "05.03.2027", [("date", D(2027, 3, 5))]),
    ("de", "3. Mai", [("date", D(2027, 5, 3))]),
    ("de", "am 3. Mai 2027", [("date", D(2027, 5, 3))]),
    ("de", "3 Mai", [("date", D(2027, 5, 3))]),
    ("de", "Mittwoch, 3. März", [("date", D(2027, 3, 3))]),
    ("de", "3. Maerz", [("date", D(2027, 3, 3))]),
    ("de", "3. Dez.", [("date", D(2026, 12, 3))]),
    ("de", "am dritten Mai", [("date", D(2027, 5, 3))]),
    ("de", "am 3.4.", [("date", D(2027, 4, 3))]),
    ("de", "Ich fliege am Montag, den 7. Dezember",
     [("date", D(2026, 12, 7))]),
    # --- German: ranges
    ("de", "vom 3. bis 20. April", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("de", "vom 3.4. bis 20.4.", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("de", "vom 23.12.2026 bis 06.01.2027",
     [("range", D(2026, 12, 23), D(2027, 1, 6))]),
    ("de", "zwischen dem 3. und 20. April",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("de", "14.-28.12.2026", [("range", D(2026, 12, 14), D(2026, 12, 28))]),
    ("de", "vom 3. bis 20. April 2027",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    # --- German: relative & durations
    ("de", "heute", [("date", TODAY)]),
    ("de", "morgen", [("date", D(2026, 11, 24))]),
    ("de", "Morgen fliege ich nach Paris", [("date", D(2026, 11, 24))]),
    ("de", "Guten Morgen, ich fliege morgen", [("date", D(2026, 11, 24))]),
    ("de", "übermorgen", [("date", D(2026, 11, 25))]),
    ("de", "nächsten Montag", [("date", D(2026, 11, 30))]),
    ("de", "in zwei Wochen", [("date", D(2026, 12, 7))]),
    ("de", "in einem Monat", [("date", D(2026, 12, 23))]),
    ("de", "nächste Woche", [("date", D(2026, 11, 30))]),
    ("de", "für 10 Tage", [("duration", 10)]),
    ("de", "drei Wochen", [("duration", 21)]),
    ("de", "ab dem 3. Mai für 2 Wochen",
     [("date", D(2027, 5, 3)), ("duration", 14)]),
    # --- English: single dates
    ("en", "2027-03-05", [("date", D(2027, 3, 5))]),
    ("en", "March 5th", [("date", D(2027, 3, 5))]),
    ("en", "5th of March", [("date", D(2027, 3, 5))]),
    ("en", "March 5, 2027", [("date", D(2027, 3, 5))]),
    ("en", "5 March 2027", [("date", D(2027, 3, 5))]),
    ("en", "Dec 3", [("date", D(2026, 12, 3))]),
    ("en", "the first of May", [("date", D(2027, 5, 1))]),
    ("en", "Wednesday, March 5", [("date", D(2027, 3, 5))]),
    ("en", "12/25", [("date", D(2026, 12, 25))]),
    ("en", "on 5 March, back on 20 March",
     [("date", D(2027, 3, 5)), ("date", D(2027, 3, 20))]),
    # --- English: ranges
    ("en", "from 3 to 20 April", [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("en", "from April 3 to April 20",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("en", "between 3 and 20 April",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("en", "from December 13, 2026 to December 27, 2026",
     [("range", D(2026, 12, 13), D(2026, 12, 27))]),
    ("en", "from 23/12/2026 to 06/01/2027",
     [("range", D(2026, 12, 23), D(2027, 1, 6))]),
    ("en", "from the 3rd to the 20th of April",
     [("range", D(2027, 4, 3), D(2027, 4, 20))]),
    ("en", "December 14-28", [("range", D(2026, 12, 14), D(2026, 12, 28))]),
    # --- English: relative & durations
    ("en", "today", [("date", TODAY)]),
    ("en", "tomorrow", [("date", D(2026, 11, 24))]),
    ("en", "the day after tomorrow", [("date", D(2026, 11, 25))]),
    ("en", "next Monday", [("date", D(2026, 11, 30))]),
    ("en", "in 3 weeks", [("date", D(2026, 12, 14))]),
    ("en", "next week", [("date", D(2026, 11, 30))]),
    ("en", "for 10 days", [("duration", 10)]),
    ("en", "for two weeks", [("duration", 14)]),
    ("en", "a 10-day trip", [("duration", 10)]),
    ("en", "2 weeks ago", [("date", D(2026, 11, 9))]),
]


@pytest.mark.parametrize("lang, text, expected", CASES,
                         ids=["%s:%s" % (c[0], c[1]) for c in CASES])
def test_table(lang, text, expected):
    assert summary(extract(text, lang, TODAY)) == expected


def test_table_is_big_enough():
    assert len(CASES) >= 60
    for lang in ("fr", "de", "en"):
        assert sum(1 for c in CASES if c[0] == lang) >= 20


NOT_DATES = [
    ("fr", "2 personnes"),
    ("fr", "nous sommes 3"),
    ("fr", "rendez-vous à 14h30"),
    ("en", "at 10:30"),
    ("de", "um 9.05 Uhr"),
    ("de", "um 9.05 los"),
    ("fr", "mon matricule est 1985041212345"),
    ("fr", "1985 0412 123 45"),
    ("fr", "1985.04.12.123.45"),
    ("de", "1985-04-12-123-45"),
    ("fr", "tel +352 621 123 456"),
    ("fr", "06.12.34.56.78"),
    ("fr", "06/12/34/56/78"),
    ("en", "call 691/123456"),
    ("de", "am Morgen"),
    ("de", "jeden Morgen"),
    ("fr", "mon fils de 2 ans"),
    ("de", "Mein Sohn ist 5 Jahre alt"),
    ("en", "once a week"),
    ("fr", "2 fois par semaine"),
    ("en", "May I ask something?"),
    ("en", "in May"),
    ("fr", "version 3.4"),
    ("en", "3/4 of the people"),
    ("fr", "le 31 avril"),
    ("fr", "3,5 %"),
    ("en", ""),
]


PAST = [
    # a day and month without a year said to be past: the last one before today
    ("fr", "hospitalisé le 2 octobre dernier", [("date", D(2026, 10, 2))]),
    ("fr", "j'ai introduit ma demande le 10 novembre", [("date", D(2026, 11, 10))]),
    ("fr", "depuis le 3 septembre", [("date", D(2026, 9, 3))]),
    ("de", "Ich habe am 10.11. beantragt", [("date", D(2026, 11, 10))]),
    ("de", "seit dem 3. Oktober", [("date", D(2026, 10, 3))]),
    ("en", "I applied on the 10th of November", [("date", D(2026, 11, 10))]),
    ("en", "since 3 March", [("date", D(2026, 3, 3))]),
    ("fr", "j'étais au Maroc du 2 au 15 novembre", [("range", D(2026, 11, 2), D(2026, 11, 15))]),
    ("de", "wir waren vom 3. bis 10. Oktober in der Türkei", [("range", D(2026, 10, 3), D(2026, 10, 10))]),
    # ... and not otherwise, nor when the past tense is about something long ago
    ("en", "I leave on 10 November", [("date", D(2027, 11, 10))]),
    ("fr", "je pars du 20 au 30 novembre", [("range", D(2027, 11, 20), D(2027, 11, 30))]),
    ("en", "I was told to leave on 5 March", [("date", D(2027, 3, 5))]),
    # "20.12" without the German trailing dot after a date preposition
    ("en", "going to Tunisia on 20.12, pls", [("date", D(2026, 12, 20))]),
    ("fr", "départ le 20.12 retour le 4.1", [("date", D(2026, 12, 20)), ("date", D(2027, 1, 4))]),
    ("en", "from 20.12 to 4.1", [("range", D(2026, 12, 20), D(2027, 1, 4))]),
    # a bare day after a date: the next such day after it
    ("fr", "je pars le 1er décembre et je rentre le 15", [("date", D(2026, 12, 1)), ("date", D(2026, 12, 15))]),
    ("de", "Abreise am 20.12., zurück am 4.", [("date", D(2026, 12, 20)), ("date", D(2027, 1, 4))]),
    ("en", "leaving on 20 December, back on the 4th", [("date", D(2026, 12, 20)), ("date", D(2027, 1, 4))]),
    ("fr", "je pars demain et je reviens le 30", [("date", D(2026, 11, 24)), ("date", D(2026, 11, 30))]),
    ("fr", "nous serons 3 le 15 personnes", []),
    # a bare day alone, in a correction: from today, each on its own
    ("fr", "non c'est le 5 pas le 4", [("date", D(2026, 12, 5)), ("date", D(2026, 12, 4))]),
    ("en", "no, it's the 6th not the 7th", [("date", D(2026, 12, 6)), ("date", D(2026, 12, 7))]),
    ("de", "nein, am 5. nicht am 4.", [("date", D(2026, 12, 5)), ("date", D(2026, 12, 4))]),
    ("fr", "le 5 rue de la gare", []),
    # feasts: the next one to come (Easter by dateutil), not a season
    ("de", "wir fliegen an Heiligabend nach Praia", [("date", D(2026, 12, 24))]),
    ("fr", "je pars à Noël", [("date", D(2026, 12, 25))]),
    ("fr", "pendant les vacances de Noël", []),
    ("en", "over the Christmas holidays", []),
    ("en", "back after Easter", [("date", D(2027, 3, 28))]),
    ("de", "zwischen Weihnachten und Neujahr", [("range", D(2026, 12, 25), D(2027, 1, 1))]),
    ("fr", "à la Pentecôte", [("date", D(2027, 5, 16))]),
    # durations after "d'", "of", "about a"; ages are not durations
    ("fr", "prolongation de détachement d'un an possible ?", [("duration", 365)]),
    ("fr", "un enfant d'un an", []),
    ("en", "a student exchange of one year", [("duration", 365)]),
    ("en", "a boy of one year", []),
    ("en", "about a month", [("duration", 30)]),
    ("de", "ein Aufenthalt von einem Jahr", [("duration", 365)]),
    ("de", "mein Sohn von 2 Jahren", []),
    # a bare day set against a date in a correction is in that date's month
    ("de", "Nein, es ist der 5. Dezember, nicht der 4.", [("date", D(2026, 12, 5)), ("date", D(2026, 12, 4))]),
    ("de", "Rückkehr nicht am 2., sondern am 9. Januar", [("date", D(2027, 1, 2)), ("date", D(2027, 1, 9))]),
    ("en", "no, the 20th of December, not the 19th", [("date", D(2026, 12, 20)), ("date", D(2026, 12, 19))]),
    ("fr", "je pars le 20 décembre et je rentre le 4, pas avant", [("date", D(2026, 12, 20)), ("date", D(2027, 1, 4))]),
    # past tense with a participle; digits that are a range; round numbers, half years, compounds
    ("fr", "L'assurée a demandé le formulaire le 9 novembre", [("date", D(2026, 11, 9))]),
    ("fr", "je pars à Rome le 9 novembre", [("date", D(2027, 11, 9))]),
    ("fr", "pour nonante jours", [("duration", 90)]),
    ("de", "für ein halbes Jahr dort", [("duration", 180)]),
    ("en", "for half a year", [("duration", 180)]),
    ("en", "seconded abroad for 2 yrs", [("duration", 730)]),
    ("de", "für einen dreimonatigen Aufenthalt", [("duration", 90)]),
    ("de", "mein dreijähriger Sohn", []),
    # and a half; a length of time up to now (marked, see test_since); a fortnight; dotted ranges
    ("fr", "pendant un mois et demi", [("duration", 45)]),
    ("de", "anderthalb Monate", [("duration", 45)]),
    ("en", "a year and a half", [("duration", 547)]),
    ("de", "seit drei Wochen", [("duration", 21)]),
    ("fr", "je me suis trompé d'un jour", []),
    ("en", "staying a month", [("duration", 30)]),
    ("en", "a fortnight", [("duration", 14)]),
    ("en", "the form for Bosnia, 15.01-02.02", [("range", D(2027, 1, 15), D(2027, 2, 2))]),
    ("fr", "demande faite le 10 novembre", [("date", D(2026, 11, 10))]),
    # a request "of" a date is past; a bare day in the past tense is the last such day
    ("fr", "ma demande du 10 novembre, elle en est où ?", [("date", D(2026, 11, 10))]),
    ("de", "mein Antrag vom 3. November", [("date", D(2026, 11, 3))]),
    ("en", "applied on the 10th, where is my attestation", [("date", D(2026, 11, 10))]),
    ("en", "I paid on the 31st", [("date", D(2026, 10, 31))]),
    ("en", "leaving tomorow", [("date", D(2026, 11, 24))]),
    ("en", "my detachment in Spain, 2 more years", [("duration", 730)]),
    ("de", "um 2 weitere Jahre verlängert", [("duration", 730)]),
]


def test_since():
    assert [s.since for s in extract("ich warte seit drei Wochen", "de", TODAY)] == [True]
    assert [s.since for s in extract("für drei Wochen", "de", TODAY)] == [False]


@pytest.mark.parametrize("lang, text, expected", PAST)
def test_past_and_dotted(lang, text, expected):
    assert summary(extract(text, lang, TODAY)) == expected


@pytest.mark.parametrize("lang, text", NOT_DATES)
def test_not_dates(lang, text):
    assert extract(text, lang, TODAY) == []


def test_heute_morgen_is_today_only():
    assert summary(extract("heute Morgen", "de", TODAY)) == [("date", TODAY)]


# --- offsets ------------------------------------------------------------------
@pytest.mark.parametrize("lang, text, span", [
    ("fr", "Je pars le 1er avril, merci", "le 1er avril"),
    ("fr", "Je pars le 5 mars.", "le 5 mars"),
    ("fr", "Départ le 5 déc. au matin", "le 5 déc."),
    ("fr", "Je pars du 3 au 20 avril pour le Portugal", "du 3 au 20 avril"),
    ("fr", "Ça sera après-demain !", "après-demain"),
    ("de", "Ich fliege am 3. Mai 2027 nach Spanien", "am 3. Mai 2027"),
    ("de", "Abflug übermorgen früh", "übermorgen"),
    ("de", "Straße, Mittwoch, 3. März", "Mittwoch, 3. März"),
    ("de", "Reise vom 3.4. bis 20.4. geplant", "vom 3.4. bis 20.4."),
    ("en", "I leave on the 5th of March.", "on the 5th of March"),
    ("en", "We stay for 10 days in Spain", "for 10 days"),
    ("en", "Trip: from 23/12/2026 to 06/01/2027!",
     "from 23/12/2026 to 06/01/2027"),
])
def test_offsets(lang, text, span):
    spans = extract(text, lang, TODAY)
    assert len(spans) == 1
    s = spans[0]
    assert s.text == span
    assert text[s.start:s.end] == span


# --- ambiguity, weekdays ------------------------------------------------------
def test_en_numeric_ambiguity():
    s, = extract("05/03", "en", TODAY)
    assert s.value == D(2027, 3, 5) and s.ambiguous == (D(2027, 5, 3),)
    s, = extract("05/03/2027", "en", TODAY)
    assert s.value == D(2027, 3, 5) and s.ambiguous == (D(2027, 5, 3),)
    s, = extract("25/03/2027", "en", TODAY)
    assert s.ambiguous == ()
    s, = extract("05/05/2027", "en", TODAY)
    assert s.ambiguous == ()
    s, = extract("05/03", "fr", TODAY)
    assert s.ambiguous == ()
    s, = extract("05.03.2027", "en", TODAY)
    assert s.ambiguous == ()


def test_next_weekday_ambiguity():
    s, = extract("next Wednesday", "en", TODAY)
    assert s.value == D(2026, 11, 25) and s.ambiguous == (D(2026, 12, 2),)
    s, = extract("next Monday", "en", TODAY)
    assert s.ambiguous == ()
    s, = extract("Montag nächste Woche", "de", TODAY)
    assert s.value == D(2026, 11, 30)
    s, = extract("mercredi de la semaine prochaine", "fr", TODAY)
    assert s.value == D(2026, 12, 2)


def test_feb_29_next_leap_year():
    assert parse_one("29 février", "fr", TODAY) == D(2028, 2, 29)
    s, = extract("vom 29.2. bis 3.3.", "de", TODAY)
    assert (s.value, s.end_value) == (D(2028, 2, 29), D(2028, 3, 3))


def test_durations_carry_days_and_months():
    s, = extract("pour un mois", "fr", TODAY)
    assert s.days == 30 and s.months == 1
    s, = extract("for 10 days", "en", TODAY)
    assert s.days == 10
    # months is not part of equality
    assert s == DateSpan(s.start, s.end, s.text, "duration", days=10)


# --- parse_one ----------------------------------------------------------------
@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "5 mars", D(2027, 3, 5)),
    ("fr", "demain", D(2026, 11, 24)),
    ("fr", "le 5", D(2026, 12, 5)),
    ("fr", "1er", D(2026, 12, 1)),
    ("de", "am 5.", D(2026, 12, 5)),
    ("en", "the 5th", D(2026, 12, 5)),
    ("en", "12/04/2027", D(2027, 4, 12)),
    ("fr", "5", None),
    ("fr", "oui", None),
    ("de", "Keine Ahnung", None),
])
def test_parse_one(lang, text, expected):
    assert parse_one(text, lang, TODAY) == expected


# --- round trip as the evaluation harness formats dates -----------------------
def _strip(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s)
                   if not unicodedata.combining(c))


FR_MONTHS = get_month_names("wide", locale="fr")
DE_MONTHS = get_month_names("wide", locale="de")
EN_MONTHS = get_month_names("wide", locale="en")


def fmt(d, lang, style, accents=True):
    if style == "numeric":
        return d.strftime("%d.%m.%Y" if lang == "de" else "%d/%m/%Y")
    if lang == "fr":
        s = "%s %s %d" % ("1er" if d.day == 1 else d.day,
                          FR_MONTHS[d.month], d.year)
        return s if accents else _strip(s)
    if lang == "de":
        s = "%d. %s %d" % (d.day, DE_MONTHS[d.month], d.year)
        return s if accents else _strip(s)
    return "%s %d, %d" % (EN_MONTHS[d.month], d.day, d.year)


CONNECT = {"fr": ("du {a} au {b}", "Je pars {a}."),
           "de": ("vom {a} bis {b}", "Abreise am {a}."),
           "en": ("from {a} to {b}", "I leave on {a}.")}

any_date = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
langs = st.sampled_from(["fr", "de", "en"])
styles = st.sampled_from(["words", "numeric"])


@settings(max_examples=300)
@given(any_date, langs, styles, st.booleans())
def test_round_trip_single(d, lang, style, accents):
    text = fmt(d, lang, style, accents)
    spans = extract(text, lang, TODAY)
    assert [(s.kind, s.value) for s in spans] == [("date", d)]
    assert (spans[0].start, spans[0].end) == (0, len(text))
    assert parse_one(text, lang, TODAY) == d
    sentence = CONNECT[lang][1].format(a=text)
    assert [(s.kind, s.value) for s in extract(sentence, lang, TODAY)] == \
        [("date", d)]


@settings(max_examples=300)
@given(any_date, any_date, langs, styles)
def test_round_trip_range(a, b, lang, style):
    text = CONNECT[lang][0].format(a=fmt(a, lang, style),
                                   b=fmt(b, lang, style))
    spans = extract(text, lang, TODAY)
    assert [(s.kind, s.value, s.end_value) for s in spans] == \
        [("range", a, b)]
    assert (spans[0].start, spans[0].end) == (0, len(text))


@settings(max_examples=200)
@given(st.dates(min_value=TODAY, max_value=TODAY + timedelta(days=364)),
       langs)
def test_round_trip_without_year(d, lang):
    if lang == "fr":
        text = "%s %s" % ("1er" if d.day == 1 else d.day, FR_MONTHS[d.month])
    elif lang == "de":
        text = "%d. %s" % (d.day, DE_MONTHS[d.month])
    else:
        text = "%s %d" % (EN_MONTHS[d.month], d.day)
    assert parse_one(text, lang, TODAY) == d
    numeric = d.strftime("%d.%m." if lang == "de" else "%d/%m")
    assert parse_one(numeric, lang, TODAY) == d


# --- speed --------------------------------------------------------------------
def test_speed():
    msgs = [("fr", "Bonjour, je pars du 3 au 20 avril en Espagne"),
            ("de", "Ich fliege am 3. Mai 2027 für zwei Wochen nach Portugal"),
            ("en", "I'm leaving next Monday and coming back on March 5th")]
    for lang, m in msgs:
        extract(m, lang, TODAY)
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        for lang, m in msgs:
            extract(m, lang, TODAY)
    per_msg = (time.perf_counter() - t0) / (n * len(msgs))
    assert per_msg < 0.002       # < 1 ms expected; margin for slow CI


def test_a_whole_month_is_a_range_from_its_first_to_its_last_day():
    from bot.dates import extract as ext
    today = date(2026, 12, 6)
    for lang, text in [("fr", "on part au Maroc tout le mois de mai"), ("de", "wir fliegen den ganzen Mai nach Tunesien"),
                       ("en", "the whole of May in Turkey"), ("en", "all of May")]:
        spans = ext(text, lang, today)
        assert [(s.kind, s.value, s.end_value) for s in spans] == [("range", date(2027, 5, 1), date(2027, 5, 31))], text
    assert ext("we all may need it", "en", today) == []
    # the current month, once begun, is next year's
    assert ext("den ganzen Dezember", "de", today)[0].value == date(2027, 12, 1)
