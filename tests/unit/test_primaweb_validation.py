"""The values PrimaWeb accepts: identifiers, amounts (exact decimals), dates, periods,
request ids, name search keys, and the actor of a request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.primaweb import gates, validation
from services.primaweb.errors import InvalidArgument, PermissionDenied


def code_of(call) -> str:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.code


def test_birth_date_and_sex_come_from_the_national_register_number():
    assert validation.nrn("nrn", "85073003328") == "85073003328"
    assert validation.birth_date("85073003328") == date(1985, 7, 30) and validation.sex("85073003328") == "M"
    assert validation.birth_date("01050999581") == date(2001, 5, 9)  # born in 2000 or later: "2" prefix in the check
    assert validation.sex("85031499897") == "F"
    assert code_of(lambda: validation.nrn("nrn", "85.07.30-033.28")) == "nrn-format"
    assert code_of(lambda: validation.nrn("nrn", "85073003329")) == "nrn-invalid"
    assert code_of(lambda: validation.nrn("nrn", "")) == "required"


@pytest.mark.parametrize(("text", "expected"), [
    ("1234.56", Decimal("1234.56")), ("842", Decimal("842.00")), ("842.5", Decimal("842.50")),
    ("0.01", Decimal("0.01")), ("10000", Decimal("10000.00")),
])
def test_amounts_are_parsed_as_exact_decimals(text, expected):
    parsed = validation.amount("monthly_amount", text)
    assert parsed == expected and isinstance(parsed, Decimal) and parsed.as_tuple().exponent == -2
    assert validation.euros(parsed) == f"{expected:.2f}"


@pytest.mark.parametrize(("text", "code"), [
    ("0", "amount-positive"), ("0.00", "amount-positive"), ("10000.01", "amount-max"), ("12.345", "amount-format"),
    ("1,50", "amount-format"), ("-1", "amount-format"), ("1e3", "amount-format"), ("NaN", "amount-format"),
    (" 12", "amount-format"), ("", "required"), ("1 234.00", "amount-format"),
])
def test_bad_amounts_are_refused_with_a_code(text, code):
    assert code_of(lambda: validation.amount("monthly_amount", text)) == code


def test_dates_request_ids_file_numbers_and_form_ids():
    assert validation.iso_date("d", "2026-02-28") == date(2026, 2, 28)
    assert code_of(lambda: validation.iso_date("d", "2026-02-30")) == "date-format"
    assert code_of(lambda: validation.iso_date("d", "28/02/2026")) == "date-format"
    assert validation.iso_date("d", "", required=False) is None
    assert validation.request_id("request_id", "0b5e6a3c-1d2f-4e5a-9b8c-7d6e5f4a3b2c")
    assert code_of(lambda: validation.request_id("request_id", "short")) == "request-id-format"
    assert code_of(lambda: validation.request_id("request_id", "has space in it")) == "request-id-format"
    assert validation.file_number("n", "2026/000123") == "2026/000123"
    assert code_of(lambda: validation.file_number("n", "2026/123")) == "file-number-format"
    assert validation.form_id("f", "0B5E6A3C-1D2F-4E5A-9B8C-7D6E5F4A3B2C") == "0b5e6a3c-1d2f-4e5a-9b8c-7d6e5f4a3b2c"
    assert code_of(lambda: validation.form_id("f", "0b5e6a3c1d2f4e5a9b8c7d6e5f4a3b2c")) == "form-id-format"
    assert code_of(lambda: validation.postal_code("p", "0999")) == "postal-code"
    assert code_of(lambda: validation.page(1, 101)) == "page-size"
    assert validation.page(0, 0) == validation.Page(1, 20) and validation.Page(3, 20).offset == 40


def test_name_keys_ignore_case_accents_and_spaces():
    assert validation.name_key("  Élise  Van-Dam ") == "elise van-dam"
    assert validation.name_key("ÇA ÖZTÜRK") == "ca ozturk"
    assert validation.name_key("Straße") == "strasse"


def test_months_are_added_to_the_last_day_when_needed():
    assert validation.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert validation.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert validation.add_months(date(2026, 3, 1), -3) == date(2025, 12, 1)


def test_the_actor_is_checked_field_by_field_and_all_at_once():
    with pytest.raises(InvalidArgument) as err:
        gates.actor("123", "0999000128", "chef", ["consultation", "tout"], "x" * 201, "it")
    assert [v.field for v in err.value.violations] == [
        "actor.acting_nrn", "actor.entity_id", "actor.role", "actor.profiles", "actor.display_name", "actor.language"]
    anne = gates.actor("83032122635", "0999000129", "agent-social", ["encodage-ris"], "", "")
    assert anne.name == "83032122635" and anne.language == "fr"


def test_the_gate_table():
    def agent(*profiles, role="agent-social"):
        return gates.Actor("83032122635", "0999000129", role, frozenset(profiles), "Anne", "fr")

    assert agent("encodage-ris").may(gates.Action.CHANGE_FILE, gates.LAW_RIS)
    assert not agent("encodage-ris").may(gates.Action.CHANGE_FILE, gates.LAW_AIDE_SOCIALE)
    assert agent("encodage-aide-sociale").may(gates.Action.CHANGE_FILE_ANY_LAW)
    assert agent("consultation").may(gates.Action.VIEW_FORMS)
    assert agent("envoi-formulaires").may(gates.Action.VIEW_FORMS)
    assert not agent("consultation").may(gates.Action.HANDLE_FORMS)
    assert not agent("rapports").may(gates.Action.READ_MESSAGES)
    with pytest.raises(PermissionDenied) as err:
        agent("consultation", role="gestion-primaweb").require(gates.Action.SEARCH_FILES)
    assert err.value.field == "actor.role"
    with pytest.raises(PermissionDenied) as err:
        agent("consultation").require(gates.Action.HANDLE_FORMS)
    assert (err.value.field, err.value.params["profiles"]) == ("actor.profiles", ["envoi-formulaires"])
    # Every action has a gate (CHANGE_FILE through the law).
    for action in gates.Action:
        assert set(gates.profiles_for(action, gates.LAW_RIS)) <= gates.PROFILES
