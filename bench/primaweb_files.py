"""PrimaWeb files: search latency in a CPAS holding 100,000 files, files created per second,
and the SPP IS listing's throughput.

    .venv/bin/python -m bench.primaweb_files [--files 100000] [--forms 20000] [--seconds 4] [--no-postgres]

For SQLite (a temporary file), then PostgreSQL (a temporary cluster, when installed):
1. migrates a fresh database and bulk-loads --files files into one CPAS (plus 1% in a
   second one) with SQL inserts, and --forms sent forms (with their decisions);
2. starts the real service (`python -m services.primaweb`, its own process, plaintext,
   LOG_LEVEL=WARNING) and, over gRPC from this process:
   - searches: a mix of name prefixes, exact national register numbers and file numbers,
     law + status filters, "my files", a deep page; p50/p99 per kind and overall; the same
     searches through the domain code in this process as the baseline;
   - CreateFile with 1, 4 and 8 concurrent clients for --seconds each: files/s;
   - ListSentForms from the start to the end with pages of 100, 500 and 1000: forms/s.
Prints figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import insert, select, text, update

from services.primaweb import counters, database, files, gates, validation
from services.primaweb.models import SENT_FORMS_COUNTER, Counter, Decision, File, Form
from services.primaweb.store import Store
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc
from tests.support import ROOT, free_port

HERSTAPPE = "0999000129"
NAMUR = "0999000327"
ANNE = "83032122635"
PROFILES = ["consultation", "encodage-ris", "encodage-aide-sociale", "envoi-formulaires"]
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leroy", "Lejeune", "Renard", "Lemaire",
    "Van Damme", "Hermans", "Michiels", "Vermeulen", "Desmet", "Denis", "Dumont", "Leclercq", "Mathieu", "Cools",
    "Collin", "François", "Gilles", "Henry", "Marchal", "Noël", "Pirard", "Thomas", "Wilmet", "Bodart",
]
FIRST_NAMES = [
    "Julie", "Tom", "Sarah", "Kevin", "Emma", "Lucas", "Chloé", "Louis", "Léa", "Noah", "Marie", "Arthur",
    "Camille", "Jules", "Manon", "Hugo", "Laura", "Adam", "Inès", "Mohamed", "Élise", "Nathan", "Zoé", "Victor",
]


def make_nrn(born: date, counter: int) -> str:
    first9 = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{counter:03d}"
    base = int(("2" if born.year >= 2000 else "") + first9)
    return f"{first9}{97 - base % 97:02d}"


WORKERS = [ANNE] + [make_nrn(date(1980 + i, 1, 1), 101 + 2 * i) for i in range(19)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:7.2f} ms"


# --- bulk loading -----------------------------------------------------------------------------


def bulk_load(engine, n_files: int, n_forms: int) -> dict:
    """n_files in Herstappe (and n_files // 100 in Namur), n_forms of them with a granted
    decision and a sent form. Plain SQL inserts, in batches."""
    rng = random.Random(7)
    year = datetime.now(UTC).year
    now = datetime.now(UTC)
    born0 = date(1955, 1, 1)
    rows, per_entity = [], {HERSTAPPE: 0, NAMUR: 0}
    total = n_files + n_files // 100
    for i in range(total):
        entity = HERSTAPPE if i < n_files else NAMUR
        per_entity[entity] += 1
        nrn = make_nrn(born0 + timedelta(days=i // 40), 1 + (i % 40) * 2 + rng.randint(0, 1))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        closed = rng.random() < 0.15
        worker = WORKERS[i % len(WORKERS)]
        rows.append(dict(
            enterprise_number=entity, number=f"{year}/{per_entity[entity]:06d}", nrn=nrn, first_name=first,
            last_name=last, first_name_key=validation.name_key(first), last_name_key=validation.name_key(last),
            birth_date=validation.birth_date(nrn), sex=validation.sex(nrn), street=f"Rue {rng.randint(1, 400)}",
            postal_code="4042", municipality="Herstappe",
            law=gates.LAW_RIS if rng.random() < 0.9 else gates.LAW_AIDE_SOCIALE,
            category=rng.choice(["cohabitant", "isole", "famille-a-charge"]), status="closed" if closed else "open",
            social_worker_nrn=worker, social_worker_name=f"Agent {worker[-4:]}", created_at=now,
            created_by_nrn=ANNE, created_by_name="Anne Demo-Peeters", closed_at=now if closed else None,
            decisions=0, latest_outcome=None,
        ))
    started = time.perf_counter()
    with engine.begin() as c:
        for start in range(0, len(rows), 5000):
            c.execute(insert(File), rows[start:start + 5000])
        for entity, count in per_entity.items():
            c.execute(insert(Counter).values(name=counters.file_counter(entity, year), value=count))
    loaded_files = time.perf_counter() - started

    started = time.perf_counter()
    amount = Decimal("1263.17")
    period = (date(year, 1, 1), date(year, 1, 31))
    with engine.begin() as c:
        chosen = c.execute(select(File.id, File.number, File.nrn, File.first_name, File.last_name, File.birth_date,
                                  File.sex, File.law, File.category, File.enterprise_number)
                           .order_by(File.id).limit(n_forms)).all()
        ids = [f.id for f in chosen]
        c.execute(update(File).where(File.id <= ids[-1]).values(decisions=1, latest_outcome="granted"))
        decisions = [dict(file_id=i, number=1, decided_on=date(year, 1, 2), outcome="granted", monthly_amount=amount,
                          period_start=period[0], period_end=period[1], note="", recorded_at=now,
                          recorded_by_nrn=ANNE, recorded_by_name="Anne Demo-Peeters") for i in ids]
        for start in range(0, len(decisions), 5000):
            c.execute(insert(Decision), decisions[start:start + 5000])
        decision_of = dict(c.execute(select(Decision.file_id, Decision.id)).all())
        forms = [dict(
            public_id=str(uuid.uuid4()), enterprise_number=f.enterprise_number, file_id=f.id,
            decision_id=decision_of[f.id], corrects_id=None, status="sent", period_start=period[0],
            period_end=period[1], monthly_amount=amount, total_amount=amount, file_number=f.number,
            decision_number=1, decided_on=date(year, 1, 2), nrn=f.nrn, first_name=f.first_name,
            last_name=f.last_name, birth_date=f.birth_date, sex=f.sex, law=f.law, category=f.category,
            created_at=now, created_by_nrn=ANNE, created_by_name="Anne Demo-Peeters", sequence=seq,
            sent_at=now + timedelta(microseconds=seq), sent_by_nrn=ANNE, sent_by_name="Anne Demo-Peeters",
        ) for seq, f in enumerate(chosen, start=1)]
        for start in range(0, len(forms), 5000):
            c.execute(insert(Form), forms[start:start + 5000])
        c.execute(update(Counter).where(Counter.name == SENT_FORMS_COUNTER).values(value=len(forms)))
    loaded_forms = time.perf_counter() - started
    # Statistics, and on PostgreSQL the visibility map (index-only counts), as autovacuum
    # would have them in a database that has lived a while.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    return {"files": total, "files_s": loaded_files, "forms": len(ids), "forms_s": loaded_forms,
            "sample": rows[: n_files : max(1, n_files // 500)]}


# --- the service in its own process -----------------------------------------------------------------


class Service:
    def __init__(self, url: str, run_dir: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TLS_", "METRICS_", "HEALTH_"))}
        env.update(DATABASE_URL=url, RUN_DIR=str(run_dir), PRIMAWEB_PORT=str(self.port), LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT), DATABASE_POOL_SIZE="16")
        self.process = subprocess.Popen([sys.executable, "-m", "services.primaweb"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.target = f"127.0.0.1:{self.port}"
        health = health_pb2_grpc.HealthStub(grpc.insecure_channel(self.target))
        deadline = time.monotonic() + 30
        while True:
            try:
                if health.Check(health_pb2.HealthCheckRequest(), timeout=1).status == \
                        health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"primaweb did not start: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def actor() -> pb.Actor:
    return pb.Actor(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social", profiles=PROFILES,
                    display_name="Anne Demo-Peeters", language="fr")


def search_mix(sample: list[dict], rng: random.Random) -> list[tuple[str, dict]]:
    queries = []
    for _ in range(60):
        row = rng.choice(sample)
        queries += [
            ("name prefix (3 letters)", {"name": row["last_name"][:3]}),
            ("name prefix (6 letters)", {"name": row["last_name"][:6]}),
            ("first name prefix", {"name": row["first_name"][:4]}),
            ("exact nrn", {"nrn": row["nrn"]}),
            ("exact file number", {"number": row["number"]}),
            ("law + status", {"law": rng.choice(["ris-2002", "aide-sociale-1965"]), "status": "open"}),
            ("my files", {"mine": True}),
            ("page 50 of all", {"page": 50}),
        ]
    rng.shuffle(queries)
    return queries


_LAWS = {"ris-2002": pb.LAW_SOCIAL_INTEGRATION_2002, "aide-sociale-1965": pb.LAW_SOCIAL_AID_1965}
_STATUSES = {"open": pb.FILE_STATUS_OPEN, "closed": pb.FILE_STATUS_CLOSED}


def bench_search(service: Service, store: Store, sample: list[dict]) -> None:
    stub = primaweb_pb2_grpc.PrimaWebStub(grpc.insecure_channel(service.target))
    queries = search_mix(sample, random.Random(11))
    for _kind, criteria in queries[:20]:  # warm up
        stub.SearchFiles(_search_request(criteria))
    by_kind: dict[str, list[float]] = {}
    totals: list[int] = []
    for kind, criteria in queries:
        started = time.perf_counter()
        found = stub.SearchFiles(_search_request(criteria), timeout=30)
        by_kind.setdefault(kind, []).append(time.perf_counter() - started)
        totals.append(found.total)
    everything = [v for values in by_kind.values() for v in values]
    print(f"  search over gRPC, {len(everything)} queries (page of 20, with the total count):"
          f" p50 {ms(percentile(everything, 0.5))} | p99 {ms(percentile(everything, 0.99))}")
    for kind, values in by_kind.items():
        print(f"    {kind:<26} p50 {ms(percentile(values, 0.5))} | p99 {ms(percentile(values, 0.99))}"
              f" | {len(values)} queries")
    # The same searches in this process, through the domain code only.
    me = gates.actor(ANNE, HERSTAPPE, "agent-social", PROFILES, "Anne Demo-Peeters", "fr")
    local = []
    for _kind, criteria in queries:
        started = time.perf_counter()
        files.search(store, me, **criteria)
        local.append(time.perf_counter() - started)
    print(f"  the same searches in-process (domain + SQL only): p50 {ms(percentile(local, 0.5))}"
          f" | p99 {ms(percentile(local, 0.99))}")


def _search_request(criteria: dict) -> pb.SearchFilesRequest:
    values = dict(criteria)
    if "law" in values:
        values["law"] = _LAWS[values["law"]]
    if "status" in values:
        values["status"] = _STATUSES[values["status"]]
    return pb.SearchFilesRequest(actor=actor(), **values)


def bench_creates(service: Service, seconds: float) -> None:
    born = iter(range(10**7))
    lock = threading.Lock()

    def next_nrn() -> str:
        with lock:
            i = next(born)
        return make_nrn(date(1990, 1, 1) + timedelta(days=i // 400), 101 + (i % 400) * 2)

    print(f"  CreateFile over gRPC, {seconds:.0f} s per run (each client its own channel):")
    for clients in (1, 4, 8):
        done, latencies, failures, elapsed = _create_run(service, clients, seconds, next_nrn)
        print(f"    {clients} clients: {done / elapsed:7.1f} files/s | p50 {ms(percentile(latencies, 0.5))}"
              f" | p99 {ms(percentile(latencies, 0.99))} | failures {failures}")


def _create_run(service: Service, clients: int, seconds: float, next_nrn) -> tuple[int, list[float], int, float]:
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]
    stop_at = time.monotonic() + seconds

    def client() -> None:
        stub = primaweb_pb2_grpc.PrimaWebStub(grpc.insecure_channel(service.target))
        mine = []
        while time.monotonic() < stop_at:
            request = pb.CreateFileRequest(
                actor=actor(), request_id=str(uuid.uuid4()), nrn=next_nrn(), first_name="Bench",
                last_name="Demo-Bench", street="Rue 1", postal_code="4042", municipality="Herstappe",
                law=pb.LAW_SOCIAL_INTEGRATION_2002, category=pb.CATEGORY_SINGLE)
            started = time.perf_counter()
            try:
                stub.CreateFile(request, timeout=30)
                mine.append(time.perf_counter() - started)
            except grpc.RpcError:
                with lock:
                    failures[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), latencies, failures[0], time.perf_counter() - started


def bench_listing(service: Service, n_forms: int) -> None:
    stub = primaweb_pb2_grpc.SppIntegrationStub(grpc.insecure_channel(service.target))
    print(f"  ListSentForms, all {n_forms} forms from the start, page after page:")
    for size in (100, 500, 1000):
        token, seen, calls = "", 0, 0
        started = time.perf_counter()
        while True:
            page = stub.ListSentForms(pb.ListSentFormsRequest(page_token=token, page_size=size), timeout=60)
            calls += 1
            seen += len(page.forms)
            token = page.next_page_token
            if not page.more:
                break
        elapsed = time.perf_counter() - started
        print(f"    pages of {size:>4}: {seen / elapsed:8.0f} forms/s | {elapsed / calls * 1000:7.2f} ms per page"
              f" | {seen} forms")


def run(backend: str, url: str, folder: Path, args) -> None:
    print(f"\n== {backend} ==")
    engine = database.make_engine(url, pool_size=4)
    database.upgrade(engine)
    loaded = bulk_load(engine, args.files, args.forms)
    print(f"  bulk load: {loaded['files']} files in {loaded['files_s']:.1f} s (SQL inserts);"
          f" {loaded['forms']} decisions + sent forms in {loaded['forms_s']:.1f} s")
    service = Service(url, folder)
    try:
        bench_search(service, Store(engine), loaded["sample"])
        bench_listing(service, loaded["forms"])
        bench_creates(service, args.seconds)
    finally:
        service.stop()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--forms", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores,"
          f" Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="bench-primaweb-") as tmp:
        folder = Path(tmp)
        run("SQLite", f"sqlite:///{folder / 'primaweb.sqlite3'}", folder, args)
        if args.no_postgres:
            return
        try:
            from tests.support import PostgresServer

            postgres = PostgresServer()
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            print(f"\n== PostgreSQL: not run ({exc}) ==")
            return
        try:
            run("PostgreSQL", postgres.create_database("bench_primaweb"), folder, args)
        finally:
            postgres.stop()


if __name__ == "__main__":
    main()
