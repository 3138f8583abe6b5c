"""What a product answer shows beyond the database's columns, for the demo catalog
(shopassist/store/seed.py names its product types): how a product connects, the first
question about headphones, speakers or a mouse, and the picture the demo shop shows for it.

Keyed by product type (a product is named "<brand> <type>"); a type not listed here has
no connection to tell, and a product without a picture of its own gets its category's.
"""

from __future__ import annotations

from typing import Optional

WIRELESS, WIRED = "wireless", "wired"
CONNECTION = {
    "Wireless Over-Ear Headphones": WIRELESS,
    "Noise-Cancelling Headphones": WIRELESS,
    "Studio Headphones": WIRED,
    "Kids Headphones": WIRED,
    "Gaming Headset": WIRED,
    "True Wireless Earbuds": WIRELESS,
    "Sport Earbuds": WIRELESS,
    "Bluetooth Speaker": WIRELESS,
    "Smart Speaker": WIRELESS,
    "Soundbar": WIRED,
    "Mechanical Keyboard": WIRED,
    "Wireless Mouse": WIRELESS,
    "Full HD Webcam": WIRED,
    "Wireless Charging Pad": WIRELESS,
}

# Pictures in shopassist/console/static/shop/img/ (the demo shop's own drawings).
PICTURE_PATH = "/static/shop/img/"
PICTURE_OF_SUBCATEGORY = {
    "headphones": "headphones",
    "earbuds": "earbuds",
    "speakers": "speaker",
    "kitchen": "kitchen",
    "t-shirts": "tshirt",
    "shirts": "tshirt",
    "hoodies": "tshirt",
    "jeans": "jeans",
    "shoes": "shoes",
}
PICTURE_OF_CATEGORY = {"electronics": "electronics", "home": "home", "apparel": "apparel"}


def connection(name: str) -> Optional[str]:
    """WIRELESS or WIRED for a product named "<brand> <type>", None when not known."""
    for kind, how in CONNECTION.items():
        if name == kind or name.endswith(" " + kind):
            return how
    return None


def picture(category: str, subcategory: str) -> Optional[str]:
    """The path of the product's picture on the demo shop, or None."""
    name = PICTURE_OF_SUBCATEGORY.get(subcategory) or PICTURE_OF_CATEGORY.get(category)
    return f"{PICTURE_PATH}{name}.svg" if name else None
