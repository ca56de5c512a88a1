"""Authenticated conversations: a signed token from the website in the message metadata.

The website (after a LuxTrust/eID login) passes `{"auth_token": "<JWT>"}` in the
metadata of the messages it relays. The token is HS256-signed with the secret
in `BOT_JWT_SECRET`, carries an expiry (`exp`) and the person's identification
number (`matricule`, or `sub`) and names (`given_name`/`first_name`,
`family_name`/`last_name`). A missing, expired, forged or malformed token
simply means an unauthenticated conversation: `identity()` returns None and
never raises.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional

import jwt

from bot.validators import matricule as matricule_mod

ALGORITHM = "HS256"


@dataclass(frozen=True)
class Identity:
    matricule: str
    first_name: str
    last_name: str


def secret() -> Optional[str]:
    return os.environ.get("BOT_JWT_SECRET") or None


def identity(token: Optional[str], key: Optional[str] = None) -> Optional[Identity]:
    key = key or secret()
    if not token or not key or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["exp"]})
    except jwt.PyJWTError:
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
                       "iat": now, "exp": now + ttl}, key, algorithm=ALGORITHM)
