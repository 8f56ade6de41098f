"""The PrimaWeb service: the home page composition and PrimaWeb's own data: the files of
the people a CPAS helps, the Conseil's decisions, the reimbursement forms (formulaire B)
sent to the SPP Intégration sociale, and its answers as messages.

Read top-down:
    __main__.py     migrate the database, then serve (PRIMAWEB_PORT, default 50054)
    server.py       the two servicers on one server; who may call which (CALLERS)
    servicer.py     proto in -> domain call -> proto out; the one table of error statuses
    gates.py        the actor of a request and which role/profile opens which action
    home.py         the home's parts, and its counts and latest messages
    files.py        files: create, decisions, close, search, read
    forms.py        forms: prepare, edit, discard, send, correct, list
    messages.py     the SPP IS's messages to a CPAS
    spp.py          the SPP IS side: the listing in sending order (cursor), the answers
    idempotency.py  request keys against double submission
    counters.py     file numbers and the sending sequence, handed out in commit order
    history.py      a file's history entries
    validation.py   parsing of identifiers, amounts, dates...; texts.py: the texts in 4 languages
    errors.py       domain errors (field, code, values)
    models.py, database.py, store.py, migrations/   the SQL database
    demo_data.py    `python -m services.primaweb.demo_data`
    spp_client.py   an example client of the SPP IS side
"""
