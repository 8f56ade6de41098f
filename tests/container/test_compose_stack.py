"""The containers proven, not only linted: the five images built from their Dockerfiles,
docker-compose.yml run with podman (redis and postgres replaced by stand-ins built from
Debian's packages, as no registry is reachable here), every healthcheck passing, the
journey walked through the containerised gateway over HTTP, the data kept across a
restart, each compose command of deploy/README.md run, and everything torn down.

The tests run in order on one stack (module fixture); each says what it proves."""

from __future__ import annotations

import random
import re
import subprocess
import time
import uuid

import pytest
import requests

from devtools.container_images import IMAGE_PREFIX
from services.auth.cli_texts import text as cli_text
from services.auth.demo_cards import DEMO_PEOPLE
from tests.container import podman as pm
from tests.support import ROOT
from tests.system.browser import Browser
from tests.system.test_primaweb_files_journey import enter_primaweb, new_file_form, new_nrn, text

pytestmark = [pytest.mark.container, pytest.mark.timeout(900)]

ANNE = DEMO_PEOPLE["colleague"]  # Herstappe agent who may create RIS files
MARC = DEMO_PEOPLE["primaweb_manager"]
README = ROOT / "deploy" / "README.md"
COMMUNE = "docker compose --profile commune run --rm auth-commune"


def tries_left(card: str, left: int) -> str:
    """The commune tool's status sentence (in French: the containers set no language)."""
    return cli_text("status_ok", "fr", card=card, left=left)


def readme_compose_commands() -> list[str]:
    """The compose commands of deploy/README.md's "Docker Compose" section, comments cut."""
    section = re.split(r"\n##+ ", README.read_text().split("\n## Docker Compose\n", 1)[1], maxsplit=1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    lines = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line]


def compose_args(command: str) -> list[str]:
    assert command.startswith("docker compose "), command
    return command.split()[2:]


@pytest.fixture(scope="module")
def stack():
    pm.require_tools()
    running = pm.ComposeStack()
    running.took.update(pm.build_everything())
    running.remove_everything()  # what a previous, interrupted run may have left
    yield running
    running.remove_everything()


@pytest.fixture(scope="module")
def rng():
    return random.Random(uuid.uuid4().int)


def test_every_compose_command_of_the_readme_is_one_this_layer_runs():
    assert readme_compose_commands() == [
        "make compose-secrets",
        "make wheels",
        "docker compose up --build",
        "docker compose run --rm roles python -m services.roles.demo_data",
        "docker compose run --rm primaweb python -m services.primaweb.demo_data",
        f"{COMMUNE} status --card 592012345656",
        f"{COMMUNE} unblock --card 592012345656",
        f"{COMMUNE} audit",
        "docker compose down",
        "docker compose down --volumes",
    ]


def test_the_five_images_carry_their_healthcheck_and_run_as_10001(stack):
    sizes = {}
    for name in pm.SERVICES:
        image = f"{IMAGE_PREFIX}{name}:{pm.TAG}"
        found = pm.image_inspect(image)
        assert found["Config"]["User"] == "10001:10001", name
        assert found["Healthcheck"]["Test"][0] == "CMD", name  # kept: built in docker format
        assert found["Config"]["Entrypoint"] == ["python", "/app/devtools/container_entrypoint.py"], name
        sizes[name] = pm.image_size_mb(image)
        assert sizes[name] < 400, f"{name}: {sizes[name]:.0f} MB"
    # No pip, no compiler, no wheel folder in the final images.
    found = pm.podman("run", "--rm", "--entrypoint", "sh", f"{IMAGE_PREFIX}gateway:{pm.TAG}", "-c",
                      "ls /opt/venv/bin; ls /wheels 2>&1; command -v gcc || echo no-gcc").stdout
    assert "pip" not in found.split() and "No such file" in found and "no-gcc" in found
    zone = pm.podman("run", "--rm", f"{IMAGE_PREFIX}gateway:{pm.TAG}", "python", "-c",
                     "from services.common.times import BRUSSELS; print(BRUSSELS)").stdout
    assert zone.strip() == "Europe/Brussels"  # time zone data in the base, not the UTC fallback
    print("image sizes (MB):", {k: round(v) for k, v in sizes.items()}, "build seconds:",
          {k: round(v) for k, v in stack.took.items()})


