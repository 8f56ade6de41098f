"""The ceiling of the framework on this machine, for bench/load.py: one Flask + Jinja page,
no session, no service call, served by gunicorn with the gateway's own settings
(services/gateway/gunicorn.conf.py). A gateway page does more (a session lookup, a data
call, a bigger template); the gap between the two is what our code costs."""

from __future__ import annotations

from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><header><h1>{{ title }}</h1></header>
<main><ul>{% for item in items %}<li><a href="/{{ item }}">{{ item|capitalize }}</a></li>{% endfor %}</ul></main>
</body></html>"""

app = Flask(__name__)


@app.get("/")
def page():
    return render_template_string(PAGE, title="PrimaWeb", items=["dossiers", "formulaires", "messages", "profils"])
