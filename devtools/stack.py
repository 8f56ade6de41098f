"""Run the whole system locally: `python -m devtools.stack` (what `make run` calls).

Prepares the run folder, starts every process of the Procfile (redis-server, the four
gRPC services, the gateway, ...) under the supervisor of devtools/supervisor.py, waits
until every service reports SERVING on the gRPC health service and the gateway answers,
then prints the URL. A process that stops during start-up stops the start (its messages
say why); once ready, a process that dies is restarted with backoff and the restart is
said in this log. Ctrl-C (or SIGTERM) stops everything. The system tests start the stack
through this same launcher, with free ports and a temporary run folder given by the
environment.

Environment: RUN_DIR (default ./run), GATEWAY_PORT (8080), AUTH_PORT (50051),
AUTH_ADMIN_PORT (50061), PORTAL_PORT (50052), ROLES_PORT (50053), PRIMAWEB_PORT
(50054), REDIS_PORT (6379), STACK_START_TIMEOUT (60 s). The demo eID cards are made
(once) in RUN_DIR/eid; their PINs are listed in services/auth/demo_cards.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devtools import terminator
from devtools.supervisor import Supervisor, read_procfile
from services.common import config, tls

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# name -> (environment variable, default port)
PORTS = {
    "gateway": ("GATEWAY_PORT", 8080),
    "auth": ("AUTH_PORT", 50051),
    "auth-admin": ("AUTH_ADMIN_PORT", 50061),
    "portal": ("PORTAL_PORT", 50052),
    "roles": ("ROLES_PORT", 50053),
    "primaweb": ("PRIMAWEB_PORT", 50054),
    "redis": ("REDIS_PORT", 6379),
    # nginx, the TLS terminator of the certificate login (https://<attempt>.eid.localhost:8444)
    "terminator": ("CERTIFICATE_LOGIN_PORT", 8444),
    # Prometheus /metrics of each process
    "gateway-metrics": ("GATEWAY_METRICS_PORT", 9100),
    "auth-metrics": ("AUTH_METRICS_PORT", 9101),
    "portal-metrics": ("PORTAL_METRICS_PORT", 9102),
    "roles-metrics": ("ROLES_METRICS_PORT", 9103),
    "primaweb-metrics": ("PRIMAWEB_METRICS_PORT", 9104),
}
GRPC_SERVICES = ("auth", "auth-admin", "portal", "roles", "primaweb")


class StackError(SystemExit):
    """A clear, one-paragraph reason why the stack cannot start."""


def ports_from_env() -> dict[str, int]:
    return {name: config.env_int(var, default, minimum=1) for name, (var, default) in PORTS.items()}


def environment(run_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    """What every process of the stack sees: ports, addresses, the run folder."""
    env = dict(os.environ)
    env.update({var: str(ports[name]) for name, (var, _) in PORTS.items()})
    env.update(
        RUN_DIR=str(run_dir),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        REDIS_URL=f"redis://{HOST}:{ports['redis']}/0",
        AUTH_ADDR=f"{HOST}:{ports['auth']}",
        PORTAL_ADDR=f"{HOST}:{ports['portal']}",
        ROLES_ADDR=f"{HOST}:{ports['roles']}",
        PRIMAWEB_ADDR=f"{HOST}:{ports['primaweb']}",
        GATEWAY_SECRET_KEY=_secret_key(run_dir),
        EID_DEMO_DIR=str(run_dir / "eid"),
        SOFTHSM2_CONF=str(run_dir / "eid" / "softhsm2.conf"),  # the demo cards' token folder
        ROLES_DATABASE_URL=env.get("ROLES_DATABASE_URL") or f"sqlite:///{run_dir / 'roles.sqlite3'}",
        PRIMAWEB_DATABASE_URL=env.get("PRIMAWEB_DATABASE_URL") or f"sqlite:///{run_dir / 'primaweb.sqlite3'}",
        # Web eID tokens are signed for the page's origin: the gateway as the browser sees it.
        WEBEID_ORIGIN=env.get("WEBEID_ORIGIN") or f"http://{HOST}:{ports['gateway']}",
        # Mutual TLS between the processes; each one's own certificate is set in the Procfile.
        TLS_CA_FILE=str(run_dir / "tls" / "ca.pem"),
        # The certificate login: nginx on a fresh *.eid.localhost host per attempt, back to
        # the gateway's own URL; nginx reaches the gateway on a private socket.
        CERTIFICATE_LOGIN_URL=env.get("CERTIFICATE_LOGIN_URL") or f"https://{{attempt}}.eid.localhost:{ports['terminator']}",
        GATEWAY_PUBLIC_URL=f"http://{HOST}:{ports['gateway']}",
        GATEWAY_TERMINATOR_BIND=f"unix:{run_dir / 'gateway-terminator.sock'}",
    )
    return env


def _secret_key(run_dir: Path) -> str:
    """Kept in the run folder so that forms stay valid across restarts; never committed."""
    path = run_dir / "gateway-secret-key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _prepare_demo(env: dict[str, str]) -> None:
    """The demo eID cards (SoftHSM2 tokens) and the roles demo data; quick once made."""
    steps = [
        ("the service certificates", ["devtools.service_pki", "init", "--dir", str(Path(env["RUN_DIR"]) / "tls")], {}),
        ("the demo eID cards", ["services.auth.demo_cards", "init"], {}),
        ("the roles demo data", ["services.roles.demo_data"], {"DATABASE_URL": env["ROLES_DATABASE_URL"]}),
        ("the PrimaWeb demo files", ["services.primaweb.demo_data"], {"DATABASE_URL": env["PRIMAWEB_DATABASE_URL"]}),
    ]
    for what, command, extra in steps:
        done = subprocess.run([sys.executable, "-m", *command], env={**env, **extra}, cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise StackError(f"Could not prepare {what}:\n{done.stderr.strip()}")


def _configure_terminator(env: dict[str, str]) -> None:
    """nginx's configuration; the CAs it names to browsers are the ones auth trusts."""
    run_dir, pki = Path(env["RUN_DIR"]), Path(env["EID_DEMO_DIR"]) / "pki"
    terminator.write_config(
        run_dir, host=HOST, port=int(env["CERTIFICATE_LOGIN_PORT"]), socket=run_dir / "gateway-terminator.sock",
        certificate=run_dir / "tls" / "terminator.pem", key=run_dir / "tls" / "terminator.key",
        client_cas=[Path(env.get("EID_TRUST_ANCHORS") or pki / "trust-anchors.pem"),
                    Path(env.get("EID_INTERMEDIATES") or pki / "intermediates.pem")],
    )


