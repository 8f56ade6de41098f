"""The deployment checks CI runs (`python -m devtools.deploy_checks`), step by step, and
proof that each check bites: a known-bad input makes it fail."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from devtools import deploy_checks
from tests.deploy.conftest import deploy_python_with, require_tool

ROOT = deploy_checks.ROOT


def test_every_overlay_renders(rendered):
    assert set(rendered) == {"dev", "prod"}
    for overlay, docs in rendered.items():
        kinds = {d["kind"] for d in docs}
        assert {"Deployment", "Service", "NetworkPolicy", "StatefulSet", "Ingress"} <= kinds, overlay


def test_rendered_objects_match_the_kubernetes_schemas(tmp_path):
    python = deploy_python_with("kubernetes_validate", "yaml")
    report_file = tmp_path / "report.json"
    result = subprocess.run(
        [python, "-m", "devtools.deploy_checks", "--only", "render,schema", "--report", str(report_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    report = json.loads(report_file.read_text())
    assert report["steps"]["schema"]["problems"] == [], result.stdout


def test_checkov_finds_nothing_unexplained(rendered_dir):
    require_tool("checkov")
    out, rendered = rendered_dir
    report = deploy_checks.run_checkov([*(out / f"{o}.yaml" for o in rendered), *deploy_checks.dockerfiles()])
    assert report.failed == []
    assert report.passed > 500  # it really scanned both the manifests and the Dockerfiles


def test_checkov_fails_a_deployment_without_limits_or_security_context(tmp_path):
    require_tool("checkov")
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: careless, namespace: ssp-dev}
        spec:
          selector: {matchLabels: {app: careless}}
          template:
            metadata: {labels: {app: careless}}
            spec:
              containers:
                - {name: app, image: "ghcr.io/example/ssp-portal:1.0"}
        """))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.11.14-slim-bookworm\nCMD [\"python\"]\n")
    failed = " ".join(deploy_checks.run_checkov([bad, dockerfile]).failed)
    for check in ("CKV_K8S_11", "CKV_K8S_13", "CKV_K8S_22", "CKV_K8S_8", "CKV_DOCKER_2", "CKV_DOCKER_3"):
        assert check in failed


def test_dockerfiles_pass_hadolint():
    require_tool("hadolint")
    assert deploy_checks.run_hadolint(deploy_checks.dockerfiles()) == []


def test_hadolint_flags_a_careless_dockerfile(tmp_path):
    require_tool("hadolint")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python\nRUN apt-get update && apt-get install -y curl\nCMD python app.py\n")
    problems = " ".join(deploy_checks.run_hadolint([dockerfile]))
    assert "DL3006" in problems  # untagged base image
    assert "DL3008" in problems  # unpinned apt package
    assert "DL3025" in problems  # CMD not in exec form


def test_each_image_holds_only_its_own_service_and_follows_the_conventions():
    assert deploy_checks.check_images() == []


def test_the_base_image_argument_must_default_to_the_exact_official_tag(monkeypatch, tmp_path):
    source = (deploy_checks.ROOT / "services" / "portal" / "Dockerfile").read_text()
    monkeypatch.setattr(deploy_checks, "ROOT", tmp_path)
    dockerfile = tmp_path / "portal" / "Dockerfile"
    dockerfile.parent.mkdir()
    dockerfile.write_text(source)
    assert deploy_checks.check_dockerfile(dockerfile) == []
    dockerfile.write_text(source.replace("ARG BASE_IMAGE=python:3.11.14-slim-bookworm", "ARG BASE_IMAGE=python:3"))
    assert deploy_checks.check_dockerfile(dockerfile) == [
        "portal/Dockerfile: ARG BASE_IMAGE: its default must be an exact python:3.11.x-slim-bookworm tag"] * 2


def test_the_image_check_flags_a_cross_service_import(monkeypatch):
    real = deploy_checks.service_imports
    monkeypatch.setattr(
        deploy_checks, "service_imports",
        lambda name: {**real(name), "auth": {"services/gateway/x.py"}} if name == "gateway" else real(name),
    )
    assert any("services/gateway imports services.auth" in p for p in deploy_checks.check_images())


def test_docker_compose_is_complete_and_locked_down():
    assert deploy_checks.check_compose() == []


def test_the_compose_check_flags_an_exposed_card_admin_and_a_missing_healthcheck(tmp_path):
    compose = yaml.safe_load(deploy_checks.COMPOSE_FILE.read_text())
    compose["services"]["auth"]["ports"] = ["0.0.0.0:50061:50061"]
    compose["services"]["auth"]["environment"]["AUTH_ADMIN_HOST"] = "0.0.0.0"  # noqa: S104 (the mistake to catch)
    del compose["services"]["portal"]["healthcheck"]
    compose["services"]["billing"] = {"image": "billing:1.0"}
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(compose))
    problems = " ".join(deploy_checks.check_compose(path))
    assert "only the gateway may publish a port" in problems
    assert "CardAdmin must stay on loopback" in problems
    assert "service portal: no healthcheck" in problems
    assert "service billing: not a services/<name> folder" in problems


def test_every_variable_the_deployment_sets_is_read_by_the_code(rendered):
    report = deploy_checks.check_env_variables(rendered)
    assert report.problems == []


def test_the_variable_check_flags_a_variable_nobody_reads(monkeypatch):
    real = deploy_checks.deployment_variables
    monkeypatch.setattr(
        deploy_checks, "deployment_variables", lambda rendered: {**real(rendered), "PORTAL_COLOUR": {"compose"}}
    )
    problems = deploy_checks.check_env_variables(None).problems
    assert problems == ["PORTAL_COLOUR is set in compose but read nowhere in services/"]


@pytest.mark.timeout(300)
def test_the_whole_check_runs_every_step_within_two_minutes(tmp_path):
    """What CI runs, end to end. Whether each step passes is asserted by the tests above;
    here: every step ran with its tool, and the whole stays well within CI's budget."""
    python = deploy_python_with("checkov", "kubernetes_validate", "yaml")
    require_tool("hadolint")
    report_file = tmp_path / "report.json"
    result = subprocess.run(
        [python, "-m", "devtools.deploy_checks", "--report", str(report_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    report = json.loads(report_file.read_text())
    assert set(report["steps"]) == set(deploy_checks.STEPS), result.stdout
    assert not [name for name, step in report["steps"].items() if step["tool_missing"]], result.stdout
    assert report["seconds"] < 120


def test_placeholders_for_generated_secrets_hold_no_key(tmp_path):
    copy = tmp_path / "k8s"
    import shutil

    shutil.copytree(deploy_checks.K8S, copy)
    made = deploy_checks.placeholder_secret_files(copy)
    assert made, "the dev overlay reads its secrets from files made at deploy time"
    for path in made:
        assert "PRIVATE KEY" not in path.read_text()
        assert Path(path).read_text().startswith("placeholder for ")
