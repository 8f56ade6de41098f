"""The commune's and the operator's tools for the auth service.

    python -m services.auth.cli status  --card 592012345656
    python -m services.auth.cli unblock --card 592012345656      # asks for the PUK and the new PIN
    python -m services.auth.cli audit   [--count 50]

Same settings as `make run` (devtools/stack.py): the CardAdmin API on 127.0.0.1:AUTH_ADMIN_PORT
(50061; AUTH_ADMIN_ADDR=host:port overrides), the commune's certificate in RUN_DIR/tls (./run
at the repository root; or TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE), the audit trail in the
Redis on REDIS_PORT (6379; REDIS_URL overrides). The PUK and PIN are read without echo (or
from standard input, one per line, when it is not a terminal), never from the command line
where `ps` would show them. Messages in French, Dutch, German or English after LANGUAGE,
LC_ALL, LC_MESSAGES or LANG; French otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import grpc
import redis

from services.auth.audit import AuditTrail
from services.auth.cli_texts import language, text
from services.auth.login import CARD_NUMBER_FORMAT, PIN_FORMAT
from services.common import config, tls
from services.common.grpc_channels import make_channel
from services.common.times import in_brussels
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc

ROOT = Path(__file__).resolve().parent.parent.parent
# The defaults of devtools/stack.py (tests/unit/test_auth_cli.py keeps them equal).
DEFAULT_ADMIN_PORT = 50061
DEFAULT_REDIS_PORT = 6379


class Refused(Exception):
    """An outcome that is not a success, already worded for the clerk."""


def admin_target() -> str:
    port = config.env_int("AUTH_ADMIN_PORT", DEFAULT_ADMIN_PORT, minimum=1)
    return config.env_str("AUTH_ADMIN_ADDR", f"127.0.0.1:{port}")


def redis_url() -> str:
    port = config.env_int("REDIS_PORT", DEFAULT_REDIS_PORT, minimum=1)
    return config.env_str("REDIS_URL", f"redis://127.0.0.1:{port}/0")


def run_dir() -> Path:
    return Path(config.env_str("RUN_DIR", str(ROOT / "run"))).resolve()


def _admin(lang: str) -> auth_pb2_grpc.CardAdminStub:
    """The CardAdmin API, as the commune."""
    if config.env_str("TLS_CERT_FILE", ""):
        files = tls.files_from_env()
    else:
        folder = run_dir() / "tls"
        files = tls.files_in(folder, "commune")
        if files is None:
            raise Refused(text("no_certificate", lang, folder=folder))
    return auth_pb2_grpc.CardAdminStub(make_channel(admin_target(), timeout=10, tls_files=files))


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def _check_card(card: str | None, lang: str) -> None:
    if not card:
        raise Refused(text("card_missing_option", lang))
    if not CARD_NUMBER_FORMAT.match(card):
        raise Refused(text("card_format", lang, card=card))


def _status_sentence(status: pb.CardStatus, lang: str) -> str:
    if status.blocked:
        return text("status_blocked", lang, card=status.card_number)
    return text("status_ok", lang, card=status.card_number, left=status.pin_tries_left)


def status(args, lang: str) -> int:
    _check_card(args.card, lang)
    print(_status_sentence(_admin(lang).GetCardStatus(pb.GetCardStatusRequest(card_number=args.card)), lang))
    return 0


def unblock(args, lang: str) -> int:
    _check_card(args.card, lang)
    admin = _admin(lang)  # before the prompts: a missing certificate is said before the PUK is typed
    puk = _secret(text("prompt_puk", lang, card=args.card))
    if not puk:
        raise Refused(text("puk_missing", lang))
    if not PIN_FORMAT.match(puk):
        raise Refused(text("puk_format", lang))
    new_pin = _secret(text("prompt_new_pin", lang))
    if not new_pin:
        raise Refused(text("new_pin_missing", lang))
    if not PIN_FORMAT.match(new_pin):
        raise Refused(text("new_pin_format", lang))
    if sys.stdin.isatty() and _secret(text("prompt_new_pin_again", lang)) != new_pin:
        raise Refused(text("pins_differ", lang))
    reply = admin.UnblockCard(pb.UnblockCardRequest(card_number=args.card, puk=puk, new_pin=new_pin))
    print(text("unblocked", lang, card=reply.card_number, left=reply.pin_tries_left))
    return 0


def audit(args, lang: str) -> int:
    trail = AuditTrail(redis.Redis.from_url(redis_url()))
    try:
        entries = trail.latest(args.count)
    except redis.ConnectionError:
        raise Refused(text("audit_unavailable", lang, port=trail.client.connection_pool.connection_kwargs.get(
            "port", DEFAULT_REDIS_PORT))) from None
    if not entries:
        print(text("audit_empty", lang))
    for entry in entries:
        when = in_brussels(entry.time).strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}  {entry.event:<22} card={entry.card_number or '-':<12} "
              f"nrn={entry.national_register_nr or '-':<11} {entry.detail}")
    return 0


def _refusal_sentence(exc: grpc.RpcError, card: str, lang: str) -> str:
    """The one mapping from the CardAdmin API's answers to what the clerk reads."""
    metadata = dict(exc.trailing_metadata() or ())
    code, details = exc.code(), exc.details() or ""
    refusal = metadata.get("ssp-refusal", "")
    if refusal == "PUK_INCORRECT":
        return text("puk_incorrect", lang, left=metadata.get("ssp-tries-left", "?"))
    if refusal == "PUK_BLOCKED":
        return text("puk_blocked", lang, card=card)
    if code == grpc.StatusCode.NOT_FOUND:
        return text("card_missing", lang, card=card)
    if code == grpc.StatusCode.UNIMPLEMENTED:
        return text("readers_off", lang)
    if code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED):
        return text("not_allowed", lang)
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        field = details.split(":", 1)[0]
        key = {"card_number": "card_format", "puk": "puk_format", "new_pin": "new_pin_format"}.get(field)
        if key:
            return text(key, lang, card=card)
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) and "card" not in details:
        return text("unavailable", lang, target=admin_target())
    return text("failed", lang, detail=f"{code.name}: {details}")


class _Parser(argparse.ArgumentParser):
    """argparse's own errors are English: said in the clerk's language around them."""

    lang = "fr"

    def error(self, message: str):
        self.exit(2, text("usage_error", self.lang, detail=message) + "\n")


def parser(lang: str) -> argparse.ArgumentParser:
    _Parser.lang = lang
    made = _Parser(prog="python -m services.auth.cli", description=text("description", lang),
                   epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = made.add_subparsers(dest="command", required=True)
    for name, func in (("status", status), ("unblock", unblock)):
        sub = commands.add_parser(name, help=text(f"help_{name}", lang), description=text(f"help_{name}", lang))
        sub.add_argument("--card", help=text("help_card", lang))  # checked by the command, in its words
        sub.set_defaults(func=func)
    sub = commands.add_parser("audit", help=text("help_audit", lang), description=text("help_audit", lang))
    sub.add_argument("--count", type=int, default=50, help=text("help_count", lang))
    sub.set_defaults(func=audit)
    return made


def main(argv: list[str] | None = None) -> int:
    lang = language()
    args = parser(lang).parse_args(argv)
    try:
        return args.func(args, lang)
    except Refused as exc:
        print(exc, file=sys.stderr)
    except grpc.RpcError as exc:
        print(_refusal_sentence(exc, getattr(args, "card", ""), lang), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
