"""Deterministic demo data: the same anchor date and seed always give the same shop.

Dates are relative to the anchor (default: today), so a demo database made today has
orders that are "in transit" or "delivered last week" today. A few hand-written demo
customers come first; the README's "try it" section names them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Dict, List, Tuple

from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.models import (
    Address,
    Customer,
    Invoice,
    Order,
    OrderItem,
    Product,
    Refund,
    Return,
    ReturnItem,
    Shipment,
    ShipmentEvent,
)
from shopassist.store.policy import (
    RefundLine,
    included_tax_cents,
    refund_amount_cents,
    return_fee_cents,
)

FIRST_ORDER_ID = 100001
ORDER_COUNT = 420
CUSTOMER_COUNT = 60

# (category, subcategory, product names, brands, price range in dollars, warranty months,
#  returnable)
CATALOG = [
    (
        "electronics",
        "headphones",
        [
            "Wireless Over-Ear Headphones",
            "Noise-Cancelling Headphones",
            "Studio Headphones",
            "Kids Headphones",
            "Gaming Headset",
        ],
        ["Sonora", "Auralis", "Beatline"],
        (39, 349),
        24,
        True,
    ),
    (
        "electronics",
        "earbuds",
        ["True Wireless Earbuds", "Sport Earbuds"],
        ["Sonora", "Auralis", "Pulse"],
        (29, 199),
        12,
        False,
    ),
    (
        "electronics",
        "speakers",
        ["Bluetooth Speaker", "Smart Speaker", "Soundbar"],
        ["Boomly", "Sonora", "Auralis"],
        (35, 399),
        24,
        True,
    ),
    (
        "electronics",
        "chargers",
        ["65W USB-C Charger", "Wireless Charging Pad", "Power Bank 20000mAh", "Car Charger"],
        ["Voltix", "Chargeon"],
        (15, 79),
        12,
        True,
    ),
    (
        "electronics",
        "cables",
        ["USB-C Cable 2m", "HDMI 2.1 Cable", "Lightning Cable 1m"],
        ["Voltix", "Linkr"],
        (8, 29),
        12,
        True,
    ),
    (
        "electronics",
        "wearables",
        ["Smartwatch", "Fitness Tracker"],
        ["Tempo", "Pulse"],
        (49, 399),
        24,
        True,
    ),
    (
        "electronics",
        "computer accessories",
        [
            "Mechanical Keyboard",
            "Wireless Mouse",
            "Full HD Webcam",
            "27-inch Monitor",
            "Laptop Stand",
        ],
        ["Keyforge", "Linkr", "Viewmax"],
        (19, 329),
        24,
        True,
    ),
    (
        "electronics",
        "tablets",
        ["10-inch Tablet", "E-Reader"],
        ["Pagely", "Tabula"],
        (99, 499),
        24,
        True,
    ),
    (
        "electronics",
        "projectors",
        ["Portable Projector"],
        ["Viewmax", "Lumo"],
        (149, 599),
        24,
        True,
    ),
    (
        "home",
        "kitchen",
        [
            "Electric Kettle",
            "Drip Coffee Maker",
            "Espresso Machine",
            "High-Speed Blender",
            "Toaster",
            "Chef's Knife",
            "Non-Stick Frying Pan",
            "Air Fryer",
            "Stand Mixer",
            "Rice Cooker",
        ],
        ["Hearth", "Copperfield", "Kitchara"],
        (19, 449),
        24,
        True,
    ),
    (
        "home",
        "bedding",
        ["Cotton Duvet Cover", "Memory Foam Pillow", "Linen Sheet Set"],
        ["Slumbra", "Linenhouse"],
        (25, 159),
        0,
        True,
    ),
    ("home", "bath", ["Bath Towel Set", "Bath Mat"], ["Linenhouse", "Aquella"], (15, 69), 0, True),
    (
        "home",
        "lighting",
        ["LED Desk Lamp", "Floor Lamp", "Smart Bulb 4-Pack"],
        ["Lumo", "Hearth"],
        (19, 189),
        24,
        True,
    ),
    (
        "home",
        "decor",
        ["Scented Candle", "Wall Clock", "Throw Blanket"],
        ["Hearth", "Nordwood"],
        (12, 89),
        0,
        True,
    ),
    (
        "apparel",
        "t-shirts",
        ["Organic Cotton T-Shirt", "V-Neck T-Shirt"],
        ["Northline", "Urbanthread"],
        (12, 39),
        0,
        True,
    ),
    ("apparel", "shirts", ["Linen Shirt"], ["Northline", "Urbanthread"], (29, 79), 0, True),
    ("apparel", "socks", ["Wool Socks 3-Pack"], ["Trailhead", "Northline"], (12, 29), 0, True),
    (
        "apparel",
        "jeans",
        ["Slim Fit Jeans", "Relaxed Fit Jeans"],
        ["Northline", "Denimco"],
        (39, 119),
        0,
        True,
    ),
    (
        "apparel",
        "hoodies",
        ["Zip Hoodie", "Pullover Hoodie"],
        ["Urbanthread", "Northline"],
        (35, 89),
        0,
        True,
    ),
    (
        "apparel",
        "shoes",
        ["Running Shoes", "Leather Sneakers", "Hiking Boots"],
        ["Stride", "Trailhead"],
        (49, 189),
        6,
        True,
    ),
    (
        "apparel",
        "jackets",
        ["Rain Jacket", "Down Jacket"],
        ["Trailhead", "Northline"],
        (69, 299),
        12,
        True,
    ),
    (
        "apparel",
        "underwear",
        ["Boxer Briefs 3-Pack", "Cotton Briefs 5-Pack"],
        ["Urbanthread"],
        (15, 39),
        0,
        False,
    ),
    ("apparel", "swimwear", ["Swim Shorts", "One-Piece Swimsuit"], ["Aquella"], (25, 79), 0, False),
]
COLOURS = ["black", "white", "navy", "grey", "red", "green"]
CLOTHING_SIZES = ["XS", "S", "M", "L", "XL"]
SHOE_SIZES = [str(size) for size in range(38, 47)]  # EU sizes

CARRIERS = {"UPS": "1Z{}", "DHL": "JD{}", "FedEx": "7{}", "USPS": "94{}"}
# Share of random orders per status. More orders before packing than a real shop has at any
# moment: conversations and tests that change orders each need some of their own.
STATUS_WEIGHTS = {
    "pending": 8,
    "paid": 12,
    "packed": 8,
    "shipped": 12,
    "out_for_delivery": 4,
    "delivered": 40,
    "cancelled": 6,
    "partially_returned": 5,
    "refunded": 5,
}
LOST_SHARE = 0.15  # of shipped orders: long overdue, the carrier lost track (lost parcels)
LOST_DAYS_AGO = (12, 20)  # placed this long ago, so the estimate is past the grace period
SHIPPED_STATES = {"shipped", "out_for_delivery", "delivered", "partially_returned", "refunded"}

FIRST_NAMES = [
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Mateo",
    "Sofia",
    "Lucas",
    "Mia",
    "Ethan",
    "Amelia",
    "Yusuf",
    "Aisha",
    "Kenji",
    "Yuki",
    "Lars",
    "Ingrid",
    "Diego",
    "Lucia",
    "Omar",
    "Leila",
    "Jonas",
    "Clara",
    "Ravi",
    "Priya",
    "Tomasz",
    "Zofia",
    "Hugo",
    "Elena",
    "Felix",
    "Nora",
]
LAST_NAMES = [
    "Smith",
    "Garcia",
    "Müller",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Johansson",
    "Tanaka",
    "Silva",
    "Dubois",
    "Novak",
    "Patel",
    "Haddad",
    "O'Brien",
    "Schmidt",
    "Martin",
    "Lopez",
    "Kim",
    "Andersen",
]
PLACES = [
    ("New York", "10001", "US"),
    ("Austin", "73301", "US"),
    ("Seattle", "98101", "US"),
    ("Toronto", "M5H 2N2", "CA"),
    ("London", "EC1A 1BB", "GB"),
    ("Manchester", "M1 1AE", "GB"),
    ("Berlin", "10115", "DE"),
    ("Munich", "80331", "DE"),
    ("Paris", "75001", "FR"),
    ("Amsterdam", "1012 JS", "NL"),
    ("Madrid", "28001", "ES"),
    ("Milan", "20121", "IT"),
]
STREETS = ["Main Street", "Oak Avenue", "High Street", "Station Road", "Park Lane", "Mill Road"]
PAYMENT_METHODS = ["card", "card", "card", "paypal", "apple_pay", "gift_card"]
FREE_SHIPPING_FROM_CENTS = 5000
STANDARD_SHIPPING_CENTS = 499
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.co.uk", "shop.example.de"]

# Hand-written demo customers and orders: (email, name, [(order id, status, days ago, lines)]).
# `lines` are (subcategory, quantity) when the demo needs a particular order (several lines,
# an apparel line with a size); empty for random lines.
DEMO_CUSTOMERS = [
    (
        "anna.becker@example.com",
        "Anna Becker",
        [
            (100234, "shipped", 3, []),
            (100235, "delivered", 12, [("speakers", 1), ("shoes", 1)]),
            (100236, "paid", 1, [("headphones", 1), ("t-shirts", 2)]),
        ],
    ),
    (
        "ben.carter@example.com",
        "Ben Carter",
        [
            (100310, "out_for_delivery", 4, []),
            (100311, "pending", 0, [("kitchen", 1), ("jeans", 1)]),
            (100312, "packed", 1, []),
        ],
    ),
    (
        "chloe.dubois@example.org",
        "Chloe Dubois",
        [
            (100400, "cancelled", 20, []),
            (100401, "refunded", 45, []),
            (100402, "delivered", 40, []),
        ],
    ),
]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 22), rng.randrange(60)))


def _sizes(category: str, subcategory: str) -> str | None:
    if subcategory == "shoes":
        return ",".join(SHOE_SIZES)
    return ",".join(CLOTHING_SIZES) if category == "apparel" else None


# The demo database's seed: build_products(random.Random(DEMO_SEED)) gives its catalog.
DEMO_SEED = 20261123


def build_products(rng: random.Random) -> List[Product]:
    products: List[Product] = []
    for category, subcategory, names, brands, (low, high), warranty, returnable in CATALOG:
        for name in names:
            for brand in brands:
                picked = rng.sample(COLOURS, rng.randint(1, 4))
                price = rng.randrange(low, high + 1) - 0.01
                products.append(
                    Product(
                        sku=f"{category[:2].upper()}-{len(products) + 1:04d}",
                        name=f"{brand} {name}",
                        category=category,
                        subcategory=subcategory,
                        price_cents=int(round(price * 100)),
                        stock=rng.choice([0, 3, 8, 15, 40, 120]),
                        warranty_months=warranty,
                        returnable=returnable,
                        colours=",".join(c for c in COLOURS if c in picked),  # catalogue order
                        sizes=_sizes(category, subcategory),
                    )
                )
    return products


def build_customers(rng: random.Random, anchor: date) -> List[Customer]:
    customers = [
        Customer(email=email, name=name, created_at=_at(anchor - timedelta(days=400), rng))
        for email, name, _ in DEMO_CUSTOMERS
    ]
    seen = {c.email for c in customers}
    while len(customers) < CUSTOMER_COUNT:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "").replace("ü", "ue")
        email = f"{local}{rng.choice(['', str(rng.randrange(1, 99))])}@{rng.choice(DOMAINS)}"
        if email in seen:
            continue
        seen.add(email)
        days = rng.randrange(30, 900)
        customers.append(
            Customer(
                email=email,
                name=f"{first} {last}",
                created_at=_at(anchor - timedelta(days=days), rng),
            )
        )
    for customer in customers:
        for index in range(rng.choice([1, 1, 2])):
            city, postcode, country = rng.choice(PLACES)
            customer.addresses.append(
                Address(
                    line1=f"{rng.randrange(1, 300)} {rng.choice(STREETS)}",
                    city=city,
                    postcode=postcode,
                    country=country,
                    is_default=index == 0,
                )
            )
        customer.newsletter = rng.random() < 0.3
    return customers


def _days_ago_for(status: str, rng: random.Random) -> int:
    if status == "shipped" and rng.random() < LOST_SHARE:
        return rng.randrange(*LOST_DAYS_AGO)
    return {
        "pending": rng.randrange(0, 2),
        "paid": rng.randrange(0, 3),
        "packed": rng.randrange(1, 3),
        "shipped": rng.randrange(2, 5),
        "out_for_delivery": rng.randrange(3, 7),
    }.get(status, rng.randrange(6, 120))


def _line(product: Product, quantity: int, rng: random.Random) -> OrderItem:
    """A line with one of the product's colours, and a size for apparel."""
    sizes = product.size_options
    return OrderItem(
        product=product,
        quantity=quantity,
        unit_price_cents=product.price_cents,
        colour=rng.choice(product.colour_options),
        size=rng.choice(sizes) if sizes else None,
    )


