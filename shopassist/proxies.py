"""The client's address when proxies stand in front of the servers (SHOPASSIST_TRUSTED_PROXIES).

Behind HAProxy or an Ingress every request comes from the proxy's address, so limits per
client address would count all customers as one. Each proxy that sets `option forwardfor`
(HAProxy) or its equivalent appends the address it saw to X-Forwarded-For; everything to
the left of those entries is whatever the client sent. SHOPASSIST_TRUSTED_PROXIES is how
many such proxies stand in front (default 0: the peer's address, no header believed), and
the client's address is that many entries from the right.

Sanic does exactly this with its PROXIES_COUNT setting (rightmost-N of all X-Forwarded-For
headers joined, the peer's address when the header is shorter), so it is used rather than
parsing the header again here; `trust_proxies` sets it on each server's app at start, from
one variable, for the Rasa servers' channels and the web app alike. Sanic's other ways of
believing a header (REAL_IP_HEADER, FORWARDED_SECRET, also settable by SANIC_* variables)
take it whole from whoever sent it, so they are switched off.
"""

from __future__ import annotations

from typing import Any

from shopassist.settings import env_name, get_settings

TRUSTED_PROXIES_ENV = env_name("trusted_proxies")


def trusted_proxies() -> int:
    """The configured number of trusted proxies; ValueError (stopping the server's start)
    for anything but a whole number from 0 to 10 (checked in shopassist.settings)."""
    return get_settings().trusted_proxies


def trust_proxies(app: Any) -> None:
    """Sets `app` to take client addresses as SHOPASSIST_TRUSTED_PROXIES says."""
    count = trusted_proxies()
    app.config.PROXIES_COUNT = count or None  # Sanic: None reads no header; 0 is refused
    app.config.REAL_IP_HEADER = None
    app.config.FORWARDED_SECRET = None


def client_address(request: Any) -> str:
    """The client's address: as the trusted proxies forwarded it, else the peer's."""
    return request.remote_addr or request.ip or "unknown"


def on_start(app: Any, _loop: Any = None) -> None:
    """A `before_server_start` listener applying the setting."""
    trust_proxies(app)
