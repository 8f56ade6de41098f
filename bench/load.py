"""Load benchmark of the whole system (`make bench`): figures, not pass/fail.

    .venv/bin/python -m bench.load [--seconds 10] [--journey-users 4]

Starts the stack as `make run` does (own run folder, free ports), then measures:
  (a) full journeys, each with one eID login (portal home -> PrimaWeb home -> logout), by
      virtual users over HTTP: journeys/s, p50/p95/p99 per step, CPU seconds per journey;
  (b) logged-in users reloading the PrimaWeb home, with wrk (1, 8 and 32 users): views/s,
      p50/p95/p99, and the gRPC calls one view makes (from the services' metrics);
  (c) memory: each process idle and at its peak;
  (d) the baseline: the same work in this process, calling the services' code directly
      (no HTTP, no gRPC, no templates), printed beside as a ratio;
  (e) the ceiling: a bare Flask + Jinja page (bench/bare_app.py) under the same gunicorn
      settings, in the same run, with wrk at 32 users, and the home views' ratio to it; with
      its template compiled once (as every real page), and compiled on every request (the
      page of the first figures);
  (f) the floor: what one gRPC call costs before any servicer work (bench/grpc_floor.py),
      and what a home view would cost if it did nothing but its page and its calls.
CPU is read from /proc for every process of the stack, and printed per process: per
journey in (a), per view in (b).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

from bench import grpc_floor
from bench.cpu import cpu_seconds
from devtools.local_stack import RunningStack
from services.auth.demo_cards import DEMO_PEOPLE

ROOT = Path(__file__).resolve().parent.parent
CARDS = [DEMO_PEOPLE[p] for p in ("social_worker", "primaweb_manager", "colleague")]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HERSTAPPE = re.compile(r'name="choice" value="(0999000129:action-sociale)"')


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class User:
    """One virtual user: plain HTTP with cookies, reading each page's CSRF token."""

    def __init__(self, base: str, timings: dict[str, list[float]] | None = None):
        self.base = base
        self.http = requests.Session()
        self.csrf = ""
        self.timings = timings if timings is not None else defaultdict(list)

    def step(self, name: str, method: str, path: str, data: dict | None = None) -> requests.Response:
        started = time.perf_counter()
        if method == "GET":
            reply = self.http.get(self.base + path, timeout=30)
        else:
            reply = self.http.post(self.base + path, data={**(data or {}), "csrf_token": self.csrf}, timeout=30)
        self.timings[name].append(time.perf_counter() - started)
        if reply.status_code >= 400:
            raise RuntimeError(f"{name}: HTTP {reply.status_code}")
        found = CSRF.search(reply.text)
        if found:
            self.csrf = found.group(1)
        return reply

    def journey(self, card, logout: bool = True) -> None:
        self.step("01 portal home", "GET", "/")
        self.step("02 professionals", "GET", "/audiences/professionnels")
        self.step("03 sector CPAS", "GET", "/secteurs/cpas")
        self.step("04 Action sociale", "GET", "/secteurs/cpas/qualites/action-sociale")
        self.step("05 PrimaWeb page", "GET", "/services/primaweb")
        self.step("06 methods", "GET", "/identification?service=primaweb")
        self.step("07 certificates", "GET", "/identification/eid")
        self.step("08 choose card", "POST", "/identification/eid", {"card_number": card.card_number})
        entities = self.step("09 PIN + login", "POST", "/identification/eid/pin", {"pin": card.pin})
        self.step("10 entity", "POST", "/entites", {"choice": HERSTAPPE.search(entities.text).group(1)})
        started = self.step("11 start", "POST", "/primaweb/demarrer")
        if started.url.endswith("/role"):
            self.step("12 role", "POST", "/primaweb/role", {"role": "agent-social"})
        self.step("13 PrimaWeb home", "GET", "/primaweb/")
        if logout:
            self.step("14 logout", "POST", "/deconnexion")


