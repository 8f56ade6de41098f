"""The demo people: who they are, their eID card, and their documented demo PINs.

auth makes their cards (services/auth/demo_cards.py); roles gives them their entities,
qualities and roles (services/roles/demo_data.py). Everything here is fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoPerson:
    persona: str
    first_name: str
    last_name: str
    nrn: str  # national register number, 11 digits, valid mod 97
    card_number: str  # 12 digits
    key: str  # "rsa" (RSA-2048) or "ec" (EC P-384)
    pin: str = field(repr=False)
    puk: str = field(repr=False)
    revoked: bool = False  # the card's certificate is on the demo CRL


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("social_worker", "Sophie", "Demo-Lambert", "78051408405", "592012345656", "rsa", "1234", "11111111"),
    DemoPerson("primaweb_manager", "Marc", "Demo-Dubois", "75110213797", "592023456705", "ec", "2345", "22222222"),
    DemoPerson("colleague", "Anne", "Demo-Peeters", "83032122635", "592034567851", "ec", "3456", "33333333"),
    DemoPerson("revoked", "Paul", "Demo-Revoked", "80093031147", "592045678997", "rsa", "4567", "44444444",
               revoked=True),
)
BY_PERSONA: dict[str, DemoPerson] = {p.persona: p for p in PEOPLE}
