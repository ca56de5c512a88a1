"""Masking personal data in log records: identification numbers, e-mails, names.

What is masked, in every record's message and traceback:

* identification numbers ("matricules"): 13 digits, also written with spaces,
  dots or no-break spaces between them ("1985 0412 123 93", "1985.04.12.123.93");
  a longer run of digits is masked whole when it holds a valid matricule
  (check digits and birth date), so "352 1985041212393" is caught while a
  timestamp such as 1700000000.123456 is kept;
* e-mail addresses;
* names given in slots: the value of every name key (``req_last_name``,
  ``req_first_name``, ``last_name``, ``first_name``, ``given_name``,
  ``family_name``, ``person_name``) in the forms Rasa and rasa-sdk log them
  (``key: value``, ``'key': 'value'``, ``"key": "value"``, ``key=value``,
  ``SlotSet(key: req_last_name, value: Dupont)``, ``{'event': 'slot', 'name':
  'req_last_name', 'value': 'Dupont'}``, entities ``{'entity': 'person_name',
  'value': 'Marie Dupont'}``). Each name seen that way is remembered (at most
  ``MAX_REMEMBERED`` per process) and masked wherever it appears afterwards, e.g.
  in a user message logged later. A name logged before any slot held it (the
  user's bare answer "Dupont" at DEBUG level) cannot be recognised: run
  production at INFO level, where Rasa does not log message texts;
* what the person wrote, where the log says so (``"text"``, ``"parse_data_text"``,
  ``"user_text"``, ``"message"``... as quoted keys, ``UserUttered(text: ...)``,
  ``Received user message '...'``): replaced by ``<text>``, which also covers
  a bare name answered at DEBUG level (``LOGMASK_KEEP_TEXT=1`` keeps them, for
  debugging on test data only).

Two ways to install it, both used in production (see docs/production.md):

* ``MaskingFilter`` on handlers (``logging.Filter``): masks what those
  handlers write;
* ``install()``: a log-record factory masking every record when it is made,
  whatever handler writes it later (Rasa replaces the root handler with
  coloredlogs' after reading ``--logging-config-file``). ``configured_filter``
  does both, for a dictConfig YAML (``deploy/logging.yml``)::

      filters:
        mask:
          (): bot.logmask.configured_filter
"""
from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from typing import Iterable, Optional

MATRICULE_MASK = "<matricule>"
EMAIL_MASK = "<email>"
NAME_MASK = "<name>"
NAME_KEYS = ("req_last_name", "req_first_name", "last_name", "first_name", "given_name", "family_name",
             "person_name")
MAX_REMEMBERED = 2000
TEXT_MASK = "<text>"
# structured-log keys whose value is what the person wrote (Rasa's own anonymizer list, in part)
TEXT_KEYS = ("text", "user_text", "parse_data_text", "message", "user_message", "json_message", "token_text",
             "response_text")

# digits with at most one separator (space, dot, no-break space) between two digits
_DIGIT_RUN = re.compile(r"\d(?:[ .\u00a0\u202f]?\d)*")
_SEPARATORS = re.compile(r"[ .\u00a0\u202f]")
_EMAIL = re.compile(r"[\w.!#$%&*+/=?^~-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)
_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""


def _digits_to_mask(run: str) -> bool:
    digits = _SEPARATORS.sub("", run)
    if len(digits) == 13:
        return True
    if len(digits) < 13:
        return False
    from bot.validators import matricule

    return any(matricule.is_valid(digits[i:i + 13]) for i in range(len(digits) - 12))


_TEXT_PATTERNS = [
    # "parse_data_text": "Dupont" / 'text': 'Dupont' (quoted keys only: JSON and dict reprs)
    re.compile(r"""((['"])(?:%s)\2\s*:\s*)(%s)""" % ("|".join(TEXT_KEYS), _QUOTED)),
    # UserUttered(text: Dupont, intent: inform, ...) and "Received user message 'Dupont' with intent"
    re.compile(r"""(UserUttered\(text:\s*)(.*?)(?=, intent:)"""),
    re.compile(r"""(Received user message\s*)(%s)""" % _QUOTED),
    # the policies' states: "[state 3] user text: Dupont | previous action name: ..."
    re.compile(r"""(\buser text:\s*)(.*?)(?= \| |\\n|\n|"|$)"""),
]


def mask_texts(text: str) -> str:
    """What the person wrote, where a log names it as such (set LOGMASK_KEEP_TEXT=1 to keep it)."""
    if os.environ.get("LOGMASK_KEEP_TEXT") == "1":
        return text

    def repl(match: re.Match) -> str:
        value = match.groups()[-1]
        if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) >= 2:
            return match.group(1) + value[0] + TEXT_MASK + value[0]
        return match.group(1) + TEXT_MASK

    for pattern in _TEXT_PATTERNS:
        text = pattern.sub(repl, text)
    return text


def mask_numbers(text: str) -> str:
    return _DIGIT_RUN.sub(lambda m: MATRICULE_MASK if _digits_to_mask(m.group(0)) else m.group(0), text)


def mask_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_MASK, text)


