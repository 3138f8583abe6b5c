"""What customers see of an agent who takes a conversation over: a name and an avatar.

Each agent chooses them in the console (*Your name in the chat*); they are kept with the
agent's console account. The user name an agent logs in with is never shown to customers:
it is half of a login, so it can't be chosen as the display name, and an agent who chose
nothing is "Customer service" with an initials avatar. A name is 2 to 40 letters, spaces
and . ' - (any alphabet); the pages and the chat widget escape it all the same. An avatar
is one of a few built-in pictures (static/avatars/) or initials on one of a few colours:
nothing is uploaded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist.store.models import ConsoleUser

DEFAULT_NAME = "Customer service"
MIN_NAME, MAX_NAME = 2, 40
PUNCTUATION = " .'’-"
# Initials are drawn in white on these (each dark enough for white text to be read).
COLOURS = {
    "slate": "#475569",
    "teal": "#0f766e",
    "indigo": "#4338ca",
    "plum": "#86198f",
    "rose": "#be123c",
    "forest": "#166534",
}
IMAGES = {"headset": "Headset", "smile": "Smile", "leaf": "Leaf", "star": "Star"}
DEFAULT_AVATAR = "initials:slate"


class ProfileError(ValueError):
    """A display name or avatar that can't be used; the message says why, for the agent."""


@dataclass(frozen=True)
class Profile:
    name: str
    avatar: str  # "initials:<colour>" or "image:<name>"

    @property
    def chosen_name(self) -> bool:
        return self.name != DEFAULT_NAME

    @property
    def initials(self) -> str:
        letters = [word[0] for word in self.name.replace("-", " ").split() if word[0].isalpha()]
        return "".join(letters[:2]).upper() or "?"

    def speaker(self) -> Dict[str, Any]:
        """How the chat shows the agent (the `speaker` of their messages' metadata)."""
        kind, _, value = self.avatar.partition(":")
        avatar: Dict[str, str]
        if kind == "image":
            avatar = {"kind": "image", "image": value}
        else:
            avatar = {"kind": "initials", "initials": self.initials, "colour": COLOURS[value]}
        return {"role": "agent", "name": self.name, "avatar": avatar}


def _squashed(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def clean_name(text: Optional[str], username: str) -> str:
    """The display name as it will be kept, or ProfileError saying what is wrong with it."""
    name = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not MIN_NAME <= len(name) <= MAX_NAME:
        raise ProfileError(f"A display name has {MIN_NAME} to {MAX_NAME} characters.")
    allowed = all(
        c.isalpha() or unicodedata.category(c).startswith("M") or c in PUNCTUATION for c in name
    )
    if not allowed or not name[0].isalpha():
        raise ProfileError(
            "A display name starts with a letter and has only letters, spaces and . ' -"
        )
    if _squashed(name) == _squashed(username):
        raise ProfileError(
            "Choose a name other than your user name: customers never see how you log in."
        )
    return name


def avatar_choices() -> List[Tuple[str, str]]:
    """(value, label) of every avatar an agent may choose, in the settings form's order."""
    return [(f"initials:{c}", f"Initials on {c}") for c in COLOURS] + [
        (f"image:{name}", label) for name, label in IMAGES.items()
    ]


def clean_avatar(value: Optional[str]) -> str:
    if value not in dict(avatar_choices()):
        raise ProfileError("Choose one of the avatars shown.")
    return str(value)


def _user(session: Session, username: str) -> Optional[ConsoleUser]:
    return session.execute(
        select(ConsoleUser).where(ConsoleUser.username == username)
    ).scalar_one_or_none()


def get(session: Session, username: str) -> Profile:
    user = _user(session, username)
    avatar = user.avatar if user and user.avatar in dict(avatar_choices()) else DEFAULT_AVATAR
    return Profile((user.display_name if user else None) or DEFAULT_NAME, avatar)


def save(session: Session, username: str, name: Optional[str], avatar: Optional[str]) -> Profile:
    """Checks and keeps an agent's choice; ProfileError (nothing kept) if it can't be used."""
    profile = Profile(clean_name(name, username), clean_avatar(avatar))
    user = _user(session, username)
    if user is None:
        raise ProfileError("There is no such console user.")
    user.display_name, user.avatar = profile.name, profile.avatar
    session.flush()
    return profile
