"""Signed tokens: valid, expired, forged, malformed: never an error, only authenticated or not."""
import time

import jwt
import pytest

from bot import auth
from bot.validators import matricule

KEY = "test-secret-with-enough-length-0123456789"
NUMBER = matricule.generate("1985-04-12")


def test_valid_token_gives_the_identity():
    who = auth.identity(auth.make_token(NUMBER, "Marie", "Dupont", KEY), KEY)
    assert who == auth.Identity(NUMBER, "Marie", "Dupont")
    assert auth.from_metadata({"auth_token": auth.make_token(NUMBER, "Marie", "Dupont", KEY)}, KEY) == who


def test_expired_forged_and_malformed_tokens_are_ignored():
    expired = jwt.encode({"matricule": NUMBER, "given_name": "M", "family_name": "D", "exp": int(time.time()) - 5},
                         KEY, algorithm="HS256")
    forged = auth.make_token(NUMBER, "Marie", "Dupont", "another-secret-0123456789-abcdefgh")
    no_exp = jwt.encode({"matricule": NUMBER, "given_name": "M", "family_name": "D"}, KEY, algorithm="HS256")
    none_alg = jwt.encode({"matricule": NUMBER, "given_name": "M", "family_name": "D",
                           "exp": int(time.time()) + 60}, None, algorithm="none")
    bad_number = auth.make_token("1985041212345", "Marie", "Dupont", KEY)
    for token in (expired, forged, no_exp, none_alg, bad_number, "garbage", "", None, 12):
        assert auth.identity(token, KEY) is None
    for metadata in (None, {}, {"auth_token": None}, "x", []):
        assert auth.from_metadata(metadata, KEY) is None


def test_without_a_configured_secret_nobody_is_authenticated(monkeypatch):
    monkeypatch.delenv("BOT_JWT_SECRET", raising=False)
    assert auth.identity(auth.make_token(NUMBER, "Marie", "Dupont", KEY)) is None
    monkeypatch.setenv("BOT_JWT_SECRET", KEY)
    assert auth.identity(auth.make_token(NUMBER, "Marie", "Dupont", KEY)) is not None


def _claims(**changes):
    now = int(time.time())
    claims = {"matricule": NUMBER, "given_name": "Marie", "family_name": "Dupont", "iss": auth.issuer(),
              "aud": auth.audience(), "iat": now, "exp": now + 600}
    claims.update(changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, KEY, algorithm="HS256")


def test_audience_issuer_and_lifetime_are_required(monkeypatch):
    """Issue 15, finding 8: no token without aud/iss of this configuration, or living too long."""
    now = int(time.time())
    assert auth.identity(_claims(), KEY) is not None
    for changes in ({"aud": None}, {"iss": None}, {"iat": None}, {"exp": None},
                    {"aud": "another-service"}, {"iss": "https://evil.example"},
                    {"exp": now + 10 * 365 * 86400},                    # any expiry: no longer
                    {"iat": now - 7200, "exp": now + 600},             # lifetime over the maximum
                    {"iat": now + 3600, "exp": now + 4000}):           # issued in the future
        assert auth.identity(_claims(**changes), KEY) is None, changes
    monkeypatch.setenv("BOT_JWT_AUDIENCE", "chat-test")
    monkeypatch.setenv("BOT_JWT_ISSUER", "https://login.test")
    monkeypatch.setenv("BOT_JWT_MAX_LIFETIME", "60")
    assert auth.identity(_claims(), KEY) is None                        # made for the defaults, lives 600 s
    assert auth.identity(_claims(aud="chat-test", iss="https://login.test", exp=now + 60), KEY) is not None
    assert auth.identity(auth.make_token(NUMBER, "Marie", "Dupont", KEY, ttl=60), KEY) is not None