def processes(stack: RunningStack) -> dict[str, list[int]]:
    """name -> pids of the stack's processes (gunicorn: master and workers): every
    descendant of the launcher, named by its command line."""
    children: dict[int, list[int]] = defaultdict(list)
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            children[int(fields[1])].append(int(entry.name))
    marks = {"services.auth": "auth", "services.portal": "portal", "services.roles": "roles",
             "services.primaweb": "primaweb", "gunicorn": "gateway", "redis-server": "redis", "nginx": "nginx"}
    found: dict[str, list[int]] = defaultdict(list)
    todo = [stack.process.pid]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        command = commands.get(pid, "")
        found[next((name for mark, name in marks.items() if mark in command), "launcher and logs")].append(pid)
    return found


def cpu_by_process(stack: RunningStack, work) -> tuple[object, dict[str, float]]:
    """Runs work(); returns its result and the CPU seconds each kind of process spent."""
    groups = processes(stack)
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    result = work()
    return result, {name: cpu_seconds(pids) - before[name] for name, pids in groups.items()}


def print_cpu(spent: dict[str, float], count: int, unit: str) -> None:
    total = sum(spent.values())
    parts = ", ".join(f"{name} {1000 * s / count:.2f}" for name, s in sorted(spent.items(), key=lambda kv: -kv[1])
                      if s > 0)
    print(f"    CPU per {unit}: {1000 * total / count:.2f} ms in all | {parts} (ms)")


def memory_mb(pid: int, field: str) -> float:
    """VmRSS / VmHWM from /proc/PID/status, or Pss (shared pages split between the
    processes sharing them, e.g. the gunicorn workers) from smaps_rollup."""
    source = "smaps_rollup" if field == "Pss" else "status"
    for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def grpc_calls(stack: RunningStack) -> int:
    """All gRPC calls answered so far (health checks excluded), from the metrics."""
    total = 0
    for name in ("auth", "portal", "roles", "primaweb"):
        text = requests.get(f"http://127.0.0.1:{stack.ports[name + '-metrics']}/metrics", timeout=10).text
        for line in text.splitlines():
            if line.startswith("grpc_server_handled_total{") and "grpc.health" not in line:
                total += int(float(line.rsplit(" ", 1)[1]))
    return total


def run_journeys(stack: RunningStack, users: int, seconds: float) -> tuple[int, dict[str, list[float]], float]:
    timings: dict[str, list[float]] = defaultdict(list)
    done = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        n = index
        while time.monotonic() < stop_at:
            User(stack.url, timings).journey(CARDS[n % len(CARDS)])
            n += 1
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(users)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return done[0], timings, elapsed


def logged_in_cookies(stack: RunningStack, count: int) -> list[str]:
    """The Cookie header of each of `count` logged-in users: every cookie a browser would
    send back (the session id, the CSRF cookie, the language), not the session id alone,
    which would make the gateway mint and sign a new CSRF secret on every view."""
    cookies = []
    for i in range(count):
        user = User(stack.url)
        user.journey(CARDS[i % len(CARDS)], logout=False)
        cookies.append("; ".join(f"{c.name}={c.value}" for c in user.http.cookies))
    return cookies


def wrk(url: str, cookies: list[str], connections: int, seconds: float) -> dict:
    out = subprocess.run(
        ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
         "-s", str(ROOT / "bench" / "wrk_sessions.lua"), url, "--", *(cookies[:connections] or ["lang=fr"])],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def bare_page_rates(stack: RunningStack, seconds: float) -> dict[str, tuple[float, float]]:
    """bench/bare_app.py under the gateway's gunicorn settings, 32 users: path -> (views/s,
    CPU ms per view of its gunicorn processes)."""
    from devtools.local_stack import free_port, gunicorn_serving

    env = {k: v for k, v in stack.env.items() if k not in ("GATEWAY_TERMINATOR_BIND", "METRICS_PORT",
                                                           "PROMETHEUS_MULTIPROC_DIR")}
    rates = {}
    with gunicorn_serving("bench.bare_app:app", {**env, "GATEWAY_PORT": str(free_port())}) as url:
        pids = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit() and _runs(e, b"bench.bare_app:app")]
        _wait_for_every_worker(url, workers=len(pids) - 1)
        for path in ("/", "/compiled-per-request"):
            before = cpu_seconds(pids)
            result = wrk(url + path, [], 32, seconds)
            count = max(result["requests"], 1)
            rates[path] = (result["requests"] / result["seconds"], 1000 * (cpu_seconds(pids) - before) / count)
    return rates


