"""What of the Kubernetes dev overlay can be proven without a cluster: each workload's pod
spec, as rendered, run by podman the way a kubelet runs it (tests/container/dev_pods.py
says how, and what it leaves out), until every readiness probe passes; then the gateway
answers a page through the names and certificates the manifests give it."""

from __future__ import annotations

import subprocess

import pytest
import requests

from devtools.container_images import IMAGE_PREFIX
from tests.container import podman as pm
from tests.container.dev_pods import DevPods, render_dev
from tests.support import ROOT

pytestmark = [pytest.mark.container, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pods(tmp_path_factory):
    pm.require_tools()
    pm.build_everything()  # once per session: nothing to do when the compose tests ran first
    made = subprocess.run(["make", "--no-print-directory", "compose-secrets"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    work = tmp_path_factory.mktemp("k8s-dev")
    docs = render_dev(ROOT / "run" / "compose-secrets", work)
    images = {f"{IMAGE_PREFIX}{name}:dev": f"{IMAGE_PREFIX}{name}:{pm.TAG}" for name in pm.SERVICES}
    images |= {"redis:7.4.11-alpine": pm.STAND_INS["redis"][0], "postgres:16.15-alpine": pm.STAND_INS["postgres"][0]}
    running = DevPods(docs, images, work)
    running.remove()
    running.start()
    yield running
    running.remove()


def test_every_workload_of_the_dev_overlay_becomes_ready_under_its_pod_spec(pods):
    names = sorted(w["metadata"]["name"] for w in pods.workloads())
    assert names == ["auth", "gateway", "portal", "postgres", "primaweb", "redis", "roles"]
    pods.wait_ready()
    home = requests.get(f"http://{pods.address('gateway')}:8080/", timeout=10)
    assert home.status_code == 200 and "Fonctionnaires et autres professionnels" in home.text
    methods = requests.get(f"http://{pods.address('gateway')}:8080/identification/eid", timeout=10)
    assert methods.status_code == 200 and "592012345656" in methods.text  # auth's demo cards, via mTLS


def test_the_pods_run_as_their_security_context_says(pods):
    for name, user in (("gateway", "10001"), ("auth", "10001"), ("postgres", "70"), ("redis", "10001")):
        found = pm.podman("exec", pods.containers[name], "sh", "-c", "id -u; touch /probe 2>&1 || true").stdout
        assert found.splitlines()[0] == user, name
        assert "Read-only file system" in found, name
