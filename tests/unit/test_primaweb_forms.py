"""Sums of a reimbursement form, the SPP IS page tokens, and the texts in four languages."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest

from services.primaweb import spp, texts
from services.primaweb.errors import InvalidArgument, Violation
from services.primaweb.forms import total_amount


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 1, 1), date(2026, 1, 31), "1263.17"),  # a whole month is the monthly amount
    (date(2026, 1, 1), date(2026, 6, 30), "7579.02"),
    (date(2026, 2, 1), date(2026, 2, 14), "631.59"),  # 14/28 of it, rounded half-up
    (date(2026, 1, 15), date(2026, 2, 14), "1324.30"),  # 17/31 (692.71) + 14/28 (631.59)
    (date(2028, 2, 29), date(2028, 2, 29), "43.56"),  # 1/29 in a leap year
])
def test_the_amount_of_a_period_is_prorated_per_calendar_month(start, end, expected):
    assert total_amount(Decimal("1263.17"), start, end) == Decimal(expected)


def test_page_tokens_are_opaque_and_checked():
    token = spp.encode_token(41)
    assert "41" not in token and spp.decode_token(token) == 41
    for bad in ("", "abc", "c2VudDp4", spp.encode_token(1).upper(), "sent:3"):
        with pytest.raises(InvalidArgument):
            spp.decode_token(bad)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_exists_in_the_four_languages_with_the_same_values():
    for table in (texts.ERRORS, texts.SUMMARIES):
        for code, variants in table.items():
            assert set(variants) == set(texts.LANGUAGES), code
            assert len({frozenset(_fields(t)) for t in variants.values()}) == 1, code


def test_values_are_formatted_for_the_language():
    details = {"decision": 2, "decided_on": "2026-03-21", "outcome": "granted", "monthly_amount": "1263.17",
               "period_start": "2026-04-01", "period_end": "2026-09-30"}
    assert texts.summary("decision-recorded/granted", details, "fr") == (
        "Décision n° 2 du 21/03/2026 : octroi de 1\u202f263,17 € par mois du 01/04/2026 au 30/09/2026")
    assert "€ 1.263,17" in texts.summary("decision-recorded/granted", details, "nl")
    assert "1.263,17 €" in texts.summary("decision-recorded/granted", details, "de")
    assert texts.describe([Violation("form_id", "form-not-draft", {"status": "sent"})], "de").startswith(
        "form_id: das Formular ist gesendet")
    assert texts.message("amount-max", {"max": Decimal("10000.00")}, "en") == "at most €10,000.00"
