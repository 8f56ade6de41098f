"""The demo world of the PrimaWeb service: files, decisions, forms and SPP IS answers.

    DATABASE_URL=... python -m services.primaweb.demo_data

DATABASE_URL defaults to the service's own default (RUN_DIR/primaweb.sqlite3). The schema
is migrated to head first. Everything is made through the domain's own operations, each
with a fixed request id. The demo world is loaded into an empty database only (no file
yet): once there, its users change it, and a second run adds or changes nothing (and says
so). The service never loads it by itself.

    CPAS de Herstappe  0999000129
      Julie Demo-Martin    RIS 2002, single,           Anne   granted; form sent, accepted (message)
      Tom Demo-Janssens    RIS 2002, cohabiting,       Anne   granted; form sent, awaiting the SPP IS
      Sarah Demo-Leroy     RIS 2002, family at charge, Sophie granted; form prepared, to send
      Kevin Demo-Renard    social aid 1965, single,    Anne   no decision yet
      Emma Demo-Claes      RIS 2002, cohabiting,       Sophie refused
      Lucas Demo-Maes      RIS 2002, single,           Anne   granted; form sent, rejected (message)
    CPAS de Namur      0999000327
      Chloé Demo-Lambotte  RIS 2002, single,           Anne   granted; form sent, accepted (message)

The beneficiaries' national register numbers are valid but fictional (counters 989-998,
born 1983-2003); every family name says Demo. Dates are relative to the day of the first
load (decisions a few months before it), and stay those on later runs.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from demo.people import BY_PERSONA as DEMO_PEOPLE
from services.primaweb import database, files, forms, gates, spp, validation
from services.primaweb.models import File, RequestKey
from services.primaweb.store import Store

HERSTAPPE = "0999000129"
NAMUR = "0999000327"
ANNE = DEMO_PEOPLE["colleague"]
SOPHIE = DEMO_PEOPLE["social_worker"]
AGENT_PROFILES = [gates.CONSULTATION, gates.ENCODAGE_RIS, gates.ENCODAGE_AIDE_SOCIALE, gates.ENVOI_FORMULAIRES]


@dataclass(frozen=True)
class DemoFile:
    entity: str
    key: str  # the stem of its request ids
    nrn: str
    first_name: str
    last_name: str
    street: str
    postal_code: str
    municipality: str
    law: str
    category: str
    social_worker: object  # a demo person
    outcome: str | None  # the Conseil's decision, if any
    monthly_amount: str = ""
    form: str | None = None  # None, "draft", "sent", "accepted" or "rejected"
    reason: str = ""


FILES = [
    DemoFile(HERSTAPPE, "julie", "85031499897", "Julie", "Demo-Martin", "Rue de la Station 3", "4042", "Herstappe",
             gates.LAW_RIS, "isole", ANNE, "granted", "1263.17", "accepted"),
    DemoFile(HERSTAPPE, "tom", "92070299751", "Tom", "Demo-Janssens", "Dorpstraat 12", "4042", "Herstappe",
             gates.LAW_RIS, "cohabitant", ANNE, "granted", "842.11", "sent"),
    DemoFile(HERSTAPPE, "sarah", "98112399661", "Sarah", "Demo-Leroy", "Rue du Moulin 8", "4042", "Herstappe",
             gates.LAW_RIS, "famille-a-charge", SOPHIE, "granted", "1707.03", "draft"),
    DemoFile(HERSTAPPE, "kevin", "01050999581", "Kevin", "Demo-Renard", "Rue de Tongres 41", "4042", "Herstappe",
             gates.LAW_AIDE_SOCIALE, "isole", ANNE, None),
    DemoFile(HERSTAPPE, "emma", "88093099417", "Emma", "Demo-Claes", "Kerkstraat 2", "4042", "Herstappe",
             gates.LAW_RIS, "cohabitant", SOPHIE, "refused"),
    DemoFile(HERSTAPPE, "lucas", "83011799353", "Lucas", "Demo-Maes", "Rue Haute 17", "4042", "Herstappe",
             gates.LAW_RIS, "isole", ANNE, "granted", "1263.17", "rejected",
             "La période déclarée chevauche un formulaire déjà accepté : corrigez la date de fin."),
    DemoFile(NAMUR, "chloe", "90040899207", "Chloé", "Demo-Lambotte", "Rue de Fer 25", "5000", "Namur",
             gates.LAW_RIS, "isole", ANNE, "granted", "1263.17", "accepted"),
]


def _actor(entity: str) -> gates.Actor:
    return gates.actor(ANNE.nrn, entity, gates.ROLE_AGENT, AGENT_PROFILES, f"{ANNE.first_name} {ANNE.last_name}", "fr")


def _anchor(store: Store) -> date:
    """The day of the first load (the creation day of the first demo file), else today."""
    first = FILES[0]
    with store.reading() as session:
        key = session.get(RequestKey, (first.entity, f"demo-{first.key}-file"))
        if key is not None and key.file_id is not None:
            return session.get(File, key.file_id).created_at.date()
    return date.today()


def load(engine: Engine) -> list[str]:
    """Loads the demo world into an empty database; returns what was added (empty when
    the database already held a file: then nothing is added or changed)."""
    store = Store(engine)
    added: list[str] = []
    with store.reading() as session:
        if session.scalar(select(File.id).limit(1)) is not None:
            return added
    anchor = _anchor(store)
    start = validation.add_months(anchor.replace(day=1), -3)
    end = validation.add_months(start, 6) - timedelta(days=1)
    first_month_end = validation.add_months(start, 1) - timedelta(days=1)
    decided_on = start - timedelta(days=9)

    def note(replayed: bool, what: str) -> None:
        if not replayed:
            added.append(what)

    for demo in FILES:
        actor = _actor(demo.entity)
        worker = demo.social_worker
        made = files.create_file(
            store, actor, f"demo-{demo.key}-file", nrn=demo.nrn, first_name=demo.first_name,
            last_name=demo.last_name, street=demo.street, postal_code=demo.postal_code,
            municipality=demo.municipality, law=demo.law, category=demo.category, social_worker_nrn=worker.nrn,
            social_worker_name=f"{worker.first_name} {worker.last_name}")
        number = made.view.file.number
        note(made.replayed, f"file {number} ({demo.entity}): {demo.first_name} {demo.last_name}")
        if demo.outcome is None:
            continue
        granted = demo.outcome == files.GRANTED
        decided = files.record_decision(
            store, actor, f"demo-{demo.key}-decision", file_number=number, decided_on=decided_on.isoformat(),
            outcome=demo.outcome, monthly_amount=demo.monthly_amount if granted else "",
            period_start=start.isoformat() if granted else "", period_end=end.isoformat() if granted else "")
        note(decided.replayed, f"decision on {number}: {demo.outcome}")
        if demo.form is None:
            continue
        prepared = forms.prepare(store, actor, f"demo-{demo.key}-form", file_number=number,
                                 period_start=start.isoformat(), period_end=first_month_end.isoformat())
        form_id = prepared.view.form.public_id
        note(prepared.replayed, f"form {form_id} on {number}")
        if demo.form == forms.DRAFT:
            continue
        sent = forms.send(store, actor, f"demo-{demo.key}-send", form_id=form_id)
        note(sent.replayed, f"form {form_id} sent")
        if demo.form == forms.SENT:
            continue
        answered = spp.answer(store, f"demo-{demo.key}-answer", form_id=form_id, outcome=demo.form,
                              reason=demo.reason, answered_by="SPP IS (demo)")
        note(answered.replayed, f"SPP IS answer to form {form_id}: {demo.form}")
    return added


def main() -> None:
    database.DATABASE.load_demo(load, "changes made")


if __name__ == "__main__":
    sys.exit(main())
