"""After every other test: no identification number, e-mail or name given in a slot is in any log."""
import re

from tests.prod.util import MATRICULE


def test_no_personal_data_in_the_logs(prod):
    logs = sorted((prod.var_dir / "logs").glob("*.log"))
    assert any(p.name.startswith("rasa") for p in logs) and any(p.name == "actions.log" for p in logs)
    spaced = re.compile(r"[ .]?".join(MATRICULE))
    leaks = []
    for path in logs:
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in ("marie@example.lu", "Dupont"):
            if needle in text:
                leaks.append((path.name, needle))
        if spaced.search(text):
            leaks.append((path.name, "matricule"))
    assert not leaks, leaks
