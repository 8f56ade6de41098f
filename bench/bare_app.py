"""The ceiling of the framework on this machine, for bench/load.py: one Flask + Jinja page,
no session, no service call, served by gunicorn with the gateway's own settings
(services/gateway/gunicorn.conf.py). A gateway page does more (a session lookup, a data
call, a bigger template); the gap between the two is what our code costs.

`/` renders a template compiled once, as every real page is (Flask caches templates it
loads). `/compiled-per-request` is the page the first figures used: render_template_string
compiles its source again on every call, ~0.8 ms of the ~0.9 ms that page took in Flask."""

from __future__ import annotations

import os

from flask import Flask, render_template, render_template_string
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><header><h1>{{ title }}</h1></header>
<main><ul>{% for item in items %}<li><a href="/{{ item }}">{{ item|capitalize }}</a></li>{% endfor %}</ul></main>
</body></html>"""
VALUES = {"title": "PrimaWeb", "items": ["dossiers", "formulaires", "messages", "profils"]}

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})


@app.get("/")
def page():
    return render_template("page.html", **VALUES)


@app.get("/compiled-per-request")
def page_compiled_per_request():
    return render_template_string(PAGE, **VALUES)


@app.get("/worker")
def worker():
    """Which worker answered: the benchmark waits until every worker has, before measuring."""
    return str(os.getpid())