def _random_lines(products: List[Product], rng: random.Random) -> List[OrderItem]:
    return [
        _line(product, rng.choice([1, 1, 1, 2]), rng)
        for product in rng.sample(products, rng.choice([1, 1, 1, 2, 2, 3]))
    ]


def _demo_lines(
    specs: List[Tuple[str, int]], products: List[Product], rng: random.Random
) -> List[OrderItem]:
    return [
        _line(rng.choice([p for p in products if p.subcategory == sub]), quantity, rng)
        for sub, quantity in specs
    ]


def _order(
    order_id: int,
    customer: Customer,
    status: str,
    days_ago: int,
    lines: List[OrderItem],
    rng: random.Random,
    anchor: date,
) -> Order:
    placed = _at(anchor - timedelta(days=days_ago), rng)
    order = Order(
        id=order_id,
        customer=customer,
        status=status,
        placed_at=placed,
        currency="USD",
        total_cents=0,
    )
    order.items.extend(lines)
    items_cents = sum(i.quantity * i.unit_price_cents for i in order.items)
    order.shipping_cents = 0 if items_cents >= FREE_SHIPPING_FROM_CENTS else STANDARD_SHIPPING_CENTS
    order.total_cents = items_cents + order.shipping_cents
    order.payment_method = rng.choice(PAYMENT_METHODS)
    address = customer.addresses[0]
    order.ship_line1, order.ship_city = address.line1, address.city
    order.ship_postcode, order.ship_country = address.postcode, address.country
    if status != "pending":
        order.invoice = Invoice(
            number=f"INV-{order_id}",
            issued_at=placed,
            total_cents=order.total_cents,
            tax_cents=included_tax_cents(order.total_cents),
        )
    if status in SHIPPED_STATES:
        carrier = rng.choice(sorted(CARRIERS))
        shipped_day = placed.date() + timedelta(days=1)
        eta = shipped_day + timedelta(days=rng.randrange(2, 5))
        delivered = None
        if status not in {"shipped", "out_for_delivery"}:
            delivered = _at(min(eta, anchor), rng)
        if status == "out_for_delivery":
            eta = anchor
        elif delivered is None and days_ago < LOST_DAYS_AGO[0]:
            eta = max(eta, anchor)  # on its way: due today or later
        order.shipment = Shipment(
            carrier=carrier,
            tracking_number=CARRIERS[carrier].format(
                "".join(str(rng.randrange(10)) for _ in range(14))
            ),
            shipped_at=_at(shipped_day, rng),
            estimated_delivery=eta,
            delivered_at=delivered,
        )
        _add_tracking_events(order.shipment, order, rng)
    if status in {"partially_returned", "refunded"}:
        _add_return(order, status, rng)
    return order


