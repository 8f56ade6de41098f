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


def test_each_part_is_opened_by_a_profile_that_opens_its_actions():
    from services.primaweb.gates import LAW_AIDE_SOCIALE, LAW_RIS, Action, Actor

    def agent(profile: str) -> Actor:
        return Actor("83032122635", "0999000129", "agent-social", frozenset({profile}), "Anne", "fr")

    actions = {
        "search-files": (Action.SEARCH_FILES, None), "my-files": (Action.SEARCH_FILES, None),
        "new-file-ris": (Action.CHANGE_FILE, LAW_RIS), "new-file-social-aid": (Action.CHANGE_FILE, LAW_AIDE_SOCIALE),
        "forms-to-send": (Action.HANDLE_FORMS, None), "messages": (Action.READ_MESSAGES, None),
    }
    for part in home.PARTS:
        if part.id in actions:
            action, law = actions[part.id]
            assert agent(part.opened_by).may(action, law), part.id
