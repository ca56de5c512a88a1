"""bot/logmask.py: identification numbers, e-mails and names never reach the logs."""
from __future__ import annotations

import datetime as dt
import io
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import logmask
from bot.validators import matricule

M = matricule.generate("1985-04-12")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", [
    f"matricule {M} ok", f"{M[:4]} {M[4:8]} {M[8:11]} {M[11:]}", f"{M[:4]}.{M[4:6]}.{M[6:8]}.{M[8:11]}.{M[11:]}",
    f"{M[:4]}\u00a0{M[4:8]}\u00a0{M[8:]}", f"x{M}y", f"tel 352 {M}", f"'req_matricule': '{M}'",
    "1234567890123",  # 13 digits, even without valid check digits
])
def test_identification_numbers_are_masked(text):
    masked = logmask.mask(text)
    assert logmask.MATRICULE_MASK in masked
    assert not any(masked.count(d) > text.count(d) for d in "0123456789")
    assert M not in masked.replace(" ", "").replace(".", "").replace("\u00a0", "")


@pytest.mark.parametrize("text", [
    "2026-11-23 10:16:03,123 INFO", "timestamp 1763893000.123456", "confidence 0.9876543212345",
    "123456789012", "12345678901234", "port 5005, pid 4242", "2026-A009-Q804",
])
def test_other_numbers_are_kept(text):
    assert logmask.mask(text) == text


@pytest.mark.parametrize("text,kept", [
    ("send to marie.dupont+cns@example.lu, thanks", "send to <email>, thanks"),
    ("'email': 'Jean-Luc.O_Neil@mail.gouv.lu'", "'email': '<email>'"),
    ('{"email": "zoé@exämple.lu"}', '{"email": "<email>"}'),
])
def test_emails_are_masked(text, kept):
    assert logmask.mask(text) == kept


@pytest.mark.parametrize("text", [
    "Current slot values: \n\treq_last_name: Zwingelstein\n\treq_first_name: Anne Sophie\n\tresidence: LU",
    "SlotSet(key: req_last_name, value: Zwingelstein)",
    "{'event': 'slot', 'timestamp': None, 'name': 'req_last_name', 'value': 'Zwingelstein'}",
    "{'entity': 'person_name', 'start': 0, 'end': 12, 'value': 'Zwingelstein', 'extractor': 'x'}",
    "{'value': 'Zwingelstein', 'entity': 'person_name'}",
    '{"persons": [{"last_name": "Zwingelstein", "first_name": "Anne Sophie"}]}',
    "last_name=Zwingelstein first_name=Anne",
])
def test_names_given_in_slots_are_masked(text):
    names = logmask.NameMasker()
    masked = logmask.mask(text, names)
    assert "Zwingelstein" not in masked and "Sophie" not in masked
    assert logmask.NAME_MASK in masked
    # remembered: masked anywhere afterwards, in any case
    assert logmask.mask("user said 'zwingelstein' again", names) == f"user said '{logmask.NAME_MASK}' again"


def test_other_slots_are_kept():
    text = "Current slot values: \n\tresidence: LU\n\tfund: CNS\n\tlanguage: fr\n\treq_last_name: None"
    assert logmask.mask(text, logmask.NameMasker()) == text


def test_remembered_names_are_bounded():
    names = logmask.NameMasker(max_remembered=3)
    names.remember("Alpha", "Bravo", "Charlie", "Delta")
    assert logmask.mask("Alpha Delta", names) == f"Alpha {logmask.NAME_MASK}"


@settings(max_examples=150, deadline=None)
@given(birth=st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)), serial=st.integers(0, 999),
       sep=st.sampled_from(["", " ", "."]), before=st.text(max_size=20), after=st.text(max_size=20))
def test_any_matricule_in_any_text_is_masked(birth, serial, sep, before, after):
    number = matricule.generate(birth.isoformat(), serial=serial)
    written = sep.join([number[:4], number[4:8], number[8:11], number[11:]])
    masked = logmask.mask(f"{before} {written} {after}", logmask.NameMasker())
    assert written not in masked and number not in masked