def _lock(run_dir: Path):
    lock_file = (run_dir / "stack.lock").open("a+")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        pid = lock_file.read().strip() or "?"
        raise StackError(
            f"The portal is already running from {run_dir} (launcher pid {pid}).\n"
            "Stop it with Ctrl-C in its terminal, or start another one with another RUN_DIR and other ports."
        ) from None
    lock_file.seek(0)
    lock_file.truncate()
    lock_file.write(str(os.getpid()))
    lock_file.flush()
    return lock_file  # the lock lives as long as this open file


def port_is_free(port: int) -> bool:
    """Whether a server could listen on the port now. SO_REUSEADDR, as every server of the
    stack sets it: connections of a stopped run left in TIME_WAIT do not take the port."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def _check_ports_free(ports: dict[str, int]) -> None:
    for name, port in ports.items():
        if not port_is_free(port):
            raise StackError(
                f"Port {port} ({name}) is already in use by another program.\n"
                f"Stop that program, or choose another port: {PORTS[name][0]}=<port> make run"
            )


def _grpc_serving(port: int, credentials: grpc.ChannelCredentials) -> bool:
    with grpc.secure_channel(f"{HOST}:{port}", credentials) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:  # noqa: S310 (our own http://127.0.0.1 URL)
            return reply.status == 200
    except OSError:
        return False


def _wait_until_ready(ports: dict[str, int], supervisor: Supervisor, timeout: float, run_dir: Path) -> None:
    credentials = tls.channel_credentials(tls.files_in(run_dir / "tls", "ops"))
    deadline = time.monotonic() + timeout
    waiting = set(GRPC_SERVICES) | {"gateway", "terminator"}
    while waiting:
        if stopped := supervisor.exited():
            raise StackError(f"{', '.join(stopped)} stopped during start-up; its messages are above.")
        if time.monotonic() > deadline:
            raise StackError(f"Not ready after {timeout:.0f} s: {', '.join(sorted(waiting))} not serving.")
        for name in sorted(waiting):
            if name == "gateway":
                ok = _http_ok(f"http://{HOST}:{ports[name]}/healthz")
            elif name == "terminator":
                ok = not port_is_free(ports[name])  # nginx listens once its configuration loaded
            else:
                ok = _grpc_serving(ports[name], credentials)
            if ok:
                waiting.discard(name)
        if waiting:
            time.sleep(0.2)


def _supervise(supervisor: Supervisor) -> None:
    """Until Ctrl-C or SIGTERM (KeyboardInterrupt): restart what dies."""
    while True:
        supervisor.tend()
        time.sleep(0.1)


def main() -> int:
    run_dir = Path(config.env_str("RUN_DIR", str(ROOT / "run"))).resolve()
    ports = ports_from_env()
    timeout = config.env_float("STACK_START_TIMEOUT", 60.0)
    for command, package in (("redis-server", "redis-server"), ("softhsm2-util", "softhsm2"), ("nginx", "nginx")):
        if shutil.which(command) is None:
            raise StackError(f"{command} is not installed: run `make run` (or `sudo apt-get install {package}`).")
    (run_dir / "redis").mkdir(parents=True, exist_ok=True)
    lock = _lock(run_dir)
    _check_ports_free(ports)
    shutil.rmtree(run_dir / "prometheus", ignore_errors=True)  # the gateway workers' metrics, per run
    (run_dir / "prometheus").mkdir()
    ready_file = run_dir / "ready.json"
    ready_file.unlink(missing_ok=True)
    env = environment(run_dir, ports)
    _prepare_demo(env)
    _configure_terminator(env)

    # Each process in a session of its own: Ctrl-C reaches us only; we stop them in order.
    supervisor = Supervisor(read_procfile(ROOT / "Procfile"), env, ROOT)
    stopping = False

    def on_signal(_signum, _frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        supervisor.start()
        _wait_until_ready(ports, supervisor, timeout, run_dir)
        url = f"http://{HOST}:{ports['gateway']}/"
        pids = {name: supervisor.pid(name) for name in supervisor.processes}
        ready_file.write_text(json.dumps({"url": url, "ports": ports, "launcher_pid": os.getpid(), "pids": pids}))
        print(f"\n  Social Security Portal (demo) is ready: {url}\n"
              f"  Your own eID card: trust {run_dir / 'tls' / 'ca.pem'} in your browser (README).\n"
              "  Stop with Ctrl-C.\n", flush=True)
        _supervise(supervisor)
        return 0
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except StackError as exc:
        print(f"\n{exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()
        ready_file.unlink(missing_ok=True)
        lock.close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except StackError as exc:
        sys.exit(str(exc))
