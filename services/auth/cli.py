"""The commune's and the operator's tools for the auth service.

    python -m services.auth.cli status  --card 592012345656
    python -m services.auth.cli unblock --card 592012345656      # asks for the PUK and the new PIN
    python -m services.auth.cli audit   [--count 50]

`status` and `unblock` call the CardAdmin gRPC API (AUTH_ADMIN_ADDR, default
127.0.0.1:50061); the PUK and PIN are read without echo (or from standard input, one per
line, when it is not a terminal), never from the command line where `ps` would show them.
`audit` reads the audit stream from REDIS_URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

import redis

from services.auth.audit import AuditTrail
from services.common import config, tls
from services.common.grpc_channels import make_channel
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def _admin() -> auth_pb2_grpc.CardAdminStub:
    """The CardAdmin API, as the commune: its certificate from TLS_* or, for `make run`,
    from RUN_DIR/tls (default ./run/tls)."""
    target = config.env_str("AUTH_ADMIN_ADDR", "127.0.0.1:50061")
    files = tls.files_from_env() or tls.files_in(Path(config.env_str("RUN_DIR", "run")) / "tls", "commune")
    return auth_pb2_grpc.CardAdminStub(make_channel(target, timeout=10, tls_files=files))


def _print_status(status: pb.CardStatus) -> None:
    state = "blocked" if status.blocked else f"{status.pin_tries_left} PIN tries left"
    print(f"card {status.card_number}: {state}")


def status(args) -> int:
    _print_status(_admin().GetCardStatus(pb.GetCardStatusRequest(card_number=args.card)))
    return 0


def unblock(args) -> int:
    puk = _secret("PUK: ")
    new_pin = _secret("New PIN (4 to 12 digits): ")
    if sys.stdin.isatty() and _secret("New PIN again: ") != new_pin:
        print("The two new PINs differ; nothing was changed.", file=sys.stderr)
        return 1
    reply = _admin().UnblockCard(pb.UnblockCardRequest(card_number=args.card, puk=puk, new_pin=new_pin))
    _print_status(reply)
    return 0


def audit(args) -> int:
    trail = AuditTrail(redis.Redis.from_url(config.env_str("REDIS_URL", "redis://127.0.0.1:6379/0")))
    for entry in trail.latest(args.count):
        when = dt.datetime.fromtimestamp(entry.time, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}Z  {entry.event:<22} card={entry.card_number or '-':<12} "
              f"nrn={entry.national_register_nr or '-':<11} {entry.detail}")
    return 0


def main(argv: list[str] | None = None) -> int:
    import grpc

    parser = argparse.ArgumentParser(prog="python -m services.auth.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func, helptext in (("status", status, "PIN tries left on a card"),
                                 ("unblock", unblock, "unblock a card with its PUK and set a new PIN")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("--card", required=True, help="card number (12 digits)")
        sub.set_defaults(func=func)
    sub = commands.add_parser("audit", help="the latest entries of the authentication audit trail")
    sub.add_argument("--count", type=int, default=50)
    sub.set_defaults(func=audit)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except grpc.RpcError as exc:
        reason = dict(exc.trailing_metadata() or ()).get("ssp-refusal", "")
        left = dict(exc.trailing_metadata() or ()).get("ssp-tries-left")
        extra = f" ({left} PUK tries left)" if left else ""
        print(f"refused: {reason or exc.code().name}: {exc.details()}{extra}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
