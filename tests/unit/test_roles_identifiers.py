"""Identifiers the roles service accepts, and the demo world's enterprise numbers."""

from __future__ import annotations

import pytest
from stdnum.be import vat

from services.roles import demo_data
from services.roles import identifiers as ids
from services.roles.errors import InvalidArgument


def test_a_valid_national_register_number_is_accepted_as_is():
    assert ids.nrn("acting_nrn", "78051408405") == "78051408405"


@pytest.mark.parametrize("value", ["", "78051408406", "78.05.14-084.05", "7805140840", "780514084055", "٧٨٠٥١٤٠٨٤٠٥"])
def test_other_national_register_numbers_are_refused_naming_the_field(value):
    with pytest.raises(InvalidArgument) as err:
        ids.nrn("agent_nrn", value)
    assert str(err.value).startswith("agent_nrn: ")


@pytest.mark.parametrize("value", ["", "BE0999000129", "0999.000.129", "999000129", "0999000128", "2999000129"])
def test_only_canonical_enterprise_numbers_are_accepted(value):
    with pytest.raises(InvalidArgument) as err:
        ids.enterprise_number("enterprise_number", value)
    assert str(err.value).startswith("enterprise_number: ")


def test_the_demo_entities_have_valid_enterprise_numbers():
    for number, *_ in demo_data.ENTITIES:
        assert ids.enterprise_number("enterprise_number", number) == number
        assert vat.is_valid("BE" + number)


def test_names_are_trimmed_and_required():
    assert ids.person_name("first_name", "  Anne ") == "Anne"
    with pytest.raises(InvalidArgument, match="^last_name: "):
        ids.person_name("last_name", "   ")
