"""SQLAlchemy models of the shop. Money is stored in integer cents (exact on every engine)."""

from __future__ import annotations

from typing import List

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from shopassist.store.identifiers import new_order_number

Base = declarative_base()


def split_options(text: str | None) -> List[str]:
    """The options of a comma-separated column ("black,navy" -> ["black", "navy"])."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def message_key(timestamp: float) -> str:
    """How an event's timestamp keys a message (ReviewFlag, AnswerFeedback: `message_at`)."""
    return str(float(timestamp))  # str and repr of a float agree and round-trip exactly


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)  # stored lower-case
    name = Column(String(120), nullable=False)
    created_at = Column(DateTime, nullable=False)
    phone = Column(String(40), nullable=True)
    newsletter = Column(Boolean, nullable=False, default=False, server_default="0")

    orders = relationship("Order", back_populates="customer", order_by="Order.placed_at")
    addresses = relationship("Address", back_populates="customer", order_by="Address.id")


class Address(Base):
    """A customer's saved address; orders keep their own copy of where they ship."""

    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    line1 = Column(String(120), nullable=False)
    line2 = Column(String(120), nullable=True)
    city = Column(String(80), nullable=False)
    postcode = Column(String(20), nullable=False)
    country = Column(String(2), nullable=False)  # ISO 3166-1 alpha-2
    is_default = Column(Boolean, nullable=False, default=False)

    customer = relationship("Customer", back_populates="addresses")


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(32), nullable=False, unique=True)
    name = Column(String(160), nullable=False)
    category = Column(String(40), nullable=False)  # electronics | home | apparel
    subcategory = Column(String(60), nullable=False)
    price_cents = Column(Integer, nullable=False)
    stock = Column(Integer, nullable=False)
    warranty_months = Column(Integer, nullable=False)
    returnable = Column(Boolean, nullable=False)
    # Comma-separated options the customer picks from; sizes only for apparel.
    colours = Column(String(200), nullable=True)  # e.g. "black,navy,grey"
    sizes = Column(String(200), nullable=True)  # e.g. "XS,S,M,L,XL" or "38,39,...,46"

    @property
    def colour_options(self) -> List[str]:
        return split_options(self.colours)

    @property
    def size_options(self) -> List[str]:
        return split_options(self.sizes)


class Order(Base):
    __tablename__ = "orders"

    # The customer-facing number: a new order without one gets a random unused number.
    id = Column(
        Integer,
        primary_key=True,
        autoincrement=False,
        default=lambda context: new_order_number(context.connection),
    )
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    status = Column(String(30), nullable=False)
    placed_at = Column(DateTime, nullable=False)
    total_cents = Column(Integer, nullable=False)
    currency = Column(String(3), nullable=False, default="USD")
    shipping_cents = Column(Integer, nullable=False, default=0, server_default="0")
    payment_method = Column(String(20), nullable=False, default="card", server_default="card")
    # Where this order ships: a copy, so later edits of saved addresses do not move it.
    ship_line1 = Column(String(120), nullable=True)
    ship_city = Column(String(80), nullable=True)
    ship_postcode = Column(String(20), nullable=True)
    ship_country = Column(String(2), nullable=True)

    customer = relationship("Customer", back_populates="orders")
    items = relationship("OrderItem", back_populates="order", order_by="OrderItem.id")
    shipment = relationship("Shipment", back_populates="order", uselist=False)
    returns = relationship("Return", back_populates="order", order_by="Return.id")
    refunds = relationship("Refund", back_populates="order", order_by="Refund.id")
    invoice = relationship("Invoice", back_populates="order", uselist=False)


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (UniqueConstraint("order_id", "product_id"),)

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    unit_price_cents = Column(Integer, nullable=False)
    colour = Column(String(20), nullable=True)  # the option the customer chose
    size = Column(String(20), nullable=True)

    order = relationship("Order", back_populates="items")
    product = relationship("Product")


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, unique=True)
    carrier = Column(String(40), nullable=False)
    tracking_number = Column(String(40), nullable=False)
    shipped_at = Column(DateTime, nullable=False)
    estimated_delivery = Column(Date, nullable=False)
    delivered_at = Column(DateTime, nullable=True)

    order = relationship("Order", back_populates="shipment")
    events = relationship("ShipmentEvent", back_populates="shipment", order_by="ShipmentEvent.at")


