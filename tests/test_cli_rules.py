"""python -m bot rules ...: JSON and text output, sub-command registration."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_explain_json_via_subprocess():
    proc = run("rules", "explain", "--country", "Türkei", "--profile", "student", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["country_code"] == "TR"
    assert data["profile"] == "study"
    assert data["procedure"] == "online_request"
    assert data["form"]["code"] == "TR/L-3"
    assert data["lead_time_days"] == 15
    assert data["eligible_for_online_request"] is True
    assert data["country_name"] == "Türkiye"  # English by default


def test_help_via_subprocess():
    proc = run("--help")
    assert proc.returncode == 0
    assert "rules" in proc.stdout


def test_unknown_country_via_subprocess():
    proc = run("rules", "explain", "--country", "Atlantis", "--json")
    assert proc.returncode == 2
    assert json.loads(proc.stderr) == {"error": "unknown_country", "query": "Atlantis"}


@pytest.mark.parametrize("word,canonical", [
    ("stay", "stay"), ("holiday", "stay"), ("study", "study"), ("student", "study"),
    ("posting", "posting"), ("posted", "posting"),
])
def test_profile_words(capsys, word, canonical):
    assert cli.main(["rules", "explain", "--country", "Tunisie", "--profile", word, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] == canonical


def test_unknown_profile_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["rules", "explain", "--country", "TR", "--profile", "sabbatical"])
    assert exc.value.code == 2


@pytest.mark.parametrize("lang,country_name,procedure_label", [
    ("fr", "Bosnie-Herzégovine", "demande en ligne sur MyGuichet.lu"),
    ("de", "Bosnien und Herzegowina", "Online-Antrag auf MyGuichet.lu"),
    ("en", "Bosnia & Herzegovina", "online request on MyGuichet.lu"),
])
def test_lang_labels(capsys, lang, country_name, procedure_label):
    assert cli.main(["rules", "explain", "--country", "Bosnie", "--lang", lang, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["country_name"] == country_name
    assert data["how_to_request"]["label"] == procedure_label
    assert data["form"]["code"] == "LU/BIH111"  # CNS page, checked 2026-12-05


def test_text_output_uses_labels(capsys):
    assert cli.main(["rules", "explain", "--country", "Thaïlande", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Pays: Thaïlande (TH)" in out
    assert "remboursement des frais avancés" in out
    assert "un ordre de virement" not in out  # only the documents, not the insufficient item
    assert cli.main(["rules", "explain", "--country", "UK", "--lang", "en"]) == 0
    assert "Brexit" in capsys.readouterr().out


def test_text_output_posting(capsys):
    assert cli.main(["rules", "explain", "--country", "Serbie", "--profile", "posted", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "SCG/L-106" in out
    assert "Durée maximale (mois): 12" in out


def test_resolve_and_find_commands(capsys):
    assert cli.main(["rules", "resolve", "Tunesie"]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == "TN"
    assert cli.main(["rules", "resolve", "Atlantis"]) == 1
    capsys.readouterr()
    assert cli.main(["rules", "find", "nous partons au Maroc"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == "MA"


def _register_demo(subparsers):
    parser = subparsers.add_parser("demo")
    parser.set_defaults(func=lambda args: 7)


def test_other_modules_can_register_subcommands(monkeypatch):
    monkeypatch.setattr(cli, "SUBCOMMANDS", cli.SUBCOMMANDS + (f"{__name__}:_register_demo",))
    assert cli.main(["demo"]) == 7
    parser = cli.build_parser(cli.SUBCOMMANDS)
    assert parser.parse_args(["rules", "explain", "--country", "TR"]).country == "TR"
