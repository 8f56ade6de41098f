"""Fixtures of the deployment tests: the Kustomize overlays rendered once per session.

The tools (kubectl or kustomize, checkov, hadolint, kubernetes-validate) come from the
`deploy` dependency group, installed in its own virtual environment (.venv-deploy, or the
one whose python DEPLOY_PYTHON names; see deploy/README.md). Tests that need a missing
tool are skipped with the reason and the command that installs it.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from devtools import deploy_checks

INSTALL_HINT = (
    "install the deploy tools: python3 -m venv .venv-deploy && "
    ".venv-deploy/bin/pip install pip==25.3 && .venv-deploy/bin/pip install --group pyproject.toml:deploy "
    "(or set DEPLOY_PYTHON to a python that has them)"
)


def _missing(reason: str):
    # `make test` installs the tools: under it (and in CI) a missing tool is a failure.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = deploy_checks.find_tool(name)
    if path is None:
        _missing(f"{name} not found: {INSTALL_HINT}")
    return path


def deploy_python_with(*modules: str) -> str:
    """The deploy tools' python, when it can import these modules; else skip."""
    python = str(deploy_checks.deploy_python())
    probe = subprocess.run([python, "-c", "; ".join(f"import {m}" for m in modules)], capture_output=True, check=False)
    if probe.returncode != 0:
        _missing(f"{', '.join(modules)} not importable by {python}: {INSTALL_HINT}")
    return python


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory):
    try:
        deploy_checks.kustomize_command()
    except deploy_checks.ToolMissing as exc:
        _missing(f"{exc}: {INSTALL_HINT}")
    out = tmp_path_factory.mktemp("rendered")
    rendered = deploy_checks.render_overlays(out)
    return out, rendered


@pytest.fixture(scope="session")
def rendered(rendered_dir) -> dict[str, list[dict]]:
    """overlay name -> the objects `kubectl kustomize` renders for it."""
    return rendered_dir[1]
