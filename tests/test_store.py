"""Dossier store: references, round trip, status changes, on a temporary SQLite database."""
import re

import pytest

from bot import store

REF = re.compile(r"^20\d{2}-[A-Z]\d{3}-[A-Z]\d{3}$")


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'd.db'}"


def test_reference_has_the_procedure_style():
    for _ in range(200):
        assert REF.match(store.new_reference(2026))


def test_save_get_list_and_status(url):
    doc = store.save({"requester": {"matricule": "1985041212345"}, "persons": []}, sender_id="s1", url=url)
    assert REF.match(doc["reference"]) and doc["status"] == "submitted" and doc["created_at"]
    assert store.get(doc["reference"], url=url)["requester"]["matricule"] == "1985041212345"
    assert [d["reference"] for d in store.list_all(url=url)] == [doc["reference"]]
    changed = store.set_status(doc["reference"], "to_correct", note="pièce manquante", url=url)
    assert changed["status"] == "to_correct" and changed["history"][-1]["note"] == "pièce manquante"
    assert store.get(doc["reference"], url=url)["status"] == "to_correct"
    with pytest.raises(ValueError):
        store.set_status(doc["reference"], "lost", url=url)
    with pytest.raises(KeyError):
        store.set_status("2026-A000-A000", "closed", url=url)


def test_references_are_unique(url):
    refs = {store.save({"persons": []}, url=url)["reference"] for _ in range(50)}
    assert len(refs) == 50