class NameMasker:
    """Masks the values of name keys, and remembers them to mask them anywhere later."""

    def __init__(self, keys: Iterable[str] = NAME_KEYS, max_remembered: int = MAX_REMEMBERED):
        self.keys = tuple(keys)
        self.max_remembered = max_remembered
        self._names: "OrderedDict[str, None]" = OrderedDict()
        self._lock = threading.Lock()
        self._known: Optional[re.Pattern] = None
        k = "|".join(re.escape(key) for key in sorted(self.keys, key=len, reverse=True))
        q = _QUOTED
        self._patterns = [
            # {'event': 'slot', 'name': 'req_last_name', 'value': 'Dupont'} / {'entity': 'person_name', ... 'value': 'X'}
            re.compile(rf"""(['"](?:name|entity|key)['"]\s*:\s*['"](?:{k})['"][^{{}}]*?['"]value['"]\s*:\s*)({q})"""),
            re.compile(rf"""(['"]value['"]\s*:\s*)({q})(?=[^{{}}]*?['"](?:name|entity|key)['"]\s*:\s*['"](?:{k})['"])"""),
            # SlotSet(key: req_last_name, value: Dupont)
            re.compile(rf"""(\bkey:\s*(?:{k}),\s*value:\s*)({q}|[^)\n]*)"""),
            # "req_last_name": "Dupont" / 'last_name': 'Dupont' / req_last_name: Dupont / last_name=Dupont
            re.compile(rf"""((?:(?<=\\[ntr])|(?<![\w]))['"]?(?:{k})['"]?\s*[:=]\s*)({q}|[^\s,;'"{{}}()\[\]<>\\][^\s,;"{{}}()\[\]<>\\]*(?:[ \t][^\s,;:'"{{}}()\[\]<>=\\][^\s,;:"{{}}()\[\]<>=\\]*(?![:=\w]))*)"""),
        ]

    def remember(self, *names: str) -> None:
        changed = False
        with self._lock:
            for name in names:
                name = (name or "").strip().strip("'\"").strip()
                if len(name) < 2 or name == NAME_MASK or name in ("None", "null", "[]"):
                    continue
                if name not in self._names:
                    changed = True
                self._names[name] = None
                self._names.move_to_end(name)
                while len(self._names) > self.max_remembered:
                    self._names.popitem(last=False)
                    changed = True
            if changed:
                self._known = None

    def _known_pattern(self) -> Optional[re.Pattern]:
        with self._lock:
            if self._known is None and self._names:
                parts = []
                for name in sorted(self._names, key=len, reverse=True):
                    parts.append(re.escape(name))
                    parts.extend(re.escape(word) for word in name.split() if len(word) >= 3 and word != name)
                self._known = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
            return self._known

    def __call__(self, text: str) -> str:
        found = []

        def keep(match: re.Match) -> str:
            value = match.group(2)
            inner = value[1:-1] if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) >= 2 else value
            if inner.strip() and inner not in ("None", "null", NAME_MASK):
                found.append(inner)
                masked = NAME_MASK
                if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) >= 2:
                    masked = value[0] + NAME_MASK + value[0]
                return match.group(1) + masked
            return match.group(0)

        for pattern in self._patterns:
            text = pattern.sub(keep, text)
        if found:
            self.remember(*found)
        known = self._known_pattern()
        if known is not None:
            text = known.sub(NAME_MASK, text)
        return text


_names = NameMasker()


def remember_names(*names: str) -> None:
    """Mask these names from now on in every record of this process."""
    _names.remember(*names)


def mask(text: str, names: Optional[NameMasker] = None) -> str:
    """The text with identification numbers, e-mails and known names masked."""
    if not text:
        return text
    if text[:1] == "{" and text[-1:] == "}" and '"' in text:
        structured = _mask_json(text, names)  # structlog's JSON lines: mask the decoded values
        if structured is not None:
            return structured
    text = mask_numbers(text)
    text = mask_emails(text)
    text = mask_texts(text)
    return (names or _names)(text)


def _mask_json(text: str, names: Optional[NameMasker]) -> Optional[str]:
    import json

    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    keep_text = os.environ.get("LOGMASK_KEEP_TEXT") == "1"
    masker = names or _names

    def walk(value, key=None):
        if isinstance(value, dict):
            out = {k: walk(v, k) for k, v in value.items()}
            # {"entity": "person_name", "value": ...} / {"event": "slot", "name": "req_last_name", "value": ...}
            if isinstance(value.get("value"), str) and value["value"].strip() and any(
                    isinstance(value.get(k), str) and value.get(k) in masker.keys for k in ("entity", "name", "key")):
                masker.remember(value["value"])
                out["value"] = NAME_MASK
            return out
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key in TEXT_KEYS and not keep_text and value:
                return TEXT_MASK
            if key in masker.keys and value.strip():
                masker.remember(value)
                return NAME_MASK
            return mask(value, names)
        if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= 13:
            return int(value) if not _digits_to_mask(str(abs(value))) else MATRICULE_MASK
        return value

    return json.dumps(walk(obj))


def mask_record(record: logging.LogRecord, names: Optional[NameMasker] = None) -> logging.LogRecord:
    """Mask a record in place (message with its arguments, traceback, stack); once per record."""
    if getattr(record, "_pd_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep the record, with its arguments masked too
        message = f"{record.msg} {record.args!r}"
    record.msg = mask(message, names)
    record.args = None
    if record.exc_info and not record.exc_text:
        try:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        except Exception:
            pass
    if record.exc_text:
        record.exc_text = mask(record.exc_text, names)
    if record.stack_info:
        record.stack_info = mask(record.stack_info, names)
    record._pd_masked = True
    return record


class MaskingFilter(logging.Filter):
    """logging.Filter that masks personal data in every record it sees; never drops a record."""

    def __init__(self, name: str = "", names: Optional[NameMasker] = None):
        super().__init__(name)
        self.names = names

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record, self.names)
        return True


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Mask every log record of this process when it is created (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            return mask_record(previous(*args, **kwargs))

        factory._pd_masking = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
        _installed = True


def installed() -> bool:
    return _installed


def configured_filter() -> MaskingFilter:
    """Factory for dictConfig (``(): bot.logmask.configured_filter``): installs the
    record factory too, so that handlers added later by Rasa are covered."""
    install()
    return MaskingFilter()