def _wait_for_every_worker(url: str, workers: int, timeout: float = 30) -> None:
    """Returns once each gunicorn worker has answered. gunicorn_serving returns at the first
    answer; a worker still booting then accepts none of wrk's connections, which all stay on
    the other one for the whole run (one core instead of two: ~1,700 against ~5,500 views/s)."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(seen)} of {workers} workers answered")
        seen.add(requests.get(url + "/worker", timeout=5, headers={"Connection": "close"}).text)
        time.sleep(0.02)


def _runs(proc: Path, marker: bytes) -> bool:
    try:
        return marker in (proc / "cmdline").read_bytes()
    except OSError:
        return False


def baseline(run_dir: Path, redis_url: str, roles_url: str, primaweb_url: str,
             seconds: float) -> tuple[float, float]:
    """Journeys/s and home views/s with the services' code called directly in one process."""
    os.environ.update(EID_DEMO_DIR=str(run_dir / "eid"), SOFTHSM2_CONF=str(run_dir / "eid" / "softhsm2.conf"),
                      REDIS_URL=redis_url)
    from services.auth import server as auth_server
    from services.auth.settings import Settings
    from services.portal import catalogue
    from services.primaweb import database as primaweb_database
    from services.primaweb import gates, home
    from services.primaweb.store import Store as PrimaWebStore
    from services.roles import agents, database, memberships
    from services.roles.store import Store

    auth = auth_server.build(Settings.from_env())
    cat = catalogue.load()
    store = Store(database.make_engine(roles_url))
    files = PrimaWebStore(primaweb_database.make_engine(primaweb_url))

    def journey(card) -> None:
        cat.audience("professionnels")
        cat.sector("cpas")
        cat.quality("cpas", "action-sociale")
        cat.service("primaweb")
        auth.readers.list_certificates()
        session_id, data = auth.login(card.card_number, card.pin)
        memberships.list_memberships(store, data.national_register_nr)
        started = agents.start_application(store, data.national_register_nr, "0999000129", "primaweb",
                                           "agent-social")
        auth.sessions.update(session_id, entity_id="0999000129", role="agent-social",
                             profiles=list(started.profiles))
        view(session_id)
        auth.logout(session_id)

    def view(session_id: str) -> None:  # what one PrimaWeb home view asks of auth and primaweb
        data = auth.sessions.get(session_id)
        home.compose(data.role, data.profiles)
        home.overview(files, gates.actor(data.national_register_nr, data.entity_id, data.role, data.profiles))

    def rate(work) -> float:
        count, stop_at = 0, time.monotonic() + seconds
        while time.monotonic() < stop_at:
            work(count)
            count += 1
        return count / seconds

    journeys = rate(lambda n: journey(CARDS[n % len(CARDS)]))
    sid, data = auth.login(CARDS[2].card_number, CARDS[2].pin)
    auth.sessions.update(sid, entity_id="0999000129", role="agent-social", profiles=["consultation"])
    views = rate(lambda n: view(sid))
    return journeys, views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--journey-users", type=int, default=4)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp:
        stack = RunningStack(Path(tmp) / "run")
        try:
            time.sleep(2)
            procs = processes(stack)
            for field in ("Pss", "VmRSS"):
                idle = {name: sum(memory_mb(p, field) for p in pids) for name, pids in procs.items()}
                print(f"idle memory ({field}): {sum(idle.values()):.0f} MB in all | "
                      + ", ".join(f"{k} {v:.0f}" for k, v in sorted(idle.items())))

            User(stack.url).journey(CARDS[0])  # warm-up
            (count, timings, elapsed), spent = cpu_by_process(
                stack, lambda: run_journeys(stack, args.journey_users, args.seconds))
            print(f"(a) full journeys, {args.journey_users} users: {count / elapsed:.1f} journeys/s, "
                  f"CPU {sum(spent.values()) / max(count, 1):.3f} s per journey (all processes)")
            print_cpu(spent, max(count, 1), "journey")
            for step in sorted(timings):
                values = timings[step]
                print(f"    {step:<20} p50 {pct(values, .5):7.1f} ms  p95 {pct(values, .95):7.1f} ms"
                      f"  p99 {pct(values, .99):7.1f} ms")

            cookies = logged_in_cookies(stack, 32)
            home_url = stack.url + "/primaweb/"
            print("(b) PrimaWeb home views:")
            for users in (1, 8, 32):
                calls_before = grpc_calls(stack)
                r, spent = cpu_by_process(stack, lambda n=users: wrk(home_url, cookies, n, args.seconds))
                print(f"    {users:>2} users: {r['requests'] / r['seconds']:7.1f} views/s | p50 {r['p50_ms']:6.1f} ms"
                      f" | p95 {r['p95_ms']:6.1f} ms | p99 {r['p99_ms']:6.1f} ms | errors {r['errors'] + r['non2xx']}")
                print_cpu(spent, max(r["requests"], 1), "view")
                if users == 32:
                    views_32 = r["requests"] / r["seconds"]
                    # Counted under load, once the workers hold the users' sessions (steady state).
                    per_view = (grpc_calls(stack) - calls_before) / max(r["requests"], 1)
            print(f"    gRPC calls per view, 32 users: {per_view:.2f}")
            print("(e) bare Flask + Jinja page, same gunicorn settings, 32 users:")
            bare_rates = bare_page_rates(stack, args.seconds)
            for path, (bare, bare_cpu) in bare_rates.items():
                how = "template compiled once" if path == "/" else "template compiled per request (first figures)"
                print(f"    {how}: {bare:.0f} views/s, {bare_cpu:.2f} ms CPU per view;"
                      f" PrimaWeb home / bare page: {views_32 / bare:.2f}")
            floors = {f["server"]: f for f in (grpc_floor.measure(kind, stack.run_dir / "tls")
                                               for kind in ("ours", "bare"))}
            print("(f) one gRPC call before any servicer work (Health/Check), CPU per call:")
            for kind, label in (("ours", "the services' server and the gateway's channel, mutual TLS"),
                                ("bare", "grpcio with nothing added, plaintext")):
                f = floors[kind]
                print(f"    {label}: client {f['client_ms']:.2f} ms + server {f['server_ms']:.2f} ms"
                      f" = {f['client_ms'] + f['server_ms']:.2f} ms (wall {f['wall_ms']:.2f} ms)")
            call, page = floors["ours"]["client_ms"] + floors["ours"]["server_ms"], bare_rates["/"][1]
            print(f"    a home view's floor: bare page {page:.2f} ms + {per_view:.2f} calls x {call:.2f} ms"
                  f" = {page + per_view * call:.2f} ms of CPU before any work of ours")

            peak = {name: max(memory_mb(p, "VmHWM") for p in pids) for name, pids in processes(stack).items()}
            print("(c) peak memory per process (VmHWM, MB): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in sorted(peak.items())))

            redis_url = f"redis://127.0.0.1:{stack.ports['redis']}/0"
            roles_url = f"sqlite:///{stack.run_dir / 'roles.sqlite3'}"
            primaweb_url = f"sqlite:///{stack.run_dir / 'primaweb.sqlite3'}"
            base_journeys, base_views = baseline(stack.run_dir, redis_url, roles_url, primaweb_url, args.seconds / 2)
            one_user_views = wrk(home_url, cookies, 1, args.seconds / 2)
            one_view_rate = one_user_views["requests"] / one_user_views["seconds"]
            print("(d) baseline in one process (no HTTP, gRPC or templates), one thread:")
            print(f"    journeys: {base_journeys:.1f}/s (stack, {args.journey_users} users: {count / elapsed:.1f}/s;"
                  f" ratio {count / elapsed / base_journeys:.2f})")
            print(f"    home views: {base_views:.0f}/s (stack, 1 user: {one_view_rate:.0f}/s; "
                  f"ratio {one_view_rate / base_views:.2f})")
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
