"""Encryption at rest of the tracker store's event data: the one place for the cipher.

Opt-in: with SHOPASSIST_DATA_KEY (or the file named by SHOPASSIST_DATA_KEY_FILE) set, the
`data` column of each stored event (the message, its parse data, slot values: e-mail
addresses, order numbers, addresses) is written as a Fernet token (AES-128-CBC with an
HMAC-SHA256, from `cryptography`) behind the prefix `fernet:`. Rows without the prefix are
the plain JSON written before the key was set, and still read.

Rotation: the variable holds one key or several, separated by commas or spaces; the first
encrypts, every one decrypts (MultiFernet). Put a new key first, keep the old ones after it
until no row needs them (`python -m shopassist.at_rest rotate` re-encrypts every row with
the first key), then drop them.

A row that no key opens raises DataKeyError, whose message says what to do: readers show
it instead of an empty conversation.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shopassist.settings import Settings, SettingsError, env_name, get_settings

KEY_ENV = env_name("data_key")
KEY_FILE_ENV = env_name("data_key_file")
PREFIX = "fernet:"
HOW_TO_GENERATE = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class DataKeyError(RuntimeError):
    """Stored event data that can't be read with the configured keys."""


class Cipher:
    """Seals text with the first key; opens text sealed with any of them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("no key")
        fernets = []
        for number, key in enumerate(keys, 1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise DataKeyError(
                    f"{KEY_ENV}: key {number} of {len(keys)} is not a Fernet key (32 bytes, "
                    f"url-safe base64); generate one with {HOW_TO_GENERATE}"
                ) from None
        self._first = fernets[0]
        self._fernet = MultiFernet(fernets)
        self.keys = len(fernets)

    def _unreadable(self) -> DataKeyError:
        return DataKeyError(
            f"stored event data could not be decrypted with the {self.keys} key(s) in "
            f"{KEY_ENV}: the key it was written with is missing (after a rotation, keep the "
            "old key after the new one until `python -m shopassist.at_rest rotate` has run)"
        )

    def seal(self, text: str) -> str:
        return PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise self._unreadable() from None

    def rotated(self, stored: str) -> str:
        """`stored` sealed with the first key (plain rows too); unchanged if it already is."""
        if not is_sealed(stored):
            return self.seal(stored)
        token = stored[len(PREFIX) :].encode("ascii")
        try:
            self._first.decrypt(token)
            return stored
        except InvalidToken:
            pass  # written with an older key
        try:
            return PREFIX + self._fernet.rotate(token).decode("ascii")
        except InvalidToken:
            raise self._unreadable() from None


def is_sealed(stored: Optional[str]) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def parse_keys(text: str) -> list:
    return [key for key in re.split(r"[\s,]+", text or "") if key]


def from_env(settings: Optional[Settings] = None) -> Optional[Cipher]:
    """The cipher `settings` configure (default: the process's), None when encryption at
    rest is off (no key set)."""
    settings = settings or get_settings()
    if settings.data_key_file is not None:
        with open(settings.data_key_file, encoding="utf-8") as file:
            keys = parse_keys(file.read())
    else:
        keys = parse_keys(settings.data_key)
    return Cipher(keys) if keys else None


def seal(text: str, cipher: Optional[Cipher]) -> str:
    """What to store for the JSON `text`: sealed when a key is set, else as it is."""
    return cipher.seal(text) if cipher is not None else text


def open_data(stored: Optional[str], cipher: Optional[Cipher]) -> Optional[str]:
    """The JSON text of a stored `data` value, sealed or plain."""
    if not is_sealed(stored):
        return stored  # written before encryption was turned on
    if cipher is None:
        raise DataKeyError(
            f"the tracker store holds encrypted event data but {KEY_ENV} is not set: set it "
            "to the key(s) the data was written with"
        )
    return cipher.open(stored)


def reseal(engine: Any, cipher: Cipher, batch: int = 500) -> int:
    """Writes every row of the tracker store's `events` with the first key (plain rows
    too); returns how many changed. Safe beside running servers: Rasa only appends rows,
    and each row reads with the old and the new key alike."""
    from sqlalchemy import text

    changed, last = 0, -1
    while True:
        with engine.begin() as connection:
            rows = connection.execute(
                text("SELECT id, data FROM events WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last, "n": batch},
            ).fetchall()
            for row in rows:
                new = cipher.rotated(row.data) if row.data else row.data
                if new != row.data:
                    connection.execute(
                        text("UPDATE events SET data = :data WHERE id = :id"),
                        {"data": new, "id": row.id},
                    )
                    changed += 1
        if not rows:
            break
        last = rows[-1].id
    # The bounded tracker store's snapshots are sums of these rows: dropped, not resealed;
    # each is made again from the events on its conversation's next turns.
    from sqlalchemy import inspect

    if inspect(engine).has_table("shopassist_tracker_snapshots"):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM shopassist_tracker_snapshots"))
    return changed


def main(argv: Optional[Sequence[str]] = None) -> None:
    import argparse

    from sqlalchemy import create_engine

    parser = argparse.ArgumentParser(
        prog="python -m shopassist.at_rest",
        description=f"Re-encrypts the tracker store's event data with the first key of {KEY_ENV}.",
    )
    parser.add_argument("command", choices=["rotate"])
    parser.add_argument(
        "--db", help="the tracker store's SQLAlchemy URL (default: SHOPASSIST_TRACKER_DB_URL)"
    )
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as error:
        parser.exit(2, f"{error}\n")
    cipher = from_env(settings)
    if cipher is None:
        parser.exit(2, f"{KEY_ENV} is not set: nothing to encrypt with\n")
    engine = create_engine(args.db or settings.tracker_db_url, future=True)
    try:
        changed = reseal(engine, cipher)
    except DataKeyError as error:
        parser.exit(1, f"stopped: {error}\n")
    finally:
        engine.dispose()
    print(f"{changed} event(s) re-encrypted with the first key")


if __name__ == "__main__":
    main()
