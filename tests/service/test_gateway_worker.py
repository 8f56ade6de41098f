"""The gateway's gunicorn worker (services/gateway/worker.py) under gunicorn with the
gateway's settings: a kept-alive connection's next request is served on the same thread,
and that never holds back another connection."""

from __future__ import annotations

import os
import socket
import threading
import time

import requests

from devtools.local_stack import free_port, gunicorn_serving

APP = "tests.service.threads_app:app"


def serving(threads: int):
    env = {**os.environ, "GATEWAY_PORT": str(free_port()), "GATEWAY_WORKERS": "1", "GATEWAY_THREADS": str(threads)}
    return gunicorn_serving(APP, env)


def test_a_kept_alive_connection_s_next_requests_are_served_by_the_thread_that_served_the_last():
    with serving(threads=4) as url:
        slow = [threading.Thread(target=requests.get, args=(url + "/slow",), kwargs={"timeout": 10})
                for _ in range(4)]
        for t in slow:  # four threads in the pool, each idle again
            t.start()
        for t in slow:
            t.join()
        browser = requests.Session()
        answered_by = [browser.get(url + "/", timeout=10).text for _ in range(60)]
    again = sum(a == b for a, b in zip(answered_by, answered_by[1:], strict=False))
    # Stock gthread hands each request to the pool's next thread: 0 of 59 here. The worker
    # gives the connection back after 16 in a row; a slow machine may miss the 5 ms wait.
    assert again >= 30, answered_by


def test_requests_sent_together_on_one_connection_are_all_answered_in_order():
    with serving(threads=2) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /?n=1 HTTP/1.1\r\nHost: x\r\n\r\n" * 3)
            received = b""
            while received.count(b"HTTP/1.1 200 OK") < 3:
                chunk = conn.recv(65536)
                assert chunk, received
                received += chunk
    assert received.count(b"HTTP/1.1 200 OK") == 3


def test_a_new_connection_is_served_while_busy_connections_hold_every_thread():
    with serving(threads=2) as url:
        stop = time.monotonic() + 3

        def busy():
            with requests.Session() as browser:
                while time.monotonic() < stop:
                    browser.get(url + "/", timeout=10)

        hammering = [threading.Thread(target=busy) for _ in range(2)]
        for t in hammering:
            t.start()
        time.sleep(0.5)
        waits = []
        for _ in range(5):
            started = time.monotonic()
            requests.get(url + "/", headers={"Connection": "close"}, timeout=10)
            waits.append(time.monotonic() - started)
        for t in hammering:
            t.join()
    assert max(waits) < 1.0, waits  # without the bounds, each waited until the others stopped
