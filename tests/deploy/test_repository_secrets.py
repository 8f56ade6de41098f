"""No key, certificate or password is ever committed: the deployment files name secrets,
and the files holding them are made at deploy time and ignored by git."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from devtools.deploy_checks import ROOT

# A PEM key or certificate: the header, then a line of base64 (also inside a string, "\n"
# escaped). Code that only names the header (to write or to check one) is not matched.
PEM_SECRET = re.compile(r"-----BEGIN (?:[A-Z]+ )*(?:PRIVATE KEY|CERTIFICATE)-----(?:\s*\n|\\n)\s*[A-Za-z0-9+/=]{40,}")
SKIPPED_DIRS = {".git", ".venv", ".venv-deploy", "run", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
                "test-artifacts"}


def repository_files() -> list[Path]:
    """Files git tracks or would add (ignored ones left out); a plain walk without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, check=True, timeout=60,
        ).stdout.decode().split("\0")
        return [ROOT / name for name in listed if name and (ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and not SKIPPED_DIRS & set(p.relative_to(ROOT).parts)]


def is_ignored(relative: str) -> bool:
    result = subprocess.run(["git", "check-ignore", "-q", relative], cwd=ROOT, capture_output=True, check=False)
    if result.returncode == 128:
        pytest.skip("not a git checkout")
    return result.returncode == 0


# Public test data, published by the Web eID project with its tests (test-card
# certificates, no key): certificates are allowed there, private keys never.
PUBLIC_CERTIFICATES = {
    "tests/unit/data/webeid_belgian_test_cards.json",
    "tests/unit/data/webeid_reference/eID TEST EC Citizen CA.cer",  # the reference validator's, unchanged
}


def test_no_private_key_or_certificate_is_in_the_repository():
    offenders = []
    for path in repository_files():
        if path.suffix in {".pyc", ".mo", ".png", ".ico", ".woff2"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relative = str(path.relative_to(ROOT))
        offenders += [f"{relative}: {m.group(0)[:40]}" for m in PEM_SECRET.finditer(text)
                      if relative not in PUBLIC_CERTIFICATES or "PRIVATE KEY" in m.group(0)]
    assert offenders == []


def test_no_secret_manifest_in_the_repository_holds_data():
    for path in [*ROOT.glob("deploy/**/*.yaml"), *ROOT.glob("deploy/**/*.yml"), ROOT / "docker-compose.yml"]:
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                where = path.relative_to(ROOT)
                assert not doc.get("data") and not doc.get("stringData"), f"{where}: a Secret with data"


@pytest.mark.parametrize(
    "generated",
    [
        "deploy/k8s/overlays/dev/secrets/gateway-secret-key",
        "deploy/k8s/overlays/dev/secrets/tls/auth.key",
        "run/compose-secrets/gateway-secret-key",
        "run/compose-secrets/tls/auth.key",
    ],
)
def test_files_that_hold_secrets_are_ignored_by_git(generated):
    assert is_ignored(generated)


def test_the_dev_secrets_folder_commits_only_its_readme_and_gitignore():
    folder = ROOT / "deploy/k8s/overlays/dev/secrets"
    committed = {p.name for p in repository_files() if p.parent == folder}
    assert committed <= {".gitignore", "README.md"}


def test_compose_secrets_come_from_files_made_at_run_time():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, secret in compose["secrets"].items():
        assert secret["file"].startswith("./run/compose-secrets/"), name
    for service in compose["services"].values():
        for value in (service.get("environment") or {}).values():
            text = str(value)
            assert not PEM_SECRET.search(text)
            assert not re.search(r"://[^/\s:@]+:[^/\s@]+@", text), "a password in a URL"
    gateway = compose["services"]["gateway"]["environment"]
    assert "GATEWAY_SECRET_KEY" not in gateway and gateway["GATEWAY_SECRET_KEY_FILE"].startswith("/run/secrets/")


def test_the_docker_build_context_leaves_out_secrets_and_local_state():
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules[0] == "*", "an allow-list: everything is excluded unless named"
    allowed = [r[1:] for r in rules if r.startswith("!")]
    for private in ("run", ".venv", ".git", "tests", "deploy"):
        assert not any(a.rstrip("/") == private or a.startswith(private + "/") for a in allowed), private


def test_the_detector_sees_a_key_in_a_file_or_in_a_string_but_not_a_mere_header():
    body = base64.b64encode(b"x" * 48).decode()
    # The headers are cut in pieces so that no scanner mistakes this file for a key.
    assert PEM_SECRET.search("-----BEGIN " + "EC PRIVATE " + "KEY-----\n" + body + "\n")
    assert PEM_SECRET.search('KEY = "-----BEGIN ' + 'PRIVATE ' + 'KEY-----\\n' + body + '"')
    assert not PEM_SECRET.search('if text.startswith("-----BEGIN ' + 'CERTIFICATE-----"):\n    return')