class ShipmentEvent(Base):
    __tablename__ = "shipment_events"

    id = Column(Integer, primary_key=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id"), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    location = Column(String(80), nullable=False)
    description = Column(String(160), nullable=False)

    shipment = relationship("Shipment", back_populates="events")


class Return(Base):
    """A return authorization (RMA). `request_key` makes creating one idempotent."""

    __tablename__ = "returns"

    id = Column(Integer, primary_key=True)
    rma_number = Column(String(20), nullable=False, unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    reason = Column(String(30), nullable=False)
    condition = Column(String(30), nullable=False)  # unopened | opened | damaged
    state = Column(String(20), nullable=False)  # authorized | received | refunded | rejected
    fee_cents = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    received_at = Column(DateTime, nullable=True)
    request_key = Column(String(64), nullable=False, unique=True)

    order = relationship("Order", back_populates="returns")
    items = relationship("ReturnItem", back_populates="ret", order_by="ReturnItem.id")
    refund = relationship("Refund", back_populates="ret", uselist=False)


class ReturnItem(Base):
    __tablename__ = "return_items"

    id = Column(Integer, primary_key=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    order_item_id = Column(Integer, ForeignKey("order_items.id"), nullable=False, index=True)
    quantity = Column(Integer, nullable=False)

    ret = relationship("Return", back_populates="items")
    order_item = relationship("OrderItem")


class Refund(Base):
    __tablename__ = "refunds"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=True, unique=True)
    amount_cents = Column(Integer, nullable=False)
    method = Column(String(20), nullable=False)  # the order's payment method
    state = Column(String(20), nullable=False)  # pending | issued
    requested_at = Column(DateTime, nullable=False)
    issued_at = Column(DateTime, nullable=True)
    request_key = Column(String(64), nullable=False, unique=True)

    order = relationship("Order", back_populates="refunds")
    ret = relationship("Return", back_populates="refund")


class Invoice(Base):
    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
    number = Column(String(20), nullable=False, unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, unique=True)
    issued_at = Column(DateTime, nullable=False)
    total_cents = Column(Integer, nullable=False)
    tax_cents = Column(Integer, nullable=False)

    order = relationship("Order", back_populates="invoice")


class AuditLog(Base):
    """Every change the assistant makes, written in the same transaction as the change."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    actor = Column(String(80), nullable=False)  # e.g. "assistant:<conversation id>"
    action = Column(String(40), nullable=False)  # e.g. "return.create"
    entity = Column(String(40), nullable=False)
    entity_id = Column(String(40), nullable=False)
    details = Column(Text, nullable=False)  # JSON


class IdentityFailure(Base):
    """One failed identity check (order number and e-mail that did not match).

    Counted per conversation, client, order number and e-mail address to limit guessing
    across conversations (shopassist.store.identity); written for unknown numbers and
    addresses too, so the limits reveal nothing about existence.
    """

    __tablename__ = "identity_failures"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    order_number = Column(String(20), nullable=False, index=True)
    conversation = Column(String(80), nullable=False, index=True)
    client = Column(String(80), nullable=True, index=True)  # null: before clients were counted
    email_key = Column(String(64), nullable=True, index=True)  # SHA-256 of the address tried


class HandoffTicket(Base):
    """A conversation handed to a person: why, who (if proven), and the transcript so far.

    One open ticket per conversation: asking again updates it instead of queueing a second.
    """

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    conversation = Column(String(80), nullable=False, index=True)
    reason = Column(String(20), nullable=False)  # asked, misunderstood, upset
    status = Column(String(20), nullable=False, default="open", server_default="open")
    customer_email = Column(String(254), nullable=True)  # only once proven in the chat
    order_number = Column(String(20), nullable=True)  # only once proven in the chat
    # The conversation's language (en, de, fr, es, zh), so that a colleague who speaks it
    # takes the ticket; NULL for tickets opened before it was recorded (unknown).
    language = Column(String(8), nullable=True, index=True)
    transcript = Column(Text, nullable=False)  # JSON: [{"at", "who", "text"}, ...]
    # The summary for the colleague, written when the ticket opened or was refreshed
    # (shopassist.dialogue.handoff_summary): who wrote it ("template" or the model's name)
    # and the check's verdict on a model's ("passed", "failed", "none"). NULL for tickets
    # opened before it was stored: the console writes the template's from the transcript.
    summary = Column(Text, nullable=True)
    summary_by = Column(String(120), nullable=True)
    summary_check = Column(String(10), nullable=True)
    agent = Column(String(60), nullable=True)  # the console user who took it over
    created_at = Column(DateTime, nullable=False, index=True)
    updated_at = Column(DateTime, nullable=False)


class ConversationRating(Base):
    """The customer's rating of a conversation (1-5), asked for when they are done."""

    __tablename__ = "conversation_ratings"

    id = Column(Integer, primary_key=True)
    conversation = Column(String(80), nullable=False, index=True)
    score = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, index=True)


class ConsoleUser(Base):
    """A support agent or reviewer who logs in to the console (shopassist.console)."""

    __tablename__ = "console_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(60), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)  # scrypt, see console.accounts
    created_at = Column(DateTime, nullable=False)
    # What customers see of the agent in a takeover (shopassist.console.profiles); never
    # the user name. None: "Customer service" with an initials avatar.
    display_name = Column(String(40), nullable=True)
    avatar = Column(String(40), nullable=True)  # "initials:<colour>" or "image:<name>"
    # At the takeover desk until then: renewed by the open handoff queue's heartbeat
    # (shopassist.store.presence).
    available_until = Column(DateTime, nullable=True, index=True)


class ConsoleSession(Base):
    """A logged-in browser: only the token's SHA-256 is kept, so a leaked table logs nobody in."""

    __tablename__ = "console_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("console_users.id"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)


class ConsoleLoginFailure(Base):
    """One wrong password, counted per user name and per address to slow guessing."""

    __tablename__ = "console_login_failures"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    username = Column(String(60), nullable=False, index=True)
    address = Column(String(64), nullable=False, index=True)


class ReviewFlag(Base):
    """A customer message a reviewer flagged for annotation, and what became of it."""

    __tablename__ = "review_flags"

    id = Column(Integer, primary_key=True)
    conversation = Column(String(80), nullable=False, index=True)
    message_at = Column(String(40), nullable=False)  # message_key(the event's timestamp)
    text = Column(Text, nullable=False)
    status = Column(String(20), nullable=False, default="flagged")  # flagged, annotated, dismissed
    reviewer = Column(String(60), nullable=False)
    created_at = Column(DateTime, nullable=False)
    __table_args__ = (UniqueConstraint("conversation", "message_at", name="uq_review_flag"),)


class AnswerFeedback(Base):
    """A customer's thumbs up or down on one of the assistant's answers in the web chat.

    One row per answer (the bot event's timestamp in its conversation): a later click on the
    same answer changes the value. The answer's text stays in the tracker store (encrypted
    there when that is on); `answer` only names what wrote it, to group answers by.
    """

    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("conversation", "message_at", name="uq_answer_feedback"),)

    id = Column(Integer, primary_key=True)
    conversation = Column(String(80), nullable=False, index=True)
    message_at = Column(String(40), nullable=False)  # message_key(the bot event's timestamp)
    answer = Column(String(80), nullable=False)  # e.g. "utter_shipping_policy"
    value = Column(String(4), nullable=False)  # up | down
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False, index=True)


