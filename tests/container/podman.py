"""The compose stack of docker-compose.yml under podman and podman-compose, as an operator
on one of our machines runs it (deploy/README.md, "Podman"), for the container tests."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from devtools import container_images
from tests.support import ROOT, free_port

CONTAINERS_CONF = ROOT / "deploy" / "podman" / "containers.conf"
HERE = Path(__file__).resolve().parent
OVERRIDE = HERE / "compose.test.yml"
STAND_INS = {  # compose service -> (image, its Containerfile in images/)
    "redis": ("localhost/ssp-test-redis:7.0", "redis.Containerfile"),
    "postgres": ("localhost/ssp-test-postgres:15", "postgres.Containerfile"),
}
BACKING = ("redis", "postgres")
SERVICES = ("auth", "portal", "roles", "primaweb", "gateway")
# One worktree's containers, volumes and images never meet another's on a shared machine.
SUFFIX = hashlib.sha256(str(ROOT).encode()).hexdigest()[:6]
PROJECT = f"ssp-ctest-{SUFFIX}"
TAG = f"ctest-{SUFFIX}"


def podman_env() -> dict[str, str]:
    # BUILDAH_FORMAT=docker: in the default OCI format podman drops HEALTHCHECK.
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF), "BUILDAH_FORMAT": "docker"}


def podman_compose_command() -> str | None:
    found = os.environ.get("PODMAN_COMPOSE") or str(ROOT / ".venv-containers" / "bin" / "podman-compose")
    return found if Path(found).exists() else shutil.which("podman-compose")


def missing_tools() -> list[str]:
    missing = [tool for tool in ("podman", "buildah", "runc", "mmdebstrap", "iptables") if not shutil.which(tool)]
    if podman_compose_command() is None:
        missing.append("podman-compose (make container-tools)")
    return missing


def require_tools() -> None:
    """Fail in CI (the layer must never skip there), skip elsewhere, naming what to install."""
    import pytest

    missing = missing_tools()
    if missing:
        message = (f"container tools missing: {', '.join(missing)}; install: make container-tools "
                   "&& bash devtools/system-packages.sh containers")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def podman(*args: str, check: bool = True, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(["podman", *args], env=podman_env(), capture_output=True, text=True, timeout=timeout,
                            **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


def build_stand_ins(base_image: str) -> None:
    for image, containerfile in STAND_INS.values():
        podman("build", "--quiet", "--build-arg", f"BASE_IMAGE={base_image}", "-f", containerfile, "-t", image, ".",
               cwd=HERE / "images")


def image_size_mb(image: str) -> float:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()) / 1e6


def image_inspect(image: str) -> dict:
    return json.loads(podman("image", "inspect", image).stdout)[0]


class ComposeStack:
    """docker-compose.yml (with the test's stand-in images) as project PROJECT, the gateway
    published on a free loopback port."""

    def __init__(self, tag: str = TAG):
        self.took: dict[str, float] = {}  # seconds per step, printed at the end
        self.file: tuple[str, str] | None = None  # (NRN, file number) made by the journey test
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**podman_env(), "SSP_TAG": tag, "GATEWAY_PUBLISHED_PORT": str(self.port)}
        # --read-only-tmpfs=false: podman otherwise mounts its own tmpfs on /run of read-only
        # containers, which hides compose's tmpfs on /var/run/postgresql (a link into /run).
        self.base = [podman_compose_command(), "-p", PROJECT, "-f", str(ROOT / "docker-compose.yml"),
                     "-f", str(OVERRIDE), "--podman-run-args=--read-only-tmpfs=false"]

    def compose(self, *args: str, stdin: str | None = None, check: bool = True,
                timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run([*self.base, *args], cwd=ROOT, env=self.env, input=stdin, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"podman-compose {' '.join(args)} exited {result.returncode}:\n"
                                 f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result

    @staticmethod
    def container(service: str) -> str:
        return f"{PROJECT}_{service}_1"

    def healthy(self, service: str) -> bool:
        return podman("healthcheck", "run", self.container(service), check=False, timeout=30).returncode == 0

    def wait_healthy(self, services, timeout: float = 120) -> float:
        """podman 4.3 runs no healthcheck by itself (no systemd here): run each until it passes."""
        started = time.monotonic()
        waiting = list(services)
        while waiting:
            waiting = [s for s in waiting if not self.healthy(s)]
            if waiting and time.monotonic() - started > timeout:
                logs = {s: podman("logs", "--tail", "20", self.container(s), check=False).stderr for s in waiting}
                raise AssertionError(f"not healthy after {timeout:.0f} s: {waiting}\n{logs}")
            if waiting:
                time.sleep(1)
        return time.monotonic() - started

    def up(self, *options: str) -> float:
        """`up -d` with `options`; the seconds until every healthcheck passes. podman 4.3
        ignores `condition: service_healthy`: the backing services come first, then the rest."""
        started = time.monotonic()
        self.compose("up", "-d", *BACKING)
        self.wait_healthy(BACKING)
        self.compose("up", "-d", *options)
        self.wait_healthy((*BACKING, *SERVICES))
        return time.monotonic() - started

    def remove_everything(self) -> None:
        """After a failed or interrupted run: `down --volumes`, then whatever it left (a
        hung `run` container, its dependants, the project's volumes and networks)."""
        self.compose("down", "--volumes", check=False, timeout=180)
        if self.project_containers():
            podman("rm", "--force", "--depend", "--time", "2", *self.project_containers(), check=False)
        if self.project_volumes():
            podman("volume", "rm", "--force", *self.project_volumes(), check=False)
        networks = podman("network", "ls", "--format", "{{.Name}}").stdout.split()
        for network in (n for n in networks if n.startswith(PROJECT + "_")):
            podman("network", "rm", "--force", network, check=False)

    def project_volumes(self) -> list[str]:
        found = podman("volume", "ls", "--format", "{{.Name}}").stdout.split()
        return [v for v in found if v.startswith(PROJECT + "_")]

    def project_containers(self) -> list[str]:
        found = podman("ps", "-a", "--format", "{{.Names}}").stdout.split()
        return [c for c in found if c.startswith(PROJECT + "_")]


@functools.cache  # once per test session: both test modules need the images
def build_everything() -> dict[str, float]:
    """Base (cached while its recipe holds), stand-ins, wheels and the five images (podman's
    layer cache makes a second run quick); seconds per step."""
    os.environ.update({"CONTAINERS_CONF": str(CONTAINERS_CONF), "BUILDAH_FORMAT": "docker"})
    took = {}
    started = time.monotonic()
    base = container_images.base()
    took["base image"] = time.monotonic() - started
    started = time.monotonic()
    build_stand_ins(base)
    took["redis and postgres stand-ins"] = time.monotonic() - started
    started = time.monotonic()
    container_images.wheels()
    took["wheels"] = time.monotonic() - started
    for name, seconds in container_images.build(TAG, base).items():
        took[f"image {name}"] = seconds
    return took
