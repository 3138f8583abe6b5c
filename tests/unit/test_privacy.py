"""Personal data is redacted from log records and exported text (shopassist/privacy.py)."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from shopassist.privacy import RedactPersonalData, redact, redact_record

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, hidden, kept",
    [
        ("mail anna.becker@example.com now", "anna.becker@example.com", "mail"),
        ("call me on +44 20 7946 0958", "7946 0958", "call me on"),
        ("my number is 020 7946 0958", "7946", "my number is"),
        ("card 4242 4242 4242 4242 please", "4242 4242", "card"),
        ("the visa ending in 4242", "4242", "visa ending in"),
        ("ship it to 221B Baker Street, London", "Baker Street", "London"),
        ("Lieferung an Hauptstraße 5, Berlin", "Hauptstraße 5", "Berlin"),
        ("GET /conversations/x/tracker?token=s3cr3t&a=1", "s3cr3t", "a=1"),
        ("Authorization: Bearer abcdefghijkl", "abcdefghijkl", "Authorization"),
    ],
)
def test_personal_data_is_replaced(text, hidden, kept):
    result = redact(text)
    assert hidden not in result and kept in result


@pytest.mark.parametrize(
    "text",
    [
        "order #100234 total $181.98",
        "order ORD-100234 placed on 2026-11-24 10:00",
        "confidence 0.9876543210 for intent order_status",
        "3 items, 2 returns, 12 days",
    ],
)
def test_order_facts_and_figures_are_kept(text):
    assert redact(text) == text


def test_a_log_record_is_redacted_with_its_arguments_and_traceback():
    try:
        raise ValueError("no customer anna.becker@example.com")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "lookup for %s", ("ben@example.com",),
            sys.exc_info(),
        )  # fmt: skip
    redact_record(redact_record(record))  # twice: idempotent
    assert record.getMessage() == "lookup for [email]"
    assert "anna.becker" not in record.exc_text and "[email]" in record.exc_text


def test_rasas_logging_config_redacts_every_logger():
    """deploy/logging.yml, as `rasa run --logging-config-file` reads it, in a fresh process."""
    script = (
        "import logging, sys\n"
        "from rasa.utils.common import configure_logging_from_file\n"
        "configure_logging_from_file('deploy/logging.yml')\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO, format='%(message)s')\n"
        "logging.getLogger('rasa.core.processor').info('user said %s', 'x@example.com')\n"
        "logging.getLogger('sanic.access').info('GET /x?token=abc123')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "user said [email]" in result.stdout and "token=[secret]" in result.stdout
    assert "x@example.com" not in result.stdout and "abc123" not in result.stdout


def test_the_filter_redacts_too():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "to %s", ("a@b.co",), None)
    assert RedactPersonalData().filter(record) and record.getMessage() == "to [email]"


def test_warnings_go_through_the_redacting_logs():
    """Rasa's warnings quote customer text; they reach stderr only through the logs."""
    script = (
        "import logging, warnings\n"
        "from shopassist.privacy import install_log_redaction\n"
        "install_log_redaction()\n"
        "logging.basicConfig()\n"
        'warnings.warn("Failed to parse arguments in line \'/inform{\\"verified_email\\": '
        '\\"anna.becker@example.com\\"}\'")\n'
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert "Failed to parse arguments" in result.stderr
    assert "[email]" in result.stderr and "anna.becker" not in result.stderr
