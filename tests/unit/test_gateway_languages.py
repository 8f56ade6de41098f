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


def test_template_texts_are_translated_markup_with_their_variables_escaped(client):
    app = client.application
    page = app.jinja_env.from_string('{{ _("Open file %(number)s", number=number) }}|'
                                     '{{ _("Role: %(role)s", role=("<strong>%s</strong>"|safe) % role) }}')
    with app.test_request_context("/?lang=nl"):
        app.preprocess_request()
        text = page.render(number="<script>", role="<b>")
    opened, role = text.split("|")
    assert "&lt;script&gt;" in opened and "<script>" not in opened and not opened.startswith("Open file")
    assert "<strong>&lt;b&gt;</strong>" in role  # the template's markup kept, the value escaped


def test_a_text_without_variables_is_the_same_markup_as_jinja_s_gettext_makes(client):
    app = client.application
    texts = ["Agent Social", "100%% of the files", "Log out"]  # "%%" is "%" once formatted, as in Jinja
    with app.test_request_context("/?lang=fr"):
        app.preprocess_request()
        ours = [app.jinja_env.from_string(f'{{{{ _("{text}") }}}}').render() for text in texts]
        jinja_s = app.jinja_env.overlay()
        jinja_s.install_gettext_callables(gettext=app.jinja_env.globals["gettext"],
                                          ngettext=app.jinja_env.globals["ngettext"], newstyle=True)
        theirs = [jinja_s.from_string(f'{{{{ _("{text}") }}}}').render() for text in texts]
    assert ours == theirs and "100% of the files" in ours


def test_language_links_keep_the_other_query_arguments(client):
    page = client.get("/nergens?mine=1&lang=de").get_data(as_text=True)
    assert 'href="?mine=1&amp;lang=nl"' in page
    assert 'href="?lang=nl"' in client.get("/nergens").get_data(as_text=True)
