"""gunicorn settings for the gateway (`gunicorn -c services/gateway/gunicorn.conf.py`)."""

import os

from services.common import config as _env

bind = [f"{_env.env_str('GATEWAY_HOST', '127.0.0.1')}:{_env.env_int('GATEWAY_PORT', 8080)}"]
# The TLS terminator's own listener (certificate login): the only connections on which the
# gateway believes the client-certificate header (services/gateway/terminator.py).
if _env.env_str("GATEWAY_TERMINATOR_BIND", ""):
    bind.append(_env.env_str("GATEWAY_TERMINATOR_BIND", ""))
# A unix socket made private to the user running the gateway (and the local nginx).
umask = 0o077
workers = _env.env_int("GATEWAY_WORKERS", 2, minimum=1)
# Threads, because a page waits on gRPC calls; grpcio releases the GIL while waiting.
# One stalled service may hold at most GATEWAY_CALLS_PER_SERVICE (half) of them, the others
# answer /healthz and the other pages. 16, not more: on 2 cores, 32 threads a worker cost
# ~15 % more CPU per page in switching (home views at 32 users: ~3.2 against ~3.6 ms, 570
# against 490 views/s; bench/load.py), and 8 were no better than 16.
worker_class = "gthread"
threads = _env.env_int("GATEWAY_THREADS", 16, minimum=1)
# gRPC channels are made lazily in each worker after the fork (grpcio is not fork-safe).
preload_app = False
graceful_timeout = 10
timeout = 30
accesslog = None  # the app logs each request as a JSON line with its request id
# gunicorn's own start lines ("Listening at" a URL, before the stack is ready, and with the
# terminator's socket) only confuse: the launcher prints the URL once everything is ready.
# Warnings and errors (a worker timing out or dying) still show.
loglevel = _env.env_str("GUNICORN_LOG_LEVEL", "warning")
proc_name = "ssp-gateway"
# gunicorn 27 would open a control socket under $HOME: nothing to control it here.
control_socket_disable = True


# Prometheus: with PROMETHEUS_MULTIPROC_DIR set, the workers write their metrics there and
# the master serves the sum of them on METRICS_PORT (never on the public port).
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)


def when_ready(server):
    port = _env.env_int("METRICS_PORT", 0)
    if port and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(port, addr=_env.env_str("METRICS_HOST", "127.0.0.1"), registry=registry)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
