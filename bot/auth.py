"""Authenticated conversations: a signed token from the website in the message metadata.

The website (after a LuxTrust/eID login) passes `{"auth_token": "<JWT>"}` in the
metadata of the messages it relays. The token is HS256-signed with the secret
in `BOT_JWT_SECRET`, carries the person's identification number
(`matricule`, or `sub`) and names (`given_name`/`first_name`,
`family_name`/`last_name`), and must carry (issue 15, finding 8):

* `iss`, the issuer configured in `BOT_JWT_ISSUER`, and `aud`, the audience
  configured in `BOT_JWT_AUDIENCE` (a token made for another service is
  refused);
* `iat` and `exp`, with a lifetime (`exp - iat`) of at most
  `BOT_JWT_MAX_LIFETIME` seconds; a token issued in the future is refused.

A missing, expired, forged, malformed or too long-lived token simply means an
unauthenticated conversation: `identity()` returns None and never raises.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional

import jwt

from bot.validators import matricule as matricule_mod

ALGORITHM = "HS256"
DEFAULT_ISSUER = "https://www.cns.lu"
DEFAULT_AUDIENCE = "cns-assistant"
DEFAULT_MAX_LIFETIME = 3600
LEEWAY = 30  # seconds a token may claim to be issued ahead of this server's clock


@dataclass(frozen=True)
class Identity:
    matricule: str
    first_name: str
    last_name: str


def secret() -> Optional[str]:
    return os.environ.get("BOT_JWT_SECRET") or None


def issuer() -> str:
    return os.environ.get("BOT_JWT_ISSUER") or DEFAULT_ISSUER


def audience() -> str:
    return os.environ.get("BOT_JWT_AUDIENCE") or DEFAULT_AUDIENCE


def max_lifetime() -> int:
    value = os.environ.get("BOT_JWT_MAX_LIFETIME", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_LIFETIME


def identity(token: Optional[str], key: Optional[str] = None) -> Optional[Identity]:
    key = key or secret()
    if not token or not key or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=audience(), issuer=issuer(),
                            options={"require": ["exp", "iat", "iss", "aud"]})
    except jwt.PyJWTError:
        return None
    try:
        issued, expires = int(claims["iat"]), int(claims["exp"])
    except (TypeError, ValueError):
        return None
    if expires - issued > max_lifetime() or issued > time.time() + LEEWAY:
        return None
    number = str(claims.get("matricule") or claims.get("sub") or "")
    first = str(claims.get("given_name") or claims.get("first_name") or "").strip()
    last = str(claims.get("family_name") or claims.get("last_name") or "").strip()
    if not (matricule_mod.is_valid(number) and first and last):
        return None
    return Identity(matricule_mod.compact(number), first, last)


def from_metadata(metadata: Optional[Dict[str, Any]], key: Optional[str] = None) -> Optional[Identity]:
    if not isinstance(metadata, dict):
        return None
    return identity(metadata.get("auth_token"), key)


def make_token(number: str, first_name: str, last_name: str, key: str, ttl: int = 900) -> str:
    """What the website does after login (used by tests and for trying it out)."""
    now = int(time.time())
    return jwt.encode({"matricule": number, "given_name": first_name, "family_name": last_name,
                       "iss": issuer(), "aud": audience(), "iat": now, "exp": now + ttl}, key, algorithm=ALGORITHM)
