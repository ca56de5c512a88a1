"""Runtime and test dependencies are split, both pinned and consistent with constraints.txt."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_ONLY = {"pytest", "hypothesis", "aiosmtpd", "pypdf", "playwright"}


def pins(name: str) -> dict:
    out = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[a-z,]+\])?==([0-9][0-9A-Za-z.+-]*)", line)
        assert m, f"{name}: not pinned: {line!r}"
        out[m.group(1).lower()] = m.group(2)
    return out


def test_test_packages_are_not_runtime_requirements():
    runtime, test = pins("requirements.txt"), pins("requirements-test.txt")
    assert not TEST_ONLY & set(runtime), TEST_ONLY & set(runtime)
    assert TEST_ONLY <= set(test)
    assert not set(runtime) & set(test)


def test_pins_agree_with_constraints():
    constraints = pins("constraints.txt")
    for name in ("requirements.txt", "requirements-test.txt"):
        for package, version in pins(name).items():
            assert constraints.get(package) == version, (name, package, version, constraints.get(package))


def test_page_server_packages_are_direct_runtime_requirements():
    runtime = pins("requirements.txt")
    assert "sanic" in runtime and "jinja2" in runtime


def test_install_script_uses_both_files_and_production_only_the_runtime():
    script = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    assert "cat requirements.txt requirements-test.txt constraints.txt | sha256sum" in script
    assert "--runtime" in script
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run-prod:\n\tscripts/install.sh --runtime$", makefile, re.M)


def test_runtime_code_imports_no_test_package():
    for folder in ("bot", "actions", "deploy"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for package in TEST_ONLY:
                assert not re.search(rf"^\s*(?:import|from)\s+{package}\b", text, re.M), (path, package)
