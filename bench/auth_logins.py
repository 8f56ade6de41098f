"""Logins per second through the auth gRPC API, and where one login spends its time.

    .venv/bin/python -m bench.auth_logins [--seconds 5]

Starts the whole stack the way `make run` does (own run folder, free ports), then:
1. drives ssp.auth.v1.Identification/Login with 1, 4 and 16 concurrent clients, each on
   its own channel, over the three valid demo cards (RSA-2048 and EC P-384);
2. runs logins in this process with the same domain code and the same Redis, timing the
   PKCS#11, Redis and certificate-check parts of each.
Prints medians and percentiles; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import threading
import time
from pathlib import Path

import grpc
import redis

from devtools.local_stack import RunningStack
from services.auth.demo_cards import DEMO_PEOPLE
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc

CARDS = [DEMO_PEOPLE[p] for p in ("social_worker", "primaweb_manager", "colleague")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def drive(stack: RunningStack, clients: int, seconds: float) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        stub = auth_pb2_grpc.IdentificationStub(stack.channel("auth", "gateway"))  # mutual TLS, as the gateway
        mine = []
        n = index
        while time.monotonic() < stop_at:
            card = CARDS[n % len(CARDS)]
            started = time.perf_counter()
            try:
                stub.Login(pb.LoginRequest(card_number=card.card_number, pin=card.pin), timeout=30)
                mine.append(time.perf_counter() - started)
            except grpc.RpcError:
                with lock:
                    failures[0] += 1
            n += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), latencies, failures[0]


def breakdown(run_dir: Path, redis_url: str, count: int) -> None:
    os.environ["EID_DEMO_DIR"] = str(run_dir / "eid")
    os.environ["SOFTHSM2_CONF"] = str(run_dir / "eid" / "softhsm2.conf")
    os.environ["REDIS_URL"] = redis_url
    from services.auth import server
    from services.auth.login import Timings
    from services.auth.settings import Settings

    identification = server.build(Settings.from_env())
    for card in CARDS:
        rows: list[Timings] = []
        totals = []
        for _ in range(count):
            timings = Timings()
            started = time.perf_counter()
            identification.login(card.card_number, card.pin, timings)
            totals.append(time.perf_counter() - started)
            rows.append(timings)
        key = identification.readers.certificate(card.card_number).key_type

        def med(part: str, rows=rows) -> float:
            return statistics.median(getattr(r, part) for r in rows) * 1000

        print(f"  {key:<9} total {statistics.median(totals) * 1000:6.2f} ms | PKCS#11 {med('pkcs11'):6.2f} ms"
              f" | Redis {med('redis'):5.2f} ms | certificate checks {med('certificate'):5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--breakdown-logins", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        stack = RunningStack(Path(tmp) / "run")
        try:
            drive(stack, 2, 1.0)  # warm-up
            print("Logins through the auth gRPC API (median of all calls; one process, PKCS#11 serialised):")
            for clients in (1, 4, 16):
                done, latencies, failed = drive(stack, clients, args.seconds)
                p50, p99 = statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000
                print(f"  {clients:>2} clients: {done / args.seconds:7.1f} logins/s | p50 {p50:6.2f} ms"
                      f" | p99 {p99:6.2f} ms | failed {failed}")
            print(f"One login in-process, median of {args.breakdown_logins} per card:")
            redis_url = f"redis://127.0.0.1:{stack.ports['redis']}/0"
            breakdown(Path(tmp) / "run", redis_url, args.breakdown_logins)
            sessions = len(redis.Redis.from_url(redis_url).keys("sess:*"))
            print(f"sessions opened in Redis during the run: {sessions}")
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