def _logger(name, filt=None):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    if filt:
        handler.addFilter(filt)
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_filter_masks_arguments_and_tracebacks():
    logger, stream = _logger("test.logmask.filter", logmask.MaskingFilter(names=logmask.NameMasker()))
    logger.info("user %s wrote %r", M, {"email": "marie@example.lu"})
    try:
        raise ValueError(f"bad number {M} for marie@example.lu")
    except ValueError:
        logger.exception("failed for %s", "marie@example.lu")
    logger.warning("broken format %s %s", "only one")  # never dropped, never raises
    out = stream.getvalue()
    assert M not in out and "marie@example.lu" not in out
    assert "ValueError: bad number <matricule> for <email>" in out
    assert "broken format" in out


@pytest.fixture
def fresh_factory(monkeypatch):
    original = logging.getLogRecordFactory()
    monkeypatch.setattr(logmask, "_installed", False)
    yield
    logging.setLogRecordFactory(original)


def test_install_masks_records_of_every_handler(fresh_factory):
    logmask.install()
    logmask.install()  # idempotent
    assert logmask.installed()
    logger, stream = _logger("test.logmask.factory")  # a handler without any filter
    logger.info("SlotSet(key: req_first_name, value: %s) matricule %s", "Zacharie", M)
    logger.info("later: %s", "Zacharie")
    out = stream.getvalue()
    assert "Zacharie" not in out and M not in out


def test_deploy_logging_config_installs_the_filter():
    """The YAML given to `rasa run --logging-config-file` (in a fresh interpreter: dictConfig is global)."""
    code = "\n".join([
        "import logging, logging.config, sys, yaml",
        "logging.config.dictConfig(yaml.safe_load(open('deploy/logging.yml')))",
        "from bot import logmask",
        "assert logmask.installed()",
        "logging.getLogger('rasa.core.processor').warning('user %s <%s>', sys.argv[1], 'marie@example.lu')",
        "logging.getLogger().handlers[:] = [logging.StreamHandler(sys.stdout)]",
        "logging.getLogger('sanic.error').error('again %s', sys.argv[1])",
    ])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, M], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert M not in out.stdout + out.stderr
    assert "user <matricule> <<email>>" in out.stdout and "again <matricule>" in out.stdout


@pytest.mark.parametrize("text,kept", [
    ('{"parse_data_text": "Dupont", "parse_data_intent": {"name": "inform"}}',
     '{"parse_data_text": "<text>", "parse_data_intent": {"name": "inform"}}'),
    ("UserUttered(text: Jean Dupont, intent: inform, entities: )", "UserUttered(text: <text>, intent: inform, entities: )"),
    ("Received user message 'Dupont' with intent", "Received user message '<text>' with intent"),
    ("{'event': 'user', 'text': 'je m\\'appelle Dupont'}", "{'event': 'user', 'text': '<text>'}"),
])
def test_what_the_person_wrote_is_masked(text, kept, monkeypatch):
    monkeypatch.delenv("LOGMASK_KEEP_TEXT", raising=False)
    assert logmask.mask(text, logmask.NameMasker()) == kept
    monkeypatch.setenv("LOGMASK_KEEP_TEXT", "1")
    assert "Dupont" in logmask.mask(text, logmask.NameMasker())


def test_structured_json_lines_are_masked_value_by_value():
    names = logmask.NameMasker()
    line = ('{"slot_values": "\\tlanguage: fr\\n\\treq_matricule: %s\\n\\treq_last_name: Zwingelstein\\n'
            '\\temail: anne@example.lu", "parse_data_text": "Anne", "current_states": "[state 3] user text: Anne | '
            'previous action name: action_listen", "parse_data_entities": [{"entity": "person_name", '
            '"value": "Anne Zwingelstein"}], "event": "processor.slots.log"}' % M)
    masked = logmask.mask(line, names)
    import json
    data = json.loads(masked)  # still one JSON object
    for needle in (M, "Zwingelstein", "anne@example.lu", "Anne"):
        assert needle not in masked, needle
    assert data["event"] == "processor.slots.log"
    assert data["parse_data_entities"][0] == {"entity": "person_name", "value": "<name>"}
