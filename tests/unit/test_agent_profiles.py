"""The name and avatar customers see of an agent: checked, kept, never the user name."""

from __future__ import annotations

import uuid

import pytest

from shopassist.console import accounts, profiles
from shopassist.console.profiles import ProfileError, clean_name
from shopassist.store.db import session_scope


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Sam", "Sam"),
        ("  Sam   Lee ", "Sam Lee"),
        ("Zoë O'Brien-Smith", "Zoë O'Brien-Smith"),
        ("Dr. Ana María", "Dr. Ana María"),
        ("李娜", "李娜"),
        ("Zoe\u0308", "Zoë"),  # a combining mark is kept (composed)
        ("x" * 40, "x" * 40),
    ],
)
def test_names_in_any_alphabet_are_kept_tidied(typed, kept):
    assert clean_name(typed, "agent.alex") == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "S",
        "x" * 41,
        "<script>alert(1)</script>",
        'Sam "the man"',
        "Sam & co",
        "Sam\u202eeL",  # a right-to-left override
        "Sam\u200bLee",  # a zero-width space
        "Agent 007",
        "sam@example.com",
        "-Sam",
        ". .",
        None,
    ],
)
def test_markup_digits_controls_and_odd_lengths_are_refused(typed):
    with pytest.raises(ProfileError):
        clean_name(typed, "agent.alex")


@pytest.mark.parametrize("typed", ["agent.alex", "Agent Alex", "AGENT-ALEX", "agent alex"])
def test_the_user_name_is_never_a_display_name(typed):
    with pytest.raises(ProfileError, match="user name"):
        clean_name(typed, "agent.alex")


def test_only_the_built_in_avatars_can_be_chosen():
    assert profiles.clean_avatar("image:leaf") == "image:leaf"
    assert profiles.clean_avatar("initials:teal") == "initials:teal"
    for odd in ("image:../../etc/passwd", "initials:#ff0000", "image:", "", None, "leaf"):
        with pytest.raises(ProfileError):
            profiles.clean_avatar(odd)


def test_an_agent_who_chose_nothing_is_customer_service_never_their_login(db_url):
    name = "agent-" + uuid.uuid4().hex[:8]
    with session_scope(db_url) as session:
        accounts.set_password(session, name, "correct horse battery")
        profile = profiles.get(session, name)
    assert profile == profiles.Profile("Customer service", "initials:slate")
    assert profile.speaker() == {
        "role": "agent",
        "name": "Customer service",
        "avatar": {"kind": "initials", "initials": "CS", "colour": profiles.COLOURS["slate"]},
    }
    assert name not in str(profile.speaker())


def test_a_chosen_name_and_avatar_are_kept_with_the_account(db_url):
    name = "agent-" + uuid.uuid4().hex[:8]
    with session_scope(db_url) as session:
        accounts.set_password(session, name, "correct horse battery")
        profiles.save(session, name, " Sam  Lee ", "image:headset")
    with session_scope(db_url) as session:
        profile = profiles.get(session, name)
    assert profile == profiles.Profile("Sam Lee", "image:headset")
    assert profile.speaker()["avatar"] == {"kind": "image", "image": "headset"}
    with session_scope(db_url) as session:
        with pytest.raises(ProfileError):
            profiles.save(session, name, "<b>Sam</b>", "initials:teal")
    with session_scope(db_url) as session:  # a refused change keeps what was there
        assert profiles.get(session, name).name == "Sam Lee"
    assert profiles.Profile("Sam Lee", "initials:teal").speaker()["avatar"]["initials"] == "SL"
