"""What each role and profile opens on the PrimaWeb home."""

from __future__ import annotations

import pytest

from services.primaweb import home


def ids(composed: home.Home) -> list[str]:
    return [p.id for p in composed.parts]


def test_a_new_agent_without_profile_gets_a_restricted_home():
    composed = home.compose("agent-social", [])
    assert composed.restricted and composed.parts == ()


def test_each_profile_opens_its_own_parts_in_display_order():
    assert ids(home.compose("agent-social", ["consultation"])) == ["search-files", "my-files"]
    assert ids(home.compose("agent-social", ["rapports", "encodage-ris"])) == ["new-file-ris", "reports"]
    assert "messages" in ids(home.compose("agent-social", ["envoi-formulaires"]))


def test_the_manager_role_opens_profile_management_only():
    composed = home.compose("gestion-primaweb", ["consultation"])
    assert ids(composed) == ["manage-profiles"] and not composed.restricted


def test_every_part_is_titled_in_the_four_languages():
    for part in home.PARTS:
        assert set(part.title) == set(part.description) == set(home.LANGUAGES)


@pytest.mark.parametrize(("role", "profiles", "field"), [
    ("chef", [], "role"), ("agent-social", ["consultation", "tout"], "profiles"),
])
def test_unknown_roles_and_profiles_are_refused(role, profiles, field):
    with pytest.raises(home.UnknownValue, match=f"^{field}:"):
        home.compose(role, profiles)
