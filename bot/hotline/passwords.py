"""Hotline agents and their passwords (``HOTLINE_AGENTS``).

Hashes: PBKDF2-SHA256 written ``pbkdf2_sha256$<iterations>$<salt>$<hash>``
(``python -m bot hotline-hash-password``), or a bare SHA-256 hex digest
(optionally ``sha256:<hex>``). ``parse_agents`` reads ``"alice:<hash>,bob:<hash>"``;
``dummy_hash`` is what an unknown name is checked against, at the same cost.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Dict, Optional

PBKDF2_ITERATIONS = 600_000


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, iterations: int = PBKDF2_ITERATIONS, salt: Optional[bytes] = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hash>`` (URL-safe base64; no ':' nor ',')."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(digest)}"


_SHA256 = re.compile(r"(?:sha256[:$])?([0-9a-fA-F]{64})\Z")


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a PBKDF2 or SHA-256 hash (constant-time comparison)."""
    stored = (stored or "").strip()
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = stored.split("$")
            expected = _unb64(digest)
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(got, expected)
    m = _SHA256.match(stored)
    if m:
        got = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return hmac.compare_digest(got, m.group(1).lower())
    return False


def pbkdf2_rounds(stored: str) -> Optional[int]:
    """The iteration count of a ``pbkdf2_sha256$...`` hash, None for other hashes."""
    parts = (stored or "").strip().split("$")
    if len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit():
        return int(parts[1])
    return None


def dummy_hash(agents: Dict[str, str]) -> str:
    """A hash no password matches, costing what the configured agents' hashes cost.

    Checked for unknown agent names, so that they take as long as known ones: PBKDF2 with the
    highest iteration count among the agents (``PBKDF2_ITERATIONS`` when there is none), or
    SHA-256 when every agent has a bare SHA-256 hash.
    """
    rounds = [r for r in (pbkdf2_rounds(h) for h in agents.values()) if r]
    if agents and not rounds:
        return "sha256:" + secrets.token_hex(32)
    return (f"pbkdf2_sha256${max(rounds or [PBKDF2_ITERATIONS])}$"
            f"{_b64(secrets.token_bytes(16))}${_b64(secrets.token_bytes(32))}")


def parse_agents(value: Optional[str]) -> Dict[str, str]:
    """``"alice:<hash>,bob:<hash>"`` -> {"alice": hash, ...}; malformed entries are skipped."""
    agents: Dict[str, str] = {}
    for item in (value or "").split(","):
        name, sep, hashed = item.strip().partition(":")
        name, hashed = name.strip(), hashed.strip()
        if sep and re.fullmatch(r"[A-Za-z0-9_.@-]{1,64}", name) and hashed:
            agents[name] = hashed
    return agents
