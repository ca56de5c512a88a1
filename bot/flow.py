"""The certificate request as a pure state machine over slot values.

`step(slots, message, today)` reads one user message (text, intent, entities)
and the conversation's slots, and returns what to set, what to say (response
names with their parameters, never sentences) and which question comes next.
The Rasa form's validation action is a thin adapter around it.

Order of the questions follows the online procedure: data-protection notice,
competent fund, requester, persons concerned (destination and dates each),
supporting documents, overview, transmission.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from bot import advisor, rules
from bot.reference import load
from bot.extraction import fold
from bot.messages import Say
from bot.validators import email as email_mod
from bot.validators import matricule as matricule_mod
from bot.validators import trip

# Slots the request owns; reset on cancel and after submission.
REQUEST_SLOTS = (
    "consent", "fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email",
    "destination", "departure", "return_date", "profile", "insured_status", "mentioned", "persons",
    "cur_person", "more_people_done", "attachments", "confirmed", "outcome", "summary_shown", "lead_warned",
)
PERSON_FIELDS = ("matricule", "last_name", "first_name", "relation", "same_trip", "destination",
                 "departure", "return_date")


@dataclass
class Message:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    entities: List[dict] = field(default_factory=list)

    def all(self, kind: str) -> List[dict]:
        return [e for e in self.entities if e.get("entity") == kind]

    def first(self, kind: str) -> Optional[dict]:
        found = self.all(kind)
        return found[0] if found else None


@dataclass
class Step:
    slots: Dict[str, Any]           # the slots after this message (only changed ones are set)
    say: List[Say]
    ask: Optional[str]              # the next question (the form's requested slot); None: done
    outcome: Optional[str] = None   # 'submit', 'cancel' or 'redirect' when the form ends


@lru_cache(maxsize=1)
def _answers() -> Dict[str, List[re.Pattern]]:
    lex = load("lexicon")
    out = {k: [re.compile(p) for p in v] for k, v in lex["answers"].items()}
    out.update({k: [re.compile(p) for p in v] for k, v in lex["fields"].items()})
    return out


def _matches(kind: str, text: str) -> bool:
    folded = fold(text).strip()
    return any(p.search(folded) for p in _answers()[kind])


def yes_no(msg: Message) -> Optional[bool]:
    """True for yes, False for no, None when the message is neither."""
    if msg.intent == "affirm" and msg.confidence >= 0.5 and not _matches("deny", msg.text):
        return True
    if msg.intent == "deny" and msg.confidence >= 0.5 and not _matches("affirm", msg.text):
        return False
    if _matches("deny", msg.text):
        return False
    if _matches("affirm", msg.text):
        return True
    return None


@lru_cache(maxsize=1)
def _labels() -> dict:
    return load("relations")["labels"]


def who(label: Optional[str], lang: str) -> Dict[str, str]:
    entry = _labels().get(label or "other", _labels()["other"])
    words = entry.get(lang, entry["en"])
    return {"who": words["who"], "who_gen": words.get("gen", words["who"])}


NAME_TEXT = re.compile(r"^[^\W\d_][\w'’\- .]{0,60}$", re.UNICODE)
LEAD_IN = re.compile(
    r"^(c.est|it.s|it is|das ist|es ist|mon nom est|my name is|ich heisse|ich heiße|je m.appelle|"
    r"le nom est|son nom est|sein name ist|ihr name ist|her name is|his name is|nom ?:|name ?:|"
    r"pr[ée]nom ?:|vorname ?:|nachname ?:)\s*", re.I)


def _name_from(msg: Message) -> Optional[str]:
    ent = msg.first("person_name")
    if ent:
        return ent["value"].strip()
    text = LEAD_IN.sub("", msg.text.strip()).strip(" .!,;")
    if NAME_TEXT.match(text) and len(text.split()) <= 4 and yes_no(Message(text)) is None:
        return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in text.split())
    return None


def _iso(value: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(value) if value else None


DAY_ONLY = re.compile(r"(?<![\d/.])(\d{1,2})(?:er|st|nd|rd|th|\.)?(?![\d/.:h])")


def _day_only(text: str, near: Optional[dt.date], today: dt.date) -> Optional[dt.date]:
    """'le 22' in a correction: that day in the month of the value it corrects."""
    m = DAY_ONLY.search(text)
    return _day_near(int(m.group(1)), near, today) if m else None


def _day_near(day: int, near: Optional[dt.date], today: dt.date) -> Optional[dt.date]:
    """That day of the month of `near` (or of the month after), not before today."""
    if not near:
        return None
    for months in (0, 1):
        year, month = near.year + (near.month - 1 + months) // 12, (near.month - 1 + months) % 12 + 1
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


class Flow:
    """One step of the request; build with the slots and call `run(message)`."""

    def __init__(self, slots: Dict[str, Any], today: dt.date):
        self.old = slots
        self.s: Dict[str, Any] = copy.deepcopy(slots)
        self.s["persons"] = list(self.s.get("persons") or [])
        self.s["mentioned"] = list(self.s.get("mentioned") or [])
        self.s["attachments"] = list(self.s.get("attachments") or [])
        self.today = today
        self.lang = slots.get("language") or "fr"
        self.say: List[Say] = []
        self.outcome: Optional[str] = None
        self.changed_filled: List[str] = []
        self.hold = False  # True: the reply already invites an answer, ask nothing more

    # ------------------------------------------------------------- helpers
    def tell(self, response: str, **params: Any) -> None:
        self.say.append(Say(response, params))

    def cur(self) -> Optional[dict]:
        return self.s.get("cur_person")

    def _set(self, slot: str, value: Any, correction: bool = False) -> None:
        before = self.s.get(slot)
        self.s[slot] = value
        if correction and before not in (None, value):
            self.changed_filled.append(slot)

    # ------------------------------------------------------------- entry
    def run(self, msg: Message, asked: Optional[str]) -> Step:
        if asked is None:
            # the form has just started: take what the opening message gave
            self._absorb(msg, asked=None)
        elif self._global(msg, asked):
            pass
        else:
            handled = self._answer(msg, asked)
            self._absorb(msg, asked, handled)
            if not handled and not self.say and not self._changed():
                self._not_understood(msg, asked)
        if self.outcome:
            self.s["summary_shown"] = None
            return self._finish(None)
        self._check()
        if self.outcome:
            return self._finish(None)
        if self.changed_filled:
            self.tell("utter_noted_change")
        if asked == "confirm" and any(self.s.get(k) != self.old.get(k) for k in REQUEST_SLOTS
                                      if k not in ("summary_shown", "outcome")):
            self.s["summary_shown"] = None
        nxt = self._next()
        if self.hold:
            return self._finish(nxt, ask_it=False)
        if nxt == "confirm":
            self._summary()
        return self._finish(nxt)

    def _changed(self) -> bool:
        return any(self.s.get(k) != self.old.get(k) for k in self.s)

    def _finish(self, ask: Optional[str], ask_it: bool = True) -> Step:
        """The step's result; `ask_it` False when the reply already invites the answer."""
        changed = {k: v for k, v in self.s.items() if self.old.get(k) != v}
        if ask and ask_it:
            self._ask(ask)
        return Step(changed, self.say, ask, self.outcome)

    # ------------------------------------------------------------- global intents
    def _global(self, msg: Message, asked: Optional[str]) -> bool:
        confident = msg.confidence >= 0.6
        if msg.intent == "cancel" and confident:
            self.outcome = "cancel"
            self.tell("utter_request_cancelled")
            return True
        if msg.intent == "start_over" and confident:
            for slot in REQUEST_SLOTS:
                self.s[slot] = [] if slot in ("persons", "mentioned", "attachments") else None
            self.tell("utter_restarted")
            return True
        if msg.intent == "human_handoff" and confident:
            self.tell("utter_handoff_request")
            self.tell("utter_continue_here")
            return True
        if msg.intent == "change_language" and confident and not msg.first("country"):
            return True  # the language slot is already set; the question is asked again in it
        if msg.intent in advisor.TOPIC_INTENTS and confident and not self._fills(msg, asked):
            self.say += advisor.answer(msg.intent, msg.entities, self.s, self.lang, msg.text).say
            self.tell("utter_continue_here")
            return True
        return False

    def _fills(self, msg: Message, asked: Optional[str]) -> bool:
        """Whether the message carries a value for the question asked."""
        kinds = {e["entity"] for e in msg.entities}
        wanted = {
            "destination": {"country"}, "residence": {"country"}, "p_destination": {"country"},
            "dates": {"date", "date_range", "duration"}, "return_date": {"date", "duration"},
            "p_dates": {"date", "date_range", "duration"}, "req_matricule": {"matricule", "number"},
            "p_matricule": {"matricule", "number"}, "email": {"email"}, "fund": {"fund"},
        }.get(asked or "", set())
        return bool(kinds & wanted)

    # ------------------------------------------------------------- the answer to the question asked
    def _answer(self, msg: Message, asked: Optional[str]) -> bool:
        if self._is_correction(msg) and asked not in ("dates", "return_date", "p_dates", "email", "residence",
                                                      "destination", "p_destination", "fund"):
            return False  # "non, le retour c'est le 22": a correction, not an answer
        yn = yes_no(msg)
        cur = self.cur()
        if asked == "consent":
            if yn is True:
                self.s["consent"] = True
                return True
            if yn is False:
                self.tell("utter_consent_refused", link=rules.contact("online_procedure")["url"],
                          phone=rules.contact("cns")["phone"])
                self.outcome = "cancel"
                return True
            return False
        if asked == "fund":
            ent = msg.first("fund")
            if ent:
                self.s["fund"] = ent["value"]
                return True
            if yn is not None or not msg.entities:
                self.tell("utter_invalid_fund")
                return True
            return False
        if asked in ("req_matricule", "p_matricule"):
            return self._matricule(msg, asked)
        if asked in ("req_last_name", "req_first_name", "p_last_name", "p_first_name"):
            name = _name_from(msg)
            if not name:
                if not msg.entities:
                    self.tell("utter_invalid_name")
                    return True
                return False
            if asked.startswith("req_"):
                self.s[asked] = name
            else:
                cur[asked[2:]] = name
            return True
        if asked == "residence":
            ent = msg.first("country")
            if ent:
                self.s["residence"] = ent["value"]
                return True
            self.tell("utter_unknown_country")
            return True
        if asked == "email":
            return self._email(msg)
        if asked in ("destination", "p_destination"):
            if not msg.first("country"):
                self.tell("utter_unknown_country")
                return True
            return False  # taken by _absorb with the destination rules
        if asked == "purpose":
            prof = msg.first("profile")
            if prof:
                self.s["profile"] = prof["value"]
                return True
            if yn is not None:
                self.s["profile"] = "study" if yn else "stay"
                return True
            return False
        if asked in ("dates", "return_date", "p_dates"):
            if not (msg.first("date") or msg.first("date_range") or msg.first("duration")):
                self.tell("utter_invalid_date")
                return True
            return False  # dates are placed by _absorb
        if asked == "more_people":
            if yn is True or (msg.first("relation") and yn is not False):
                label = None
                rel = msg.first("relation")
                if rel:
                    label = rel.get("role")
                elif self.s["mentioned"]:
                    label = self.s["mentioned"][0]
                if label in self.s["mentioned"]:
                    self.s["mentioned"].remove(label)
                self.s["cur_person"] = {"label": label}
                if msg.first("matricule"):
                    self._matricule(msg, "p_matricule")
                return True
            if yn is False:
                self.s["more_people_done"] = True
                self.s["mentioned"] = []
                return True
            return False
        if asked == "insured_status":
            ent = msg.first("insured_status")
            if ent:
                self.s["insured_status"] = ent["value"]
                return True
            return False
        if asked == "p_relation":
            ent = msg.first("relation")
            if ent:
                cur["relation"] = _labels().get(ent.get("role") or "other", {}).get("relation", ent["value"])
                cur["label"] = cur.get("label") or ent.get("role")
                return True
            return False
        if asked == "p_same_trip":
            if yn is not None:
                cur["same_trip"] = yn
                return True
            return False
        if asked == "attachments":
            if _matches("later", msg.text) or yn is False:
                self.s["attachments"] = self.s["attachments"] + [
                    {"type": "household_composition", "status": "to_send"}]
                return True
            if yn is True:
                self.tell("utter_upload_how")
                return True
            return False
        if asked == "confirm":
            if self.s.get("authenticated") and _matches("later", msg.text):
                self.outcome = "later"  # "transmettre plus tard": kept, resumed on the next request
                self.tell("utter_request_kept_for_later")
                return True
            if yn is True and not (msg.entities and msg.intent == "correct"):
                self.s["confirmed"] = True
                self.outcome = "submit"
                return True
            if yn is False and len(msg.entities) == 0 and not self._field_named(msg):
                self.tell("utter_what_to_change")
                self.hold = True
                return True
            named = self._field_named(msg)
            if named and not msg.entities:
                self._clear(named)
                return True
            return False
        return False

    def _is_correction(self, msg: Message) -> bool:
        if msg.intent == "correct" and msg.confidence >= 0.5:
            return bool(self._field_named(msg) or msg.entities)
        return _matches("correction", msg.text) and bool(self._field_named(msg)) and \
            len(msg.text.split()) > 2

    def _field_named(self, msg: Message) -> Optional[str]:
        for slot in ("req_first_name", "req_last_name", "email", "req_matricule", "residence", "fund",
                     "return_date", "departure", "destination"):
            if _matches(slot, msg.text):
                return slot
        return None

    def _clear(self, slot: str) -> None:
        if slot == "departure":
            self.s["departure"] = self.s["return_date"] = None
        else:
            self.s[slot] = None
        self.s["summary_shown"] = None

    def _matricule(self, msg: Message, asked: str) -> bool:
        ent = msg.first("matricule") or msg.first("number")
        if not ent:
            self.tell("utter_invalid_matricule_format")
            return True
        try:
            number = matricule_mod.validate(ent["value"], today=self.today)
        except matricule_mod.InvalidMatricule as exc:
            code = "checksum" if exc.code in ("luhn", "verhoeff") else exc.code
            self.tell(f"utter_invalid_matricule_{code}")
            return True
        taken = {self.s.get("req_matricule")} | {p.get("matricule") for p in self.s["persons"]}
        if asked == "p_matricule":
            if number in taken:
                self.tell("utter_person_already_added")
                return True
            self.cur()["matricule"] = number
        else:
            self.s["req_matricule"] = number
        return True

    def _email(self, msg: Message) -> bool:
        ent = msg.first("email")
        raw = ent["value"] if ent else msg.text.strip()
        try:
            self.s["email"] = email_mod.validate(raw)
        except email_mod.InvalidEmail:
            self.tell("utter_invalid_email")
        return True

    # ------------------------------------------------------------- everything else the message says
    def _absorb(self, msg: Message, asked: Optional[str], handled: bool = False) -> None:
        for up in msg.all("upload"):
            doc_type = "household_composition" if asked == "attachments" else "optional"
            self.s["attachments"] = self.s["attachments"] + [{**up["value"], "type": doc_type, "status": "received"}]
            self.tell("utter_upload_received", name=up["value"].get("name", ""))
        correcting = msg.intent == "correct" or _matches("correction", msg.text)
        cur = self.cur()
        person_q = asked in ("p_destination", "p_dates", "p_same_trip")
        # profile, status, fund, relations
        prof = msg.first("profile")
        if prof and asked != "purpose":
            if prof["value"] != "stay" or not self.s.get("profile"):
                self.s["profile"] = prof["value"]
        status = msg.first("insured_status")
        if status and not self.s.get("insured_status"):
            self.s["insured_status"] = status["value"]
        fund = msg.first("fund")
        if fund and asked != "fund" and (not self.s.get("fund") or correcting):
            self._set("fund", fund["value"], correction=True)
        if asked is None or asked not in ("more_people", "p_relation"):
            for rel in msg.all("relation"):
                label = rel.get("role") or "other"
                if label not in self.s["mentioned"] and not cur:
                    self.s["mentioned"].append(label)
        # e-mail and matricule given out of turn
        em = msg.first("email")
        if em and asked != "email" and (not self.s.get("email") or correcting):
            try:
                self._set("email", email_mod.validate(em["value"]), correction=True)
            except email_mod.InvalidEmail:
                self.tell("utter_invalid_email")
        mat = msg.first("matricule")
        if mat and asked not in ("req_matricule", "p_matricule", "more_people") and not self.s.get("req_matricule"):
            self._matricule(msg, "req_matricule")
        name = msg.first("person_name")
        if name and asked not in ("req_last_name", "req_first_name", "p_last_name", "p_first_name"):
            parts = name["value"].split()
            if len(parts) >= 2 and not self.s.get("req_last_name") and not self.s.get("req_first_name"):
                self.s["req_first_name"] = " ".join(parts[:-1])
                self.s["req_last_name"] = parts[-1]
        # countries: residence or destination
        for ent in msg.all("country"):
            code = ent["value"]
            if asked == "residence" or (_matches("residence_cue", msg.text) and asked != "destination"
                                        and not person_q):
                if asked != "residence":
                    self._set("residence", code, correction=True)
                continue
            if person_q and cur is not None:
                cur["destination"] = code
                cur["same_trip"] = False
                continue
            if code == "LU":
                continue
            if not self.s.get("destination") or asked == "destination" or correcting:
                self._set("destination", code, correction=asked != "destination")
        # dates
        self._dates(msg, asked, correcting, handled)

    def _dates(self, msg: Message, asked: Optional[str], correcting: bool, handled: bool) -> None:
        cur = self.cur()
        target = cur if asked in ("p_dates", "p_same_trip", "p_destination") and cur is not None else self.s
        dep_key, ret_key = "departure", "return_date"
        old_dep, old_ret = _iso(target.get(dep_key)), _iso(target.get(ret_key))
        rng = msg.first("date_range")
        dates = [e for e in msg.all("date") if not e.get("negated")]  # "pas le 4": the value replaced
        singles = [_iso(e["value"]) for e in dates if not e.get("bare_day")]
        bare = [_iso(e["value"]) for e in dates if e.get("bare_day")]
        if bare and not (old_dep or old_ret):
            singles = sorted(singles + bare)
        elif len(bare) == 1:
            # a bare "le 22" is read from today by the extractor; the dates already given know its month
            near = old_ret if old_ret and (asked == "return_date" or _matches("return_date", msg.text)) \
                else (old_dep or old_ret)
            day = _day_near(bare[0].day, near, self.today)
            if day is not None:
                singles = sorted(singles + [day])
        # several bare days ("le 5, pas le 4") are left to the correction below
        dur = next((e for e in msg.all("duration") if not e.get("since")), None)
        new_dep = new_ret = None
        if rng:
            a, b = rng["value"].split("/")
            new_dep, new_ret = _iso(a), _iso(b)
        elif len(singles) >= 2:
            new_dep, new_ret = singles[0], singles[1]
        elif len(singles) == 1:
            one = singles[0]
            says_return = _matches("return_date", msg.text)
            says_departure = _matches("departure", msg.text)
            if asked == "return_date" or (says_return and not says_departure):
                new_ret = one
            elif says_departure and not says_return:
                new_dep = one
            elif old_dep and not old_ret and asked != "dates":
                new_ret = one
            elif old_dep and not old_ret and asked == "dates":
                new_ret = one if one >= old_dep else None
                if new_ret is None:
                    new_dep = one
            else:
                new_dep = one
        elif correcting and not handled and not msg.all("country"):
            says_return = _matches("return_date", msg.text)
            says_departure = _matches("departure", msg.text)
            if says_return and old_ret:
                new_ret = _day_only(msg.text, old_ret, self.today)
            elif says_departure and old_dep:
                new_dep = _day_only(msg.text, old_dep, self.today)
        if dur and dur.get("value"):
            base = new_dep or old_dep
            if base:
                new_ret = base + dt.timedelta(days=int(dur["value"]))
        if new_dep is not None:
            if target is self.s:
                self._set(dep_key, new_dep.isoformat(), correction=asked not in ("dates",) and correcting)
            else:
                target[dep_key] = new_dep.isoformat()
        if new_ret is not None:
            if target is self.s:
                self._set(ret_key, new_ret.isoformat(), correction=asked not in ("dates", "return_date") and correcting)
            else:
                target[ret_key] = new_ret.isoformat()
        if target is not self.s and (new_dep or new_ret):
            target["same_trip"] = False

    # ------------------------------------------------------------- rules
    def _check(self) -> None:
        s = self.s
        dest = s.get("destination")
        if dest:
            advice = rules.explain(dest, s.get("profile") or "stay", self.lang)
            if s.get("profile") == "posting":
                self._redirect(advice, "posting")
                return
            if not advice.eligible_for_online_request:
                if dest == "CA-QC" and not s.get("profile"):
                    pass  # ask whether it is for studies first
                else:
                    self._redirect(advice, advice.regime)
                    return
        for target, prefix in [(s, "")] + ([(s["cur_person"], "p_")] if s.get("cur_person") else []):
            dep, ret = _iso(target.get("departure")), _iso(target.get("return_date"))
            lead = 15 if s.get("profile") == "study" else None
            for code in trip.check(dep, ret, self.today, lead_days=lead):
                if code == "departure_past":
                    target["departure"] = None
                    target["return_date"] = None
                    self.tell("utter_invalid_departure_past")
                elif code == "return_past":
                    target["return_date"] = None
                    self.tell("utter_invalid_return_past")
                elif code == "return_before_departure":
                    target["return_date"] = None
                    self.tell("utter_invalid_return_before_departure")
                elif code == "too_far":
                    target["departure"] = None
                    target["return_date"] = None
                    self.tell("utter_invalid_date_too_far")
                elif code == "lead_time" and not s.get("lead_warned") and prefix == "":
                    s["lead_warned"] = True
                    self.tell("utter_lead_time_warning", days=lead)
        cur = s.get("cur_person")
        if cur and cur.get("relation") and s.get("insured_status"):
            if not rules.may_request_for(s["insured_status"], cur["relation"]):
                self.tell("utter_cannot_request_for_person")
                s["cur_person"] = None
        if cur and s.get("cur_person") and self._person_complete(cur):
            person = {k: cur.get(k) for k in PERSON_FIELDS}
            if cur.get("same_trip"):
                person.update(destination=s.get("destination"), departure=s.get("departure"),
                              return_date=s.get("return_date"))
            s["persons"] = s["persons"] + [person]
            s["cur_person"] = None
            s["summary_shown"] = None
            self.tell("utter_person_added", name=f"{person['first_name']} {person['last_name']}")

    def _redirect(self, advice, regime: str) -> None:
        self.say += advisor.explain_advice(advice, self.lang).say
        self.tell("utter_request_not_this_procedure", countries=advisor.online_countries(self.lang))
        self.s["destination"] = None
        self.outcome = "redirect"

    def _person_complete(self, cur: dict) -> bool:
        if not (cur.get("matricule") and cur.get("last_name") and cur.get("first_name")):
            return False
        if self.s.get("insured_status") == "coinsured" and not cur.get("relation"):
            return False
        if cur.get("same_trip") is True:
            return True
        if cur.get("same_trip") is False:
            return bool(cur.get("destination") and cur.get("departure") and cur.get("return_date"))
        return False

    # ------------------------------------------------------------- what to ask next
    def _next(self) -> Optional[str]:
        s = self.s
        if not s.get("consent"):
            return "consent"
        for slot in ("fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email",
                     "destination"):
            if not s.get(slot):
                return slot
        if s["destination"] == "CA-QC" and not s.get("profile"):
            return "purpose"
        if not s.get("departure"):
            return "dates"
        if not s.get("return_date"):
            return "return_date"
        cur = s.get("cur_person")
        if cur is not None:
            if not s.get("insured_status"):
                return "insured_status"
            for key in ("matricule", "last_name", "first_name"):
                if not cur.get(key):
                    return f"p_{key}"
            if s.get("insured_status") == "coinsured" and not cur.get("relation"):
                return "p_relation"
            if cur.get("same_trip") is None:
                return "p_same_trip"
            if not cur.get("destination"):
                return "p_destination"
            return "p_dates"
        if not s.get("more_people_done"):
            return "more_people"
        if rules.needs_household_certificate(s["residence"]) and not any(
                a.get("type") == "household_composition" for a in s["attachments"]):
            return "attachments"
        return "confirm"

    def _ask(self, slot: str) -> None:
        s = self.s
        params: Dict[str, Any] = {}
        cur = s.get("cur_person") or {}
        if slot.startswith("p_") or slot == "insured_status":
            params.update(who(cur.get("label"), self.lang))
        if slot == "more_people" and s["mentioned"]:
            params.update(who(s["mentioned"][0], self.lang))
            self.tell("utter_q_more_people_mentioned", **params)
            return
        if slot == "more_people" and s["persons"]:
            self.tell("utter_q_more_people_again")
            return
        if slot == "consent":
            params["cnpd"] = ", ".join(rules.contact("cnpd")["address"])
        if slot == "return_date":
            params["departure"] = advisor.format_date(s["departure"], self.lang)
        if slot == "p_same_trip":
            params["destination"] = advisor.country_name(s["destination"], self.lang)
        self.tell(f"utter_q_{slot}", **params)

    def _summary(self) -> None:
        if self.s.get("summary_shown"):
            return
        self.s["summary_shown"] = True
        lang = self.lang
        s = self.s
        self.tell("utter_summary_requester", fund=rules.fund_name(s["fund"], lang),
                  first_name=s["req_first_name"], last_name=s["req_last_name"],
                  matricule=s["req_matricule"], residence=advisor.country_name(s["residence"], lang),
                  email=s["email"])
        for person in self.persons():
            self.tell("utter_summary_person", first_name=person["first_name"], last_name=person["last_name"],
                      matricule=person["matricule"],
                      destination=advisor.country_name(person["destination"], lang),
                      departure=advisor.format_date(person["departure"], lang),
                      return_date=advisor.format_date(person["return_date"], lang),
                      form=rules.form_for(person["destination"]) or "—")
        received = [a.get("name") or a.get("type") for a in s["attachments"] if a.get("status") == "received"]
        if received:
            self.tell("utter_summary_attachments_received", names=", ".join(received))
        if any(a.get("status") != "received" for a in s["attachments"]):
            self.tell("utter_summary_attachments")

    def persons(self) -> List[dict]:
        s = self.s
        first = {"matricule": s.get("req_matricule"), "last_name": s.get("req_last_name"),
                 "first_name": s.get("req_first_name"), "relation": "self",
                 "destination": s.get("destination"), "departure": s.get("departure"),
                 "return_date": s.get("return_date")}
        return [first] + list(s.get("persons") or [])

    def _not_understood(self, msg: Message, asked: Optional[str]) -> None:
        self.tell("utter_not_understood")


def asks_status(text: str) -> bool:
    """"Où en est ma demande ?": a question about the status of earlier dossiers."""
    return _matches("status_question", text)


def step(slots: Dict[str, Any], msg: Message, today: Optional[dt.date] = None) -> Step:
    """Apply one user message to the request; see the module docstring."""
    flow = Flow(slots, today or dt.date.today())
    return flow.run(msg, slots.get("requested_slot"))


def dossier_persons(slots: Dict[str, Any]) -> List[dict]:
    """The persons concerned, requester first, each with the form for the destination."""
    flow = Flow(slots, dt.date.today())
    out = []
    for person in flow.persons():
        out.append({**person, "form": rules.form_for(person["destination"])})
    return out
