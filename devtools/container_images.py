"""Build the five service images, and what they are built from.

    python -m devtools.container_images wheels   # ./wheels from requirements.lock (`make wheels`)
    python -m devtools.container_images base     # a base image from Debian packages (no registry needed)
    python -m devtools.container_images build [--base IMAGE] [--tag TAG]

`wheels`: every package of the five services' dependency groups, at the versions of
requirements.lock, as wheels for the images' Python (CPython 3.11 on Debian 12's glibc
2.36, x86_64), downloaded on the host: the Dockerfiles install from them with --no-index.
Done again only when requirements.lock or pyproject.toml change.

`base`: when no container registry is reachable, `localhost/ssp-base:bookworm` is made
with mmdebstrap from Debian 12 packages (python3 3.11.2, venv, passwd, CA certificates)
and imported; kept while its recipe is unchanged (`--rebuild` forces it).

`build`: `services/<name>/Dockerfile` for auth, portal, roles, primaweb, gateway, tagged
ghcr.io/example/ssp-<name>:<tag>, with BASE_IMAGE set when --base is given. The engine is
podman (ENGINE to change it); on our machines use CONTAINERS_CONF=deploy/podman/containers.conf
and BUILDAH_FORMAT=docker (see deploy/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("auth", "portal", "roles", "primaweb", "gateway")
IMAGE_PREFIX = "ghcr.io/example/ssp-"
WHEELS = ROOT / "wheels"
PIP_VERSION = "25.3"

BASE_IMAGE = "localhost/ssp-base:bookworm"
DEBIAN_SUITE = "bookworm"
DEBIAN_SOURCES = (
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://deb.debian.org/debian-security bookworm-security main",
)
# What the official python:3.11-slim-bookworm gives the Dockerfiles: python and its venv
# module, groupadd/useradd (passwd), and as it does, the CA certificates, netbase and the
# time zones (services/common/times shows Brussels time; without tzdata it falls to UTC).
BASE_PACKAGES = ("python3", "python3-venv", "python-is-python3", "passwd", "ca-certificates", "netbase", "tzdata")
# Documentation, manual pages and translations are of no use in an image.
DPKG_EXCLUDES = ("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/info/*", "/usr/share/locale/*")
RECIPE_LABEL = "org.example.ssp.base-recipe"

# The images' Python and platform: CPython 3.11, glibc 2.36 (Debian 12), x86_64. pip does
# not widen an explicit manylinux tag to older ones, so every compatible glibc is listed.
PY_TARGET = ("--python-version", "3.11", "--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none")
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(36, 16, -1)] + ["manylinux2014_x86_64"]
# pip evaluates markers with the host's Python, and requirements.lock was made on 3.11.7:
# redis needs async-timeout on Python < 3.11.3, i.e. on Debian 12's 3.11.2 (the local base).
FOR_OLDER_PYTHON = ("async-timeout==5.0.1",)


def engine() -> str:
    return os.environ.get("ENGINE", "podman")


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kwargs)


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


# --- wheels ----------------------------------------------------------------------------------


def wheels(python: str = sys.executable) -> Path:
    """./wheels for the images, made again only when the lock or the groups change."""
    key = _digest((ROOT / "requirements.lock").read_bytes(), (ROOT / "pyproject.toml").read_bytes(),
                  PIP_VERSION, *PY_TARGET, *PLATFORMS, *FOR_OLDER_PYTHON)
    stamp = WHEELS / ".made-from"
    if stamp.exists() and stamp.read_text().strip() == key:
        return WHEELS
    shutil.rmtree(WHEELS, ignore_errors=True)
    groups = [arg for name in SERVICES for arg in ("--group", f"pyproject.toml:{name}")]
    platforms = [arg for tag in PLATFORMS for arg in ("--platform", tag)]
    _run([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:",
          *PY_TARGET, *platforms, "--constraint", "requirements.lock", *groups, f"pip=={PIP_VERSION}",
          *FOR_OLDER_PYTHON,
          "--dest", str(WHEELS)], cwd=ROOT)
    stamp.write_text(key + "\n")
    return WHEELS


# --- base image ------------------------------------------------------------------------------


def _base_recipe() -> str:
    return _digest(DEBIAN_SUITE, *DEBIAN_SOURCES, *BASE_PACKAGES, *DPKG_EXCLUDES)


def image_label(image: str, label: str) -> str | None:
    found = subprocess.run([engine(), "image", "inspect", "--format", "{{json .Labels}}", image],
                           capture_output=True, text=True)
    if found.returncode != 0:
        return None
    return (json.loads(found.stdout or "null") or {}).get(label)


def base(rebuild: bool = False, image: str = BASE_IMAGE) -> str:
    """A base image from Debian 12's packages, for machines that reach no registry."""
    recipe = _base_recipe()
    if not rebuild and image_label(image, RECIPE_LABEL) == recipe:
        return image
    if shutil.which("mmdebstrap") is None:
        raise SystemExit("mmdebstrap is missing: bash devtools/system-packages.sh containers")
    with tempfile.TemporaryDirectory(prefix="ssp-base-") as tmp:
        tarball = Path(tmp) / "rootfs.tar"
        _run(["mmdebstrap", "--quiet", "--variant=apt", "--include=" + ",".join(BASE_PACKAGES),
              *(f"--dpkgopt=path-exclude={path}" for path in DPKG_EXCLUDES),
              DEBIAN_SUITE, str(tarball), *DEBIAN_SOURCES])
        _run([engine(), "import", "--quiet", "--change", "ENV LANG=C.UTF-8", "--change", 'CMD ["python3"]',
              "--change", f"LABEL {RECIPE_LABEL}={recipe}", str(tarball), image], stdout=subprocess.DEVNULL)
    return image


# --- the five images -------------------------------------------------------------------------


def build(tag: str = "dev", base_image: str | None = None, services: tuple[str, ...] = SERVICES) -> dict[str, float]:
    """Build each service's image; returns the seconds each took."""
    wheels()
    args = ["--build-arg", f"BASE_IMAGE={base_image}"] if base_image else []
    took = {}
    for name in services:
        started = time.monotonic()
        _run([engine(), "build", "--quiet", *args, "-f", f"services/{name}/Dockerfile",
              "-t", f"{IMAGE_PREFIX}{name}:{tag}", "."], cwd=ROOT, stdout=subprocess.DEVNULL)
        took[name] = time.monotonic() - started
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.container_images", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("wheels")
    base_cmd = commands.add_parser("base")
    base_cmd.add_argument("--rebuild", action="store_true")
    build_cmd = commands.add_parser("build")
    build_cmd.add_argument("--base", help="base image (default: the Dockerfiles' official python tag)")
    build_cmd.add_argument("--tag", default="dev")
    args = parser.parse_args(argv)
    if args.command == "wheels":
        print(f"{wheels().relative_to(ROOT)}/: wheels for CPython 3.11, manylinux x86_64")
    elif args.command == "base":
        print(base(rebuild=args.rebuild))
    else:
        for name, seconds in build(args.tag, args.base).items():
            print(f"{IMAGE_PREFIX}{name}:{args.tag}  built in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
