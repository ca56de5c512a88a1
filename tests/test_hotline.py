"""The hotline's pure parts: the agents' passwords (bot/hotline/passwords.py), the intake of
the agent's typing and form (bot/hotline/intake.py), the hash command. The pages, over HTTP,
are in tests/test_web.py."""
from __future__ import annotations

import datetime as dt
import io

from bot.hotline import intake
from bot.hotline.passwords import hash_password, parse_agents, verify_password
from bot.validators import matricule


def test_analyse_is_pure_data():
    result = intake.analyse("nous partons au Maroc du 3 au 20 avril, je suis à la CNS", None,
                             dt.date(2026, 1, 10))
    assert result["lang"] == "fr"
    assert [a["country_code"] for a in result["advice"]] == ["MA"]
    assert result["advice"][0]["regime"] == "convention_online"
    assert result["prefill"]["p0_destination"] == "MA" and result["prefill"]["fund"] == "CNS"
    assert result["prefill"]["p0_departure"] == "2026-04-03" and result["prefill"]["p0_return"] == "2026-04-20"
    # the agent may set the situation when the text does not say it
    result = intake.analyse("Mein Sohn geht ab Oktober in die Türkei", "de", dt.date(2026, 1, 10), profile="study")
    assert result["profile"] == "study" and result["advice"][0]["profile"] == "study"
    assert result["advice"][0]["country_name"] == "Türkei"


def test_the_hotline_dossier_comes_from_the_one_builder(monkeypatch):
    from bot.dossier import builder

    built = []
    real = builder.build

    def spy(slots, language, authenticated=None):
        built.append((slots, language, authenticated))
        return real(slots, language, authenticated)

    monkeypatch.setattr(builder, "build", spy)
    today = dt.date(2026, 1, 10)
    form = {"fund": "CNS", "lang": "de", "profile": "stay", "req_matricule": matricule.generate("19850412"),
            "req_last_name": "Dupont", "req_first_name": "Marie", "residence": "Frankreich",
            "email": "marie.dupont@example.lu", "insured_status": "main",
            "p0_relation": "self", "p0_destination": "Tunesien", "p0_departure": "2026-03-01",
            "p0_return": "2026-03-20", "p1_relation": "child", "p1_matricule": matricule.generate("20150101", 456),
            "p1_last_name": "Dupont", "p1_first_name": "Léo", "p1_destination": "TN",
            "p1_departure": "2026-03-01", "p1_return": "2026-03-20"}
    doc, errors, _ = intake.validate_dossier(form, "alice", today=today)
    assert not errors and len(built) == 1 and built[0][1:] == ("de", False)
    assert doc["submitted_by"] == "hotline:alice" and doc["delivery"] == "post"
    assert [(p["relation"], p["first_name"], p["destination"], p["form"]) for p in doc["persons"]] == [
        ("self", "Marie", "TN", doc["persons"][0]["form"]), ("child", "Léo", "TN", doc["persons"][0]["form"])]
    assert doc["persons"][0]["departure"] == "2026-03-01" and doc["persons"][1]["return"] == "2026-03-20"
    # a non-resident: the household composition certificate is to send, as in the chat
    assert doc["household_certificate_required"] and doc["documents_to_send"] == ["household_composition"]
    assert doc["attachments"] == []


def test_password_hashes():
    hashed = hash_password("s3cret pass", iterations=1000)
    assert hashed.startswith("pbkdf2_sha256$1000$") and ":" not in hashed and "," not in hashed
    assert verify_password("s3cret pass", hashed) and not verify_password("s3cret pasS", hashed)
    import hashlib

    hexd = hashlib.sha256(b"s3cret pass").hexdigest()
    assert verify_password("s3cret pass", hexd) and verify_password("s3cret pass", "sha256:" + hexd.upper())
    assert not verify_password("other", hexd)
    assert not verify_password("s3cret pass", "") and not verify_password("x", "plain-text-password")


def test_parse_agents():
    a, b = hash_password("x" * 8, iterations=1000), "b" * 64
    assert parse_agents(f" alice:{a} , bob:{b},broken, :nobody,eve: ") == {"alice": a, "bob": b}
    assert parse_agents(None) == {} and parse_agents("") == {}


def test_cli_hash_password(monkeypatch, capsys):
    from bot import cli

    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert cli.main(["hotline-hash-password", "--agent", "alice", "--iterations", "1000"]) == 0
    line = capsys.readouterr().out.strip()
    name, _, hashed = line.partition(":")
    assert name == "alice" and verify_password("a long password", hashed)
    assert parse_agents(line) == {"alice": hashed}
