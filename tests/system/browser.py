"""A user over plain HTTP: cookies kept, the CSRF token of each page read, as a browser
without JavaScript would do."""

from __future__ import annotations

import re

import requests


class Browser:
    """A user with cookies, reading the CSRF token of each page it gets."""

    def __init__(self, stack):
        self.base = stack.url
        self.http = requests.Session()
        self.csrf = ""

    def get(self, path, **kwargs):
        return self._seen(self.http.get(self.base + path, timeout=15, **kwargs))

    def post(self, path, data, with_csrf=True):
        form = dict(data, csrf_token=self.csrf) if with_csrf else dict(data)
        return self._seen(self.http.post(self.base + path, data=form, timeout=15))

    def _seen(self, reply):
        found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
        if found:
            self.csrf = found.group(1)
        return reply

    def choose(self, card):
        self.get("/identification?service=primaweb")
        self.get("/identification/eid")
        return self.post("/identification/eid", {"card_number": card.card_number})

    def login(self, card, pin=None):
        self.choose(card)
        return self.post("/identification/eid/pin", {"pin": pin or card.pin})