def _add_tracking_events(shipment: Shipment, order: Order, rng: random.Random) -> None:
    shipped = shipment.shipped_at
    steps = [
        (shipped, "Warehouse", "Label created, parcel handed to the carrier"),
        (shipped + timedelta(hours=9), "Sorting centre", "In transit"),
    ]
    if order.status != "shipped":
        steps.append(
            (
                datetime.combine(shipment.estimated_delivery, time(7, 30)),
                order.ship_city,
                "Out for delivery",
            )
        )
    if shipment.delivered_at:
        steps.append((shipment.delivered_at, order.ship_city, "Delivered"))
    shipment.events = [
        ShipmentEvent(at=at, location=where, description=what) for at, where, what in steps
    ]


def _add_return(order: Order, status: str, rng: random.Random) -> None:
    """A completed return: one unit of one line (partial), or everything (refunded)."""
    reason = rng.choice(["changed_mind", "does_not_fit", "damaged", "wrong_item"])
    if status == "partially_returned":
        items = [ReturnItem(order_item=order.items[0], quantity=1)]
    else:
        items = [ReturnItem(order_item=line, quantity=line.quantity) for line in order.items]
    fee = return_fee_cents(reason)
    delivered = order.shipment.delivered_at
    ret = Return(
        rma_number=f"RMA-{order.id}-1",
        reason=reason,
        condition="unopened",
        state="refunded",
        fee_cents=fee,
        created_at=delivered + timedelta(days=3),
        received_at=delivered + timedelta(days=6),
        request_key=f"seed-return-{order.id}",
        items=items,
    )
    amount = refund_amount_cents(
        [RefundLine(i.order_item.unit_price_cents, i.quantity) for i in items],
        reason,
        fee,
        shipping_paid_cents=order.shipping_cents,
        whole_order=status == "refunded",
    )
    order.returns.append(ret)
    order.refunds.append(
        Refund(
            ret=ret,
            amount_cents=amount,
            method=order.payment_method,
            state="issued",
            requested_at=ret.created_at,
            issued_at=ret.received_at + timedelta(days=2),
            request_key=f"seed-refund-{order.id}",
        )
    )