def test_the_stack_comes_up_healthy_with_the_readme_commands(stack):
    commands = readme_compose_commands()
    secrets = ROOT / "run" / "compose-secrets"
    assert "make compose-secrets" in commands
    made = subprocess.run(["make", "--no-print-directory", "compose-secrets"], cwd=ROOT,
                                        capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert (secrets / "tls" / "commune.pem").exists() and (secrets / "gateway-secret-key").exists()
    # `up --build`: detached here, and in two steps as podman 4.3 ignores service_healthy.
    wheels = subprocess.run(["make", "--no-print-directory", "wheels"], cwd=ROOT, capture_output=True,
                                          text=True, timeout=300)
    assert wheels.returncode == 0 and (ROOT / "wheels" / ".made-from").exists(), wheels.stderr
    assert compose_args("docker compose up --build") == ["up", "--build"]
    stack.took["up --build until healthy"] = stack.up("--build")
    for service in (*pm.BACKING, *pm.SERVICES):
        assert stack.healthy(service), service
    assert requests.get(stack.url + "/healthz", timeout=5).status_code == 200
    # Only the gateway is reachable from the host; auth's CardAdmin is not even in its ports.
    ports = pm.podman("port", "-a").stdout
    assert f"127.0.0.1:{stack.port}" in ports and "50061" not in ports and "5432" not in ports

    for command in commands:
        if " run --rm roles " in command or " run --rm primaweb " in command:
            loaded = stack.compose(*compose_args(command))
            assert "demo data:" in loaded.stdout, loaded.stdout
    again = stack.compose(*compose_args("docker compose run --rm roles python -m services.roles.demo_data"))
    assert "nothing" in (again.stdout + again.stderr).lower()  # a second load changes nothing


def test_the_journey_through_the_containerised_gateway(stack, rng):
    home = requests.get(stack.url + "/", timeout=10)
    assert home.status_code == 200 and "Fonctionnaires et autres professionnels" in home.text
    assert "Se connecter" in requests.get(stack.url + "/services/primaweb", timeout=10).text

    anne, primaweb_home = enter_primaweb(stack, ANNE)  # eID login with a demo card, PrimaWeb home
    assert 'href="/primaweb/dossiers/nouveau?law=ris-2002"' in primaweb_home.text
    nrn = new_nrn(rng)
    _, keys = new_file_form(anne)
    created = anne.post("/primaweb/dossiers/nouveau", {
        **keys, "nrn": nrn, "first_name": "Élise", "last_name": "Demo-Container", "street": "Rue de la Gare 4",
        "postal_code": "4042", "municipality": "Herstappe", "law": "ris-2002", "category": "isole"})
    number = re.search(r"File ([0-9]{4}/[0-9]{6}) is created\.", text(created)).group(1)
    out = anne.post("/deconnexion", {})
    assert "You are logged out" in out.text and "ssp_session" not in anne.http.cookies
    assert anne.get("/primaweb/").status_code == 401  # the session is gone server side

    marc = Browser(stack)
    marc.choose(MARC)
    wrong = marc.post("/identification/eid/pin", {"pin": "0000"})
    assert "Essais restants\u00a0: 2." in wrong.text
    stack.file = (nrn, number)


def test_files_and_pin_counters_survive_a_restart(stack):
    assert stack.file, "the journey test must run first"
    nrn, number = stack.file
    stack.compose(*compose_args("docker compose down"), timeout=180)  # containers gone, volumes kept
    assert stack.project_containers() == []
    assert len(stack.project_volumes()) == 3
    started = time.monotonic()
    stack.up()
    stack.took["restart until healthy"] = time.monotonic() - started

    status = stack.compose(*compose_args(f"{COMMUNE} status --card 592012345656"))
    assert tries_left("592012345656", 3) in status.stdout
    marc = stack.compose(*compose_args(f"{COMMUNE} status --card {MARC.card_number}"))
    assert tries_left(MARC.card_number, 2) in marc.stdout  # the wrong PIN before the restart

    anne, _ = enter_primaweb(stack, ANNE)
    found = anne.get(f"/primaweb/dossiers?nrn={nrn}&lang=en")
    assert "Files found: 1" in text(found) and number in text(found)


def test_the_commune_tools_unblock_a_card_and_only_they_hold_the_commune_identity(stack):
    user = Browser(stack)
    user.choose(MARC)
    user.post("/identification/eid/pin", {"pin": "0000"})
    blocked = user.post("/identification/eid/pin", {"pin": "0000"})  # the third wrong PIN
    assert blocked.status_code == 403 and "la carte est maintenant bloquée" in blocked.text

    command = compose_args(f"{COMMUNE} unblock --card 592012345656")
    command[-1] = MARC.card_number
    # The PUK and PIN piped in, as a script would: `run -T`, no terminal, so the tool reads
    # standard input (at a terminal it asks without echo).
    command.insert(command.index("run") + 1, "-T")
    wrong_puk = stack.compose(*command, stdin="00000000\n5678\n", check=False, timeout=60)
    assert wrong_puk.returncode == 1
    assert cli_text("puk_incorrect", "fr", left="").rstrip(".") in wrong_puk.stderr, wrong_puk.stderr
    done = stack.compose(*command, stdin=f"{MARC.puk}\n{MARC.pin}\n", timeout=60)
    assert cli_text("unblocked", "fr", card=MARC.card_number, left=3) in done.stdout
    assert Browser(stack).login(MARC).url.endswith("/entites")

    trail = stack.compose(*compose_args(f"{COMMUNE} audit")).stdout
    assert "card_blocked" in trail and "card_unblocked" in trail and "wrong_puk" in trail

    # The auth container has no commune certificate: with its own, CardAdmin refuses it.
    inside = pm.podman("exec", stack.container("auth"), "python", "-m", "services.auth.cli", "status", "--card",
                       MARC.card_number, check=False)
    assert inside.returncode == 1 and cli_text("not_allowed", "fr") in inside.stderr
    mounted = pm.podman("exec", stack.container("auth"), "ls", "/run/secrets").stdout.split()
    assert sorted(mounted) == ["auth-tls-cert", "auth-tls-key", "tls-ca"]


def test_down_with_volumes_leaves_nothing(stack):
    stack.compose(*compose_args("docker compose down --volumes"), timeout=180)
    assert stack.project_containers() == []
    assert stack.project_volumes() == []
    print("layer steps (s):", {k: round(v) for k, v in stack.took.items()})
