"""The language of each page is the request's own, even when one gateway thread serves
requests in several languages one after the other (the template texts are bound to the
request's translations, see services/gateway/i18n.py)."""

from __future__ import annotations

import pytest

from services.gateway.app import create_app


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("GATEWAY_SECRET_KEY", "k" * 40)
    return create_app().test_client()


def heading(reply) -> str:
    text = reply.get_data(as_text=True)
    return text.split("<title>", 1)[1].split("—", 1)[0].strip()


def test_each_request_gets_its_own_language_in_one_thread(client):
    dutch = client.get("/nergens?lang=nl")
    assert dutch.status_code == 404 and 'lang="nl"' in dutch.get_data(as_text=True)
    client.delete_cookie("lang")
    french = client.get("/nulle-part")
    assert 'lang="fr"' in french.get_data(as_text=True)
    assert heading(dutch) != heading(french)
    german = client.get("/nirgendwo?lang=de")
    assert 'lang="de"' in german.get_data(as_text=True) and heading(german) not in (heading(dutch), heading(french))
