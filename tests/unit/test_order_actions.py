"""Order status and recent orders, for the verified owner only, from the real test database."""

from actions.orders import ActionListOrders, ActionOrderStatus
from shopassist.generation.empathy import ACKNOWLEDGEMENT
from shopassist.store.carriers import tracking_url
from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts, recent_orders
from tests.actions_kit import make_tracker, run


def test_status_answer_is_read_from_the_database(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    result = run(
        ActionOrderStatus(), make_tracker({"order_id": "100234", "verified_order": "100234"})
    )
    assert facts.carrier in result.text and facts.tracking_number in result.text
    assert "shipped" in result.text


def test_the_web_chat_gets_the_answer_once_with_a_card_of_the_same_facts(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    slots = {"order_id": "100234", "verified_order": "100234"}
    rest = run(ActionOrderStatus(), make_tracker(slots))
    assert not any(m.get("custom") for m in rest.messages)  # REST and shell: text only
    web = run(ActionOrderStatus(), make_tracker(slots, channel="socketio"))
    (message,) = web.messages  # one answer: the chat draws its card in the text's place
    assert message["text"] == rest.text
    card = message["custom"]["data"]["order_card"]
    assert card["title"] == "Order #100234" and card["status"] == "Shipped"
    assert ["Carrier", facts.carrier] in card["rows"]
    tracking = next(row for row in card["rows"] if row[0] == "Tracking")
    assert tracking == [
        "Tracking",
        facts.tracking_number,
        tracking_url(facts.carrier, facts.tracking_number),
    ]
    assert tracking[2].startswith("https://") and facts.tracking_number in tracking[2]
    assert card["items"] == facts.items
    assert "note" not in card  # nothing beyond the facts to say


def test_the_card_keeps_what_the_text_says_beyond_the_facts(use_db, db_url):
    slots = {"order_id": "100234", "verified_order": "100234", "sentiment": "negative"}
    web = run(ActionOrderStatus(), make_tracker(slots, channel="socketio"))
    (message,) = web.messages
    assert message["custom"]["data"]["order_card"]["note"].startswith(ACKNOWLEDGEMENT)


def test_the_web_chat_gets_the_recent_orders_as_a_list_of_the_same_orders(use_db, db_url):
    slots = {"verified_email": "anna.becker@example.com"}
    rest = run(ActionListOrders(), make_tracker(slots))
    assert not any(m.get("custom") for m in rest.messages)
    (message,) = run(ActionListOrders(), make_tracker(slots, channel="socketio")).messages
    assert message["text"] == rest.text
    listed = message["custom"]["data"]["order_list"]
    numbers = [o["number"] for o in listed["orders"]]
    assert numbers == [b["title"] for b in message["buttons"]]  # row i is button i
    assert "#100234" in numbers
    row = listed["orders"][numbers.index("#100234")]
    assert row["status"] == "Shipped" and row["total"].startswith("$") and row["placed_on"]


def test_an_upset_owner_hears_an_acknowledgement_before_the_facts(use_db, db_url):
    slots = {"order_id": "100234", "verified_order": "100234", "sentiment": "negative"}
    result = run(ActionOrderStatus(), make_tracker(slots))
    assert result.text.startswith(ACKNOWLEDGEMENT) and "100234" in result.text


def test_no_facts_without_verification(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    result = run(
        ActionOrderStatus(), make_tracker({"order_id": "100234", "verified_order": "100235"})
    )
    assert "couldn't verify" in result.text and facts.tracking_number not in result.text
    assert result.slots["order_id"] is None


def test_locked_checks_say_so(use_db):
    result = run(ActionOrderStatus(), make_tracker({"order_id": "100234", "identity_locked": True}))
    assert "too many attempts" in result.text


def test_database_down_gives_a_useful_message(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run(
        ActionOrderStatus(), make_tracker({"order_id": "100234", "verified_order": "100234"})
    )
    assert "can't reach our order system" in result.text


def test_recent_orders_are_listed_with_a_button_each(use_db, db_url):
    with session_scope(db_url) as session:
        expected = [o.order_id for o in recent_orders(session, "anna.becker@example.com")]
    assert len(expected) == 5 and {"100234", "100236"} <= set(expected)  # her newest five
    result = run(ActionListOrders(), make_tracker({"verified_email": "anna.becker@example.com"}))
    assert all(f"#{order_id}" in result.text for order_id in expected)
    assert "100310" not in result.text  # Ben's
    buttons = result.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/order_status{{"order_id": "{order_id}"}}' for order_id in expected
    ]
    assert result.slots["order_request"] == "status"  # a pick asks for that order's status


def test_no_list_without_proof(use_db):
    result = run(ActionListOrders(), make_tracker({"email": "anna.becker@example.com"}))
    assert "couldn't verify" in result.text and "#100234" not in result.text


def _in_transit_orders(db_url):
    from sqlalchemy import text

    with session_scope(db_url) as session:
        rows = session.execute(
            text("SELECT id FROM orders WHERE status IN ('shipped', 'out_for_delivery')")
        ).all()
        return [order_facts(session, str(row[0])) for row in rows]


def test_a_late_parcel_is_called_late_and_a_person_is_offered(use_db, db_url):
    from shopassist import clock

    facts = next(
        f for f in _in_transit_orders(db_url) if f.estimated_delivery < clock.today()
    )  # the demo data holds overdue parcels (seed.LOST_SHARE)
    slots = {"order_id": facts.order_id, "verified_order": facts.order_id}
    message = run(ActionOrderStatus(), make_tracker(slots)).messages[0]
    assert "It is late" in message["text"]
    assert message["buttons"] == [{"title": "Talk to a person", "payload": "/human_handoff"}]


def test_a_parcel_on_time_gets_its_estimate_and_no_button(use_db, db_url):
    from shopassist import clock

    facts = next(f for f in _in_transit_orders(db_url) if f.estimated_delivery >= clock.today())
    slots = {"order_id": facts.order_id, "verified_order": facts.order_id}
    message = run(ActionOrderStatus(), make_tracker(slots)).messages[0]
    assert "Estimated delivery" in message["text"] and not message.get("buttons")


def test_a_tracking_link_is_the_carriers_page_for_a_plain_tracking_number():
    assert tracking_url("UPS", "1Z999AA10123456784") == (
        "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    )
    assert tracking_url("DHL", "JD0146").startswith("https://www.dhl.com/")
    for carrier, number in [
        ("Pigeon Post", "1Z999"),
        (None, "1Z999"),
        ("UPS", None),
        ("UPS", "1Z 999"),
        ("UPS", "x&url=https://evil.example"),
        ("UPS", "javascript:alert(1)"),
    ]:
        assert tracking_url(carrier, number) is None, (carrier, number)
