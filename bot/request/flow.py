"""The certificate request as a pure state machine over slot values.

`step(slots, message, today)` reads one user message (text, intent, entities)
and the conversation's slots, and returns what to set, what to say (response
names with their parameters, never sentences) and which question comes next.
The Rasa form's validation action is a thin adapter around it.

The questions and their order are those of `bot.request.questions` (the
online procedure: data-protection notice, competent fund, requester, persons
concerned with their destination and dates, supporting documents, overview,
transmission). The persons are a list the person steers in their own words at
any step (`bot.request.persons`): a message may answer the question asked,
add or remove persons, and change anyone's destination or dates; every change
is told (who, what, old -> new), and a message that could not be applied is
said to be so, never both.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any, Dict, List, Optional, Tuple

from dataclasses import dataclass

from bot import countries, dates, rules, wording
from bot.answers import context, router, topics
from bot.messages import Answer, Say
from bot.request import identity
from bot.request import persons as P
from bot.request import questions as Q
from bot.reference import load
from bot.text import Message, fold, matches, numbers, search, yes_no
from bot.validators import email as email_mod
from bot.validators import matricule as matricule_mod
from bot.validators import trip

__all__ = ["Message", "Step", "step", "yes_no", "asks_status", "dossier_persons", "REQUEST_SLOTS"]

# Slots the request owns; reset on cancel and after submission.
REQUEST_SLOTS = (
    "consent", "fund", "req_matricule", "req_last_name", "req_first_name", "residence", "email",
    "destination", "departure", "return_date", "profile", "insured_status", "requester_travels", "persons",
    "more_people_done", "attachments", "confirmed", "outcome", "summary_shown", "lead_warned", "misses",
    "pending_command", "removed_persons",
)
LIST_SLOTS = ("persons", "attachments", "removed_persons")
# Questions early in the request, where a relative named is a person to add.
EARLY = (None, "requester_travels", "more_people")
NAME_TEXT = re.compile(r"^[^\W\d_][\w'’\- .]{0,60}$", re.UNICODE)
LEAD_IN = re.compile(
    r"^(c.est|it.s|it is|das ist|es ist|mon nom est|my name is|ich heisse|ich heiße|je m.appelle|"
    r"le nom est|son nom est|sein name ist|ihr name ist|her name is|his name is|nom ?:|name ?:|"
    r"pr[ée]nom ?:|vorname ?:|nachname ?:)\s*", re.I)
DAY_ONLY = re.compile(r"(?<![\d/.])(\d{1,2})(?:er|st|nd|rd|th|\.)?(?![\d/.:h])")
NEGATED_PLACE = re.compile(r"(?<!\w)(?:pas|non|nicht|not|no|statt|instead\s+of|au\s+lieu\s+d[eu']|plutot\s+que|"
                           r"rather\s+than|anstatt)\s*(?:en|au|aux|a|à|le|la|the|to|nach|in|die|der|den)?\s*$")
MAX_MISSES = 2
MAX_REMOVED = 6  # persons taken off that can still be put back
NOT_GOING = ("residence", "work", "insured", "near")  # place roles that are no destination
# a relative named later may be one of those already on the list without a name
GENERIC = {"daughter": ("children", "child"), "son": ("children", "child"), "child": ("children",),
           "wife": ("spouse",), "husband": ("spouse",)}
CONTENT = frozenset({"country", "date", "date_range", "duration", "email", "matricule", "number", "relation",
                     "fund", "person_name", "profile", "insured_status"})


def stays_home(text: str) -> bool:
    """Whether the person filling in says they do not travel: "je ne pars pas", or someone else
    travelling alone ("il part seul") unless the same message says they travel too."""
    return matches("requester_stays", text) or matches("requester_stays_with", text) \
        or (matches("others_alone", text) and not matches("requester_travels", text))


@dataclass
class Step:
    slots: Dict[str, Any]           # the slots after this message (only changed ones are set)
    say: List[Say]
    ask: Optional[str]              # the next question (the form's requested slot); None: done
    outcome: Optional[str] = None   # 'submit', 'cancel', 'later' or 'redirect' when the form ends


def _iso(value: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(value) if value else None


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


def name_from(msg: Message) -> Optional[str]:
    """The name a message gives when a name is asked, or None."""
    ent = msg.first("person_name")
    if ent:
        return ent["value"].strip()
    text = LEAD_IN.sub("", msg.text.strip()).strip(" .!,;")
    if NAME_TEXT.match(text) and len(text.split()) <= 4 and yes_no(Message(text)) is None:
        return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in text.split())
    return None


def _words(text: str) -> List[str]:
    """The words of `text`, folded; not the ends of ordinals ("1er", "2nd", "3.ten")."""
    return re.findall(r"(?<!\d)[^\W\d_]+", fold(text))


class Flow:
    """One step of the request; build with the slots and call `run(message, asked)`."""

    def __init__(self, slots: Dict[str, Any], today: dt.date):
        self.old = slots
        self.s: Dict[str, Any] = copy.deepcopy(dict(slots))
        for key in LIST_SLOTS:
            self.s[key] = [dict(x) for x in (self.s.get(key) or [])]
        self.today = today
        self.lang = slots.get("language") or "fr"
        self.say: List[Say] = []
        self.changes: List[Say] = []
        self.outcome: Optional[str] = None
        self.took = False         # something of the message was taken (an answer or a change)
        self.refused = False      # the message gave a value that was refused (its reason was said)
        self.hold = False         # the reply already invites an answer: ask nothing more
        self.used: set = set()    # ids of the entities already taken
        self.introduced: set = set()  # ids of the persons this message adds (not targets of a change)
        self.restored: set = set()  # ids of the persons this message puts back on the request
        self.staying: List[dict] = []  # relatives said not to come ("mon mari ne vient pas"): never added
        self.ranked: set = set()  # ids of the persons this message adds by their rank ("the two youngest")
        self.strangers: List[str] = []  # first names said with a relative that no listed person has
        self.noting = False       # a value given for the first time out of turn is said as noted
        self.identity_read = False  # the message was read for a corrected name or number
        self.identity_fixed = False  # a name or number was corrected ("Rory is Coughlan too" adds nobody)
        self.pin = False          # the shared dates said are the requester's own: the others keep theirs
        self.cue_text: Optional[str] = None  # where "return"/"departure" is read for the dates being placed
        self.full: Optional[Message] = None  # the whole message whose dates are being placed
        self.was_complete = {i for i in range(len(self.s["persons"])) if P.is_complete(self.s, i)}

    # ------------------------------------------------------------- helpers
    def tell(self, response: str, **params: Any) -> None:
        self.say.append(Say(response, params))

    def cur_index(self) -> Optional[int]:
        return P.pending(self.s)

    def cur(self) -> Optional[dict]:
        index = self.cur_index()
        return None if index is None else self.s["persons"][index]

    def _use(self, ent: Optional[dict]) -> Optional[dict]:
        if ent is not None:
            self.used.add(id(ent))
        return ent

    def _free(self, msg: Message, kind: str) -> List[dict]:
        return [e for e in msg.all(kind) if id(e) not in self.used]

    def _changed(self, response: str, old: Any, new: Any, **params: Any) -> None:
        """Record that something already given was changed (said only when it really changed);
        a value given for the first time outside its question is said as noted."""
        self.took = True
        if old in (None, "", []):
            if self.noting:  # "Elif kommt erst am 10. März nach" while her first name is asked
                self.changes.append(Say(response.replace("utter_changed_", "utter_noted_", 1), {"new": new, **params}))
            return
        if old == new:
            return
        self.changes.append(Say(response, {"old": old, "new": new, **params}))

    @staticmethod
    def _content(msg: Message) -> List[dict]:
        """The entities that carry request data (not the language, not an upload)."""
        return [e for e in msg.entities if e.get("entity") in CONTENT]

    def _speaks_of_something_else(self, msg: Message) -> bool:
        """A message with places, dates, e-mail, the insured status or a correction is no name."""
        # "Wirtz" is a surname, not a misspelt Wiltz: a place read from a typo is no place here
        kinds = {e["entity"] for e in msg.entities
                 if e["entity"] != "country" or countries.is_exact(e.get("text") or msg.text[e["start"]:e["end"]])}
        return bool(kinds & {"country", "date", "date_range", "duration", "email", "matricule", "relation",
                             "insured_status"}) \
            or matches("remove_person", msg.text)

    # ------------------------------------------------------------- entry
    def run(self, msg: Message, asked_name: Optional[str]) -> Step:
        asked = Q.get(asked_name)
        self.noting = asked_name is not None  # the opening's values are not echoed one by one
        if asked_name is None:
            if "?" in msg.text and self._asks_question(msg, None):
                # "Sure, but one question first … what do my wife and the kids need for Turkey?": the
                # question is answered, and the request starts with what the message says
                known = self._question_answer(msg)
                self.say += [x for x in known.say if x.response != "utter_offer_request"]  # it has started
            self._absorb(msg, None)  # the form has just started: take what the opening message gave
        elif not self._global(msg, asked):
            self._restore(msg)
            answered = self._answer(msg, asked)
            if self.outcome is None:
                self._absorb(msg, asked)
            if not answered and not self.took and not self.changes and not self.refused \
                    and self.outcome is None:
                self._miss(msg, asked)
            elif self.refused and not self.took and not self.changes:
                self._miss(msg, asked, quiet=True)  # the reason was said; a second refusal offers choices
        if self.outcome:
            self.s["summary_shown"] = None
            return self._finish(None)
        self._check()
        if self.outcome:
            return self._finish(None)
        self.say = self.changes + self.say
        if self.took or self.changes:
            self.s["misses"] = None
        if asked_name == "confirm" and self._request_changed():
            self.s["summary_shown"] = None
        if not P.travels(self.s) and not self.s["persons"] and self.s.get("requester_travels") is False:
            self.s["persons"] = [P.new_person()]  # someone must travel: ask who
        nxt = Q.next_question(self.s, self._current_view())
        if self.hold:
            return self._finish(nxt.name, ask_it=False)
        if nxt.name == "confirm":
            self._summary()
        return self._finish(nxt.name)

    def _current_view(self) -> Optional[dict]:
        index = self.cur_index()
        if index is None:
            return None
        return {**self.s["persons"][index], "_shares": P.shares_trip(self.s, index)}

    def _request_changed(self) -> bool:
        return any(self.s.get(k) != self.old.get(k) for k in REQUEST_SLOTS
                   if k not in ("summary_shown", "outcome", "misses"))

    def _finish(self, ask: Optional[str], ask_it: bool = True) -> Step:
        if ask and ask_it:
            misses = self.s.get("misses") or {}
            if misses.get("q") == ask and misses.get("n", 0) >= MAX_MISSES:
                self.tell("utter_stuck", phone=rules.contact("cns")["phone"],
                          coins_phone=rules.contact("cns_coinsurance")["phone"])
            else:
                self._ask(ask)
        changed = {k: v for k, v in self.s.items() if self.old.get(k) != v}
        return Step(changed, self.say, ask, self.outcome)

    def _miss(self, msg: Message, asked: Optional[Q.Question], quiet: bool = False) -> None:
        """The message answered nothing and changed nothing: say so (choices come after two)."""
        name = asked.name if asked else None
        misses = self.s.get("misses") or {}
        n = misses.get("n", 0) + 1 if misses.get("q") == name else 1
        self.s["misses"] = {"q": name, "n": n}
        if n < MAX_MISSES and not quiet:
            yn = yes_no(msg)
            if yn is not None and asked is not None and asked.kind not in ("yes_no", "purpose", "more_people",
                                                                            "attachments", "confirm"):
                self.tell("utter_expecting_answer")
            else:
                self.tell(asked.hint if asked else "utter_not_understood")

    # ------------------------------------------------------------- global intents
    def _global(self, msg: Message, asked: Optional[Q.Question]) -> bool:
        confident = msg.confidence >= 0.6
        pending = self.s.get("pending_command")
        if pending:
            self.s["pending_command"] = None
            yn = yes_no(msg)
            if yn is True:
                return self._command(pending["intent"])
            if yn is False and asked is not None and asked.kind == "name":
                self._set_name(asked, pending["name"])
                return True
        if asked is not None and asked.kind == "name" and msg.intent in ("cancel", "start_over") \
                and name_from(msg):
            # a name that reads like a command ("Stop"): confirmed before anything is thrown away
            if matches("command", msg.text):
                self.s["pending_command"] = {"intent": msg.intent, "name": name_from(msg)}
                self.tell("utter_confirm_command_or_name", name=name_from(msg))
                self.hold = True
                return True
            return False
        if msg.intent in ("cancel", "start_over") and confident and not self._steers(msg):
            return self._command(msg.intent)
        if (msg.intent == "human_handoff" and confident) or matches("human", msg.text):
            self.tell("utter_handoff_request", coins_phone=rules.contact("cns_coinsurance")["phone"],
                      phone=rules.contact("cns")["phone"])
            self.tell("utter_continue_here")
            self.took = True
            return True
        if msg.intent == "change_language" and confident and not matches("language_complaint", msg.text):
            self.took = True  # the language slot is set already; the message may carry an answer too
            return False
        if asked is not None and asked.name not in EARLY and self.s.get("requester_travels") is False \
                and matches("add_me", msg.text) and self._requester_joins(msg):
            return True  # "j'aimerais aller la voir … Est-ce que je peux m'ajouter ?" (Quebec: no)
        if self._asks_question(msg, asked):
            self.say += self._question_answer(msg).say
            self.took = True
            self._drop_outside(msg)  # "… my brother is co-insured on our dad's card: can I add him?"
            if any(x.response == "utter_not_coinsured" for x in self.changes):
                # "puis-je les ajouter ?" asked of them: that is the answer, not the documents to add
                self.say = [x for x in self.say if x.response != "utter_topic_household_certificate"]
            if self._declared(msg):
                # "on part au Maroc, mais quel formulaire ?": the answer is taken too, but not a
                # duration of the question ("4 jours en Grèce, il faut un papier ?")
                msg.entities = [e for e in msg.entities if e["entity"] != "duration"]
                return False
            self.tell("utter_continue_here")
            return True
        if msg.intent in context.TOPIC_INTENTS and confident and not self._fills(msg, asked) \
                and not self._says_change(msg):
            self.say += topics.answer(msg.intent, msg.entities, self.s, self.lang, msg.text).say
            self.tell("utter_continue_here")
            self.took = True
            return True
        return False

    def _steers(self, msg: Message) -> bool:
        """Whether a message the classifier reads as "cancel" changes the request instead ("Stopp,
        ich fahre nicht mit, nur Yanis. Bitte mich rausnehmen"): a removal, someone who stays, a
        person or value named, and no word that cancels the whole request."""
        if matches("cancel_word", msg.text):
            return False
        return bool(self._content(msg)) or matches("remove_person", msg.text) \
            or stays_home(msg.text) or matches("add_person", msg.text)

    def _asks_question(self, msg: Message, asked: Optional[Q.Question]) -> bool:
        """A question in the middle of the form ("wo steht die Nummer?", "gilt das auch für
        Ägypten?"): answered, then the form goes on where it was. A message that also gives
        dates, an e-mail or a number is an answer first, and so is a change asked as a question
        ("finalement on va au Maroc. Vous pouvez corriger ?")."""
        if len(msg.text.split()) < 4 or not router.is_question(msg.text):
            return False
        if "?" not in msg.text and self._declared(msg):
            return False
        if matches("change_request", msg.text):
            return False
        if any(e["entity"] == "relation" for e in msg.entities) and (
                matches("comes_along", msg.text) or matches("remove_person", msg.text)) \
                and not topics.asks_without_number(msg.text):
            return False  # "meine Frau Elif kommt doch mit. Kann man sie noch dazunehmen?": a person, no topic
        asked_about = self._question_entities(msg)
        if "?" not in msg.text and (self._fills(msg, asked) or self._says_change(msg)):
            return False
        if "?" in msg.text and any(e["entity"] == "country" for e in msg.entities) and not any(
                e["entity"] == "country" for e in asked_about) and self._says_change(msg):
            return False  # "on va au Maroc, plus en Tunisie. C'est bon ?": places said, not asked about
        if self._question_topic(msg) is not None:
            return True
        return topics.recognised_question(self._question_entities(msg), self.s, self.lang, msg.text) is not None

    def _declared(self, msg: Message) -> List[dict]:
        """The values a message gives outside its question ("my email is ... ; is there a phone
        number?"): dates, e-mail, numbers, and a destination while none is known."""
        spans = [m.span() for m in re.finditer(r"[^.!?:;,\n]*\?", msg.text)]
        open_place = not self.s.get("destination") or (self.old.get("requested_slot") or "").endswith("destination")
        return [e for e in msg.entities if not any(a <= e["start"] < b for a, b in spans) and (
            e["entity"] in ("date", "date_range", "email", "matricule")
            or (e["entity"] == "country" and open_place and e.get("role") is None and not e.get("negated")))]

    @staticmethod
    def _question_entities(msg: Message) -> List[dict]:
        """The entities a question is about: those of its sentences that end with "?" (when a
        place is there: "après la Turquie, 4 jours en Grèce : il faut un papier pour la Grèce ?")."""
        spans = [m.span() for m in re.finditer(r"[^.!?:;,\n]*\?", msg.text)]
        inside = [e for e in msg.entities if any(a <= e["start"] < b for a, b in spans)]
        if any(e["entity"] == "country" for e in inside):
            return inside + [e for e in msg.entities if e["entity"] != "country" and e not in inside]
        return list(msg.entities)

    def _question_answer(self, msg: Message) -> Answer:
        """The answer to a question asked in the middle of the form (or in the message that starts it)."""
        entities = self._question_entities(msg)
        return topics.recognised_question(entities, self.s, self.lang, msg.text) or topics.answer(
            self._question_topic(msg), entities, self.s, self.lang, msg.text)

    def _question_topic(self, msg: Message) -> Optional[str]:
        asked_about = [e for e in self._question_entities(msg) if e["entity"] == "country" and e["value"] != "LU"
                       and e.get("role") not in NOT_GOING and not e.get("negated")]
        if msg.intent in ("ask_delivery", "ask_contact", "ask_espace", "ask_edelivery") \
                and any(e["value"] != self.s.get("destination") for e in asked_about):
            return "ask_form"  # "Gilt die Bescheinigung auch in den USA?": about that country
        if msg.intent in context.TOPIC_INTENTS and msg.confidence >= 0.3:
            return msg.intent
        return router.topic_of(msg.text) or ("ask_form" if msg.first("country") else None)

    def _command(self, intent: str) -> bool:
        if intent == "cancel":
            self.outcome = "cancel"
            self.tell("utter_request_cancelled")
        else:
            for slot in REQUEST_SLOTS:
                self.s[slot] = [] if slot in LIST_SLOTS else None
            self.tell("utter_restarted")
        self.took = True
        return True

    def _fills(self, msg: Message, asked: Optional[Q.Question]) -> bool:
        """Whether the message carries a value for the question asked (a name asked is the
        name said: "Carter" is no question about the card, whatever the classifier reads)."""
        if asked is not None and asked.kind == "name" and "?" not in msg.text \
                and len(msg.text.split()) <= 4 and name_from(msg):
            return True
        return bool(asked and {e["entity"] for e in msg.entities} & asked.fills)

    def _says_change(self, msg: Message) -> bool:
        """Whether the message asks to change the request (a person, a place, dates)."""
        kinds = {e["entity"] for e in msg.entities}
        return bool(kinds & {"country", "date", "date_range", "duration", "email"}) and (
            msg.intent == "correct" or matches("correction", msg.text) or matches("add_person", msg.text)
            or matches("remove_person", msg.text))

    # ------------------------------------------------------------- the answer to the question asked
    def _answer(self, msg: Message, q: Optional[Q.Question]) -> bool:
        """Take the answer to `q`; True when the message was taken as an answer (or refused as one)."""
        if q is None:
            return False
        handler = getattr(self, f"_answer_{q.kind}")
        return handler(msg, q)

    def _target(self, q: Q.Question) -> dict:
        return self.cur() if q.scope == "person" else self.s

    def _answer_yes_no(self, msg: Message, q: Q.Question) -> bool:
        yn = yes_no(msg)
        if q.name == "requester_travels":
            if stays_home(msg.text):
                yn = False
            elif yn is None and matches("requester_travels", msg.text):
                yn = True
        if yn is None:
            return False
        if q.name == "consent" and yn is False:
            self.tell("utter_consent_refused", link=rules.contact("online_procedure")["url"],
                      phone=rules.contact("cns")["phone"])
            self.outcome = "cancel"
            return True
        self._target(q)[q.field] = yn
        self.took = True
        return True

    def _answer_fund(self, msg: Message, q: Q.Question) -> bool:
        funds = [e for e in msg.all("fund") if not e.get("negated")]
        for e in msg.all("fund"):
            self._use(e)
        ent = funds[-1] if funds else None
        if ent and rules.is_fund(ent["value"]):
            self.s["fund"] = ent["value"]
            if len(msg.all("fund")) > 1 or "?" in msg.text or len(msg.text.split()) > 4:
                # "The CNS I suppose? Oh wait, no … it's the CMFEP for me, isn't it?": say which stands;
                # "je bosse aux CFL": the fund read from a sentence is said back
                self.tell("utter_noted_fund", new=rules.fund_label(ent["value"], self.lang))
            self.took = True
            return True
        if ent:
            self.tell("utter_invalid_fund")
            self.refused = True
            return True
        return False

    def _answer_matricule(self, msg: Message, q: Q.Question) -> bool:
        ent = msg.first("matricule") or msg.first("number")
        if not ent:
            return False
        self._use(ent)
        return self._set_matricule(ent["value"], q.scope == "person")

    def _valid_matricule(self, raw: str) -> Optional[str]:
        """The number, or None after saying why it is refused."""
        try:
            return matricule_mod.validate(raw, today=self.today)
        except matricule_mod.InvalidMatricule as exc:
            code = "checksum" if exc.code in ("luhn", "verhoeff") else exc.code
            self.tell(f"utter_invalid_matricule_{code}")
            self.refused = True
            return None

    def _set_matricule(self, raw: str, for_person: bool) -> bool:
        number = self._valid_matricule(raw)
        if number is None:
            return True
        cur = self.cur() if for_person else None
        taken = {self.s.get("req_matricule")} | {p.get("matricule") for p in self.s["persons"] if p is not cur}
        if for_person:
            twin = next((p for p in self.s["persons"] if p is not cur and p.get("matricule") == number), None)
            if twin is not None and not (cur.get("last_name") or cur.get("first_name")):
                # the number of someone already listed, for a person not yet named: the same
                # person counted twice ("mit meiner Freundin... ne, meiner Frau"; "zur Oma")
                self.s["persons"].remove(cur)
                self.tell("utter_person_already_on_request", **P.named(twin, self.lang))
                self.took = True
                return True
            if number == self.s.get("req_matricule") and not P.travels(self.s) \
                    and self.s["persons"] and self.s["persons"][0] is cur \
                    and not (cur.get("last_name") or cur.get("first_name")):
                # "je m'occupe des papiers de ma mère … je vous donne ses informations": the details
                # given as the requester's are the traveller's; the request is in her name
                self.s["persons"].remove(cur)
                for key in P.TRIP:
                    self.s[key] = self.s.get(key) or cur.get(key)
                self.s["requester_travels"] = True
                self.tell("utter_requester_is_the_traveller", name=" ".join(
                    n for n in (self.s.get("req_first_name"), self.s.get("req_last_name")) if n))
                self.took = True
                return True
            if number in taken:
                self.tell("utter_person_already_added")
                self.refused = True
                return True
            owner = P.owner_by_age(self.s, self.s["persons"].index(cur), number, self.today)
            if owner is not None:
                # a "child" born before the requester was 12: the number of the spouse still to come
                # (answered in another order than asked); that person is asked about now
                other = self.s["persons"].pop(owner)
                self.s["persons"].insert(self.s["persons"].index(cur), other)
                other["matricule"] = number
                self.tell("utter_number_is_of", **P.named(other, self.lang),
                          born=wording.format_date(matricule_mod.birth_date(number).isoformat(), self.lang))
                self.took = True
                return True
            index = self.s["persons"].index(cur)
            if P.misfits(self.s, index, number, self.today) and not (cur.get("last_name") or cur.get("first_name")):
                # the number of nobody listed: someone else's, whose relation is asked; the person
                # asked about is asked again
                other = P.new_person(matricule=number)
                self.s["persons"].insert(index, other)
                self.introduced.add(id(other))
                self.tell("utter_number_is_of_someone_else", **P.named(cur, self.lang),
                          born=wording.format_date(matricule_mod.birth_date(number).isoformat(), self.lang))
                self.took = True
                return True
            cur["matricule"] = number
        else:
            self.s["req_matricule"] = number
        self.took = True
        return True

    def _answer_name(self, msg: Message, q: Q.Question) -> bool:
        name = name_from(msg)
        if not name:
            return False
        if not msg.first("person_name") and (self._speaks_of_something_else(msg)):
            return False
        self._use(msg.first("person_name"))
        self._set_name(q, name)
        return True

    def _set_name(self, q: Q.Question, text: str) -> None:
        name = name_from(Message(text)) or text.strip()
        self._target(q)[q.field] = name
        self.took = True

    def _answer_country(self, msg: Message, q: Q.Question) -> bool:
        places = [e for e in msg.all("country") if not e.get("negated")]
        if q.name == "residence":
            # "Luxemburg... ach nee, Macht der Gewohnheit. Wir sind nach Igel gezogen, also Deutschland":
            # asked where one lives, the places said are about that, and the last one stands
            homes = [e for e in places if e.get("role") == "residence"]
            ent = (homes or places or [None])[-1]
            if ent is None:
                return False
            for e in (msg.all("country") if not homes else homes):
                self._use(e)
            self.s["residence"] = ent["value"]
            self.took = True
            return True
        goes = [e for e in places if e.get("role") not in NOT_GOING and e["value"] != "LU"]
        if not goes:
            return False  # nothing, or where the person lives, or Luxembourg: taken by _absorb
        for e in goes:
            self._use(e)  # "la Turquie... non, la Tunisie": the last place said stands
        ent = goes[-1]
        if len(places) > 1 or any(e.get("negated") for e in msg.all("country")):
            self.tell("utter_noted_value", value=wording.country_name(ent["value"], self.lang))
        if q.scope == "person":
            self.cur()["destination"] = ent["value"]
        else:
            self.s["destination"] = ent["value"]
            for person in self.s["persons"]:
                person["destination"] = None if person.get("destination") == ent["value"] else person.get("destination")
        self.took = True
        return True

    def _answer_purpose(self, msg: Message, q: Q.Question) -> bool:
        prof = self._use(msg.first("profile"))
        if prof:
            self.s["profile"] = prof["value"]
        else:
            yn = yes_no(msg)
            if yn is None:
                return False
            self.s["profile"] = "study" if yn else "stay"
        self.took = True
        return True

    def _answer_dates(self, msg: Message, q: Q.Question) -> bool:
        if not any(self._free(msg, k) for k in ("date", "date_range", "duration")):
            return False
        if q.scope == "request" and self.s.get("requester_travels") is None:
            self.s["requester_travels"] = True  # "your dates" answered: the requester travels
        target = self._target(q)
        several = len(msg.all("date_range")) > 1
        ok = self._apply_dates(msg, target, q.name, report=False)
        if ok and several:
            trip_now = P.trip_of(self.s, target) if target is not self.s else self.s
            self.tell("utter_noted_dates", departure=wording.format_date(trip_now["departure"], self.lang),
                      return_date=wording.format_date(trip_now["return_date"], self.lang))
        if target is not self.s and ok:
            target["same_trip"] = False
        return ok or self.refused

    def _answer_relation(self, msg: Message, q: Q.Question) -> bool:
        ent = self._use(msg.first("relation"))
        if not ent:
            return False
        cur = self.cur()
        cur["relation"] = P.relation_of(ent.get("role")) if ent.get("role") else ent["value"]
        cur["label"] = cur.get("label") or ent.get("role")
        self.took = True
        return True

    def _answer_insured_status(self, msg: Message, q: Q.Question) -> bool:
        ent = self._use(msg.first("insured_status"))
        if not ent:
            return False
        self.s["insured_status"] = ent["value"]
        self.took = True
        return True

    def _answer_more_people(self, msg: Message, q: Q.Question) -> bool:
        if self.s.get("requester_travels") is None:
            self.s["requester_travels"] = True  # asked "anyone else?" after their own trip
        yn = yes_no(msg)
        rels = self._free(msg, "relation")
        if yn is False and not rels:
            self.s["more_people_done"] = True
            self.took = True
            return True
        if yn is True or rels:
            if not self._add_mentioned(msg, force=True):
                self.s["persons"].append(P.new_person())
            mat = self._free(msg, "matricule")
            if mat:
                self._use(mat[0])
                self._set_matricule(mat[0]["value"], True)
            self.took = True
            return True
        return False

    def _answer_attachments(self, msg: Message, q: Q.Question) -> bool:
        yn = yes_no(msg)
        if matches("later", msg.text) or yn is False:
            self.s["attachments"].append({"type": "household_composition", "status": "to_send"})
            self.took = True
            return True
        if yn is True:
            self.tell("utter_upload_how")
            self.took = True
            self.hold = True
            return True
        return False

    def _answer_confirm(self, msg: Message, q: Q.Question) -> bool:
        yn = yes_no(msg)
        if self.s.get("authenticated") and matches("later", msg.text) and not self._content(msg):
            self.outcome = "later"  # "transmettre plus tard": kept, resumed on the next request
            self.tell("utter_request_kept_for_later")
            return True
        carries = bool(self._content(msg)) or matches("remove_person", msg.text) \
            or stays_home(msg.text)
        if yn is True and not carries:
            self.s["confirmed"] = True
            self.outcome = "submit"
            return True
        if matches("change", msg.text) or (yn is False and not carries and not self._field_named(msg)):
            self.tell("utter_what_to_change")
            self.hold = True
            self.took = True
            return True
        if self._identity(msg, q):
            return True
        named = self._field_named(msg)
        if named and not carries:
            self._clear(named)
            return True
        return False

    def _field_named(self, msg: Message) -> Optional[str]:
        for slot in ("req_first_name", "req_last_name", "email", "req_matricule", "residence", "fund",
                     "return_date", "departure", "destination"):
            if matches(slot, msg.text):
                return slot
        return None

    def _clear(self, slot: str) -> None:
        """"Je veux changer l'e-mail": the value is asked again."""
        if slot == "departure":
            self.s["departure"] = self.s["return_date"] = None
        else:
            self.s[slot] = None
        self.took = True

    # ------------------------------------------------------------- who someone is, corrected
    def _identity(self, msg: Message, q: Optional[Q.Question]) -> bool:
        """A name or an identification number given earlier, corrected ("my surname is Hoffmann,
        with two n", "Stopp, bei der Nummer hab ich mich vertippt! Richtig ist …"): applied to
        the person the message names (else the requester) and said, old -> new."""
        if q is None or q.name in EARLY or q.kind in ("name", "matricule") or self.identity_read:
            return False
        self.identity_read = True
        if (matches("add_person", msg.text) and self._mentions(msg)) or matches("remove_person", msg.text) \
                or stays_home(msg.text) or not (
                q.name == "confirm" or matches("correction", msg.text) or matches("typo", msg.text)):
            return False
        strangers, used = list(self.strangers), set(self.used)
        targets = [t for t in self._targets(msg) if t >= 0] or [-1]
        self.strangers, self.used = strangers, used  # only read: the rest of the message is read after
        if search("own_name", msg.text):
            targets = [-1]  # "I typed my own name wrong … Rory is Coughlan too": the requester's
        done = self._number_fix(msg, targets)
        if matches("name_any", msg.text) or matches("req_first_name", msg.text) or matches("req_last_name", msg.text):
            done = self._name_fix(msg, targets) or done
        return done

    def _fields_of(self, target: int) -> Dict[str, Any]:
        return self.s if target < 0 else self.s["persons"][target]

    @staticmethod
    def _slot_of(target: int, field: str) -> str:
        """Where a field is kept: `req_<field>` for the requester (-1), `<field>` for a person."""
        return ("req_" + field) if target < 0 else field

    def _value_of(self, target: int, field: str) -> Any:
        return self._fields_of(target).get(self._slot_of(target, field))

    def _name_fix(self, msg: Message, targets: List[int]) -> bool:
        fields = [f for f in ("first_name", "last_name") if matches(f"req_{f}", msg.text)] \
            or ["first_name", "last_name"]
        if fields == ["first_name", "last_name"] and matches("req_first_name", msg.text):
            fields = ["first_name"]
        for target in targets:
            old = {f: self._value_of(target, f) for f in fields}
            # the first names of the others are not a new spelling of this one ("Lina, même nom que moi")
            others = {fold(p.get("first_name") or "") for i, p in enumerate(self.s["persons"]) if i != target}
            if target >= 0:
                others.add(fold(self.s.get("req_first_name") or ""))
            fix = identity.name_fix(msg.text, old, fields, exclude=others - {""})
            if fix is None:
                continue
            field, new = fix
            if new == old[field]:
                self.changes.append(Say("utter_unchanged_value", {"value": new}))
                self.took = True
                return True
            family = [target]
            if field == "last_name" and matches("name_fix_our", msg.text):
                family = [i for i in range(-1, len(self.s["persons"]))
                          if fold(self._value_of(i, "last_name") or "") == fold(old[field])]
            for index in family:
                self._set_identity(index, field, new)
            return True
        return False

    def _set_identity(self, index: int, field: str, new: str) -> None:
        self.identity_fixed = True
        holder = self._fields_of(index)
        slot = self._slot_of(index, field)
        old = holder.get(slot)
        # "first name of your son", not "of Leo" when Leo is what changes
        who = None if index < 0 else (P.who(holder.get("label"), self.lang)
                                      if field == "first_name" and holder.get("label") else P.named(holder, self.lang))
        holder[slot] = new
        if index < 0:
            self._changed(f"utter_changed_{field}", old, new)
        else:
            self._changed(f"utter_changed_{field}_of", old, new, **who)

    def _number_fix(self, msg: Message, targets: List[int]) -> bool:
        nums = self._free(msg, "matricule")
        if not nums or not self.s.get("req_matricule"):
            return False
        ent = self._standing(msg, nums)
        for e in nums:
            self._use(e)
        number = self._valid_matricule(ent["value"])
        if number is None:
            return True
        target = targets[0]
        if self._value_of(target, "matricule") == number:
            self.changes.append(Say("utter_unchanged_value", {"value": number}))
            self.took = True
            return True
        others = [self.s.get("req_matricule")] + [p.get("matricule") for p in self.s["persons"]]
        if number in others:
            self.tell("utter_person_already_added")
            self.refused = True
            return True
        self._set_identity(target, "matricule", number)
        return True

    # ------------------------------------------------------------- everything else the message says
    def _absorb(self, msg: Message, q: Optional[Q.Question]) -> None:
        asked = q.name if q else None
        for up in msg.all("upload"):
            doc_type = "household_composition" if asked == "attachments" else "optional"
            self.s["attachments"].append({**up["value"], "type": doc_type, "status": "received"})
            self.tell("utter_upload_received", name=up["value"].get("name", ""))
            self.took = True
        for ent in self._free(msg, "profile"):
            if ent["value"] != "stay" or not self.s.get("profile"):
                self.s["profile"] = ent["value"]
        for ent in self._free(msg, "insured_status"):
            if not self.s.get("insured_status") or (asked is not None and ent["value"] != self.s["insured_status"]):
                self.s["insured_status"] = ent["value"]  # said later, it corrects what an earlier message implied
                self.took = True
        for ent in [e for e in self._free(msg, "fund") if not e.get("negated")][-1:]:
            if rules.is_fund(ent["value"]) and ent["value"] != self.s.get("fund"):
                old = self.s.get("fund")
                self.s["fund"] = ent["value"]
                self._changed("utter_changed_fund", old and rules.fund_label(old, self.lang),
                              rules.fund_label(ent["value"], self.lang))
        for ent in [e for e in [self._standing(msg, self._free(msg, "email"))] if e]:
            try:
                value = email_mod.validate(ent["value"])
            except email_mod.InvalidEmail:
                self.tell("utter_invalid_email")
                self.refused = True
                continue
            if value != self.s.get("email"):
                old = self.s.get("email")
                self.s["email"] = value
                self._changed("utter_changed_email", old, value)
            elif asked not in (None, "email"):
                self.changes.append(Say("utter_unchanged_value", {"value": value}))  # nothing to change
                self.took = True
        self._identity(msg, q)
        for ent in self._free(msg, "matricule"):
            if asked in EARLY and self._relative_before(msg, ent) is not None:
                continue  # "ma fille, matricule …": hers (see _inline_details)
            if not self.s.get("req_matricule") and (q is None or q.scope != "person"):
                self._use(ent)
                self._set_matricule(ent["value"], False)
        name = self._free(msg, "person_name")
        if name and asked is None and not self.s.get("req_last_name"):
            parts = name[0]["value"].split()
            if len(parts) >= 2:
                self.s["req_first_name"], self.s["req_last_name"] = " ".join(parts[:-1]), parts[-1]
        self._who_travels(msg, asked)
        self._places(msg, q)
        self._dates_said(msg, q)

    @staticmethod
    def _standing(msg: Message, found: List[dict]) -> Optional[dict]:
        """Of several values of one kind, the one that stands: not said to be the old one
        ("die alte Adresse a@b.de gibt es nicht mehr"), else the last ("a@exemple.lu, pardon, a@example.lu")."""
        new = [e for e in found if not (search("old_before", fold(msg.text[max(0, e["start"] - 30):e["start"]]))
                                        or search("old_after", fold(msg.text[e["end"]:e["end"] + 40])))]
        return (new or found or [None])[-1]

    def _email(self, msg: Message, q: Q.Question) -> bool:
        found = msg.all("email")
        ent = self._standing(msg, found)
        if ent is None and (" " in msg.text.strip() or "@" not in msg.text):
            return False
        raw = ent["value"] if ent else msg.text.strip()
        for e in found:
            self._use(e)
        if len(found) > 1:
            self.tell("utter_noted_value", value=ent["value"])
        try:
            self.s["email"] = email_mod.validate(raw)
            self.took = True
        except email_mod.InvalidEmail:
            self.tell("utter_invalid_email")
            self.refused = True
        return True

    _answer_email = _email

    # ------------------------------------------------------------- persons
    def _who_travels(self, msg: Message, asked: Optional[str]) -> None:
        stays = stays_home(msg.text)
        adding = asked in EARLY or matches("add_person", msg.text) or matches("comes_along", msg.text)
        if adding and asked not in ("more_people", "p_relation"):
            self._add_mentioned(msg, force=asked not in EARLY)
        if asked in EARLY:
            self._ages(msg)
        if stays and asked != "requester_travels" and self.s.get("requester_travels") is not False:
            if asked is None or self.s["persons"]:
                before = self.s.get("requester_travels")
                self.s["requester_travels"] = False
                if before is True or asked == "confirm":
                    self.changes.append(Say("utter_requester_not_travelling", {}))
                self.took = True
            return
        if matches("remove_person", msg.text):
            targets = set(self._targets(self._sentences_with(msg, "remove_person"))) \
                or (set() if self.staying else set(self._targets(msg, allow_me=True)))
            keep = search("keep_only", msg.text)
            if keep:  # "take Sofia off … only me and Ilyas": those named after "only" stay
                kept = fold(msg.text)[keep.end():]
                kept = re.split(load("lexicon")["request"]["sentence"], kept)[0]
                targets -= set(P.find_by_name(self.s, _words(kept))) | {-1}
            for t in sorted(targets, reverse=True):
                self._remove(t)
            for name in self.strangers:
                self.changes.append(Say("utter_person_not_on_request", {"who": name}))
                self.took = True  # "Théo ne vient plus": he was not on it; said, nothing else done
            if targets or self.strangers:
                return
            # nobody to take off ("depuis le décès de mon mari je ne voyage plus beaucoup"): read on
        if (matches("add_person", msg.text) or matches("comes_along", msg.text)) and not self._mentions(msg) \
                and asked is not None and not self.identity_fixed:
            # "Amra fliegt mit, genau wie ich": a person who is on the list already
            for index in self._named_in(msg.text):
                if index >= 0 and id(self.s["persons"][index]) not in self.restored:
                    self._already(self.s["persons"][index])
        if self.s.get("requester_travels") is None and matches("requester_travels", msg.text):
            self.s["requester_travels"] = True
        if asked not in EARLY and self.s.get("requester_travels") is False and not self._mentions(msg) and (
                matches("add_me", msg.text) or (matches("add_person", msg.text) and matches("me", msg.text))):
            self._requester_joins(msg)
        if asked not in EARLY and not adding:
            self._relation_fix(msg)
        self._drop_outside(msg)

    def _requester_joins(self, msg: Message) -> bool:
        """The person filling in joins the travellers ("could you add me as well? I'd like to visit
        her from … to …"): on the request with the dates they give, the others keeping theirs;
        unless their own stay is not one this request is for ("just a holiday" in Quebec): then
        why, and nothing changed."""
        dest = self.s.get("destination")
        said = [e["value"] for e in self._free(msg, "profile")]
        profile = said[-1] if said else ("stay" if matches("holiday", msg.text) else self.s.get("profile") or "stay")
        if dest:
            advice = rules.explain(dest, profile, self.lang)
            if not advice.eligible_for_online_request:
                self.say += topics.explain_advice(advice, self.lang).say  # why, and what applies instead
                self.tell("utter_requester_not_added")
                for kind in ("date", "date_range", "duration", "profile"):
                    for ent in self._free(msg, kind):
                        self._use(ent)
                self.took = True
                return True
        for person in self.s["persons"]:
            for key in P.TRIP:  # the trip they had is theirs; the shared one becomes the requester's
                person[key] = person.get(key) or self.s.get(key)
            person["same_trip"] = False
        self.s["requester_travels"] = True
        self.changes.append(Say("utter_requester_travelling", {}))
        self.took = True
        return False

    def _relation_fix(self, msg: Message) -> None:
        """A listed person's relation corrected ("Amra is listed as my spouse?? No, she's my
        daughter", "pas mon fils, mon neveu"): the relative said last that is not taken back is
        theirs; said old -> new."""
        rels = self._free(msg, "relation")
        named = [i for i in self._named_in(msg.text) if i >= 0]
        if not rels or len(named) != 1:
            return
        lex = load("lexicon")["request"]
        # "Tarik fliegt … mit seinem Onkel zurück": someone of theirs, or a companion, is no relation of theirs
        rels = [e for e in rels if not re.search(lex["their_before"], fold(msg.text[max(0, e["start"] - 20):e["start"]]))
                and not search("companion_before", fold(msg.text[max(0, e["start"] - 25):e["start"]]))]
        if not rels:
            return
        kept = [e for e in rels if not re.search(lex["relation_negated"],
                                                 fold(msg.text[max(0, e["start"] - 30):e["start"]]))]
        if not kept:
            return
        new = kept[-1]
        person = self.s["persons"][named[0]]
        folded = fold(msg.text)
        said = [m.end() for m in self._first_name_hits(folded, person) if m.end() <= new["start"]]
        linked = said and new["start"] - said[-1] <= 60 and re.search(lex["relation_copula"], folded[said[-1]:new["start"]])
        if len(kept) == len(rels) and not linked:
            return  # "my wife and Mia still come back on …": relatives named in passing, no correction
        label = new.get("role") or new["value"]
        for ent in rels:
            self._use(ent)
        if label == person.get("label") or (new["value"] == person.get("relation")
                                            and not P.sex_differs(label, person.get("label"))):
            self.changes.append(Say("utter_unchanged_value", {"value": wording.relation_word(new["value"], self.lang)}))
            self.took = True
            return
        old = wording.relation_word(person.get("relation"), self.lang)
        person["label"], person["relation"] = label, P.relation_of(label)
        self._changed("utter_changed_relation_of", old, wording.relation_word(person["relation"], self.lang),
                      **P.named(person, self.lang))

    def _drop_outside(self, msg: Message) -> None:
        """A listed person the message says is not co-insured with the person writing ("Le grand,
        Samir, … a sa propre affiliation", "my brother Luca … is co-insured on our dad's card"):
        off this request, and why. Read in the words after their first name or their relation (a
        plural relation is several people: not read), up to the end of the sentence."""
        folded = fold(msg.text)
        lex = load("lexicon")["request"]
        counts = numbers()
        spans = []
        for index, person in enumerate(self.s["persons"]):
            spans += [(m.end(), index) for m in self._first_name_hits(folded, person)]
        for ent in msg.all("relation"):
            before = folded[:ent["start"]].split()
            same = [i for i, p in enumerate(self.s["persons"]) if p.get("label") == ent.get("role")]
            if len(same) == 1 and not (before and counts.get(before[-1], 0) > 1) \
                    and ent.get("role") not in ("children", "sons", "daughters"):
                spans.append((ent["end"], same[0]))
        # the next person spoken of ends what is said of one (not "on our dad's card", "de notre père")
        starts = [e["start"] for e in msg.all("relation")
                  if not (search("not_companion", msg.text[max(0, e["start"] - 30):e["start"]])
                          or re.match(lex["not_companion_after"], msg.text[e["end"]:e["end"] + 4]))] \
            + [m.start() for p in self.s["persons"] for m in self._first_name_hits(folded, p)]
        out = set()
        for end, index in spans:
            stop = re.search(lex["sentence"], folded[end:])
            limit = min([end + (stop.start() if stop else 200)] + [x for x in starts if x > end])
            tail = folded[end:limit]
            if re.search(lex["not_coinsured"], tail):
                out.add(index)
        for index in sorted(out, reverse=True):
            person = self.s["persons"].pop(index)
            self.changes.append(Say("utter_person_removed", P.named(person, self.lang)))
        mentions = sorted(msg.all("relation"), key=lambda e: e["start"])
        told = any(x.response == "utter_not_coinsured" for x in self.changes + self.say)
        # "mes parents sont assurés à l'AOK … puis-je les ajouter ?": said even when they are not listed
        if (out or any(self._not_coinsured(folded, e, mentions) for e in mentions)) and not told:
            self.changes.append(Say("utter_not_coinsured", {}))
            self.took = True

    @staticmethod
    def _first_name_hits(folded: str, person: dict) -> List[re.Match]:
        """Where the folded message says the first word of a listed person's first name."""
        first = fold(person.get("first_name") or "").split()[:1]
        return list(re.finditer(rf"\b{re.escape(first[0])}\b", folded)) if first else []

    @staticmethod
    def _sentences_with(msg: Message, cue: str) -> Message:
        """The message with only its sentences that carry `cue` ("Emma ne part plus … Vous pouvez la
        retirer ? Pour mon mari et moi tout est bon": the husband is not removed); positions kept."""
        text = msg.text
        spans, start = [], 0
        for m in re.finditer(load("lexicon")["request"]["sentence"], fold(text)):
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, len(text)))
        keep = [(a, b) for a, b in spans if matches(cue, text[a:b])]
        masked = "".join(c if any(a <= i < b for a, b in keep) else " " for i, c in enumerate(text))
        return Message(masked, msg.intent, msg.confidence,
                       [e for e in msg.entities if any(a <= e["start"] < b for a, b in keep)])

    def _mentions(self, msg: Message) -> List[dict]:
        return [e for e in self._free(msg, "relation")]

    @staticmethod
    def _not_coinsured(folded: str, ent: dict, mentions: List[dict]) -> bool:
        """Whether the relative is said not to be co-insured with the person writing, in the words
        after it and before another relative is named ("my uncle Mirsad is coming along, but he's
        insured on his own, not through me")."""
        lex = load("lexicon")["request"]
        label = ent.get("role") or ent["value"]
        ends = [m["start"] for m in mentions if m["start"] > ent["start"] and (m.get("role") or m["value"]) != label]
        # the sentence of the relative, and the next one when it starts with a pronoun ("Mes parents
        # nous accompagnent. Ils sont assurés à l'AOK.")
        stops = [m.end() for m in re.finditer(lex["sentence"], folded) if m.end() > ent["end"]]
        if stops:
            ends.append(stops[1] if len(stops) > 1 and re.match(lex["pronoun_start"], folded[stops[0]:]) else stops[0])
        end = min(ends + [len(folded), ent["end"] + 200])
        return re.search(lex["not_coinsured"], folded[ent["end"]:end]) is not None

    def _add_mentioned(self, msg: Message, force: bool = False) -> bool:
        """Add a person for each relative the message names ("moi et mes trois enfants": three)."""
        added = False
        folded = fold(msg.text)
        counts = numbers()
        asked_early = self.old.get("requested_slot") in EARLY
        mentions = sorted(self._mentions(msg), key=lambda e: e["start"])
        lex = load("lexicon")["request"]
        if not force and matches("travels_alone", msg.text) and not stays_home(msg.text):
            for ent in mentions:
                self._use(ent)
            return False  # "ich fliege ganz allein zu meiner Freundin": nobody else travels
        own = re.search(lex["own_request"], folded)
        files_own = set(lex["own_request_who"].get(own.group("who"), ())) if own else set()
        told = False
        # "ma sœur m'emmène en Turquie … Ma sœur, elle, a sa propre assurance": every mention of her
        outside = {ent.get("role") or ent["value"] for ent in mentions if self._not_coinsured(folded, ent, mentions)}
        for ent, after in zip(mentions, mentions[1:] + [None]):
            if (ent.get("role") or ent["value"]) in outside:
                self._use(ent)
                if not told:
                    self.tell("utter_not_coinsured")
                    told = self.took = True
                continue  # "mon oncle n'est pas co-assuré chez moi": not on this request
            if after is not None and search("self_repair", fold(msg.text[ent["end"]:after["start"]])):
                self._use(ent)
                continue  # "mit meiner Freundin... ne, mit meiner Frau": the first one is taken back
            # "my partner Ivan and his two children": the partner's children travel with them
            step = ent["value"] == "child" and re.search(lex["their_before"], fold(msg.text[max(0, ent["start"] - 20):ent["start"]])) \
                and any(m["value"] in ("spouse", "partner") and m["end"] <= ent["start"] for m in mentions)
            if not step and (search("not_companion", msg.text[max(0, ent["start"] - 30):ent["start"]])
                              or re.match(lex["not_companion_after"],
                                          msg.text[ent["end"]:ent["end"] + 4])
                              or re.match(lex["bystander_after"], fold(msg.text[ent["end"]:ent["end"] + 40]))
                              or re.match(lex["own_after"], fold(msg.text[ent["end"]:ent["end"] + 60]))
                              or (ent["value"] in ("parent", "other")
                                  and re.match(lex["taker_after"], fold(msg.text[ent["end"]:ent["end"] + 45])))):
                continue  # "chez ses parents", "my brother's wedding": not someone travelling
            label = ent.get("role") or "other"
            if ent["value"] == "spouse" and matches("widowed", msg.text):
                self._use(ent)
                continue  # "seit letztem Jahr verwitwet, früher hat mein Mann …": no traveller
            if asked_early and (search("remove_person", fold(msg.text[ent["end"]:ent["end"] + 30]).split(",")[0])
                                or re.match(lex["stays_home_after"], fold(msg.text[ent["end"]:ent["end"] + 60]))):
                self._use(ent)
                self.staying.append(ent)
                continue  # "je pars avec mes 2 enfants, mon mari ne vient pas": not a traveller
            if ent["value"] == "parent" and (re.search(lex["their_before"], fold(msg.text[max(0, ent["start"] - 20):ent["start"]]))
                                             or fold(msg.text[ent["start"]:ent["end"]]).split()[0] in lex["their_words"]) \
                    and any(m["value"] in ("spouse", "partner") for m in mentions):
                self._use(ent)
                continue  # "Rayan comes later with his father … my husband": the spouse, said twice
            if label in files_own and ent["start"] < own.start():
                self._use(ent)
                continue  # "mein Mann … macht seinen Antrag selber": not on this request
            twin = self._listed(msg, ent)
            if twin is not None:
                # "my wife Amra decided to come too, her number is …": she is on the request already
                self._use(ent)
                if id(twin) not in self.restored:
                    self._already(twin)
                continue
            known = [p for p in self.s["persons"] if p.get("label") == label]
            before = folded[:ent["start"]].split()
            count = counts.get(before[-1], 0) if before else 0
            if not count and len(before) > 1 and before[-1] in ("of", "de", "d", "von"):
                count = counts.get(before[-2], 0)  # "both of my children"
            said = fold(msg.text[ent["start"]:ent["end"]]).split()
            if not count and said and said[-1] in lex["pairs"]:
                count = 2  # "mes jumeaux", "the twins"
            if not count:  # "mes deux garçons", "the two youngest": the number is part of the relative
                count = next((counts[w] for w in said if w in counts), 0)
            plural = label in ("children", "daughters", "sons")
            if plural and not count:  # "mit meinen Kindern Noah und Mila": as many as the names said
                count = len(self._name_list_after(msg, ent, 0))
            wanted = count or 1  # "nos enfants" without a number: one now, "anyone else?" asks for more
            if not force and len(known) >= wanted:
                continue  # already on the list ("ma fille" said again)
            named_now = {fold(n) for n in self._names_after(msg, ent)[:1]}
            if not count and any(label in GENERIC.get(p.get("label"), ())
                                 and not (named_now and fold(p.get("first_name") or "") not in named_now)
                                 for p in self.s["persons"] if id(p) in self.introduced):
                self._use(ent)
                continue  # "ma fille Lina …, c'est mon enfant": the daughter just named (not "our little one Ilyas")
            ranked = bool(set(said) & set(lex["rank_words"]))
            generic = [p for p in self.s["persons"] if not plural and p.get("label") in GENERIC.get(label, ())
                       and not p.get("first_name") and not p.get("matricule")
                       and not (ranked and id(p) in self.ranked)]  # "the two youngest … our eldest": three
            if generic and not force:
                generic[0]["label"] = label  # "mes deux enfants ... ma fille": one of the two
                self._inline_details(msg, ent, generic[0])  # "… und ihr kleiner Bruder Paul": named
                self._use(ent)
                continue
            missing = wanted if force else wanted - len(known)
            listed = self._name_list_after(msg, ent, missing) if missing > 1 else []
            for k in range(missing):
                person = P.new_person(label)
                if missing == 1 and not plural:
                    self._inline_details(msg, ent, person)
                elif k < len(listed):
                    person["first_name"] = listed[k]  # "nos trois enfants Deniz, Elif et Can"
                self.s["persons"].append(person)
                self.introduced.add(id(person))
                if ranked:
                    self.ranked.add(id(person))
                added = True
            self._use(ent)
            if added and self.old.get("requested_slot") not in (None, "more_people", "requester_travels"):
                self.changes.append(Say("utter_person_to_add", P.who(label, self.lang)))
                self.s["more_people_done"] = None
        if added:
            self.took = True
        return added

    def _ages(self, msg: Message) -> None:
        """Ages said with the persons ("Wir sind fünf: ich (44), mein Mann Dario (46), Luka (18),
        Mia (13) und Ivan (9)", "ma fille Lina (11 ans)"): kept with each person, to tell later
        whose number a number is; a first name with an age that no relative introduced is one more
        person (a child when under age, or young enough to be the requester's)."""
        lex = load("lexicon")["request"]
        spec = load("relations")["age_check"]
        mine: Optional[int] = None
        *plain, bare = lex["age_after"]
        found = [m for pattern in plain for m in re.finditer(pattern, msg.text)]
        if found:  # "Tiago who is 15, Sara 12 and …": a bare number after a name only among other ages
            found += [m for m in re.finditer(bare, msg.text) if fold(m.group("word")) not in lex["age_not_names"]]
        found.sort(key=lambda m: m.start())
        for m in found:
            word, age = m.group("word"), int(m.group("age"))
            folded = fold(word)
            if folded in lex["me_words"]:
                mine = age
                continue
            rel = next((e for e in msg.all("relation") if e["end"] <= m.start("word") + len(word)
                        and e["end"] >= m.start("word") - 1), None)
            if rel is not None and fold(msg.text[rel["start"]:rel["end"]]).split()[-1:] == [folded]:
                # "mon fils (16)": the son's age
                owners = [p for p in self.s["persons"] if p.get("label") == rel.get("role") and not p.get("age")]
                if owners:
                    owners[0]["age"] = age
                continue
            if not word[:1].isupper() or folded in lex["inline_name_not"] or countries.find(word) \
                    or folded in dates.MONTHS or folded in dates.WEEKDAYS:
                continue
            listed = [p for p in self.s["persons"] if fold(p.get("first_name") or "").split()[:1] == [folded]]
            if listed:
                listed[0]["age"] = age
                continue
            if fold(self.s.get("req_first_name") or "") == folded:
                continue
            unnamed = [p for p in self.s["persons"] if not p.get("first_name") and p.get("age") is None
                       and p.get("relation") in (None, "child")]
            if unnamed:  # "mes trois enfants : Lina (11 ans) et Adam (7 ans) …": the children said before
                unnamed[0]["first_name"], unnamed[0]["age"] = word, age
                continue
            young = age < spec["adult_min_age"] + 2 or (mine is not None and mine - age >= spec["child_after_years"] + 4)
            person = P.new_person("child" if young else None, first_name=word, age=age)
            self.s["persons"].append(person)
            self.introduced.add(id(person))
            self.took = True

    def _names_after(self, msg: Message, ent: dict) -> List[str]:
        """The capitalised names just after a relative ("ma fille Lina", "my daughter Sofia Amrani")."""
        lex = load("lexicon")["request"]
        tail = msg.text[ent["end"]:]
        words = re.match(r"\s*,?\s*([^\W\d_][\w'’-]*)(?:\s+([^\W\d_][\w'’-]*))?", tail)
        others = [e for e in msg.entities if e is not ent and e["entity"] not in ("language", "person_name")]
        taken: List[str] = []
        if words:
            for index in (1, 2):
                word = words.group(index)
                start = ent["end"] + words.start(index) if word else None
                if not word or not word[:1].isupper() or fold(word) in lex["inline_name_not"] \
                        or any(e["start"] <= start < e["end"] for e in others):
                    break
                taken.append(word)
            if taken and self.lang == "de" and not re.match(
                    lex["inline_name_next_de"], fold(tail[words.end(len(taken)):])):
                taken = []
            if taken and re.match(lex["copula_after"], fold(tail[words.end(len(taken)):])):
                taken = []  # "Sara is my wife, Tom is our son": Tom is the next clause's subject
        return taken

    def _name_list_after(self, msg: Message, ent: dict, count: int) -> List[str]:
        """The first names listed right after a plural relative ("nos trois enfants Deniz, Elif et
        Can", "my twins Luca and Elena"): all of them, or none when they are not `count` (0: any
        number of two or more, "with my kids (Noah and Mila)")."""
        lex = load("lexicon")["request"]
        m = re.match(r"\s*[:(]?\s*((?:[^\W\d_][\w'’-]*\s*(?:,|\bet\b|\band\b|\bund\b)\s*)+[^\W\d_][\w'’-]*)",
                     msg.text[ent["end"]:])
        if not m:
            return []
        names = [w for w in re.split(r"\s*(?:,|\bet\b|\band\b|\bund\b)\s*", m.group(1)) if w]
        if (len(names) != count if count else len(names) < 2) or any(not w[:1].isupper() or fold(w) in lex["inline_name_not"] for w in names):
            return []
        return names

    def _name_before(self, msg: Message, ent: dict) -> List[str]:
        """The first name (and last name) said just before a relative with a copula ("Lina est ma
        femme", "Tom is our son", "Anna ist meine Frau, Ben unser Sohn", "Noah Feller, mein Sohn")."""
        lex = load("lexicon")["request"]
        at = max(0, ent["start"] - 40)
        m = re.search(lex["copula_before"], msg.text[at:ent["start"]])
        if not m:
            return []
        names = [n for n in (m.group("name"), m.group("last")) if n]
        for n in names:
            if fold(n) in lex["inline_name_not"] or countries.find(n) or fold(n) in dates.MONTHS \
                    or fold(n) in dates.WEEKDAYS:
                return []  # "nach Tunesien, meine Frau und ich": a place, not a name
        if any(e["start"] < at + m.end() and e["end"] > at + m.start("name") for e in msg.entities
               if e is not ent and e["entity"] not in ("language", "person_name")):
            return []
        return names

    @staticmethod
    def _relative_before(msg: Message, num: dict) -> Optional[dict]:
        """The relative an identification number is said right after ("ma fille, matricule …"), or None."""
        gap = int(load("lexicon")["request"]["inline_number_gap"])
        near = [r for r in msg.all("relation") if r["end"] <= num["start"] <= r["end"] + gap]
        return max(near, key=lambda r: r["end"]) if near else None

    def _inline_details(self, msg: Message, ent: dict, person: dict) -> None:
        """Names and number said right after the relative ("my daughter Sofia Amrani (her number
        …)", "ma fille Lina, matricule …"): that person's, never the requester's."""
        taken = self._names_after(msg, ent) or self._name_before(msg, ent)
        if taken:
            person["first_name"] = taken[0]
            if len(taken) == 2:
                person["last_name"] = taken[1]
        for num in self._free(msg, "matricule"):
            if self._relative_before(msg, num) is ent:
                try:
                    number = matricule_mod.validate(num["value"], today=self.today)
                except matricule_mod.InvalidMatricule:
                    break
                if number != self.s.get("req_matricule") and all(
                        p.get("matricule") != number for p in self.s["persons"]):
                    person["matricule"] = number
                    self._use(num)
                break

    def _named_in(self, text: str) -> List[int]:
        """Indexes of the listed persons whose first name `text` says (-1: the requester), except
        those this message itself adds ("ma fille Lina" introduces Lina, it does not target her)."""
        return [i for i in P.find_by_name(self.s, _words(text))
                if i < 0 or id(self.s["persons"][i]) not in self.introduced]

    def _listed(self, msg: Message, ent: dict) -> Optional[dict]:
        """A listed person that a relative of the message is, by first name or number."""
        digits = set(re.findall(r"\d{13}", re.sub(r"[ .-]", "", msg.text)))
        named = set(self._named_in(msg.text[max(0, ent["start"] - 40):ent["end"] + 40]))
        for index, person in enumerate(self.s["persons"]):
            if id(person) in self.introduced or person.get("relation") not in (None, ent["value"]):
                continue
            if index in named or (person.get("matricule") and person["matricule"] in digits):
                return person
        return None

    def _already(self, person: dict) -> None:
        said = Say("utter_person_already_on_request", P.named(person, self.lang))
        if said not in self.changes:
            self.changes.append(said)
        self.took = True

    def _targets(self, msg: Message, allow_me: bool = False) -> List[int]:
        """The persons a message is about: named by first name or by relation; -1 is the requester."""
        found = set(self._named_in(msg.text))
        for ent in self._free(msg, "relation"):
            label = ent.get("role")
            name = self._names_after(msg, ent)[:1]
            if name:
                # "ma fille Mia": Mia only; "mon fils Théo ne vient plus": a Théo not on the request
                named = [i for i in self._named_in(name[0]) if i >= 0]
                found.update(named)
                if not named:
                    self.strangers.append(name[0])
                self._use(ent)
                continue
            same = [i for i, p in enumerate(self.s["persons"]) if p.get("label") == label]
            if not same:  # "ma fille" when the list says "mon enfant": not the son
                same = [i for i, p in enumerate(self.s["persons"]) if p.get("relation") == ent["value"]
                        and not P.sex_differs(label, p.get("label"))]
            if same:
                found.update(same)
                self._use(ent)
        if allow_me and not found and matches("me", msg.text) and P.travels(self.s):
            found.add(-1)
        return sorted(found)

    def _remove(self, target: int) -> None:
        if target == -1:
            if not self.s["persons"]:
                self.tell("utter_cannot_remove_only_traveller")
                self.refused = True
                return
            self.s["requester_travels"] = False
            self.changes.append(Say("utter_requester_not_travelling", {}))
        else:
            person = self.s["persons"].pop(target)
            self.s["removed_persons"] = (self.s["removed_persons"] + [person])[-MAX_REMOVED:]
            self.changes.append(Say("utter_person_removed", P.named(person, self.lang)))
        self.took = True

    def _restore(self, msg: Message) -> None:
        """A person taken off earlier who comes after all ("Remettez Noé", "put Tarik back", "Jonas
        kommt doch mit"): back on the request with what was known of them, their name and number
        in the message taken as theirs (not as a new person, nor as a correction of someone else)."""
        gone = self.s["removed_persons"]
        if not gone or not (matches("restore", msg.text) or (
                (matches("add_person", msg.text) or matches("comes_along", msg.text))
                and not matches("remove_person", msg.text))):
            return
        words = set(_words(msg.text))
        digits = set(re.findall(r"\d{13}", re.sub(r"[ .-]", "", msg.text)))
        back = [p for p in gone if (p.get("first_name") and all(w in words for w in fold(p["first_name"]).split()))
                or (p.get("matricule") and p["matricule"] in digits)]
        relations = self._free(msg, "relation")
        if not back:  # "mon fils vient finalement": the one son taken off, when none is listed
            listed = {p.get("label") for p in self.s["persons"]}
            for ent in relations:
                same = [p for p in gone if p.get("label") == ent.get("role") and p not in back]
                if len(same) == 1 and ent.get("role") not in listed:
                    back.append(same[0])
        for person in back:
            gone.remove(person)
            self.s["persons"].append(person)
            self.restored.add(id(person))
            self.changes.append(Say("utter_person_restored", P.named(person, self.lang)))
            self.took = True
            for ent in relations:
                if ent.get("role") == person.get("label") or ent["value"] == person.get("relation"):
                    self._use(ent)
            for ent in msg.all("matricule"):
                if re.sub(r"\D", "", str(ent["value"])) == person.get("matricule"):
                    self._use(ent)
            for ent in msg.all("person_name"):
                if fold(str(ent["value"])).split()[:1] == fold(person.get("first_name") or "").split()[:1]:
                    self._use(ent)

    # ------------------------------------------------------------- places and dates said out of turn
    def _places(self, msg: Message, q: Optional[Q.Question]) -> None:
        homes = [e for e in self._free(msg, "country") if e.get("role") == "residence" and not e.get("negated")]
        for ent in self._free(msg, "country"):
            if ent.get("negated"):
                self._use(ent)
            elif ent.get("role") == "residence":
                self._use(ent)
                if ent is not homes[-1]:
                    continue  # "Wasserbillig... nee, auf der deutschen Seite": the last one said stands
                if ent["value"] != self.s.get("residence"):
                    old = self.s.get("residence")
                    self.s["residence"] = ent["value"]
                    self._changed("utter_changed_residence", old and wording.country_name(old, self.lang),
                                  wording.country_name(ent["value"], self.lang))
                elif q is None or q.name != "residence":  # "on habite en Belgique maintenant": it already was
                    self.changes.append(Say("utter_unchanged_value",
                                            {"value": wording.country_name(ent["value"], self.lang)}))
        goes = [e for e in self._free(msg, "country") if e["value"] != "LU" and e.get("role") not in NOT_GOING]
        if len({e["value"] for e in goes}) > 1:
            subjects = [tuple(self._clause_subjects(msg, e)) for e in goes]
            whose: Dict[str, set] = {}
            for ent, targets in zip(goes, subjects):
                whose.setdefault(ent["value"], set()).add(targets)
            if any(subjects) and all(len(v) == 1 for v in whose.values()) \
                    and len({next(iter(v)) for v in whose.values()}) == len(whose) \
                    and self.s.get("residence") not in whose \
                    and not search("place_instead", msg.text):  # (the country one lives in is no trip; "on a
                # pris le Maroc à la place" replaces the place for everyone)
                # "je pars au Maroc, ma femme en Tunisie", "nach Sousse in Tunesien … mein Mann … in
                # Marokko": each place goes to whom its clause names (the shared trip first)
                for ent, targets in sorted(zip(goes, subjects), key=lambda x: bool(x[1])):
                    self._use(ent)
                    self._set_trip(list(targets), "destination", ent["value"])
                return
        if len({e["value"] for e in goes}) > 1 and not search(
                "date_repair", fold(msg.text[goes[0]["start"]:goes[-1]["start"]])):
            # "d'abord deux semaines en Turquie, puis trois jours en Grèce": a round trip; the request
            # is for the place that needs the certificate (the others were answered as questions)
            needs = [e for e in goes if rules.explain(e["value"], self.s.get("profile") or "stay",
                                                      self.lang).eligible_for_online_request]
            if len({e["value"] for e in needs}) == 1:
                goes = [e for e in goes if e not in needs] + needs[-1:]
        for ent in goes[:-1]:
            self._use(ent)  # "au Maroc ou plutôt en Tunisie": the last place said stands
        for ent in goes[-1:]:
            self._use(ent)
            targets = self._targets(msg)
            if q is not None and q.name not in EARLY and targets \
                    and len(re.split(load("lexicon")["request"]["sentence"], msg.text.strip())) > 1:
                # "mon mari me dit qu'on a réservé en Tunisie … Donc c'est la Tunisie": whom the
                # place's own sentence names, not everyone the message names
                targets = [t for t in self._clause_subjects(msg, ent, sentence=True)
                           if id(self.s["persons"][t]) not in self.introduced]
                own = fold(msg.text)[self._clause_start(msg, ent):ent["start"]]
                if targets and not self._clause_subjects(msg, ent) and search("everyone", own):
                    targets = []  # "my wife found a better deal: we go to Tunisia instead": everyone
            if q is not None and q.scope == "person" and not targets:
                targets = [self.cur_index()]
            if q is None and not self.s.get("destination") and self.s.get("requester_travels") is not False \
                    and len({e["value"] for e in goes}) == 1:
                targets = []  # "je voudrais emmener mes deux enfants en Turquie": the trip of all
            self._set_trip(targets, "destination", ent["value"])

    def _date_subjects(self, msg: Message, said: List[dict], opening: bool = False) -> List[tuple]:
        """Whom each date of a message is about: the persons its clause names ("…, lui il rentre le
        28"); else those its sentence names ("bei Luka stimmt die Rückreise nicht, am 29."), unless
        a later date of the sentence has a clause of its own ("je pars avec mon fils du 10 au 24,
        lui il rentre le 28": the 10–24 is the shared trip)."""
        own = [tuple(self._clause_subjects(msg, e)) for e in said]
        folded = fold(msg.text)
        spec = load("lexicon")["request"]
        for i in range(1, len(said)):
            # "meine Tochter kommt am 24. nach und fliegt am 5. schon wieder heim": a clause without a
            # subject of its own goes on with the one before it
            start = self._clause_start(msg, said[i])
            if not own[i] and own[i - 1] and re.search(spec["subjectless_and"], folded[max(0, start - 6):start]) \
                    and not re.search(spec["speaker"], folded[start:said[i]["start"]]) \
                    and self._sentence_start(msg, said[i]) == self._sentence_start(msg, said[i - 1]):
                own[i] = own[i - 1]
        for i, ent in enumerate(said):
            # "…, notre fils Adam rentre plus tôt, le 17 avril": a clause that is only a date goes on
            # with the clause before it when that one names someone and has no date of its own
            start = self._clause_start(msg, ent)
            if own[i] or start == 0 or not re.fullmatch(spec["date_only_clause"], folded[start:ent["start"]]):
                continue
            before = {"start": start - 1}
            head = self._clause_start(msg, before)
            if self._sentence_start(msg, before) == self._sentence_start(msg, ent) \
                    and not any(head <= e["start"] < start for e in msg.entities
                                if e["entity"] in ("date", "date_range", "duration")):
                own[i] = tuple(self._clause_subjects(msg, before))
        sentence = [tuple(self._clause_subjects(msg, e, sentence=True)) for e in said]
        if opening:
            # "ich (Youssef) und meine Frau Samira, Abflug am 3., Rückflug am 24.": the speaker is in
            # the sentence, so its dates are the trip they share
            sentence = [() if self._speaker_leads(msg, self._sentence_start(msg, e), e["start"])
                        else sentence[i] for i, e in enumerate(said)]
            # "me and our little one Ilyas follow a week later": the speaker's own trip
            mine = [self._speaker_leads(msg, self._clause_start(msg, e), e["start"]) for e in said]
            own = [() if mine[i] else own[i] for i in range(len(said))]
            sentence = [() if mine[i] else sentence[i] for i in range(len(said))]
        else:
            # "Ma femme et moi rentrons le 24, seul Adam rentre le 17": the speaker's own trip too
            own = [own[i] + (-1,) if own[i] and re.search(spec["speaker_with"], folded[self._clause_start(msg, e):e["start"]])
                   else own[i] for i, e in enumerate(said)]
        ends = [self._sentence_start(msg, e) for e in said]
        return [own[i] or (() if any(own[j] and ends[j] == ends[i] for j in range(i + 1, len(said)))
                           else sentence[i])
                for i in range(len(said))]

    @staticmethod
    def _sentence_start(msg: Message, ent: dict) -> int:
        start = 0
        for m in re.finditer(load("lexicon")["request"]["sentence"], fold(msg.text)[:ent["start"]]):
            start = m.end()
        return start

    @staticmethod
    def _speaker_leads(msg: Message, start: int, end: int) -> bool:
        """Whether the speaker is a subject of text[start:end]: named before any relative ("ich und
        meine Frau", "me and our little one"), or joined to one ("my wife and I"); not as an object
        ("mon mari nous rejoint", "joins us")."""
        spec = load("lexicon")["request"]
        folded = fold(msg.text)[start:end]
        me = re.search(spec["speaker"], folded)
        if me is None:
            return False
        if re.search(spec["speaker_joined"], folded):
            return True
        first_rel = min((r["start"] - start for r in msg.all("relation") if start <= r["start"] < end), default=None)
        return first_rel is None or me.start() < first_rel

    @staticmethod
    def _clause_start(msg: Message, ent: dict, sentence: bool = False) -> int:
        """Where the clause (or the sentence) of `ent` starts."""
        spec = load("lexicon")["request"]
        folded = fold(msg.text)
        bounds = list(re.finditer(spec["sentence"] if sentence else spec["clause"], folded[:ent["start"]]))
        start = bounds[-1].end() if bounds else 0
        if not sentence and bounds and re.fullmatch(r"\s*(et|and|und|sowie)\s*", bounds[-1].group(0)):
            # "My wife and Kerem still come back on the 26th": both are the subject
            before = bounds[-2].end() if len(bounds) > 1 else 0
            head = folded[before:bounds[-1].start()]
            dated = any(before <= e["start"] < bounds[-1].start() for e in msg.entities
                        if e["entity"] in ("date", "date_range", "duration"))
            if not dated and len(head.split()) <= 4:
                start = before
        return start

    def _clause_subjects(self, msg: Message, ent: dict, sentence: bool = False) -> List[int]:
        """The listed persons named in the clause (or the sentence) of `ent`, before it
        (relatives, first names, pronouns); [] for the requester or nobody in particular."""
        spec = load("lexicon")["request"]
        folded = fold(msg.text)
        start = self._clause_start(msg, ent, sentence)
        clause = folded[start:ent["start"]]
        found, companions = set(), set()
        for rel in msg.all("relation"):
            if not start <= rel["start"] < ent["start"]:
                continue
            if search("companion_before", folded[max(0, rel["start"] - 25):rel["start"]]):
                # "je pars avec mon fils (Adam) du 10 au 24": a companion, not whom the dates are about
                names = " ".join(self._names_after(msg, rel))
                clause = clause.replace(folded[rel["start"]:rel["end"]] + (" " + fold(names) if names else ""), " ")
                if rel["value"] == "parent" and re.search(spec["their_before"], folded[max(0, rel["start"] - 12):rel["start"]]):
                    # "Luka kommt mit seinem Vater am 15. nach": the other parent, the requester's spouse
                    mates = [i for i, p in enumerate(self.s["persons"]) if p.get("relation") in ("spouse", "partner")]
                    companions.update(mates if len(mates) == 1 else ())
                continue
            found.update(i for i, p in enumerate(self.s["persons"]) if p.get("label") == rel.get("role"))
        found.update(i for i in P.find_by_name(self.s, _words(clause)) if i >= 0)
        sexes = load("relations")["sex"]
        top = self._sentence_start(msg, ent)
        cursor = 0
        for word in _words(clause):
            spot = re.search(r"(?<![^\W\d_])" + re.escape(word) + r"(?![^\W\d_])", folded[start + cursor:ent["start"]])
            at = start + cursor + (spot.start() if spot else 0)  # where the word is said (the clause lost its companions)
            cursor = at - start + len(word) if spot else cursor
            labels = spec["pronouns"].get(word)
            if labels:
                # "Inês is staying on with her aunt, so she flies back on …": whom the sentence named
                # last before, when of no other sex; else the one person the pronoun can stand for
                named = [(max(hits), i) for i, p in enumerate(self.s["persons"])
                         for hits in [[m.start() for m in self._first_name_hits(folded, p) if top <= m.start() < at]]
                         if hits and (p.get("label") in labels or not sexes.get(p.get("label")))]
                match = [max(named)[1]] if named else \
                    [i for i, p in enumerate(self.s["persons"]) if p.get("label") in labels]
                if len(match) == 1:
                    found.update(match)
        if found:  # whom someone else travels with travels on the same days
            found |= companions
        return sorted(found)

    def _set_trip(self, targets: List[int], key: str, value: str, report: bool = True) -> None:
        """Set a trip field for the targets (none: the shared trip and, for a place, everyone)."""
        fmt = (lambda v: wording.country_name(v, self.lang)) if key == "destination" \
            else (lambda v: wording.format_date(v, self.lang))
        response = {"destination": "utter_changed_destination", "departure": "utter_changed_departure",
                    "return_date": "utter_changed_return"}[key]
        persons_only = [t for t in targets if t is not None and t >= 0]
        if not persons_only:
            old = self.s.get(key)
            if self.pin and key != "destination" and old:
                for person in self.s["persons"]:
                    if not person.get(key) and person.get("same_trip") is not False:
                        person[key] = old  # kept: only the requester's own date moves
                response += "_yours"
            self.s[key] = value
            if key == "destination":
                for person in self.s["persons"]:
                    person["destination"] = None
            if report:
                self._changed(response, old and fmt(old), fmt(value))
            else:
                self.took = True
            return
        for t in persons_only:
            person = self.s["persons"][t]
            old = P.trip_of(self.s, person)[key] if P.is_complete(self.s, t) else person.get(key)
            person[key] = value
            if id(person) in self.introduced and key == "return_date" and person.get("same_trip") is None \
                    and not person.get("destination"):
                # "avec mon fils du 10 au 24, lui il rentre le 28": the rest of his trip is the shared one
                person["same_trip"] = True
            if report:
                self._changed(response + "_of", old and fmt(old), fmt(value), **P.named(person, self.lang))
            else:
                self.took = True

    def _dates_said(self, msg: Message, q: Optional[Q.Question]) -> None:
        said = sorted((e for k in ("date", "date_range", "duration") for e in self._free(msg, k)),
                      key=lambda e: e["start"])
        folded = fold(msg.text)
        for e in [e for e in said if e["entity"] == "duration"]:
            clause = folded[self._clause_start(msg, e):e["end"] + 30]
            if search("midway", clause):
                # "meine Frau kommt zwischendurch für drei Wochen": how long, not from when; asked
                self._use(e)
                said.remove(e)
        if not said:
            return
        self.full = msg
        groups: Dict[tuple, List[dict]] = {}
        for e, key in zip(said, self._date_subjects(msg, said, opening=q is None)):
            groups.setdefault(key, []).append(e)
        if () in groups and self._mine_only(msg, groups[()][0], others_named=len(groups) > 1):
            self.pin = True  # "my own return was moved …": the others keep the dates they have
        if len(groups) > 1 and any(groups):
            # "bei Luka stimmt die Rückreise nicht mehr, am 29. Januar. Ich selbst bleibe beim 1. Februar":
            # each sentence's dates go to whom that sentence names
            # the persons' own dates first, so that each change is told from the date they had
            # (when there is a shared trip to read a person's single date from)
            dated = bool(self.s.get("departure") and self.s.get("return_date"))
            for key, ents in sorted(groups.items(), key=lambda kv: dated and (not kv[0] or -1 in kv[0])):
                sub = Message(msg.text, msg.intent, msg.confidence,
                              [e for e in msg.entities if e["entity"] not in ("date", "date_range", "duration")] + ents)
                # "return" or "departure" is read in the sentences of these dates only ("Tiago fliegt
                # erst am 20. nach. … zurück kommen wir beide am 4.": his date is a departure)
                self.cue_text = self._sentences_of(msg, ents)
                if key:
                    self._apply_each(sub, list(key))
                elif q is not None and q.scope == "person" and self.cur() is not None:
                    self._apply_dates(sub, self.cur(), None, report=True, index=self.cur_index())
                else:
                    self._apply_dates(sub, self.s, q.name if q else None, report=q is not None)
            self.cue_text = None
            return
        targets = self._targets(msg)
        added = [i for i, p in enumerate(self.s["persons"]) if id(p) in self.introduced]
        key = next(iter(groups)) if len(groups) == 1 else None
        if q is not None and q.name not in EARLY and added and key is not None and set(key) <= set(added) \
                and (key or not any(re.search(load("lexicon")["request"]["speaker"],
                                              fold(msg.text)[self._sentence_start(msg, e):e["start"]]) for e in said)):
            # "Mila, my daughter, has decided to come too, but only from the 13th to the 25th": the
            # dates of the person the message adds, not a change of the trip
            targets = added
        if len(targets) > 1 and len(groups) == 1 and next(iter(groups)):
            # "Inès rentre plus tôt, le 17 ; Maya et moi restons": the persons of the dates' clause
            targets = list(next(iter(groups)))
        if not targets and q is not None and q.scope == "person" and self.cur() is not None:
            targets = [self.cur_index()]
        persons_only = [t for t in targets if t >= 0]
        if q is None and self.s.get("requester_travels") is False and persons_only \
                and set(persons_only) == set(range(len(self.s["persons"]))):
            persons_only = []  # "ma mère emmène mes deux enfants … du 27 mars au 11 avril": the trip of all
        if persons_only:
            self._apply_each(msg, persons_only)
        else:
            self._apply_dates(msg, self.s, q.name if q else None, report=q is not None)

    def _apply_each(self, msg: Message, targets: List[int]) -> None:
        """The same dates for each of several persons ("Ma femme et Sarra rentrent le 25"):
        each reads them as given, not what the one before left of the message."""
        before, taken = set(self.used), set()
        for t in targets:
            self.used = set(before)
            if t < 0:  # the speaker's own trip, the shared one
                self._apply_dates(msg, self.s, None, report=True)
            else:
                self._apply_dates(msg, self.s["persons"][t], None, report=True, index=t)
            taken |= self.used
        self.used = taken | before

    def _mine_only(self, msg: Message, ent: dict, others_named: bool) -> bool:
        """Whether dates said in the first person are the requester's alone: the sentence says
        "I" (not "we") and either says "my own / only me" or another sentence gives others' dates."""
        if not self.s["persons"] or not P.travels(self.s):
            return False
        spec = load("lexicon")["request"]
        sentence = fold(msg.text)[self._sentence_start(msg, ent):ent["start"]]
        if not re.search(spec["first_person"], sentence) or matches("everyone", sentence):
            return False
        return others_named or matches("own_only", msg.text)

    def _apply_dates(self, msg: Message, target: dict, asked: Optional[str], report: bool,
                     index: Optional[int] = None) -> bool:
        """Place the dates of a message on `target` (the shared trip or a person); True if any."""
        if target is self.s:
            old_dep, old_ret = _iso(self.s.get("departure")), _iso(self.s.get("return_date"))
        else:
            trip_now = P.trip_of(self.s, target)
            old_dep, old_ret = _iso(trip_now["departure"]), _iso(trip_now["return_date"])
        new_dep, new_ret = self._read_dates(msg, asked, old_dep, old_ret)
        if new_dep is None and new_ret is None:
            return False
        for kind in ("date", "date_range", "duration"):
            for ent in self._free(msg, kind):
                self._use(ent)
        targets = [-1] if target is self.s else [index if index is not None else self.cur_index()]
        if new_dep is not None:
            self._set_trip(targets, "departure", new_dep.isoformat(), report=report)
        if new_ret is not None:
            self._set_trip(targets, "return_date", new_ret.isoformat(), report=report)
        return True

    def _said_before(self, ent: dict) -> Optional[dt.date]:
        """The last date the whole message says before `ent` (the day others leave)."""
        days = [e for e in (self.full.entities if self.full else []) if e["entity"] == "date"
                and e["start"] < ent["start"] and not e.get("negated")]
        return _iso(days[-1]["value"]) if days else None

    def _sentences_of(self, msg: Message, ents: List[dict]) -> str:
        """The text of the clause the entities stand in when it says departure or return
        ("…, notre fils Adam reste jusqu'au 31"), else of their sentences."""
        end = max(e["end"] for e in ents)
        after = re.search(load("lexicon")["request"]["sentence"], fold(msg.text)[end:])
        stop = end + (after.start() if after else len(msg.text))
        clause = msg.text[self._clause_start(msg, ents[0]):stop]
        if matches("return_date", clause) or matches("departure", clause):
            return clause
        return msg.text[self._sentence_start(msg, ents[0]):stop]

    @staticmethod
    def _without_unchanged(text: str) -> str:
        """The text without its clauses that say something stays ("Son retour ne change pas")."""
        parts = re.split(load("lexicon")["request"]["sentence"], text)
        return " ".join(p for p in parts if p and not matches("unchanged", p))

    def _read_dates(self, msg: Message, asked: Optional[str], old_dep: Optional[dt.date],
                    old_ret: Optional[dt.date]) -> Tuple[Optional[dt.date], Optional[dt.date]]:
        """The departure and return a message gives, knowing the ones already given."""
        ranges = self._free(msg, "date_range")
        rng = ranges[-1] if ranges else None  # "du 19 au 2... non, du 21 au 4": the last one stands
        dates = [e for e in self._free(msg, "date") if not e.get("negated")]  # "pas le 4": replaced
        singles = [_iso(e["value"]) for e in dates if not e.get("bare_day")]
        bare = [_iso(e["value"]) for e in dates if e.get("bare_day")]
        changing = self._without_unchanged(self.cue_text or msg.text)
        says_return = matches("return_date", changing)
        says_departure = matches("departure", changing)
        kept = self._kept(self.cue_text or msg.text)  # "Le retour ne bouge pas": that date stays
        if bare and not (old_dep or old_ret):
            singles = sorted(singles + bare)
        elif len(bare) == 1:
            # a bare "le 22" is read from today by the extractor; the dates already given know its month
            near = old_ret if old_ret and (asked == "return_date" or says_return) else (old_dep or old_ret)
            day = _day_near(bare[0].day, near, self.today)
            if day is not None:
                singles = sorted(singles + [day])
        dur = next((e for e in self._free(msg, "duration") if not e.get("since") and not e.get("approx")), None)
        days = int(dur["value"]) if dur and dur.get("value") else None
        new_dep = new_ret = None
        if rng:
            a, b = rng["value"].split("/")
            new_dep, new_ret = _iso(a), _iso(b)
            # "from February 19 to February 5": both ahead, said in the wrong order; read the right
            # way round and said so, so that a wrong reading can be corrected at once
            new_dep, new_ret = self._in_order(new_dep, new_ret, "utter_dates_swapped")
            later = [e for e in dates if e["start"] >= rng["end"] and not e.get("bare_day")]
            if later:  # "du 8 au 22... ah non, nous rentrons le 25": the date said last stands
                tail = msg.text[rng["end"]:]
                if matches("departure", tail) and not matches("return_date", tail):
                    new_dep = _iso(later[-1]["value"])
                else:
                    new_ret = _iso(later[-1]["value"])
        elif len(singles) >= 2:
            if len(singles) >= 3 and len(singles) == len(dates):
                # "le 8 janvier... non pardon : départ le 10, retour le 24", "eigentlich am 14., aber
                # jetzt: Abflug am 17., Rückflug am 6. März": the dates after the last repair stand
                cut = [i for i in range(1, len(dates)) if matches(
                    "date_repair", msg.text[dates[i - 1]["end"]:dates[i]["start"]])]
                if cut and len(dates) - cut[-1] >= 2:
                    singles = singles[cut[-1]:]
                elif cut:  # "hin am 8., zurück am 29. … ne sorry, zurück ist am 30.": the one before is taken back
                    singles = singles[:cut[-1] - 1] + singles[cut[-1]:]
            new_dep, new_ret = singles[0], singles[1]
            # "on rentre le 20 et on part le 6": two days, the earlier one is the departure
            new_dep, new_ret = self._in_order(new_dep, new_ret, "utter_noted_dates")
        elif len(singles) == 1:
            one = singles[0]
            if asked == "return_date" or (says_return and not says_departure):
                new_ret = one
            elif says_departure and not says_return:
                new_dep = one
            elif asked in ("dates", "p_dates") and old_dep and not old_ret:
                new_ret = one if one >= old_dep else None
                new_dep = one if new_ret is None else None
            elif old_dep and not old_ret:
                new_ret = one
            elif old_dep and old_ret and asked not in ("dates", "p_dates"):
                # a date alone in a change: the nearer of the two it may replace
                if abs((one - old_ret).days) < abs((one - old_dep).days) and one > old_dep:
                    new_ret = one
                else:
                    new_dep = one
            else:
                new_dep = one
        elif (msg.intent == "correct" or matches("correction", msg.text)) and days is None:
            m = DAY_ONLY.search(msg.text)
            if m and says_return and old_ret:
                new_ret = _day_near(int(m.group(1)), old_ret, self.today)
            elif m and says_departure and old_dep:
                new_dep = _day_near(int(m.group(1)), old_dep, self.today)
        if days is not None:
            delta = dt.timedelta(days=days)
            # what moves by the duration is said next to it ("deux semaines après", "a week later"),
            # not elsewhere in the message ("le 27 pour quatre semaines, et mon mari … après")
            near = msg.text[max(0, dur["start"] - 40):dur["end"] + 30]
            if new_dep is not None or new_ret is not None:
                if new_ret is None and (new_dep or old_dep) and not (matches("earlier", near)
                                                                     or matches("shift_later", near)):
                    new_ret = (new_dep or old_dep) + delta  # "le 3 avril, pour deux semaines"
            elif matches("longer", near) and old_ret:
                new_ret = old_ret + delta  # "meine Tochter bleibt eine Woche länger"
            elif matches("shorter", near) and old_ret:
                new_ret = old_ret - delta
            elif matches("earlier", near) and (old_dep or old_ret):
                if says_return and not says_departure and old_ret:
                    new_ret = old_ret - delta
                elif old_dep:
                    new_dep = old_dep - delta
                    if not says_departure and old_ret:
                        new_ret = old_ret - delta  # the whole trip moves
            elif matches("joins_later", near) and matches("shift_later", near) and (old_dep or self._said_before(dur)):
                # "mon mari nous rejoint deux semaines après": his departure only, from the others'
                # ("my wife flies on the 6th, me and the little one follow a week later")
                new_dep = (old_dep or self._said_before(dur)) + delta
            elif matches("shift_later", near) and (old_dep or old_ret):
                if says_return and not says_departure and old_ret:
                    new_ret = old_ret + delta
                elif old_dep:
                    new_dep = old_dep + delta
                    if not says_departure and old_ret:
                        new_ret = old_ret + delta
            elif old_dep:
                new_ret = old_dep + delta  # "pour trois semaines"
        if "return_date" in kept and not says_return:
            new_ret = None
        if "departure" in kept and not says_departure:
            new_dep = None
        return new_dep, new_ret

    def _in_order(self, dep: dt.date, ret: dt.date, response: str) -> Tuple[dt.date, dt.date]:
        """Two days ahead given return first: read the right way round, and `response` says so."""
        if not (ret < dep and ret > self.today):
            return dep, ret
        self.tell(response, departure=wording.format_date(ret.isoformat(), self.lang),
                  return_date=wording.format_date(dep.isoformat(), self.lang))
        return ret, dep

    @staticmethod
    def _kept(text: str) -> set:
        """The dates a clause says stay ("Le retour ne bouge pas", "Rückflug bleibt gleich")."""
        parts = re.split(load("lexicon")["request"]["unchanged_clause"], fold(text))
        kept = set()
        for part in parts:
            if part and matches("unchanged", part):
                kept |= {k for k in ("return_date", "departure") if matches(k, part)}
        return kept

    # ------------------------------------------------------------- rules
    def _check(self) -> None:
        s = self.s
        dest = s.get("destination")
        if dest:
            advice = rules.explain(dest, s.get("profile") or "stay", self.lang)
            # who may use the online request (postings included) is data: regimes.yml, via rules.explain
            if not advice.eligible_for_online_request and not (dest == "CA-QC" and not s.get("profile")):
                self._redirect(advice)
                return
        for index, person in enumerate(s["persons"]):
            code = person.get("destination")
            if code and code != dest:
                advice = rules.explain(code, s.get("profile") or "stay", self.lang)
                if not advice.eligible_for_online_request:
                    person["destination"] = None
                    self.say += topics.explain_advice(advice, self.lang).say
                    self.tell("utter_person_not_this_procedure", **P.named(person, self.lang),
                              countries=wording.online_countries(self.lang))
        lead = rules.lead_days(s.get("profile"), dest) if dest else None  # regimes.yml lead_time
        self._check_trip(s, lead)
        for person in s["persons"]:
            if person.get("departure") or person.get("return_date"):
                self._check_trip(person, None)
        cur_index = self.cur_index()
        cur = self.cur()
        if cur and cur.get("relation") and s.get("insured_status"):
            if not rules.may_request_for(s["insured_status"], cur["relation"]):
                self.tell("utter_cannot_request_for_person")
                s["persons"].pop(cur_index)
        for index, person in enumerate(s["persons"]):
            if index not in self.was_complete and P.is_complete(s, index) and id(person) not in self.restored:
                self.tell("utter_person_added", name=f"{person['first_name']} {person['last_name']}")

    def _check_trip(self, target: dict, lead: Optional[int]) -> None:
        dep, ret = _iso(target.get("departure")), _iso(target.get("return_date"))
        if target is not self.s:
            shared = P.trip_of(self.s, target)
            dep, ret = _iso(shared["departure"]), _iso(shared["return_date"])
        for code in trip.check(dep, ret, self.today, lead_days=lead):
            if code == "departure_past":
                target["departure"] = target["return_date"] = None
                self.tell("utter_invalid_departure_past")
            elif code == "return_past":
                target["return_date"] = None
                self.tell("utter_invalid_return_past")
            elif code == "return_before_departure":
                target["return_date"] = None
                self.tell("utter_invalid_return_before_departure")
            elif code == "too_far":
                target["departure"] = target["return_date"] = None
                self.tell("utter_invalid_date_too_far")
            elif code == "lead_time" and target is self.s and not self.s.get("lead_warned"):
                self.s["lead_warned"] = True
                self.tell("utter_lead_time_warning", days=lead)
            if code != "lead_time":
                self.changes = [c for c in self.changes if not c.response.startswith(
                    ("utter_changed_departure", "utter_changed_return"))]
                if target is not self.s:
                    # a person's own date against the shared one ("reste jusqu'au 31" read as a
                    # departure): their dates are asked again, never warned about at every turn
                    target["departure"] = target["return_date"] = None
                    target["same_trip"] = None

    def _redirect(self, advice, end: bool = False) -> None:
        """A destination this request does not cover: what applies there; at the opening the
        request ends, later the destination is asked again and nothing else is lost."""
        self.say += topics.explain_advice(advice, self.lang).say
        rejected = self.s.get("destination")
        kept = self.old.get("destination")
        self.s["destination"] = kept if self.old.get("requested_slot") and kept != rejected else None
        self.changes = [c for c in self.changes if not c.response.startswith("utter_changed_destination")]
        if end or self.old.get("requested_slot") is None:
            self.s["destination"] = None
            self.tell("utter_request_not_this_procedure", countries=wording.online_countries(self.lang))
            self.outcome = "redirect"
        elif not self.s["destination"]:  # (a destination this request covers stays: nothing to ask)
            self.tell("utter_destination_not_this_procedure", countries=wording.online_countries(self.lang))

    # ------------------------------------------------------------- asking and the summary
    def _ask(self, name: str) -> None:
        s = self.s
        q = Q.BY_NAME[name]
        params: Dict[str, Any] = {}
        cur = self.cur()
        first = P.named(s["persons"][0] if s["persons"] else {}, self.lang)
        if q.scope == "person" or name == "insured_status":
            params.update(P.named(cur or {}, self.lang))
            params["first"], params["first_gen"] = first["who"], first["who_gen"]
        elif q.about_traveller and not P.travels(s):
            params.update(first)
        if name == "more_people" and s["persons"]:
            self.tell("utter_q_more_people_again")
            return
        if name == "consent":
            params["cnpd"] = ", ".join(rules.contact("cnpd")["address"])
        if name == "return_date":
            params["departure"] = wording.format_date(s["departure"], self.lang)
        if name == "p_same_trip":
            params["destination"] = wording.country_name(s["destination"], self.lang)
        if name == "requester_travels":
            params.update(first)
        self.tell(q.response(s), **params)

    def _summary(self) -> None:
        if self.s.get("summary_shown"):
            return
        self.s["summary_shown"] = True
        lang, s = self.lang, self.s
        self.tell("utter_summary_requester", fund=rules.fund_label(s["fund"], lang),
                  first_name=s["req_first_name"], last_name=s["req_last_name"],
                  matricule=s["req_matricule"], residence=wording.country_name(s["residence"], lang),
                  email=s["email"])
        if not P.travels(s):
            self.tell("utter_summary_requester_not_travelling")
        for person in dossier_persons(s):
            self.tell("utter_summary_person", first_name=person["first_name"], last_name=person["last_name"],
                      matricule=person["matricule"], relation=wording.relation_word(person["relation"], lang),
                      destination=wording.country_name(person["destination"], lang),
                      departure=wording.format_date(person["departure"], lang),
                      return_date=wording.format_date(person["return_date"], lang),
                      form=person["form"] or "—")
        received = [a.get("name") or a.get("type") for a in s["attachments"] if a.get("status") == "received"]
        if received:
            self.tell("utter_summary_attachments_received", names=", ".join(received))
        if any(a.get("status") != "received" for a in s["attachments"]):
            self.tell("utter_summary_attachments")


def asks_status(text: str) -> bool:
    """"Où en est ma demande ?": a question about the status of earlier dossiers."""
    return matches("status_question", text)


def step(slots: Dict[str, Any], msg: Message, today: Optional[dt.date] = None,
         earlier: Optional[List[Message]] = None) -> Step:
    """Apply one user message to the request; see the module docstring. `earlier`: when the
    request starts on a bare "yes" to an offer, the messages before it, which said the trip
    ("mon fils part étudier au Québec, je ne pars pas"): read first, so that nothing said is lost."""
    today = today or dt.date.today()
    if slots.get("requested_slot") is None and earlier and not Flow._content(msg):
        said: List[Say] = []
        current = dict(slots)
        changed: Dict[str, Any] = {}
        for before in earlier:
            first = Flow(current, today)
            first._absorb(before, None)
            delta = {k: v for k, v in first.s.items() if current.get(k) != v}
            current.update(delta)
            changed.update(delta)
        result = Flow(current, today).run(msg, None)
        return Step({**changed, **result.slots}, said + result.say, result.ask, result.outcome)
    flow = Flow(slots, today)
    return flow.run(msg, slots.get("requested_slot"))


def dossier_persons(slots: Dict[str, Any]) -> List[dict]:
    """The travellers, requester first when they travel, each with the form for the destination."""
    out = []
    for person in P.travellers(slots):
        out.append({key: person.get(key) for key in ("matricule", "last_name", "first_name", "relation")
                    + P.TRIP} | {"form": rules.form_for(person["destination"]) if person.get("destination") else None})
    return out
