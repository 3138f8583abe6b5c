"""Signed customer tokens: only a token signed with our secret, unexpired, proves an e-mail."""

import time

import jwt
import pytest

from shopassist.auth import customer_token as tokens

SECRET = "s" * 40


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv(tokens.SECRET_ENV, SECRET)


def test_a_signed_token_proves_the_normalised_email():
    token = tokens.issue(" Anna.Becker@Example.com ")
    assert tokens.verify(token) == "anna.becker@example.com"
    assert tokens.email_from_metadata({"customer_token": token}) == "anna.becker@example.com"


def test_expired_forged_or_tampered_tokens_prove_nothing():
    expired = tokens.issue("anna.becker@example.com", ttl_seconds=60, now=time.time() - 3600)
    forged = tokens.issue("anna.becker@example.com", secret="x" * 40)
    header, payload, signature = tokens.issue("anna.becker@example.com").split(".")
    other = tokens.issue("ben.carter@example.com").split(".")[1]
    tampered = ".".join([header, other, signature])
    unsigned = jwt.encode(
        {"sub": "anna.becker@example.com", "exp": time.time() + 60}, key=None, algorithm="none"
    )
    for token in (expired, forged, tampered, unsigned, "", "garbage", None, 42, "a" * 5000):
        assert tokens.verify(token) is None


def test_metadata_without_a_token_or_of_the_wrong_shape_proves_nothing():
    for metadata in (None, {}, {"customer_token": None}, ["customer_token"], "token"):
        assert tokens.email_from_metadata(metadata) is None


def test_tokens_are_off_without_a_secret(monkeypatch):
    token = tokens.issue("anna.becker@example.com")
    monkeypatch.delenv(tokens.SECRET_ENV)
    assert tokens.verify(token) is None
    with pytest.raises(tokens.TokenConfigError):
        tokens.issue("anna.becker@example.com")


def test_a_short_secret_is_refused(monkeypatch):
    monkeypatch.setenv(tokens.SECRET_ENV, "short")
    with pytest.raises(tokens.TokenConfigError):
        tokens.issue("anna.becker@example.com")


def test_command_line_prints_a_token(capsys):
    assert tokens.main(["anna.becker@example.com"]) == 0
    assert tokens.verify(capsys.readouterr().out.strip()) == "anna.becker@example.com"
    assert tokens.main([]) == 2


def test_a_short_secret_never_crashes_verification(monkeypatch):
    token = tokens.issue("anna.becker@example.com")
    monkeypatch.setenv(tokens.SECRET_ENV, "short")
    assert tokens.verify(token) is None
