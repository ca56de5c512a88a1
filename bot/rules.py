"""What a person insured in Luxembourg needs before a stay abroad.

All facts live in ``bot/data/*.yml`` (loaded once by ``bot.reference``);
this module only combines them. Pure functions; must not import rasa.

Public API:
    PROFILES, PROCEDURES, GROUPS
    UnknownCountryError(LookupError)      unknown country (name or code)
    UnknownProfileError(ValueError)       unknown profile word
    canonical_profile(profile) -> str     'stay' | 'study' | 'posting'
    country_code(country) -> str          name (fr/de/en) or code -> code
    group_of(code) -> str                 'eu','eea','ch','uk','convention','no_convention','home'
    regime_of(code) -> str                'home','ehic','uk','convention_online','convention_106','no_convention'
    form_for(code) -> str | None          code of the form the online procedure issues
    form(key, lang='en') -> FormRef
    posting_rules(code) -> Mapping | None
    explain(country, profile='stay', lang='en') -> Advice
    may_request_for(requester_status, relation, concerned_coinsured=True) -> bool
    needs_household_certificate(residence) -> bool
    lead_days(profile='stay', country=None) -> int | None   days before departure to order the form
    competent_fund(fund_of_person_concerned) -> str | None
    resolve_fund(text) -> str | None
    find_funds(text) -> list[FundMatch]
    fund_name(code, lang='en') -> str
    fund_label(code, lang='en') -> str
    contact(key) -> Mapping

Unknown countries raise ``UnknownCountryError`` (there is no 'unknown'
regime): callers ask again instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

from bot import countries, reference
from bot.reference import freeze, label, thaw

PROFILES = ("stay", "study", "posting")
PROCEDURES = ("online_request", "ehic", "downloadable_request", "employer_ccss", "reimbursement", "none")
GROUPS = ("eu", "eea", "ch", "uk", "convention", "no_convention", "home")
REQUESTER_STATUSES = ("main", "coinsured")
RELATIONS = ("self", "child", "spouse", "partner", "parent", "other")

_GROUP_REGIME = {"home": "home", "eu": "ehic", "eea": "ehic", "ch": "ehic", "uk": "uk",
                 "no_convention": "no_convention"}

def _posting_group_of(group: str) -> str | None:
    """The posting group (regimes.yml ``posting.groups``) whose ``applies_to`` lists ``group``."""
    for key, spec in _data()["posting"]["groups"].items():
        if group in (spec.get("applies_to") or ()):
            return key
    return None


class UnknownCountryError(LookupError):
    """The country (name or code) is not known."""

    def __init__(self, query: str):
        super().__init__(query)
        self.query = query


class UnknownProfileError(ValueError):
    """The profile word is not one of the accepted words (regimes.yml `profiles`)."""

    def __init__(self, query: str):
        super().__init__(query)
        self.query = query


@dataclass(frozen=True)
class FormRef:
    """A form of ``forms.yml`` as seen in one language."""

    key: str
    code: str | None
    codes: tuple[str, ...]
    written: tuple[str, ...]
    name: str
    online_procedure_code: str | None
    historical: bool = False
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "code": self.code,
            "codes": list(self.codes),
            "written": list(self.written),
            "name": self.name,
            "online_procedure_code": self.online_procedure_code,
            "historical": self.historical,
            "notes": list(self.notes),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Advice:
    """What applies to one country, profile and language (JSON via ``to_dict``)."""

    country_code: str
    country_name: str
    lang: str
    profile: str
    regime: str
    group: str
    procedure: str
    eligible_for_online_request: bool
    form: FormRef | None
    how_to_request: Mapping[str, Any]
    lead_time_days: int | None
    delivery: Mapping[str, Any] | None
    posting: Mapping[str, Any] | None
    reimbursement: Mapping[str, Any] | None
    study: Mapping[str, Any] | None = None
    caveats: tuple = field(default_factory=tuple)
    notes: tuple = field(default_factory=tuple)
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "country_code": self.country_code,
            "country_name": self.country_name,
            "lang": self.lang,
            "profile": self.profile,
            "regime": self.regime,
            "group": self.group,
            "procedure": self.procedure,
            "eligible_for_online_request": self.eligible_for_online_request,
            "form": self.form.to_dict() if self.form else None,
            "how_to_request": thaw(self.how_to_request),
            "lead_time_days": self.lead_time_days,
            "delivery": thaw(self.delivery),
            "posting": thaw(self.posting),
            "reimbursement": thaw(self.reimbursement),
            "study": thaw(self.study),
            "caveats": thaw(self.caveats),
            "notes": thaw(self.notes),
            "sources": list(self.sources),
        }


# --- small readers -------------------------------------------------------------

def _data() -> Mapping[str, Any]:
    return reference.regimes()


def _check_lang(lang: str) -> str:
    if lang not in countries.LANGS:
        raise ValueError(f"lang must be one of {countries.LANGS}, not {lang!r}")
    return lang


def _source_files(keys) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        if key and reference.source_file(key) not in out:
            out.append(reference.source_file(key))
    return tuple(out)


def _sources_of(entry: Mapping | None) -> list[str]:
    if not entry:
        return []
    keys = list(entry.get("sources", ()))
    if entry.get("source"):
        keys.append(entry["source"])
    return keys


def _name_in(names: Mapping, lang: str) -> str:
    return names.get(lang) or names.get("en") or next(iter(names.values()))


# --- profiles and countries ------------------------------------------------------

@lru_cache(maxsize=1)
def _profile_words() -> dict:
    words = {}
    for canonical, aliases in _data()["profiles"].items():
        words[countries.normalize(canonical)] = canonical
        for alias in aliases:
            words[countries.normalize(alias)] = canonical
    return words


def canonical_profile(profile: str) -> str:
    """'stay' | 'study' | 'posting' for any accepted word (holiday, student, posted ...)."""
    key = countries.normalize(profile).replace(" ", "_").replace("-", "_")
    found = _profile_words().get(key)
    if found is None:
        raise UnknownProfileError(profile)
    return found


def country_code(country: str) -> str:
    """A code (``TR``, ``ca-qc``) or a name in fr/de/en -> code; else UnknownCountryError."""
    text = country.strip()
    if text.upper() in countries.codes():
        return text.upper()
    code = countries.resolve(text)
    if code is None:
        raise UnknownCountryError(country)
    return code


def _require_code(code: str) -> str:
    if code not in countries.codes():
        raise UnknownCountryError(code)
    return code


def group_of(code: str) -> str:
    """'eu','eea','ch','uk','convention','no_convention' or 'home' for a code."""
    _require_code(code)
    groups = _data()["groups"]
    for group in ("home", "eu", "eea", "ch", "uk", "convention"):
        if code in groups[group]["members"]:
            return group
    return "no_convention"


def _country_entry(code: str) -> Mapping[str, Any]:
    return _data()["countries"].get(code, freeze({}))


def regime_of(code: str) -> str:
    """Regime key of a code (see regimes.yml `regimes`)."""
    return _country_entry(code).get("regime") or _GROUP_REGIME[group_of(code)]


def _territory_parent(code: str) -> str | None:
    for parent, members in _data()["territories"].items():
        if code in members:
            return parent
    return None


# --- forms -------------------------------------------------------------------------

def form(key: str, lang: str = "en", code: str | None = None) -> FormRef:
    """A form of forms.yml in ``lang``; ``code`` picks which known code to quote."""
    _check_lang(lang)
    entry = reference.forms()["forms"][key]
    codes = tuple(dict.fromkeys(c["code"] for c in entry["codes"]))
    written: list[str] = []
    for c in entry["codes"]:
        for w in (c["code"], *c.get("written", ())):
            if w not in written:
                written.append(w)
    online = [c["code"] for c in entry["codes"] if c.get("online_procedure")]
    notes = [entry["note"]] if entry.get("note") else []
    notes += [f"{c['code']}: {c['note']}" for c in entry["codes"] if c.get("note")]
    notes = list(dict.fromkeys(notes))
    chosen = code if code is not None else entry["code"]
    if chosen is not None and chosen not in codes:
        raise KeyError(chosen)
    return FormRef(
        key=key,
        code=chosen,
        codes=codes,
        written=tuple(written),
        name=_name_in(entry["name"], lang),
        online_procedure_code=online[0] if online else (entry["code"] if entry.get("kind") == "temporary_stay_certificate" else None),
        historical=bool(entry.get("historical", False)),
        notes=tuple(notes),
        sources=_source_files(_sources_of(entry)),
    )


def form_for(code: str) -> str | None:
    """Code of the form the online procedure issues for a country (None if none).

    BA -> 'LU/BIH111' (not YL-4); MA -> 'L/M8' (CNS page, not in the seeds);
    countries outside the online procedure -> None.
    """
    if regime_of(code) != "convention_online":
        return None
    return form(_country_entry(code)["form"]).online_procedure_code


def _online_eligible(code: str, profile: str) -> bool:
    regime = regime_of(code)
    if not _data()["regimes"][regime].get("online_request"):
        return False
    allowed = _country_entry(code).get("online_request_profiles", PROFILES)
    return profile in allowed


def _form_for_profile(code: str, group: str, regime: str, profile: str, lang: str) -> FormRef | None:
    entry = _country_entry(code)
    if regime == "convention_online":
        if profile in entry.get("not_covered_profiles", ()):
            return None
        ref = form(entry["form"], lang)
        if profile == "posting":
            posting_code = reference.forms()["forms"][entry["form"]].get("posting_code")
            if posting_code:
                ref = form(entry["form"], lang, code=posting_code)
        return ref
    if regime == "convention_106":
        return form(entry["form"], lang) if profile == "posting" else form("ehic", lang)
    if regime in ("ehic", "uk"):
        if profile == "posting":
            return form("s1", lang)  # A1 + S1 in the EU, the EEA, Switzerland and the UK (ccss_art12, cns_s1)
        return form("ehic", lang)
    return None


# --- pieces of advice -------------------------------------------------------------------

def _labelled(key: str, lang: str, **extra) -> dict:
    return {"key": key, "label": label(key, lang), **extra}


def _document(key: str, lang: str) -> str:
    docs = reference.forms()["documents"]
    if key in docs:
        return _name_in(docs[key]["name"], lang)
    forms = reference.forms()["forms"]
    if key in forms:
        return _name_in(forms[key]["name"], lang)
    return label(key, lang)


def _how_to_request(code: str, procedure: str, profile: str, lang: str, form_ref: FormRef | None) -> dict:
    data = _data()["procedures"]
    contacts = reference.contacts()["contacts"]
    out: dict = {"procedure": procedure, "label": label(procedure, lang)}
    if procedure == "online_request":
        spec = data["online_request"]
        out.update(
            channel=spec["channel"],
            url=contacts[spec["contact"]]["url"],
            steps=[_labelled(step, lang) for step in spec["steps"]],
            options=[
                {"mode": "without_authentication", "label": label("without_authentication", lang),
                 "delivery": spec["without_authentication"]["delivery"],
                 "delivery_label": label(spec["without_authentication"]["delivery"], lang),
                 "electronic_delivery": False,
                 "required_fields": list(spec["requester_fields_without_authentication"]["required"])},
                {"mode": "with_authentication", "label": label("with_authentication", lang),
                 "delivery": spec["with_authentication"]["delivery"],
                 "delivery_label": label(spec["with_authentication"]["delivery"], lang),
                 "products": list(spec["with_authentication"]["products_edelivery"]),
                 "products_note": spec["with_authentication"]["products_note"],
                 "prefilled": True,
                 "status_tracking": list(spec["with_authentication"]["status_tracking"])},
            ],
            person_fields=list(spec["person_fields"]),
            one_form_per_person=spec["one_form_per_person"],
            attachments=thaw(spec["attachments"]),
            needs=list(spec["student_page_needs"]["items"]),
            requester_rules=thaw(_data()["requester"]["rules"]),
            household_certificate=_document("household_composition_certificate", lang),
            contacts={
                "problems": {"key": spec["problems_contact"], "phone": contacts[spec["problems_contact"]]["phone"]},
                "login_helpdesk": {"key": "myguichet_helpdesk", "url": contacts["myguichet_helpdesk"]["url"]},
            },
        )
    elif procedure == "ehic":
        spec = data["ehic"]
        prc = spec["provisional_replacement_certificate"]
        out.update(
            card=_document("ehic", lang),
            issuer=spec["issuer"],
            issuer_label=label(spec["issuer"], lang),
            issuer_source=spec["issuer_source"],
            provisional_replacement_certificate={
                "name": _document(prc["form"], lang), "channel": prc["channel"],
                "edelivery": prc["edelivery"], "source": reference.source_file(prc["source"])},
            note=spec["note"],
        )
        if profile == "study":
            out["study_registration"] = spec["study_registration"]
    elif procedure == "employer_ccss":
        spec = data["employer_ccss"]
        out.update(
            actor=spec["actor"],
            to=spec["to"],
            to_label=label(spec["to"], lang),
            document=_document(spec["document"], lang),
            when=spec["when"],
            per_employee=spec["per_employee"],
        )
        if form_ref is not None:
            worker = {"form": form_ref.code, "name": form_ref.name, "from": "CNS"}
            if group_of(code) == "convention":
                worker["channel"] = "downloadable_request"
                worker["channel_label"] = label("downloadable_request", lang)
                worker["online_alternative"] = form_for(code) if _online_eligible(code, profile) else None
            out["worker"] = worker
    elif procedure == "reimbursement":
        spec = _data()["reimbursement"]["no_convention"]
        out.update(
            send_to=spec["send_to"],
            documents=[_labelled(d["document"], lang, **({"when": d["when"]} if "when" in d else {}))
                       for d in spec["documents"]],
            insufficient=[_labelled(k, lang) for k in spec["insufficient"]],
        )
    return out


def _delivery() -> dict:
    spec = _data()["delivery"]
    return {
        "without_authentication": {**thaw(spec["without_authentication"]),
                                   "source": reference.source_file("guide")},
        "with_authentication": {**thaw(spec["with_authentication"]),
                                "source": reference.source_file("guide")},
        "edelivery": {**thaw(spec["edelivery"]), "source": reference.source_file("edelivery")},
        "note": spec["note"],
    }


def posting_rules(code: str) -> Mapping[str, Any] | None:
    """Posting facts of the group of ``code`` (None for home and the UK)."""
    group = group_of(code)
    key = _posting_group_of(group)
    if key is None:
        return None
    spec = _data()["posting"]
    out = {"group": key, **thaw(spec["groups"][key])}
    for extra in ("applies_to", "applies_to_seed", "applies_to_source", "applies_to_note"):
        out.pop(extra, None)
    if key == "convention":
        forms_by_country = out.pop("country_forms")
        out.pop("country_forms_seed", None)
        out["country_form"] = forms_by_country.get(code)
    out["common"] = thaw(spec["common"])
    out["reimbursement"] = thaw(spec["reimbursement"])
    out["reimbursement_rates"] = spec["reimbursement"]["rates"].get(group, spec["reimbursement"]["rates"]["eu"])
    out["source"] = reference.source_file(spec["source"])
    out["date"] = spec["date"]
    return freeze(out)


def _posting(code: str, lang: str) -> dict | None:
    rules = posting_rules(code)
    if rules is None:
        return None
    out = thaw(rules)
    out["documents"] = [{**doc, "name": _document(doc["document"], lang)} for doc in out["documents"]]
    if out.get("country_form") is not None:
        for doc in out["documents"]:
            if doc["document"] == "country_form":
                doc["code"] = out["country_form"]
    if code == "HR":
        hist = form("hr_l_106", lang)
        out["historical_form"] = {"code": hist.code, "note": hist.notes[0] if hist.notes else None}
    return out


def _reimbursement(code: str, group: str, profile: str, lang: str) -> dict | None:
    if group == "home":
        return None
    spec = _data()["reimbursement"]
    not_covered = profile in _country_entry(code).get("not_covered_profiles", ())
    if group == "no_convention" or not_covered:
        base = thaw(spec["no_convention"])
        base["documents"] = [{**d, "label": label(d["document"], lang)} for d in base["documents"]]
        base["insufficient"] = [_labelled(k, lang) for k in base["insufficient"]]
        base["rates_label"] = label("luxembourg", lang)
        base["complementary_insurance_label"] = label("complementary_insurance", lang)
        base["sources"] = list(_source_files(base["sources"]))
        if not_covered:
            base["reason"] = thaw(spec["quebec_not_studies"])
        return base
    base = thaw(spec["place_of_stay"])
    base["rates_label"] = label("place_of_stay", lang)
    base["sources"] = list(_source_files(base["sources"]))
    return base


def _study(procedure: str, eligible: bool) -> dict:
    spec = _data()["study"]
    kind = {"ehic": "ehic", "reimbursement": "no_convention"}.get(procedure)
    if procedure == "online_request" and eligible:
        kind = "convention"
    return {
        "host_registration": spec["host_registration"][kind] if kind else None,
        "online_request_needs": list(spec["online_request_needs"]) if kind == "convention" else None,
        "lead_time_note": spec["lead_time_note"] if kind == "convention" else None,
        "reimbursement": spec["reimbursement"][kind] if kind else None,
        "affiliation": thaw(spec["affiliation"]),
        "source": reference.source_file(spec["source"]),
    }


def _caveat(key: str, lang: str, **extra) -> dict:
    spec = _data()["caveats"][key]
    return {"key": key, "label": label(key, lang), "source": reference.source_file(spec["source"]),
            "note": spec.get("note"), **extra}


def _note(text: str, source: str | None, date: str | None = None) -> dict:
    return {"note": text, "source": reference.source_file(source) if source else None, "date": date}


def explain(country: str, profile: str = "stay", lang: str = "en") -> Advice:
    """Advice for a country (name in fr/de/en or code), a profile and a language.

    Raises UnknownCountryError / UnknownProfileError / ValueError (lang).
    """
    _check_lang(lang)
    profile = canonical_profile(profile)
    code = country_code(country)
    group = group_of(code)
    regime = regime_of(code)
    entry = _country_entry(code)
    regime_spec = _data()["regimes"][regime]

    procedure = regime_spec["procedure"][profile]
    not_covered = profile in entry.get("not_covered_profiles", ())
    if not_covered:
        procedure = "reimbursement"
    eligible = _online_eligible(code, profile) and not not_covered
    form_ref = _form_for_profile(code, group, regime, profile, lang)

    caveats = [_caveat(k, lang) for k in regime_spec.get("caveats", ())]
    parent = _territory_parent(code)
    if parent is not None:
        caveats.append(_caveat("territory", lang, state=parent, state_group=group_of(parent)))
    if not_covered:
        caveats.append(_caveat("quebec_not_studies", lang))
    if code == "MA" and entry.get("form") and reference.forms()["forms"][entry["form"]].get("code") is None:
        caveats.append(_caveat("morocco_no_form_code", lang))

    notes = []
    if entry.get("note"):
        notes.append(_note(entry["note"], (entry.get("sources") or ["brief"])[0]))
    if profile in ("study", "posting") and entry.get("online_request_profiles_note"):
        notes.append(_note(entry["online_request_profiles_note"], "edelivery"))
    elif not_covered:
        notes.append(_note(entry["online_request_profiles_note"], "edelivery"))
    for fact in regime_spec.get("facts", ()):
        notes.append(_note(fact["fact"], fact["source"], fact.get("date")))
    if regime_spec.get("note"):
        notes.append(_note(regime_spec["note"], (regime_spec.get("sources") or ["brief"])[0]))

    lead_time = lead_days(profile, code) if eligible else None

    posting = _posting(code, lang) if profile == "posting" else None
    reimbursement = _reimbursement(code, group, profile, lang)
    if profile == "posting" and posting is not None and reimbursement is not None:
        reimbursement["posted_worker"] = posting["reimbursement"]

    source_keys = _sources_of(regime_spec) + _sources_of(entry)
    if profile == "posting":
        source_keys.append("posted")
    if profile == "study":
        source_keys.append("student")
    if eligible:
        source_keys += ["guide", "edelivery"]
    files = list(_source_files(source_keys))
    extra = list(form_ref.sources) if form_ref is not None else []
    extra += [c["source"] for c in caveats]
    for name in extra:
        if name not in files:
            files.append(name)

    return Advice(
        country_code=code,
        country_name=countries.name(code, lang),
        lang=lang,
        profile=profile,
        regime=regime,
        group=group,
        procedure=procedure,
        eligible_for_online_request=eligible,
        form=form_ref,
        how_to_request=freeze(_how_to_request(code, procedure, profile, lang, form_ref)),
        lead_time_days=lead_time,
        delivery=freeze(_delivery()) if procedure == "online_request" else None,
        posting=freeze(posting),
        reimbursement=freeze(reimbursement),
        study=freeze(_study(procedure, eligible)) if profile == "study" else None,
        caveats=freeze(caveats),
        notes=freeze(notes),
        sources=tuple(files),
    )


# --- requesters (guide) -------------------------------------------------------------

def may_request_for(requester_status: str, relation: str, concerned_coinsured: bool = True) -> bool:
    """May this requester file the temporary-stay request for that person?

    ``requester_status``: 'main' (main insured) or 'coinsured'.
    ``relation``: 'self', 'child', 'spouse', 'partner', 'parent', 'other'.
    ``concerned_coinsured``: for a child, the child is co-insured (through the
    requester or a third party); for anyone else, the person is co-insured
    through the requester. Rules: regimes.yml ``requester.rules`` (guide).
    """
    if requester_status not in REQUESTER_STATUSES:
        raise ValueError(f"requester_status must be one of {REQUESTER_STATUSES}")
    if relation not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}")
    for rule in _data()["requester"]["rules"]:
        if requester_status in rule["requester"] and relation in rule["relation"]:
            if "allowed" in rule:
                return bool(rule["allowed"])
            if rule["allowed_if"] == "concerned_coinsured":
                return bool(concerned_coinsured)
    return False


def lead_days(profile: str | None = "stay", country: str | None = None) -> int | None:
    """Days before departure by which the certificate must be ordered, or None.

    From regimes.yml ``lead_time``: the CNS page on holidays outside the
    EU/EEA/Switzerland (checked 2026-12-05) asks for the form of every
    convention country at least 15 days before departure, whatever the
    reason of the stay (the student page, a seed, said it for students).
    ``profile``: any word ``canonical_profile`` accepts, None for a stay.
    ``country``: a code or name; when given, None unless its form is one of
    the convention forms (regimes ``lead_time.regimes``).
    """
    spec = _data()["lead_time"]
    canonical = canonical_profile(profile) if profile else "stay"
    if canonical not in spec["profiles"]:
        return None
    if country is not None and regime_of(country_code(country)) not in spec["regimes"]:
        return None
    return int(spec["days"])


def needs_household_certificate(residence: str) -> bool:
    """True when the requester lives outside Luxembourg (code or country name)."""
    return country_code(residence) != "LU"


# --- funds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FundMatch:
    start: int
    end: int
    text: str
    code: str


@lru_cache(maxsize=1)
def _fund_index() -> tuple[dict, int]:
    index: dict = {}
    for code, spec in reference.funds()["funds"].items():
        for text in (code, *spec["names"].values(), *spec["aliases"], *spec.get("acronyms", ())):
            key = countries.phrase_key(text)
            if index.get(key, code) != code:
                raise ValueError(f"fund name {text!r} shared by {index[key]} and {code}")
            index[key] = code
    return index, max(len(k.split(" ")) for k in index)


def resolve_fund(text: str) -> str | None:
    """Fund code (CNS, CMFEP, CMFEC, EM-CFL) for a name, acronym or alias."""
    index, _ = _fund_index()
    key = countries.phrase_key(text)
    if key in index:
        return index[key]
    found = {m.code for m in find_funds(text)}
    return found.pop() if len(found) == 1 else None


def find_funds(text: str) -> list[FundMatch]:
    """Fund names inside a sentence (longest match first, whole words)."""
    index, longest = _fund_index()
    words = countries.word_spans(text)
    out: list[FundMatch] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = " ".join(w[2] for w in words[i:i + n])
            if key in index:
                start, end = words[i][0], words[i + n - 1][1]
                out.append(FundMatch(start, end, text[start:end], index[key]))
                i += n
                break
        else:
            i += 1
    return out


def is_fund(code: Any) -> bool:
    """Whether `code` is one of the funds of funds.yml (values from buttons and payloads included)."""
    return isinstance(code, str) and code in reference.funds()["funds"]


def fund_name(code: str, lang: str = "en") -> str:
    return _name_in(reference.funds()["funds"][code]["names"], _check_lang(lang))


def fund_label(code: str, lang: str = "en") -> str:
    """The name with the acronym people know the fund by: "Caisse nationale de santé (CNS)"."""
    return f"{fund_name(code, lang)} ({code})"


def competent_fund(fund_of_person_concerned: str) -> str | None:
    """The competent fund is the one insuring the person concerned during the period (guide)."""
    return resolve_fund(fund_of_person_concerned)


def contact(key: str) -> Mapping[str, Any]:
    """An entry of contacts.yml (phone/url null where the seeds give none)."""
    return reference.contacts()["contacts"][key]
