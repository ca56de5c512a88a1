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