class ReturnPhoto(Base):
    """A photo of damaged goods a customer added to their return in the web chat.

    Stored here, with the return, rather than in a folder: the Rasa servers that receive
    photos and the console that shows them run on different machines, and the order
    database is the one store they share (and back up). Only the re-encoded image is kept
    (shopassist.store.return_photos): no metadata of the upload, no location.
    """

    __tablename__ = "return_photos"
    __table_args__ = (UniqueConstraint("return_id", "sha256", name="uq_return_photo"),)

    id = Column(Integer, primary_key=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    conversation = Column(String(80), nullable=False, index=True)  # where it was uploaded
    content_type = Column(String(20), nullable=False)  # of `data`: image/jpeg
    source_type = Column(String(20), nullable=False)  # what was uploaded: jpeg, png or webp
    size_bytes = Column(Integer, nullable=False)  # of `data`
    width = Column(Integer, nullable=False)
    height = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)  # of `data`
    data = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False)

    ret = relationship("Return")


class ProductCopy(Base):
    """One saved version of a product's description on the shop page (marketing copy).

    Written in the console (shopassist.console.product_copy): drafted from the catalog's
    facts by the template or a model, checked, edited by a person and saved. Every save adds
    a row, so earlier versions and their authors stay; the shop shows the newest.
    """

    __tablename__ = "product_copy"

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    text = Column(Text, nullable=False)  # plain text, shown escaped
    written_by = Column(String(120), nullable=False)  # "template", the model's name, "person"
    edited_by = Column(String(60), nullable=False)  # the console user who saved it
    # The checker's verdict on the saved text: "passed", or "confirmed" when the person
    # saved it with what `flagged` lists (JSON list of the checker's problems).
    verdict = Column(String(20), nullable=False)
    flagged = Column(Text, nullable=False, default="[]", server_default="[]")
    created_at = Column(DateTime, nullable=False, index=True)

    product = relationship("Product")
