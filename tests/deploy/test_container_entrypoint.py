"""The images' entrypoint turns NAME_FILE into NAME for the few secret settings only."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools import container_entrypoint
from devtools.deploy_checks import ROOT


def test_a_secret_given_as_a_file_becomes_the_variable(tmp_path):
    key = tmp_path / "key"
    key.write_text("s" * 64 + "\n")
    env = {"GATEWAY_SECRET_KEY_FILE": str(key)}
    container_entrypoint.load_secret_files(env)
    assert env == {"GATEWAY_SECRET_KEY": "s" * 64}


def test_a_variable_already_set_wins_over_the_file(tmp_path):
    env = {"DATABASE_URL": "sqlite:///x", "DATABASE_URL_FILE": str(tmp_path / "absent")}
    container_entrypoint.load_secret_files(env)
    assert env["DATABASE_URL"] == "sqlite:///x"


def test_paths_the_services_read_themselves_are_left_alone(tmp_path):
    key = tmp_path / "tls.key"
    key.write_text("not for the environment")
    env = {"TLS_KEY_FILE": str(key)}
    container_entrypoint.load_secret_files(env)
    assert env == {"TLS_KEY_FILE": str(key)}


@pytest.mark.parametrize("content", [None, ""])
def test_a_missing_or_empty_file_stops_the_container_naming_the_variable(tmp_path, content):
    path = tmp_path / "url"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit, match="DATABASE_URL_FILE="):
        container_entrypoint.load_secret_files({"DATABASE_URL_FILE": str(path)})


def test_the_command_replaces_the_entrypoint_with_the_secret_in_its_environment(tmp_path):
    key = tmp_path / "key"
    key.write_text("k" * 40)
    script = "import os; print(os.environ['GATEWAY_SECRET_KEY'], 'GATEWAY_SECRET_KEY_FILE' in os.environ)"
    result = subprocess.run(
        [sys.executable, str(ROOT / "devtools/container_entrypoint.py"), sys.executable, "-c", script],
        env={"GATEWAY_SECRET_KEY_FILE": str(key), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=30, check=True,
    )
    assert result.stdout.split() == ["k" * 40, "False"]
