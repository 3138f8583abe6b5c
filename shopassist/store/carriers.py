"""The carriers the shop ships with, and where a customer follows a parcel.

A tracking link is built here, from the carrier's own tracking page and the tracking number
the database holds, never from anything a customer wrote. A carrier without a page here, or
a number that is not a plain tracking number, gets no link (the number is still shown).
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import quote

TRACKING_PAGES = {
    "UPS": "https://www.ups.com/track?tracknum={number}",
    "DHL": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
}
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9]{4,40}$")


def tracking_url(carrier: Optional[str], tracking_number: Optional[str]) -> Optional[str]:
    """The carrier's page for this parcel, or None."""
    page = TRACKING_PAGES.get(carrier or "")
    if not page or not tracking_number or not TRACKING_NUMBER.match(tracking_number):
        return None
    return page.format(number=quote(tracking_number, safe=""))