def build_orders(
    rng: random.Random, anchor: date, customers: List[Customer], products: List[Product]
) -> List[Order]:
    orders: Dict[int, Order] = {}
    for customer, (_, _, demo_orders) in zip(customers, DEMO_CUSTOMERS):
        for order_id, status, days_ago, specs in demo_orders:
            lines = _demo_lines(specs, products, rng) if specs else _random_lines(products, rng)
            orders[order_id] = _order(order_id, customer, status, days_ago, lines, rng, anchor)
    statuses, weights = zip(*STATUS_WEIGHTS.items())
    # A few customers order a lot (weighted choice), as in a real shop.
    customer_weights = [12 if i in (1, 5, 9) else 1 for i in range(len(customers))]
    for order_id in range(FIRST_ORDER_ID, FIRST_ORDER_ID + ORDER_COUNT):
        if order_id in orders:
            continue
        status = rng.choices(statuses, weights)[0]
        customer = rng.choices(customers, customer_weights)[0]
        days_ago = _days_ago_for(status, rng)
        lines = _random_lines(products, rng)
        orders[order_id] = _order(order_id, customer, status, days_ago, lines, rng, anchor)
    return [orders[k] for k in sorted(orders)]


def seed(
    session: Session, anchor: date | None = None, seed_value: int = DEMO_SEED
) -> Tuple[int, int, int]:
    """Fills an empty database. Returns (products, customers, orders)."""
    anchor = anchor or clock.today()
    rng = random.Random(seed_value)
    products = build_products(rng)
    customers = build_customers(rng, anchor)
    session.add_all(products + customers)
    session.flush()
    orders = build_orders(rng, anchor, customers, products)
    # Added after their customers are stored, so that rows are written in order-number
    # order on every engine (not grouped by customer): unordered reads see the same shop.
    session.add_all(orders)
    session.flush()
    return len(products), len(customers), len(orders)
