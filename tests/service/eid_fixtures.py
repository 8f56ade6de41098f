"""Demo eID cards on a real SoftHSM2, shared by the card tests (import the fixtures).

One folder for the whole test session: python-pkcs11 loads the PKCS#11 module once per
process and SoftHSM2 reads SOFTHSM2_CONF only when initialised, so every card the tests
need (the standard ones plus an expired, a not-yet-valid and a foreign-CA card) is made
up front, by the real command line in a subprocess, before this process loads the module.
`card_readers` then points SOFTHSM2_CONF at that folder and re-initialises the module, so
it sees exactly these tokens even if something else loaded SoftHSM2 earlier.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.auth.cards import CardReaders
from services.auth.chain import CertificateChecker
from services.auth.demo_cards import DEMO_CARDS, CardSpec, DemoFolder

ROOT = Path(__file__).resolve().parents[2]
SOFTHSM_MODULE = os.environ.get("PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")

EXPIRED_CARD = CardSpec(
    first_name="Eva",
    last_name="Demo-Expired",
    nrn="85071214469",
    card_number="592056789036",
    pin="5678",
    puk="55555555",
    key="ec",
    validity="expired",
)
NOT_YET_VALID_CARD = CardSpec(
    first_name="Noah",
    last_name="Demo-Future",
    nrn="79120331181",
    card_number="592067890179",
    pin="6789",
    puk="66666666",
    key="rsa",
    validity="not-yet-valid",
)
FOREIGN_CARD = CardSpec(
    first_name="Felix",
    last_name="Demo-Foreign",
    nrn="77040512314",
    card_number="592078901295",
    pin="7890",
    puk="77777777",
    key="ec",
    foreign=True,
)
TEST_CARDS = (EXPIRED_CARD, NOT_YET_VALID_CARD, FOREIGN_CARD)
ALL_CARDS = DEMO_CARDS + TEST_CARDS


def demo_cards_cli(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`python -m services.auth.demo_cards --dir folder ...`, as make run calls it."""
    env = {k: v for k, v in os.environ.items() if k not in ("EID_DEMO_DIR", "SOFTHSM2_CONF")}
    result = subprocess.run(
        [sys.executable, "-m", "services.auth.demo_cards", "--dir", str(folder), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"demo_cards {args[0]} failed ({result.returncode}):\n{result.stderr}")
    return result


def issue_args(card: CardSpec) -> list[str]:
    args = [
        "issue-card",
        "--first", card.first_name,
        "--last", card.last_name,
        "--nrn", card.nrn,
        "--card-number", card.card_number,
        "--pin", card.pin,
        "--puk", card.puk,
        "--key", card.key,
    ]  # fmt: skip
    if card.revoked:
        args.append("--revoked")
    if card.foreign:
        args.append("--foreign")
    if card.validity != "valid":
        args.append(f"--{card.validity}")
    return args


@dataclass(frozen=True)
class EidWorld:
    folder: DemoFolder

    @property
    def softhsm_env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.folder.softhsm_conf)}

    @property
    def root_pem(self) -> Path:
        return self.folder.pki_dir / "trust-anchors.pem"

    @property
    def citizen_pem(self) -> Path:
        return self.folder.pki_dir / "intermediates.pem"

    @property
    def crl_pem(self) -> Path:
        return self.folder.pki_dir / "citizen-ca.crl.pem"

    def checker(self) -> CertificateChecker:
        return CertificateChecker.from_files(self.root_pem, self.citizen_pem, [self.crl_pem])


# pytest makes one fixture definition per test module that imports a fixture, so a
# session-scoped fixture imported by two modules would run twice: build the world once.
_worlds: dict[Path, EidWorld] = {}


@pytest.fixture(scope="session")
def eid_world(tmp_path_factory: pytest.TempPathFactory) -> EidWorld:
    """Standard demo cards plus the odd test cards, in one session-wide folder."""
    session_dir = tmp_path_factory.getbasetemp()
    if session_dir not in _worlds:
        root = tmp_path_factory.mktemp("eid")
        demo_cards_cli(root, "init")
        for card in TEST_CARDS:
            demo_cards_cli(root, *issue_args(card))
        _worlds[session_dir] = EidWorld(DemoFolder(root))
    return _worlds[session_dir]


@pytest.fixture(scope="session")
def card_readers(eid_world: EidWorld) -> Iterator[CardReaders]:
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(eid_world.folder.softhsm_conf)
    readers = CardReaders(SOFTHSM_MODULE)
    readers.refresh()  # in case the module was initialised earlier with another folder
    yield readers
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous
