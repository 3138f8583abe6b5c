"""The help pages, the curated FAQ answers and the policy module tell one story."""

import re
from pathlib import Path

import yaml

from shopassist.knowledge.documents import load_passages
from shopassist.store import policy

ROOT = Path(__file__).parents[2]
KNOWLEDGE = "\n".join(p.text for p in load_passages()).lower()
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
FIGURE = re.compile(r"\$\d+(?:\.\d\d)?|\b\d+ (?:business )?(?:days|hours|months)\b|\d+%")


def money(cents: int) -> str:
    return f"${cents / 100:.2f}"


def test_the_policy_figures_are_on_the_help_pages():
    for figure in (
        f"{policy.RETURN_WINDOW_DAYS} days",
        money(policy.RETURN_SHIPPING_FEE_CENTS),
        money(policy.CANCELLATION_FEE_PACKED_CENTS),
        f"{policy.REFUND_DAYS_AFTER_RECEIPT} business days",
        f"{policy.TAX_PERCENT}%",
    ):
        assert figure.lower() in KNOWLEDGE, figure
    for country in policy.SHIPPING_COUNTRIES.values():
        assert country.lower() in KNOWLEDGE, country


def test_every_figure_in_a_curated_faq_answer_is_on_the_help_pages():
    checked = 0
    for name, variants in RESPONSES.items():
        if not name.startswith("utter_faq/"):
            continue
        for variant in variants:
            for figure in FIGURE.findall(variant.get("text", "")):
                checked += 1
                assert figure.lower() in KNOWLEDGE, f"{name}: {figure}"
    assert checked, "no figure found in the domain's utter_faq/ answers: nothing checked"


def test_the_graded_questions_point_at_passages_that_hold_their_facts():
    questions = yaml.safe_load((ROOT / "tests" / "knowledge" / "policy_questions.yml").read_text())
    passages = load_passages()
    for q in questions["questions"]:
        if not q["answerable"]:
            continue
        sections = [p.text.lower() for p in passages if p.source == q["source"]]
        assert any(all(m.lower() in s for m in q["must_include"]) for s in sections), q["id"]
