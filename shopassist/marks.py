"""Values kept beside an object for as long as it lives, without setting attributes on it.

Rasa's and rasa-sdk's trackers define `__eq__` (and so have no hash), which rules out a
WeakKeyDictionary; a `Marks` keys on the object's identity instead and forgets the value
when the object is collected. Used for what a tracker store knows about a tracker it
loaded (shopassist/tracker_store.py) and for a form run's order read (actions/order_lines.py).
"""

from __future__ import annotations

import weakref
from typing import Any, Dict, Generic, Optional, Tuple, TypeVar

T = TypeVar("T")


class Marks(Generic[T]):
    def __init__(self) -> None:
        self._values: Dict[int, Tuple[weakref.ref, T]] = {}

    def get(self, obj: Any, default: Optional[T] = None) -> Optional[T]:
        """The value set for `obj` (this very object), or `default`."""
        entry = self._values.get(id(obj))
        if entry is None or entry[0]() is not obj:
            return default
        return entry[1]

    def set(self, obj: Any, value: T) -> None:
        key = id(obj)
        entry = self._values.get(key)
        if entry is not None and entry[0]() is obj:
            self._values[key] = (entry[0], value)
            return

        def forget(ref: weakref.ref, key: int = key) -> None:
            current = self._values.get(key)
            if current is not None and current[0] is ref:
                del self._values[key]

        self._values[key] = (weakref.ref(obj, forget), value)

    def __len__(self) -> int:
        return len(self._values)
